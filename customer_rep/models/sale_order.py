from odoo import api, fields, models

from .res_partner import account_manager_followers

# Context key set while an order write recomputes the metrics itself (its lines need not).
SKIP_METRICS_KEY = "customer_rep_skip_order_metrics"
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
    _inherit = "sale.order"

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

    @api.depends("partner_id", "partner_shipping_id")
    def _compute_account_manager_id(self):
        for order in self:
            if order._origin.id and order.state not in ("draft", "sent"):
                continue  # confirmed and cancelled orders keep their manager
            order.account_manager_id = order._get_default_account_manager()

    def _get_default_account_manager(self):
        """The account manager a quotation gets from its customer and delivery address."""
        self.ensure_one()
        return (
            self.partner_shipping_id.effective_account_manager_id
            or self.partner_id.effective_account_manager_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._subscribe_account_managers()
        orders._get_order_metrics_customers()._recompute_order_metrics()
        return orders

    def write(self, vals):
        if self.env.context.get(SKIP_METRICS_KEY) or ORDER_METRICS_TRIGGERS.isdisjoint(vals):
            return super().write(vals)
        # Confirming, cancelling, moving an order or changing its amounts: the customers of the
        # confirmed orders before and after the write change; lines changed through this write
        # are counted here once rather than once per line.
        customers = self._get_order_metrics_customers()
        result = super(SaleOrder, self.with_context(**{SKIP_METRICS_KEY: True})).write(vals)
        (customers | self._get_order_metrics_customers())._recompute_order_metrics()
        return result

    def unlink(self):
        customers = self._get_order_metrics_customers()
        result = super().unlink()
        customers._recompute_order_metrics()
        return result

    def _subscribe_account_managers(self):
        """The account managers of the order and of its customer follow the order."""
        for order in self:
            users = order.account_manager_id | order.partner_id.commercial_partner_id.account_manager_id
            users = users.filtered("active")
            if users:
                order.message_subscribe(partner_ids=users.partner_id.ids)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        res = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        return res + account_manager_followers(self, updated_values, default_subtype_ids)

    def _get_order_metrics_customers(self):
        """The customers (commercial partners) whose metrics count these orders."""
        return self.filtered(lambda order: order.state == "sale").partner_id.commercial_partner_id
