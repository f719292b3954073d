from dateutil.relativedelta import relativedelta

from odoo import models


class AccountPaymentTerm(models.Model):
    _inherit = "account.payment.term"

    def _compute_terms(self, date_ref, *args, **kwargs):
        if self.env.context.get("customer_rep_payment_basis") == "month_end":
            date_ref = date_ref + relativedelta(day=31)
        return super()._compute_terms(date_ref, *args, **kwargs)
