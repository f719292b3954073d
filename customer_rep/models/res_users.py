from odoo import models

from .ir_rule import RESTRICTIVE_GROUPS


class ResUsers(models.Model):
    """Never leave customers with a departed manager: archiving a user who still manages
    customers warns the admin and offers the handover."""

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    def action_archive(self):
        managing = self.filtered("active")._get_users_managing_customers()
        result = super().action_archive()
        if not managing or self.env.context.get("customer_rep_no_handover"):
            return result
        if len(managing) == 1 and self.env.user.has_group("customer_rep.group_assign_account_manager"):
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "customer_rep.customer_rep_handover_action"
            )
            action["context"] = {"default_from_user_id": managing.id}
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Customers left with an archived account manager"),
                "message": self.env._(
                    "%(users)s still manage customers. Hand them over from each user's form "
                    "(Hand over accounts); the customers' filter Manager Archived lists them.",
                    users=", ".join(managing.mapped("name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _is_restricted_to_own_accounts(self):
        """Whether this user sees or edits only their own accounts (*Own accounts only*, *Edit
        own accounts only*): the groups whose rules ``ir.rule`` AND-s with the user's others."""
        self.ensure_one()
        return any(self.has_group(xmlid) for xmlid in RESTRICTIVE_GROUPS)

    def _get_users_managing_customers(self):
        """The users among these who are the account manager of at least one customer or location."""
        if not self:
            return self
        # sudo: which users manage customers, not the customers themselves, whatever the
        # archiving admin's own restrictions on customers.
        groups = (
            self.env["res.partner"]
            .sudo()
            ._read_group([("account_manager_id", "in", self.ids)], groupby=["account_manager_id"])
        )
        return self.browse(user.id for (user,) in groups)
