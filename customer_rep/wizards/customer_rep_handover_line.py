from odoo import fields, models


class CustomerRepHandoverLine(models.TransientModel):
    """What one receiving user of a handover gets, shown before it is applied."""

    _name = "customer.rep.handover.line"
    _description = "Account Handover per User"
    _order = "id"

    wizard_id = fields.Many2one(
        comodel_name="customer.rep.handover", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one(comodel_name="res.users", string="Receiving User", readonly=True)
    customer_count = fields.Integer(string="Customers", readonly=True)
    revenue = fields.Monetary(
        string="Total Ordered",
        currency_field="currency_id",
        readonly=True,
        help="The total ordered of the customers this user gets, in the company currency.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", default=lambda self: self.env.company.currency_id, readonly=True
    )
