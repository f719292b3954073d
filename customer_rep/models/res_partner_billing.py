from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

BILLING_STATUSES = [("good", "Good"), ("on_hold", "On Hold"), ("blocked", "Blocked")]
PAYMENT_BASIS_DATES = [("invoice_date", "Invoice Date"), ("month_end", "End of Invoice Month")]


class ResPartner(models.Model):
    """Billing rules of the customer. Commercial fields: Odoo syncs them onto the customer's
    contacts and locations (as it does the payment terms), and orders and invoices to those
    follow. The confirmation block is in ``sale_order.py``, the basis date in
    ``account_move.py``."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

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
        default="invoice_date",
        required=True,
        tracking=True,
        help="The date the customer's payment terms count from: the invoice date (Odoo's "
        "standard), or the last day of the invoice's month.",
    )

    def _auto_init(self):
        """PostgreSQL adds a column with a constant default without rewriting the table (the
        ORM would fill hundreds of thousands of rows); the default is dropped right after, the
        ORM sets values from then on."""
        cr = self.env.cr
        for fname in ("billing_status", "payment_basis_date"):
            if column_exists(cr, self._table, fname):
                continue
            column, default = SQL.identifier(fname), self._fields[fname].default(self)
            cr.execute(
                SQL("ALTER TABLE res_partner ADD COLUMN %s varchar NOT NULL DEFAULT %s", column, default)
            )
            cr.execute(SQL("ALTER TABLE res_partner ALTER COLUMN %s DROP DEFAULT", column))
        return super()._auto_init()

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "billing_status", "payment_basis_date"]
