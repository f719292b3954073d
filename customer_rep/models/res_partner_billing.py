from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

BILLING_FIELDS = ("billing_status", "payment_basis_date")
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
        groups="base.group_user",
        prefetch="customer_rep",
        help="Good: business as usual. On Hold: new orders show a warning. "
        "Blocked: orders cannot be confirmed (quotations can still be made).",
    )
    payment_basis_date = fields.Selection(
        selection=PAYMENT_BASIS_DATES,
        default="invoice_date",
        required=True,
        tracking=True,
        groups="base.group_user",
        prefetch="customer_rep",
        help="The date the customer's payment terms count from: the invoice date (Odoo's "
        "standard), or the last day of the invoice's month.",
    )

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            "billing_status": None,
            "payment_basis_date": None,
        }

    # The default gives a new customer's form its value as it opens (the web client fills a new
    # record through onchange, which computes only fields that depend on others); the compute
    # gives it to existing ones.
    can_edit_billing = fields.Boolean(
        compute="_compute_can_edit_billing",
        default=lambda self: self._may_edit_billing(),
        help="The current user may change billing status and payment basis date (“Manage billing status”).",
    )

    @api.depends_context("uid")
    def _compute_can_edit_billing(self):
        self.can_edit_billing = self._may_edit_billing()

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
        return [*super()._commercial_fields(), *BILLING_FIELDS]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            billing_vals = {fname: vals[fname] for fname in BILLING_FIELDS if fname in vals}
            if not billing_vals:
                continue
            parent = self.browse(vals.get("parent_id", self.env.context.get("default_parent_id")))
            if self._is_new_commercial_partner(vals) or not parent:
                defaults = {fname: self._fields[fname].default(self) for fname in billing_vals}
                if billing_vals != defaults:
                    self._check_billing_right()
            else:
                parent.commercial_partner_id._check_billing_values_of_customer(billing_vals)
        return super().create(vals_list)

    def write(self, vals):
        billing_vals = {fname: vals[fname] for fname in BILLING_FIELDS if fname in vals}
        if billing_vals and not self.env.su:
            customers = self.filtered("is_commercial_partner")
            (self - customers).commercial_partner_id._check_billing_values_of_customer(billing_vals)
            if any(
                customer[fname] != value for customer in customers for fname, value in billing_vals.items()
            ):
                self._check_billing_right()
        return super().write(vals)

    @api.model
    def _check_billing_right(self):
        """Billing status and basis date are accounting's: refuse to change them unless the user
        holds "Manage billing status" (implied by Accounting / Billing Administrator)."""
        if self._may_edit_billing():
            return
        raise AccessError(
            self.env._(
                "You are not allowed to change the billing status or payment basis date of "
                "customers. Ask accounting (the right “Manage billing status”)."
            )
        )

    @api.model
    def _may_edit_billing(self):
        """Whether the user may change billing status and basis date ("Manage billing status",
        implied by Accounting / Billing Administrator)."""
        return self.env.su or self.env.user.has_group("customer_rep.group_billing_manager")

    def _check_billing_values_of_customer(self, billing_vals):
        """Billing fields belong to the customer: a contact or location shows its customer's
        values (Odoo syncs them). Writing them there is refused, pointing to the customer,
        unless they are the customer's own values (as Odoo's sync writes them)."""
        for customer in self:
            if any(customer[fname] != value for fname, value in billing_vals.items()):
                raise ValidationError(
                    self.env._(
                        "The billing status and payment basis date belong to the customer: "
                        "change them on %(customer)s.",
                        customer=customer.display_name,
                    )
                )
