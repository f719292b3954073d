from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    is_winback = fields.Boolean(
        string="Win-back",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Scheduled by the customer register when the customer lapsed.",
    )
