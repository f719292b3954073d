from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# The SQL forms of a commercial partner (``is_commercial_partner``) and of "a customer"
# (``_is_customer``), for SQL that names no alias and for the declarations that need plain text
# (constraints, partial indexes).
COMMERCIAL_PARTNER_CONDITION = "(parent_id IS NULL OR is_company IS TRUE)"
CUSTOMER_CONDITION = f"({COMMERCIAL_PARTNER_CONDITION} AND is_customer_account IS TRUE)"
# Context key of the partners made from an e-mail address (the mail gateway, a recipient typed
# in the composer): they are no customers, whoever's the transaction.
FROM_EMAIL_KEY = "customer_rep_partner_from_email"


class ResPartner(models.Model):
    """What the customer register's capabilities share about partners: what a customer is.

    A *commercial partner* is a company, or an individual without a parent company
    (``is_commercial_partner``, ``_get_commercial_partner_domain``/``_sql``): it carries the
    number, account manager, billing rules and metrics; its contacts and locations follow it.

    A *customer* is a commercial partner that has a confirmed order, an account manager or a
    customer rank, or was created as a customer (from the register, a quotation's customer
    field, an import into the register) (``_is_customer``, ``_is_new_customer``,
    ``_get_customer_domain``, ``_get_customer_sql``). A vendor, a user's partner or a partner
    made from an e-mail address is none until one of these happens. Confirming its first order
    and being created as a customer give the partner a customer rank (``_make_customers``), so
    that the stored ``is_customer_account`` (its customer rank or account manager) says it on the
    partner, its contacts and locations: the register's menus, customer numbers, own-accounts
    rules and reports use it. Each capability extends ``res.partner`` in a file of its own (see
    ``models/__init__.py``).
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
        help="The partner's customer (its commercial partner) is a customer: it has a confirmed "
        "order, an account manager or a customer rank, or was created as a customer. Users "
        "restricted to their own accounts only see such partners when they manage them.",
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

    def copy_data(self, default=None):
        # A copy of a customer is a customer (Odoo copies no customer rank).
        vals_list = super().copy_data(default=default)
        for partner, vals in zip(self, vals_list, strict=True):
            if partner._is_customer() and "customer_rank" not in (default or {}):
                vals["customer_rank"] = max(vals.get("customer_rank") or 0, 1)
        return vals_list

    def _increase_rank(self, field, n=1):
        # account raises ranks in SQL and only invalidates the cache: recompute what follows them.
        result = super()._increase_rank(field, n)
        if field == "customer_rank":
            self.modified([field])
            self._on_become_customers()
        return result

    # Partners made from an e-mail address are no customers (_is_new_customer), whoever's the
    # transaction; mail.thread's _mail_find_partner_from_emails says so too.
    @api.model
    def find_or_create(self, email, assert_valid_email=False):
        partner = super(ResPartner, self.with_context(**{FROM_EMAIL_KEY: True})).find_or_create(
            email, assert_valid_email=assert_valid_email
        )
        return partner.with_env(self.env)

    @api.model
    def _find_or_create_from_emails(self, emails, additional_values=None):
        partners = super(ResPartner, self.with_context(**{FROM_EMAIL_KEY: True}))._find_or_create_from_emails(
            emails, additional_values=additional_values
        )
        return [partner.with_env(self.env) if partner else partner for partner in partners]

    def _is_customer(self):
        """Whether the partner is a customer (a commercial partner that is a customer account)."""
        self.ensure_one()
        return self.is_commercial_partner and self.is_customer_account

    @api.model
    def _is_new_commercial_partner(self, vals):
        """Whether the partner created from ``vals`` is a commercial partner."""
        context = self.env.context
        return bool(
            vals.get("is_company", context.get("default_is_company"))
            or not vals.get("parent_id", context.get("default_parent_id"))
        )

    @api.model
    def _is_new_customer(self, vals):
        """Whether the partner created from ``vals`` is created as a customer: a commercial
        partner given a customer rank or an account manager, or created where customers are made
        (the register's list, a quotation's customer field: ``res_partner_search_mode`` is
        ``customer``). Never one made from an e-mail address."""
        context = self.env.context
        if context.get(FROM_EMAIL_KEY) or not self._is_new_commercial_partner(vals):
            return False
        return bool(
            (vals.get("customer_rank", context.get("default_customer_rank")) or 0) > 0
            or vals.get("account_manager_id", context.get("default_account_manager_id"))
            or ("customer_rank" not in vals and context.get("res_partner_search_mode") == "customer")
        )

    @api.model
    def _get_commercial_partner_domain(self):
        """The commercial partners, as a domain."""
        return ["|", ("parent_id", "=", False), ("is_company", "=", True)]

    @api.model
    def _get_commercial_partner_sql(self, alias=None):
        """The commercial partners, as an SQL condition on the partner table (or on the table
        ``alias``)."""
        if not alias:
            return SQL(COMMERCIAL_PARTNER_CONDITION)
        return SQL("(%(t)s.parent_id IS NULL OR %(t)s.is_company IS TRUE)", t=SQL.identifier(alias))

    @api.model
    def _get_customer_domain(self):
        """The customers, as a domain (what the *Customers* action shows)."""
        return [("is_customer_account", "=", True), *self._get_commercial_partner_domain()]

    @api.model
    def _get_customer_sql(self, alias=None):
        """The customers, as an SQL condition on the partner table (or on the table ``alias``)."""
        if not alias:
            return SQL(CUSTOMER_CONDITION)
        return SQL(
            "(%s AND %s.is_customer_account IS TRUE)",
            self._get_commercial_partner_sql(alias),
            SQL.identifier(alias),
        )

    def _make_customers(self):
        """Make these partners' commercial partners customers (their first order is confirmed):
        those that are none yet get customer rank 1, with what follows from becoming a customer
        (``_on_become_customers``). The caller may confirm the order but need not be allowed to
        edit the customer: bookkeeping of the register, done as superuser. Costs one read of the
        customers' flag when they are customers already (the hot path of a confirmation)."""
        customers = self.sudo().commercial_partner_id
        customers.fetch(["is_customer_account"])
        prospects = customers.filtered(lambda partner: not partner.is_customer_account)
        if not prospects:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET customer_rank = 1 "
                "WHERE id = ANY(%s) AND COALESCE(customer_rank, 0) <= 0",
                prospects.ids,
            )
        )
        prospects.invalidate_recordset(["customer_rank"])
        prospects.modified(["customer_rank"])
        prospects._on_become_customers()

    @api.model
    def _fill_customers_with_confirmed_orders(self):
        """Make customers, in one set-based statement, the commercial partners that have a
        confirmed order but no customer rank (install, update to 18.0.1.4.0): customer rank 1,
        and ``is_customer_account`` of their contacts, locations and orders' prospect manager
        follow. Runs again without effect. Returns the ids of the partners made customers,
        oldest first."""
        self.env["sale.order"].flush_model(["state", "partner_id"])
        self.flush_model(["customer_rank", "commercial_partner_id", "parent_id", "is_company"])
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner c SET customer_rank = 1
                    WHERE COALESCE(c.customer_rank, 0) <= 0 AND %s
                      AND c.id IN (SELECT p.commercial_partner_id
                                     FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
                                    WHERE o.state = 'sale')
                RETURNING c.id, c.create_date""",
                self._get_commercial_partner_sql("c"),
            )
        )
        customer_ids = [row[0] for row in sorted(self.env.cr.fetchall(), key=lambda row: (row[1], row[0]))]
        self.invalidate_model(["customer_rank"])
        if customer_ids:
            self._sync_customer_account_manager_sql(customer_ids)
            self.invalidate_model(["is_customer_account"])
            self.env["sale.order"].invalidate_model(["prospect_account_manager_id"])
        return customer_ids

    @api.model
    def _make_customers_with_confirmed_orders(self):
        """Make customers, with their numbers, the commercial partners that have a confirmed
        order but are no customers yet: at install, on update to 18.0.1.4.0 and in the daily
        job. A confirmation that finds a prospect's row busy makes it a customer right after its
        commit (``sale.order._make_customers_in_new_transaction``); when the process dies
        before that, the daily job finishes it here. Set-based; a second run changes nothing.
        Returns the partners made customers and those of them that were numbered."""
        customers = self.browse(self._fill_customers_with_confirmed_orders())
        numbered = customers.filtered(lambda partner: not partner.ref)
        self._number_existing_customers(numbered.ids)
        return customers, numbered.filtered("ref")

    def _lock_rows_nowait(self):
        """Lock these partners' rows for this transaction unless another transaction holds
        them or changed them since this one began: whether they are locked."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE NOWAIT",
                        self.ids,
                    ),
                    log_exceptions=False,  # a busy row is expected under load, not an error
                )
        except (errors.LockNotAvailable, errors.SerializationFailure):
            return False
        return True

    def _on_become_customers(self):
        """What follows when partners of ``self`` become customers (the customer number);
        extended by the capabilities."""
        return

    @api.model
    def _get_customer_rep_setting(self, key):
        """A setting of the customer register (see ``res.config.settings``)."""
        return self.env["res.config.settings"]._get_customer_rep_setting(key)
