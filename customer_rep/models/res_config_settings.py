from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import str2bool

# The settings of the customer register: each is the ir.config_parameter "customer_rep.<key>",
# and its value when the parameter is absent (an unticked box removes its parameter). The
# settings fields below and every reader (_get_customer_rep_setting) take them from here.
SETTING_DEFAULTS = {
    "engagement_window_days": 365,
    "generate_customer_numbers": False,
    "customer_number_min_length": 1,
    "customer_number_max_length": 20,
    "show_customer_number_in_names": False,
    "only_archived_deletable": False,
    # Win-back: on by default through its parameter (data/ir_config_parameter_data.xml); the
    # activity type is an id, 0 meaning Odoo's To-Do.
    "winback_activities": False,
    "winback_activity_type_id": 0,
    "winback_deadline_days": 7,
    "lapsing_soon_days": 30,
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    engagement_window_days = fields.Integer(
        string="Engagement Window (days)",
        config_parameter="customer_rep.engagement_window_days",
        default=SETTING_DEFAULTS["engagement_window_days"],
        help="A customer is engaged while its last confirmed order is at most this many days "
        "old, lapsed afterwards.",
    )

    @api.constrains("engagement_window_days")
    def _check_engagement_window_days(self):
        for settings in self:
            if settings.engagement_window_days < 1:
                raise ValidationError(self.env._("The engagement window must be at least one day."))

    def set_values(self):
        window_before = self.env["res.partner"]._get_engagement_window_days()
        result = super().set_values()
        if self.env["res.partner"]._get_engagement_window_days() != window_before:
            self.env["res.partner"]._update_engagement_status()
        return result

    winback_activities = fields.Boolean(
        string="Win-back activities",
        config_parameter="customer_rep.winback_activities",
        help="When the daily job moves a customer from engaged to lapsed, an activity is scheduled "
        "for its account manager (else its salesperson).",
    )
    winback_activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="Win-back activity type",
        config_parameter="customer_rep.winback_activity_type_id",
        default=lambda self: self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False),
        domain="[('res_model', 'in', (False, 'res.partner'))]",
    )
    winback_deadline_days = fields.Integer(
        string="Win-back deadline (days)",
        config_parameter="customer_rep.winback_deadline_days",
        default=SETTING_DEFAULTS["winback_deadline_days"],
        help="The win-back activity is due this many days after the customer lapsed.",
    )
    lapsing_soon_days = fields.Integer(
        string="Lapsing soon (days)",
        config_parameter="customer_rep.lapsing_soon_days",
        default=SETTING_DEFAULTS["lapsing_soon_days"],
        help="Engaged customers that lapse within this many days show under the filter Lapsing Soon.",
    )

    @api.constrains("winback_deadline_days", "lapsing_soon_days")
    def _check_winback_days(self):
        for settings in self:
            if settings.winback_deadline_days < 1:
                raise ValidationError(self.env._("Win-back activities need a deadline of at least one day."))
            if settings.lapsing_soon_days < 1:
                raise ValidationError(self.env._("Lapsing soon needs at least one day."))

    generate_customer_numbers = fields.Boolean(
        string="Generate customer numbers",
        config_parameter="customer_rep.generate_customer_numbers",
        help="New customers created without a customer number get the next one from the sequence.",
    )
    customer_number_min_length = fields.Integer(
        string="Minimum length",
        config_parameter="customer_rep.customer_number_min_length",
        default=SETTING_DEFAULTS["customer_number_min_length"],
    )
    customer_number_max_length = fields.Integer(
        string="Maximum length",
        config_parameter="customer_rep.customer_number_max_length",
        default=SETTING_DEFAULTS["customer_number_max_length"],
    )
    show_customer_number_in_names = fields.Boolean(
        string="Show customer number in names",
        config_parameter="customer_rep.show_customer_number_in_names",
        help="Customers are shown as “[number] Name”; typing the number finds the customer.",
    )
    only_archived_deletable = fields.Boolean(
        string="Only archived customers can be deleted",
        config_parameter="customer_rep.only_archived_deletable",
        help="Deleting an active customer is refused: archive it first.",
    )

    @api.constrains("customer_number_min_length", "customer_number_max_length", "generate_customer_numbers")
    def _check_customer_number_lengths(self):
        for settings in self:
            low, high = settings.customer_number_min_length, settings.customer_number_max_length
            if low < 1 or high < 1 or low > high:
                raise ValidationError(
                    self.env._(
                        "Customer numbers need a minimum length of at least 1 and a maximum length "
                        "no smaller than the minimum (got %(min)s and %(max)s).",
                        min=low,
                        max=high,
                    )
                )
            settings._check_generated_customer_number_length()

    def _check_generated_customer_number_length(self):
        """With generation on, the numbers the sequence makes must fit the lengths: otherwise no
        customer could be created without typing a number."""
        self.ensure_one()
        sequence = self.env["res.partner"]._get_customer_number_sequence()
        if not self.generate_customer_numbers or not sequence:
            return
        number = sequence.get_next_char(sequence.number_next_actual)
        if not self.customer_number_min_length <= len(number) <= self.customer_number_max_length:
            raise ValidationError(
                self.env._(
                    "Generated customer numbers such as %(number)s have %(length)s characters, outside "
                    "the lengths %(min)s to %(max)s. Change the lengths, or the prefix or padding of "
                    "the customer number sequence.",
                    number=number,
                    length=len(number),
                    min=self.customer_number_min_length,
                    max=self.customer_number_max_length,
                )
            )

    def action_open_customer_number_sequence(self):
        """Open the sequence of customer numbers, to edit its prefix and padding."""
        self.env["ir.sequence"].check_access("write")
        sequence = self.env["res.partner"]._get_customer_number_sequence()
        if not sequence:
            raise UserError(
                self.env._("The customer number sequence is missing: update the Customer Register app.")
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "ir.sequence",
            "res_id": sequence.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _get_customer_rep_setting(self, key):
        """The value of the customer register's setting ``key`` (see ``SETTING_DEFAULTS``).
        Booleans are stored as text and parsed with ``str2bool``; a number that does not parse
        or is below 1 (no setting may be) counts as the default."""
        default = SETTING_DEFAULTS[key]
        value = self.env["ir.config_parameter"].sudo().get_param(f"customer_rep.{key}")
        if value in (None, False, ""):
            return default
        if isinstance(default, bool):
            return str2bool(value, default)
        try:
            number = int(value)
        except ValueError:
            return default
        return number if number >= 1 else default
