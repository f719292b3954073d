from odoo import api, fields, models
from odoo.tools.misc import format_date


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
    team_user_ids = fields.Many2many(
        comodel_name="res.users",
        string="Team",
        compute="_compute_team_user_ids",
        groups="base.group_user",
        help="The users on the customer's account team today.",
    )
    account_manager_cover_notice = fields.Char(
        string="Cover Notice",
        compute="_compute_account_manager_cover_notice",
        groups="base.group_user",
        help="Shown on the customer while its account manager is away and covered by a colleague.",
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

    @api.depends("commercial_partner_id.team_member_ids")
    def _compute_team_user_ids(self):
        customers = self.commercial_partner_id
        members = (
            self.env["customer.rep.team.member"]
            .sudo()
            .search([("partner_id", "in", customers.ids), ("is_current", "=", True)])
        )
        users_of = {}
        for member in members:
            users_of.setdefault(member.partner_id.id, self.env["res.users"])
            users_of[member.partner_id.id] |= member.user_id
        for partner in self:
            partner.team_user_ids = users_of.get(partner.commercial_partner_id.id, self.env["res.users"])

    @api.depends("customer_account_manager_id")
    def _compute_account_manager_cover_notice(self):
        managers = self.customer_account_manager_id
        covers = self.env["customer.rep.cover"]._get_current_covers(managers)
        notice_of = {}
        for manager in managers:
            manager_covers = covers.filtered(lambda cover, manager=manager: cover.user_id == manager)
            if manager_covers:
                notice_of[manager.id] = self.env._(
                    "%(user)s is away until %(date)s; %(covers)s covers.",
                    user=manager.name,
                    date=format_date(self.env, max(manager_covers.mapped("date_to")), date_format="d MMMM"),
                    covers=", ".join(manager_covers.cover_user_id.mapped("name")),
                )
        for partner in self:
            partner.account_manager_cover_notice = notice_of.get(
                partner.customer_account_manager_id.id, False
            )

    @api.depends_context("uid")
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
