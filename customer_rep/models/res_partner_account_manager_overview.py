from odoo import fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The account-manager overview (Sales → Reporting → Account Managers): customers by account
    manager in a graph and a pivot, with the number of customers, total ordered and average per
    order as measures."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Grouped, the average per order is the group's total over its orders (see below).
    order_amount_average = fields.Monetary(aggregator="avg")

    def _read_group_select(self, aggregate_spec, query):
        # The average per order of a group of customers is their total ordered over their
        # number of orders, not the mean of their averages (a customer with one small order
        # would weigh as much as one with a hundred).
        if aggregate_spec == "order_amount_average:avg":
            self._read_group_select("order_amount_total:sum", query)  # checks access
            return SQL(
                "COALESCE(ROUND(SUM(%(total)s) / NULLIF(SUM(%(count)s), 0), 2), 0)",
                total=self._field_to_sql(self._table, "order_amount_total", query),
                count=self._field_to_sql(self._table, "order_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)
