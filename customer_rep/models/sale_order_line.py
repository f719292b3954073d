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
        if self.env.context.get(SKIP_METRICS_KEY):
            return super().create(vals_list)
        # Lines added to a confirmed order change its amount: its customer's figures change by
        # the difference (the order created with its lines counts them itself).
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        before = orders._get_order_metric_contributions()
        lines = super(SaleOrderLine, self.with_context(**{SKIP_METRICS_KEY: True})).create(vals_list)
        self.env["res.partner"]._apply_order_metric_deltas(before, orders._get_order_metric_contributions())
        return lines.with_env(self.env)

    def write(self, vals):
        if self.env.context.get(SKIP_METRICS_KEY) or LINE_METRICS_TRIGGERS.isdisjoint(vals):
            return super().write(vals)
        orders = self.order_id
        before = orders._get_order_metric_contributions()
        result = super(SaleOrderLine, self.with_context(**{SKIP_METRICS_KEY: True})).write(vals)
        orders |= self.order_id
        self.env["res.partner"]._apply_order_metric_deltas(
            before, orders.with_env(self.env)._get_order_metric_contributions()
        )
        return result

    def unlink(self):
        if self.env.context.get(SKIP_METRICS_KEY):
            return super().unlink()
        orders = self.order_id
        before = orders._get_order_metric_contributions()
        result = super(SaleOrderLine, self.with_context(**{SKIP_METRICS_KEY: True})).unlink()
        self.env["res.partner"]._apply_order_metric_deltas(
            before, orders.exists()._get_order_metric_contributions()
        )
        return result
