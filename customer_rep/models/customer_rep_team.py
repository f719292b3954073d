from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerRepTeamRole(models.Model):
    _name = "customer.rep.team.role"
    _description = "Account Team Role"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class CustomerRepTeamMember(models.Model):
    """A user on a customer's account team besides its account manager (a backup manager, a
    technical contact): with ``access`` they see (``read``) or also change (``edit``) the
    customer as its manager does, on the days from ``date_from`` to ``date_to``."""

    _name = "customer.rep.team.member"
    _inherit = "customer.rep.access.period"
    _description = "Account Team Member"
    _order = "partner_id, role_id, id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        help="The customer (a company, or an individual without company) whose team this is.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
    )
    role_id = fields.Many2one(comodel_name="customer.rep.team.role", ondelete="restrict")

    _sql_constraints = [
        (
            "date_order",
            "CHECK(date_to IS NULL OR date_from IS NULL OR date_to >= date_from)",
            "The end date of a team membership cannot be before its start date.",
        ),
    ]

    @api.constrains("partner_id", "user_id")
    def _check_partner_and_user(self):
        for member in self:
            partner = member.partner_id.sudo()
            if partner.commercial_partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a contact or location of %(customer)s: an account team "
                        "belongs to the customer itself.",
                        partner=partner.display_name,
                        customer=partner.commercial_partner_id.display_name,
                    )
                )
            self._check_customer_rep_user(member.user_id, self.env._("Team member"))

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            "partner_id": None,
            "user_id": None,
            "role_id": None,
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._check_team_rights()
        members = super().create(vals_list)
        members._notify_new_team_members()
        return members

    def write(self, vals):
        self._check_team_rights()
        return super().write(vals)

    def unlink(self):
        self._check_team_rights()
        return super().unlink()

    @api.model
    def _check_team_rights(self):
        """Rule 1: account teams are changed by those who may assign account managers."""
        if not self._may_assign_account_managers():
            self._raise_customer_rep_rights(
                self.env._(
                    "Only users who may assign account managers (Customer Rep / Assign account "
                    "managers) may change account teams."
                )
            )

    def _notify_new_team_members(self):
        """A new team member follows the customer and is told so, once."""
        if self.env.context.get("mail_auto_subscribe_no_notify"):
            return
        for member in self:
            partner = member.partner_id
            user = member.user_id
            partner.sudo().message_subscribe(partner_ids=user.partner_id.ids)
            if user == self.env.user:
                continue
            role = member.role_id.name or self.env._("member")
            partner._get_notification_sender().message_notify(
                partner_ids=user.partner_id.ids,
                subject=self.env._(
                    "You are on the account team of %(partner)s", partner=partner.display_name
                ),
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s added you to the account team of %(partner)s as %(role)s.",
                    user=self.env.user.name,
                    partner=partner.display_name,
                    role=role,
                ),
                record_name=partner.display_name,
                email_layout_xmlid="mail.mail_notification_light",
            )
