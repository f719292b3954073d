from odoo import api, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """Archive before delete: with the setting "Only archived customers can be deleted",
    deleting an active customer account is refused. The rule is about customer accounts
    (``is_customer_account``: sold to, or with an account manager), not about every top-level
    partner: a partner made from an e-mail address and never sold to can still be deleted."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active_customer(self):
        if not self._get_customer_rep_setting("only_archived_deletable"):
            return
        active_customers = self.filtered(lambda p: p.active and p._is_customer())
        if active_customers:
            raise UserError(
                self.env._(
                    "Archive the customer %(customers)s before deleting it: "
                    "only archived customers can be deleted.",
                    customers=", ".join(active_customers[:5].mapped("display_name")),
                )
            )
