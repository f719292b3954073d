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

    def _log_merge_operation(self, src_partners, dst_partner):
        """The last step before the merge deletes the merged partners: archive them first, so
        that the rule "only archived customers can be deleted" lets a merge (a deliberate
        deletion by someone allowed to merge) go through."""
        src_partners.filtered("active").write({"active": False})
        return super()._log_merge_operation(src_partners, dst_partner)
