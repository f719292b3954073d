from odoo import api, models


class ResPartner(models.Model):
    """Own accounts only (``customer_rep.group_own_accounts``): its members see and edit only the
    customers they manage. The record rules are in ``security/customer_rep_security.xml`` and
    are AND-ed with the member's other rules by ``ir.rule`` (``models/ir_rule.py``)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        self._assign_own_accounts_creator(vals_list)
        return super().create(vals_list)

    @api.model
    def _assign_own_accounts_creator(self, vals_list):
        """A user restricted to their own accounts (seeing them, or only editing them) becomes the
        account manager of the customers they create: otherwise the customer would vanish from
        their sight (or their reach) as soon as it gets a customer rank. Contacts and locations
        follow their customer; vendors stay nobody's."""
        user = self.env.user
        if self.env.su or not (
            user.has_group("customer_rep.group_own_accounts")
            or user.has_group("customer_rep.group_edit_own_accounts")
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
