from odoo import api, fields, models


class SaleOrder(models.Model):
    """During a cover, the colleague covering the customer's account manager follows the
    customer's new orders too (``customer.rep.cover``)."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    is_my_team_account = fields.Boolean(
        string="My Team's Account",
        compute="_compute_is_my_team_account",
        search="_search_is_my_team_account",
        help="Orders of the customers whose account team I am on today.",
    )
    is_covered_by_me = fields.Boolean(
        string="Account I Cover",
        compute="_compute_is_my_team_account",
        search="_search_is_covered_by_me",
        help="Orders of the customers of the colleagues I cover today.",
    )

    @api.depends_context("uid")
    def _compute_is_my_team_account(self):
        user = self.env.user
        team = set(user._customer_rep_team_partner_ids())
        covered = set(user._customer_rep_manager_ids()[1:])
        for order in self:
            order.is_my_team_account = order.partner_id.id in team
            order.is_covered_by_me = order.customer_account_manager_id.id in covered

    def _search_is_my_team_account(self, operator, value):
        positive = (operator == "=") == bool(value)
        return [
            ("partner_id", "in" if positive else "not in", self.env.user._customer_rep_team_partner_ids())
        ]

    def _search_is_covered_by_me(self, operator, value):
        ids = self.env.user._customer_rep_manager_ids()[1:]
        if (operator == "=") == bool(value):
            return [("customer_account_manager_id", "in", ids)]
        return [
            "|",
            ("customer_account_manager_id", "=", False),
            ("customer_account_manager_id", "not in", ids),
        ]

    def _subscribe_account_managers(self):
        result = super()._subscribe_account_managers()
        managers = self.partner_id.commercial_partner_id.account_manager_id | self.account_manager_id
        covers = self.env["customer.rep.cover"]._get_current_covers(managers)
        if not covers:
            return result
        for order in self:
            away = order.account_manager_id | order.partner_id.commercial_partner_id.account_manager_id
            cover_users = covers.filtered(lambda cover, away=away: cover.user_id in away).cover_user_id
            if cover_users:
                order.message_subscribe(partner_ids=cover_users.partner_id.ids)
        return result
