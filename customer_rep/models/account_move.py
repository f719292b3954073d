from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    # A compute method returns nothing.
    # pylint: disable-next=missing-return
    def _compute_needed_terms(self):
        """Customer invoices of a customer whose payment basis date is the month's end compute
        their due dates from the last day of the invoice's month."""
        month_end = self.filtered(
            lambda move: (
                move.is_sale_document(include_receipts=True)
                and move.commercial_partner_id.payment_basis_date == "month_end"
            )
        )
        super(AccountMove, self - month_end)._compute_needed_terms()
        if month_end:
            super(
                AccountMove, month_end.with_context(customer_rep_payment_basis="month_end")
            )._compute_needed_terms()
