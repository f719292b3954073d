from odoo import fields, models


class ResPartner(models.Model):
    """Account teams: besides its account manager, users who serve a customer with a role and an
    access level (``customer.rep.team.member``), edited in the customer form's *Team* tab."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    team_member_ids = fields.One2many(
        comodel_name="customer.rep.team.member",
        inverse_name="partner_id",
        string="Account Team",
        groups="base.group_user",
        help="Users on the customer's account team besides its account manager: they see the "
        "customer (and may change it with edit access) on the days of their membership.",
    )
    is_my_team_account = fields.Boolean(
        string="My Team's Account",
        compute="_compute_is_my_team_account",
        search="_search_is_my_team_account",
        groups="base.group_user",
        help="Customers (with their contacts and locations) whose account team I am on today.",
    )
    is_covered_by_me = fields.Boolean(
        string="Account I Cover",
        compute="_compute_is_my_team_account",
        search="_search_is_covered_by_me",
        groups="base.group_user",
        help="Customers (with their contacts and locations) of the colleagues I cover today.",
    )

    def _compute_is_my_team_account(self):
        user = self.env.user
        team = set(user._customer_rep_team_customer_ids())
        covered = set(user._customer_rep_manager_ids()[1:])
        for partner in self:
            partner.is_my_team_account = partner.commercial_partner_id.id in team
            partner.is_covered_by_me = partner.customer_account_manager_id.id in covered

    def _search_is_my_team_account(self, operator, value):
        ids = self.env.user._customer_rep_team_customer_ids()
        positive = (operator == "=") == bool(value)
        return [("commercial_partner_id", "in" if positive else "not in", ids)]

    def _search_is_covered_by_me(self, operator, value):
        ids = self.env.user._customer_rep_manager_ids()[1:]
        positive = (operator == "=") == bool(value)
        if positive:
            return [("customer_account_manager_id", "in", ids)]
        return [
            "|",
            ("customer_account_manager_id", "=", False),
            ("customer_account_manager_id", "not in", ids),
        ]
