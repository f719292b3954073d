from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"
