import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.modules.registry import Registry
from odoo.tools import SQL, float_repr
from odoo.tools.sql import column_exists, create_column

_logger = logging.getLogger(__name__)

# Context key set while an order write recomputes the metrics itself (its lines need not).
SKIP_METRICS_KEY = "customer_rep_skip_order_metrics"
# Context key set by action_confirm to the ids of the orders whose confirmation it checked
# (the customer rules included): its write of their state need not check them again.
CONFIRMATION_CHECKED_KEY = "customer_rep_confirmation_checked"
# The partners an order is addressed to: own-accounts reps may only use those they may see.
ORDER_ADDRESS_FIELDS = frozenset({"partner_id", "partner_invoice_id", "partner_shipping_id"})
# Order fields whose change can change its customer's order metrics.
ORDER_METRICS_TRIGGERS = frozenset(
    {
        "state",
        "partner_id",
        "company_id",
        "date_order",
        "currency_id",
        "currency_rate",
        "pricelist_id",
        "amount_untaxed",
        "order_line",
    }
)


class SaleOrder(models.Model):
    _inherit = ["customer.rep.account.manager.mixin", "sale.order"]
    _name = "sale.order"

    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_account_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Follows the delivery address's account manager (a location override wins), "
        "else the customer's, while the order is a quotation. It can be changed on the order.",
    )

    customer_account_manager_id = fields.Many2one(
        string="Customer's Account Manager",
        related="partner_id.commercial_partner_id.account_manager_id",
        store=True,
        index="btree_not_null",
        # A related field takes the tracking of its target: without this, changing a customer's
        # account manager logged a message on every one of its orders, one at a time.
        tracking=False,
        help="The account manager of the order's customer, whatever the order's own account manager.",
    )
    account_manager_origin = fields.Char(
        compute="_compute_account_manager_origin",
        help="Why the order has its account manager, when it is not its customer's: the delivery "
        "location whose override decided it.",
    )
    prospect_account_manager_id = fields.Many2one(
        string="Prospect's Account Manager",
        comodel_name="res.users",
        compute="_compute_prospect_account_manager_id",
        store=True,
        index="btree_not_null",
        help="The order's account manager while its partner is no customer account (a "
        "prospect): the rep restricted to their own accounts who may see the order.",
    )
    partner_billing_status = fields.Selection(
        string="Customer's Billing Status",
        related="partner_id.commercial_partner_id.billing_status",
        tracking=False,  # tracked once, on the customer (a related field inherits tracking)
        groups="base.group_user",
    )
    partner_important_note = fields.Html(
        string="Customer's Important Note",
        related="partner_id.commercial_partner_id.important_note",
        tracking=False,  # tracked once, on the customer (a related field inherits tracking)
        groups="base.group_user",
    )

    def init(self):
        res = super().init()
        # The first and last confirmed order of a customer, found again in logarithmic time
        # when the order that held the date is cancelled (res_partner_order_metrics.py).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS sale_order_confirmed_partner_date_idx "
                "ON sale_order (partner_id, date_order) WHERE state = 'sale'"
            )
        )
        return res

    def _auto_init(self):
        """Create the account manager columns before the ORM does: the ORM would compute them
        for every order (millions) in Python. At install no customer has an account manager; on
        update from a version without a column, it is filled here with one set-based statement
        (the own-accounts rules compare ``customer_account_manager_id`` with the rep)."""
        cr = self.env.cr
        if not column_exists(cr, self._table, "account_manager_id"):
            create_column(cr, self._table, "account_manager_id", "int4")
        if not column_exists(cr, self._table, "customer_account_manager_id"):
            create_column(cr, self._table, "customer_account_manager_id", "int4")
            if column_exists(cr, "res_partner", "account_manager_id"):
                cr.execute(self._get_customer_account_manager_fill_sql())
        if not column_exists(cr, self._table, "prospect_account_manager_id"):
            # On update from a version without it, the quotations of prospects that have one.
            create_column(cr, self._table, "prospect_account_manager_id", "int4")
            cr.execute(
                SQL(
                    """UPDATE sale_order o SET prospect_account_manager_id = o.account_manager_id
                         FROM res_partner p
                        WHERE p.id = o.partner_id AND o.account_manager_id IS NOT NULL
                          AND p.is_customer_account IS NOT TRUE"""
                )
            )
        return super()._auto_init()

    @api.model
    def _get_customer_account_manager_fill_sql(self):
        """The statement that sets every order's ``customer_account_manager_id`` to the account
        manager of its customer (the partner's commercial partner), as the related field would."""
        return SQL(
            """UPDATE sale_order o SET customer_account_manager_id = customer.account_manager_id
                 FROM res_partner partner
                 JOIN res_partner customer
                   ON customer.id = COALESCE(partner.commercial_partner_id, partner.id)
                WHERE partner.id = o.partner_id AND customer.account_manager_id IS NOT NULL
                  AND o.customer_account_manager_id IS DISTINCT FROM customer.account_manager_id"""
        )

    @api.depends("partner_id", "partner_shipping_id")
    def _compute_account_manager_id(self):
        for order in self:
            if order._origin.id and order.state not in ("draft", "sent"):
                continue  # confirmed and cancelled orders keep their manager
            order.account_manager_id = order._get_default_account_manager()

    @api.depends("account_manager_id", "partner_id", "partner_shipping_id")
    def _compute_account_manager_origin(self):
        for order in self:
            location = order._get_account_manager_location()
            order.account_manager_origin = (
                self.env._("From the delivery location %(location)s", location=location.name)
                if location
                else False
            )

    def _get_account_manager_location(self):
        """The delivery location whose account manager override gave the order its account
        manager, or an empty recordset (the customer's manager, or one set on the order)."""
        self.ensure_one()
        location = self.partner_shipping_id
        if (
            location
            and location != self.partner_id
            and self.account_manager_id
            and location.has_account_manager_override
            and location.effective_account_manager_id == self.account_manager_id
        ):
            return location
        return location.browse()

    @api.depends("account_manager_id", "partner_id.is_customer_account")
    def _compute_prospect_account_manager_id(self):
        for order in self:
            order.prospect_account_manager_id = (
                order.account_manager_id if not order.partner_id.is_customer_account else False
            )

    def _get_default_account_manager(self):
        """The account manager a quotation gets from its delivery address (a location override
        wins) or its customer; one who has left (archived) or is no longer an internal user is
        passed over, so that orders can still be made for the customers they managed."""
        self.ensure_one()
        candidates = (
            self.partner_shipping_id.effective_account_manager_id,
            self.partner_id.effective_account_manager_id,
            self._get_own_accounts_fallback_manager(),
        )
        for user in candidates:
            if self._can_be_account_manager(user.sudo()):
                return user
        return self.env["res.users"]

    @api.constrains("account_manager_id")
    def _check_account_manager_id(self):
        self._check_account_manager_users()

    def _get_own_accounts_fallback_manager(self):
        """A user restricted to their own accounts who quotes a partner that is no customer yet
        (a prospect) becomes the quotation's account manager: otherwise they could not see the
        quotation they made. Other customers' quotations stay out of their reach."""
        user = self.env.user  # the real user, also in the compute's sudo environment
        partner = self.partner_id
        if partner and not partner.is_customer_account and user.has_group("customer_rep.group_own_accounts"):
            return user
        return user.browse()

    def action_confirm(self):
        # The customer rules are checked with Odoo's own (_confirmation_error_message): not
        # again when action_confirm then writes the state.
        checked = self.with_context(**{CONFIRMATION_CHECKED_KEY: tuple(self.ids)})
        return super(SaleOrder, checked).action_confirm()

    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._customer_confirmation_error()

    def _customer_confirmation_error(self):
        """Why the order's customer does not allow confirming it (archived, or blocked for
        billing), or False."""
        self.ensure_one()
        # Only the columns the rules read, not every column of the customer (a confirmation
        # reads nothing else of it), as superuser: the rules hold whatever the user may read
        # of the customer, and nothing of it is shown but its name, on the user's order.
        partner = self.sudo().partner_id
        partner.fetch(["active", "commercial_partner_id", "billing_status"])
        if partner.commercial_partner_id != partner:
            partner.commercial_partner_id.fetch(["active", "billing_status"])
        customer = self.partner_id.commercial_partner_id
        archived = (self.partner_id | customer).filtered(lambda partner: not partner.active)
        if archived:
            return self.env._(
                "The order %(order)s cannot be confirmed: its customer %(customer)s is archived. "
                "Unarchive the customer first.",
                order=self.name,
                customer=archived[0].display_name,
            )
        if customer.billing_status == "blocked":
            return self.env._(
                "%(customer)s is blocked for billing: the order %(order)s cannot be confirmed. "
                "Ask accounting to lift the block on the customer first.",
                customer=customer.display_name,
                order=self.name,
            )
        return False

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_customer_rep_input(vals) for vals in vals_list]
        # The lines created with the orders count once, with their order (SKIP_METRICS_KEY).
        orders = super(SaleOrder, self.with_context(**{SKIP_METRICS_KEY: True})).create(vals_list)
        orders = orders.with_env(self.env)
        orders._check_own_accounts_addresses()
        orders._subscribe_account_managers()
        if not self.env.context.get(SKIP_METRICS_KEY):
            self.env["res.partner"]._apply_order_metric_deltas({}, orders._get_order_metric_contributions())
        return orders

    def write(self, vals):
        vals = self._normalize_customer_rep_input(vals)
        if vals.get("state") == "sale":
            # Confirming by writing the state (scripts over XML-RPC) obeys the same customer
            # rules as action_confirm.
            checked = set(self.env.context.get(CONFIRMATION_CHECKED_KEY, ()))
            for order in self.filtered(lambda order: order.state != "sale" and order.id not in checked):
                if message := order._customer_confirmation_error():
                    raise UserError(message)
        if self.env.context.get(SKIP_METRICS_KEY) or ORDER_METRICS_TRIGGERS.isdisjoint(vals):
            result = super().write(vals)
        else:
            # Confirming, cancelling, moving an order or changing its amounts: its customers'
            # figures change by the difference of what the orders count for before and after;
            # lines changed through this write are counted here once (SKIP_METRICS_KEY).
            before = self._get_order_metric_contributions()
            result = super(SaleOrder, self.with_context(**{SKIP_METRICS_KEY: True})).write(vals)
            self.env["res.partner"]._apply_order_metric_deltas(before, self._get_order_metric_contributions())
        if vals.get("state") == "sale":
            self._make_customers_of_confirmed_orders()
        if "partner_id" in vals and not self.env.su and self.env.user._is_restricted_to_own_accounts():
            # Record rules are checked before a write, not after it: a rep restricted to their
            # own accounts must not move a quotation to a customer whose orders they may not see
            # (or not edit).
            self.check_access("write")
        if ORDER_ADDRESS_FIELDS & vals.keys():
            self._check_own_accounts_addresses()
        return result

    def _make_customers_of_confirmed_orders(self, wait=False):
        """The customer of a confirmed order is a customer from then on, with its number
        (``res.partner._make_customers``). A prospect won by the order takes the order's account
        manager when it has none: the rep who quoted a prospect keeps the customer and the order
        in sight (own accounts only). One read of a flag the confirmation has loaded already
        when the customer is one already (the hot path).

        A confirmation never waits for a customer's row (see the order metrics): when another
        transaction holds a prospect's row, the prospect is made a customer right after the
        commit, in a transaction of its own that waits for the row (``wait``)."""
        orders = self.sudo()
        prospects = orders.partner_id.commercial_partner_id.filtered(
            lambda partner: not partner.is_customer_account
        )
        if not prospects:
            return
        if not wait and not prospects._lock_rows_nowait():
            dbname, order_ids = self.env.cr.dbname, orders.ids
            self.env.cr.postcommit.add(
                lambda: SaleOrder._make_customers_in_new_transaction(dbname, order_ids)
            )
            return
        prospects._make_customers()
        for order in orders:
            customer = order.partner_id.commercial_partner_id
            manager = order.account_manager_id
            if (
                customer in prospects
                and not customer.account_manager_id
                and self._can_be_account_manager(manager)
            ):
                customer.account_manager_id = manager

    @staticmethod
    def _make_customers_in_new_transaction(dbname, order_ids):
        """Make customers of the partners of these confirmed orders, in a transaction of its
        own in READ COMMITTED, which waits for their rows. A failure is logged; the request,
        whose transaction is committed, does not fail."""
        try:
            with Registry(dbname).cursor() as cr:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                orders = env["sale.order"].browse(order_ids).exists()
                orders.filtered(lambda order: order.state == "sale")._make_customers_of_confirmed_orders(
                    wait=True
                )
        except Exception:  # pylint: disable=broad-except
            _logger.warning(
                "The customers of the orders %s are not made customers yet", order_ids, exc_info=True
            )

    def _check_own_accounts_addresses(self):
        """A rep restricted to their own accounts may only address an order to partners they
        may see: its customer, invoice and delivery addresses are held to the same rule.
        Otherwise a guessed id of another rep's customer would show its name on the order."""
        if self.env.su or not self.env.user.has_group("customer_rep.group_own_accounts"):
            return
        addresses = self.partner_id | self.partner_invoice_id | self.partner_shipping_id
        hidden = addresses - addresses._filtered_access("read")
        if hidden:
            raise AccessError(
                self.env._(
                    "You may only address your orders to your own customers, their contacts and "
                    "locations, or to partners that are no customers: %(count)s address(es) of "
                    "the order belong to another account manager's customer.",
                    count=len(hidden),
                )
            )

    def unlink(self):
        if self.env.context.get(SKIP_METRICS_KEY):
            return super().unlink()
        before = self._get_order_metric_contributions()
        result = super(SaleOrder, self.with_context(**{SKIP_METRICS_KEY: True})).unlink()
        self.env["res.partner"]._apply_order_metric_deltas(before, {})
        return result

    def _subscribe_account_managers(self):
        """The account managers of the order and of its customer follow the order."""
        for order in self:
            users = order.account_manager_id | order.partner_id.commercial_partner_id.account_manager_id
            users = users.filtered("active")
            if users:
                order.message_subscribe(partner_ids=users.partner_id.ids)

    def _get_order_metric_contributions(self):
        """What each of these orders counts for in its customer's metrics: {order id:
        (customer id, untaxed amount as stored, currency rate, rounding of the company
        currency, order date)} for the confirmed ones, from the values in memory (pending
        changes included, no query when they are loaded). The amount is converted to the
        company currency and rounded by the database, with the aggregate's expression
        (``res.partner._get_order_metric_changes_sql``), so that both give the same figures.

        Read as superuser: bookkeeping of the customers' figures, whatever the user may read
        of them (ids and amounts only, nothing is returned to the user)."""
        contributions = {}
        for order in self.sudo():
            if order.state != "sale":
                continue
            contributions[order.id] = (
                order.partner_id.commercial_partner_id.id,
                self._get_stored_amount_text(order.amount_untaxed, order.currency_id),
                order.currency_rate,
                order.company_id.currency_id.rounding,
                order.date_order.date(),
            )
        return contributions

    @api.model
    def _get_stored_amount_text(self, amount, currency):
        """The exact decimal a monetary column stores for ``amount`` (as
        ``Monetary.convert_to_column`` writes it), rather than the float in memory."""
        if not currency:
            return repr(float(amount))
        return float_repr(currency.round(amount), currency.decimal_places)
