from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# The one SQL form of "a customer" (``is_commercial_partner``), for SQL that names no alias
# and for the declarations that need plain text (constraints, partial indexes).
CUSTOMER_CONDITION = "(parent_id IS NULL OR is_company IS TRUE)"


class ResPartner(models.Model):
    """What the customer register's capabilities share about partners: what a customer is.

    A *customer* is a commercial partner: a company, or an individual without a parent company
    (``is_commercial_partner``, ``_is_customer``, ``_get_customer_domain``,
    ``_get_customer_sql``). It carries the number, account manager, billing rules and metrics;
    its contacts and locations follow it. A *customer account* (``is_customer_account``) is a
    customer that is sold to or managed: the partners that own-accounts reps are restricted on.
    Each capability extends ``res.partner`` in a file of its own (see ``models/__init__.py``).
    """

    _inherit = "res.partner"

    is_commercial_partner = fields.Boolean(
        string="Is a Customer Entity",
        compute="_compute_is_commercial_partner",
        help="A company, or an individual without a parent company: the partner that carries the "
        "customer's number, account manager, billing rules and metrics.",
    )
    is_customer_account = fields.Boolean(
        string="Belongs to a Customer",
        compute="_compute_is_customer_account",
        store=True,
        help="The partner's customer (its commercial partner) has a customer rank or an account "
        "manager. Users restricted to their own accounts only see such partners when they manage them.",
    )

    @api.depends("parent_id", "is_company")
    def _compute_is_commercial_partner(self):
        for partner in self:
            partner.is_commercial_partner = bool(partner.is_company or not partner.parent_id)

    @api.depends("commercial_partner_id.customer_rank", "commercial_partner_id.account_manager_id")
    def _compute_is_customer_account(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.is_customer_account = bool(commercial.customer_rank > 0 or commercial.account_manager_id)

    def _auto_init(self):
        """``is_customer_account`` is filled at install with one set-based statement, rather than
        computed through the ORM for hundreds of thousands of partners (the ORM then skips its
        own fill). No partner has an account manager yet: the customer rank decides."""
        cr = self.env.cr
        if not column_exists(cr, self._table, "is_customer_account"):
            create_column(cr, self._table, "is_customer_account", "boolean")
            cr.execute(
                SQL(
                    """UPDATE res_partner partner
                          SET is_customer_account = (commercial.customer_rank > 0)
                         FROM res_partner commercial
                        WHERE commercial.id = COALESCE(partner.commercial_partner_id, partner.id)"""
                )
            )
        return super()._auto_init()

    def _increase_rank(self, field, n=1):
        # account raises ranks in SQL and only invalidates the cache: recompute what follows them.
        result = super()._increase_rank(field, n)
        if field == "customer_rank":
            self.modified([field])
        return result

    def _is_customer(self):
        """Whether the partner is a customer (a commercial partner)."""
        self.ensure_one()
        return self.is_commercial_partner

    @api.model
    def _is_new_customer(self, vals):
        """Whether the partner created from ``vals`` is a customer (commercial partner)."""
        context = self.env.context
        return bool(
            vals.get("is_company", context.get("default_is_company"))
            or not vals.get("parent_id", context.get("default_parent_id"))
        )

    @api.model
    def _get_customer_domain(self):
        """The customers (commercial partners), as a domain."""
        return ["|", ("parent_id", "=", False), ("is_company", "=", True)]

    @api.model
    def _get_customer_sql(self, alias=None):
        """The customers (commercial partners), as an SQL condition on the partner table (or
        on the table ``alias``)."""
        if not alias:
            return SQL(CUSTOMER_CONDITION)
        return SQL("(%(t)s.parent_id IS NULL OR %(t)s.is_company IS TRUE)", t=SQL.identifier(alias))

    @api.model
    def _get_customer_rep_setting(self, key):
        """A setting of the customer register (see ``res.config.settings``)."""
        return self.env["res.config.settings"]._get_customer_rep_setting(key)
