from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .res_partner import FROM_EMAIL_KEY


class ResPartner(models.Model):
    """Own accounts only (``customer_rep.group_own_accounts``): its members see and edit only the
    customers they manage. The record rules are in ``security/customer_rep_security.xml`` and
    are AND-ed with the member's other rules by ``ir.rule`` (``models/ir_rule.py``).

    The rules compare stored, indexed columns with the user, so that an index answers them:
    ``customer_account_manager_id`` here, ``customer_account_manager_id`` and
    ``prospect_account_manager_id`` on orders (``sale_order.py``), never a nested path."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    customer_account_manager_id = fields.Many2one(
        string="Customer's Account Manager",
        related="commercial_partner_id.account_manager_id",
        store=True,
        tracking=False,  # the related field would copy the manager's tracking: one log per row
        index="btree_not_null",
        help="The account manager of the partner's customer (its commercial partner), whatever "
        "the partner's own account manager.",
    )

    def init(self):
        res = super().init()
        # The own-accounts rule shows the partners that are no customer account to everyone.
        # Odoo writes ('is_customer_account', '=', False) as "IS NULL OR NOT is_customer_account":
        # a partial index for each arm lets PostgreSQL OR them with the rep's customers (a
        # BitmapOr of three index scans) instead of filtering every partner.
        for name, condition in (
            ("res_partner_customer_account_null_idx", "is_customer_account IS NULL"),
            ("res_partner_customer_account_false_idx", "NOT is_customer_account"),
        ):
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (id) WHERE %s",
                    SQL.identifier(name),
                    SQL.identifier(self._table),
                    SQL(condition),
                )
            )
        return res

    def _auto_init(self):
        """Filled with one set-based statement (on install no customer has an account manager;
        on update from a version without the column, from the customers' managers) rather than
        computed through the ORM for every partner."""
        cr = self.env.cr
        if not column_exists(cr, self._table, "customer_account_manager_id"):
            create_column(cr, self._table, "customer_account_manager_id", "int4")
            if column_exists(cr, self._table, "account_manager_id"):
                self._sync_customer_account_manager_sql()
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        self._assign_own_accounts_creator(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "account_manager_id" not in vals:
            return super().write(vals)
        with self._sync_customer_account_manager_in_sql():
            return super().write(vals)

    @api.model
    def _assign_own_accounts_creator(self, vals_list):
        """A user restricted to their own accounts (seeing them, or only editing them) becomes the
        account manager of the customers they create: otherwise the customer would vanish from
        their sight (or their reach) as soon as it gets a customer rank. Contacts and locations
        follow their customer; vendors and partners made from an e-mail address (a recipient
        typed in the composer) stay nobody's, and no customers."""
        if (
            self.env.su
            or self.env.context.get(FROM_EMAIL_KEY)
            or not self.env.user._is_restricted_to_own_accounts()
        ):
            return
        for vals in vals_list:
            if vals.get("account_manager_id") or vals.get(
                "parent_id", self.env.context.get("default_parent_id")
            ):
                continue
            is_vendor = (
                vals.get("supplier_rank", 0) > 0
                or self.env.context.get("res_partner_search_mode") == "supplier"
            )
            if not is_vendor:
                vals["account_manager_id"] = self.env.uid

    def _sync_customer_account_manager_sql(self, customer_ids=None):
        """Set ``customer_account_manager_id``, ``effective_account_manager_id`` and
        ``is_customer_account`` of the partners of these customers (all when None), and
        ``customer_account_manager_id`` of their orders (and the orders'
        ``prospect_account_manager_id``, which follows whether the customer is a customer
        account), with set-based SQL. Raw SQL, reason: a change of thousands of customers'
        managers (or of one with a long history) reaches hundreds of thousands of orders, which
        the ORM would recompute one by one in Python; each partner row is rewritten once for
        the three columns. The caller has flushed the partners."""
        cr = self.env.cr
        customer_filter = SQL("TRUE")
        if customer_ids is not None:
            customer_filter = SQL("c.id = ANY(%s)", list(customer_ids))
        assignments = [SQL("customer_account_manager_id = c.account_manager_id")]
        differs = [SQL("p.customer_account_manager_id IS DISTINCT FROM c.account_manager_id")]
        for fname, value in (
            ("effective_account_manager_id", "COALESCE(p.account_manager_id, c.account_manager_id)"),
            ("is_customer_account", "(COALESCE(c.customer_rank, 0) > 0 OR c.account_manager_id IS NOT NULL)"),
        ):
            if column_exists(cr, self._table, fname):
                assignments.append(SQL("%s = %s", SQL.identifier(fname), SQL(value)))
                differs.append(SQL("p.%s IS DISTINCT FROM %s", SQL.identifier(fname), SQL(value)))
        cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET %s
                     FROM res_partner c
                    WHERE c.id = p.commercial_partner_id AND %s AND (%s)""",
                SQL(", ").join(assignments),
                customer_filter,
                SQL(" OR ").join(differs),
            )
        )
        if column_exists(cr, "sale_order", "customer_account_manager_id"):
            cr.execute(
                SQL(
                    """UPDATE sale_order o
                          SET customer_account_manager_id = c.account_manager_id
                         FROM res_partner p, res_partner c
                        WHERE p.id = o.partner_id AND c.id = p.commercial_partner_id AND %s
                          AND o.customer_account_manager_id IS DISTINCT FROM c.account_manager_id""",
                    customer_filter,
                )
            )
        if column_exists(cr, "sale_order", "prospect_account_manager_id"):
            prospect_manager = SQL("CASE WHEN p.is_customer_account THEN NULL ELSE o.account_manager_id END")
            cr.execute(
                SQL(
                    """UPDATE sale_order o
                          SET prospect_account_manager_id = %(value)s
                         FROM res_partner p, res_partner c
                        WHERE p.id = o.partner_id AND c.id = p.commercial_partner_id AND %(filter)s
                          AND o.prospect_account_manager_id IS DISTINCT FROM %(value)s""",
                    value=prospect_manager,
                    filter=customer_filter,
                )
            )

    @contextmanager
    def _sync_customer_account_manager_in_sql(self):
        """Around a write of these partners' account managers: the ORM does not recompute
        ``customer_account_manager_id``, ``effective_account_manager_id`` and
        ``is_customer_account`` of their contacts, locations and orders one by one (a customer
        may have 100,000 orders, a bulk update reaches hundreds of thousands); one set-based
        statement per table does it after."""
        customers = self.filtered("is_commercial_partner")
        if not customers:
            yield
            return
        family = (
            self.sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", customers.ids)], order="id")
        )
        orders = self.env["sale.order"].sudo().search([("partner_id", "in", family.ids)], order="id")
        partner_fields = [
            "customer_account_manager_id",
            "effective_account_manager_id",
            "is_customer_account",
        ]
        order_fields = ["customer_account_manager_id", "prospect_account_manager_id"]
        protected = [
            ([self._fields[fname] for fname in partner_fields], family),
            ([orders._fields[fname] for fname in order_fields], orders),
        ]
        with self.env.protecting(protected):
            yield
        self.flush_model(["account_manager_id", "commercial_partner_id", "customer_rank"])
        orders.flush_model(["partner_id", "account_manager_id", *order_fields])
        # The same write may have moved them under another company (parent_id): their rows then
        # follow that company, which the sync must cover too.
        self._sync_customer_account_manager_sql((customers | family.commercial_partner_id).ids)
        family.invalidate_recordset(partner_fields)
        orders.invalidate_recordset(order_fields)
