from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Merging moves the orders with raw SQL: recompute the customers' order metrics."""
        partners = self.env["res.partner"].browse(partner_ids).exists()
        customers = partners | partners.commercial_partner_id
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        customers = customers.exists()
        (customers | customers.commercial_partner_id)._recompute_order_metrics()
        return result
