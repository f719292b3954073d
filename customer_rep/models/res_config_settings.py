from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import DEFAULT_ENGAGEMENT_WINDOW_DAYS, ENGAGEMENT_WINDOW_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    engagement_window_days = fields.Integer(
        string="Engagement Window (days)",
        config_parameter=ENGAGEMENT_WINDOW_PARAM,
        default=DEFAULT_ENGAGEMENT_WINDOW_DAYS,
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
