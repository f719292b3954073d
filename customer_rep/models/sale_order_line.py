from odoo import api, models

from .sale_order import SKIP_METRICS_KEY

# Line fields whose change can change the untaxed amount of the order.
LINE_METRICS_TRIGGERS = frozenset(
    {
        "order_id",
        "product_id",
        "product_uom",
        "product_uom_qty",
        "price_unit",
        "discount",
        "tax_id",
        "display_type",
        "is_downpayment",
    }
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._recompute_order_metrics_of_customers()
        return lines

    def write(self, vals):
        if self.env.context.get(SKIP_METRICS_KEY) or LINE_METRICS_TRIGGERS.isdisjoint(vals):
            return super().write(vals)
        customers = self.order_id._get_order_metrics_customers()
        result = super().write(vals)
        (customers | self.order_id._get_order_metrics_customers())._recompute_order_metrics()
        return result

    def unlink(self):
        if self.env.context.get(SKIP_METRICS_KEY):
            return super().unlink()
        customers = self.order_id._get_order_metrics_customers()
        result = super().unlink()
        customers._recompute_order_metrics()
        return result

    def _recompute_order_metrics_of_customers(self):
        """Changing the lines of a confirmed order changes its customer's metrics."""
        if not self.env.context.get(SKIP_METRICS_KEY):
            self.order_id._get_order_metrics_customers()._recompute_order_metrics()
