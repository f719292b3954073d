from odoo import api, fields, models

BILLING_STATUSES = [("good", "Good"), ("on_hold", "On Hold"), ("blocked", "Blocked")]
PAYMENT_BASIS_DATES = [("invoice_date", "Invoice Date"), ("month_end", "End of Invoice Month")]


class ResPartner(models.Model):
    """Billing rules of a customer: who may be billed, and from which date payment terms run.

    Both are commercial fields: set on the customer, synced by Odoo onto its contacts and
    locations (as the payment terms are), so orders and invoices to any of them follow them.
    """

    _inherit = "res.partner"

    billing_status = fields.Selection(
        selection=BILLING_STATUSES,
        default="good",
        required=True,
        tracking=True,
        index=True,
        help="Good: business as usual. On Hold: new orders show a warning. "
        "Blocked: orders cannot be confirmed (quotations can still be made).",
    )
    payment_basis_date = fields.Selection(
        selection=PAYMENT_BASIS_DATES,
        string="Payment Basis Date",
        default="invoice_date",
        required=True,
        tracking=True,
        help="The date the customer's payment terms count from: the invoice date (Odoo's "
        "standard), or the last day of the invoice's month.",
    )

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "billing_status", "payment_basis_date"]
