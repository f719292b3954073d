import logging

from odoo import api, models
from odoo.exceptions import AccessError

from .res_partner_order_metrics import ORDER_METRIC_FIELDS

_logger = logging.getLogger(__name__)

# Customers per statement of the verify-and-repair run.
VERIFY_BATCH_SIZE = 10000


class ResPartner(models.Model):
    """Verify and repair the stored order metrics against the aggregate over the orders, in
    batches (administrators, and a scheduled action that is off by default)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def action_verify_order_metrics(self):
        """Compare every customer's stored order metrics with the aggregate over its orders and
        repair any drift; returns the number of customers that were wrong. Administrators only."""
        if not self.env.is_admin():
            raise AccessError(self.env._("Only administrators may verify and repair the order metrics."))
        return self.sudo()._verify_order_metrics()

    @api.model
    def _cron_verify_order_metrics(self):
        """Scheduled action (off by default): verify and repair the order metrics."""
        return self._verify_order_metrics()

    @api.model
    def _verify_order_metrics(self, batch_size=VERIFY_BATCH_SIZE):
        """Verify and repair, in batches of customers by id: queued deltas are folded first,
        then one statement per batch aggregates its customers' orders and rewrites only the
        customers whose figures differ. Memory stays bounded by the batch."""
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "currency_rate", "amount_untaxed"]
        )
        self.flush_model(["parent_id", "is_company", "commercial_partner_id", *ORDER_METRIC_FIELDS])
        self._fold_queued_order_metrics()
        cr = self.env.cr
        cr.execute("SELECT MIN(id), MAX(id) FROM res_partner")
        low, high = cr.fetchone()
        wrong = 0
        for start in range(low or 0, (high or 0) + 1, batch_size):
            # Raw SQL, reason: one set-based comparison and repair per batch of customers.
            cr.execute(
                self._get_order_metrics_update_sql(id_range=(start, start + batch_size), only_wrong=True)
            )
            wrong += cr.rowcount
        self.invalidate_model(list(ORDER_METRIC_FIELDS))
        log = _logger.warning if wrong else _logger.info
        log("Order metrics verified: %s customers had wrong figures and were repaired", wrong)
        return wrong
