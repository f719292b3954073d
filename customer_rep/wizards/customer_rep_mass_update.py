from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.res_partner_billing import BILLING_STATUSES, PAYMENT_BASIS_DATES

QUOTATION_STATES = ("draft", "sent")


class CustomerRepMassUpdate(models.TransientModel):
    """Change the account manager, payment terms and billing rules of many customers at once."""

    _name = "customer.rep.mass.update"
    _inherit = "customer.rep.input.mixin"
    _description = "Bulk Update of Customers"

    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="customer_rep_mass_update_partner_rel",
        column1="wizard_id",
        column2="partner_id",
        string="Customers",
    )
    customer_count = fields.Integer(
        compute="_compute_counts", string="Customers to Update", help="Customers the update applies to."
    )
    quotation_count = fields.Integer(
        compute="_compute_counts",
        string="Quotations to Reassign",
        help="Quotations (draft or sent) of these customers, their contacts and locations that "
        "move to the new account manager.",
    )

    unavailable_reason = fields.Char(
        compute="_compute_unavailable_reason",
        help="Why the bulk update cannot apply: Odoo offers it on every list of partners.",
    )

    set_account_manager = fields.Boolean(string="Change Account Manager")
    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        domain=[("share", "=", False)],
        help="Leave empty to remove the customers' account manager.",
    )
    reassign_open_orders = fields.Boolean(
        string="Reassign Quotations",
        default=True,
        help="Quotations (draft or sent) of these customers move to the new account manager too. "
        "Confirmed and cancelled orders keep theirs.",
    )
    set_payment_term = fields.Boolean(string="Change Payment Terms")
    payment_term_id = fields.Many2one(
        comodel_name="account.payment.term",
        string="Payment Terms",
        help="Leave empty to remove the customers' payment terms.",
    )
    set_billing_status = fields.Boolean(string="Change Billing Status")
    billing_status = fields.Selection(selection=BILLING_STATUSES, default="good")
    set_payment_basis_date = fields.Boolean(string="Change Basis Date")
    payment_basis_date = fields.Selection(selection=PAYMENT_BASIS_DATES, default="invoice_date")

    # What the user may do, for the form to show only the ticks they may use. The web client
    # fills a new wizard through onchange, which takes defaults and computes only fields that
    # depend on others: the default gives the form its value as it opens, the compute gives
    # it to a wizard read back (as Odoo's project.task.encode_uom_in_days does).
    can_assign_account_manager = fields.Boolean(
        compute="_compute_rights", default=lambda self: self._may_assign_account_manager()
    )
    can_edit_billing = fields.Boolean(
        compute="_compute_rights", default=lambda self: self._may_edit_billing()
    )

    @api.depends_context("uid")
    def _compute_rights(self):
        """The form shows only the ticks the user may use."""
        self.can_assign_account_manager = self._may_assign_account_manager()
        self.can_edit_billing = self._may_edit_billing()

    @api.model
    def _may_assign_account_manager(self):
        return self.env["res.partner"]._may_assign_account_manager()

    @api.model
    def _may_edit_billing(self):
        return self.env["res.partner"]._may_edit_billing()

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            **dict.fromkeys(
                (
                    "set_account_manager",
                    "account_manager_id",
                    "reassign_open_orders",
                    "set_payment_term",
                    "payment_term_id",
                    "set_billing_status",
                    "billing_status",
                    "set_payment_basis_date",
                    "payment_basis_date",
                )
            ),
        }

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        if fname == "account_manager_id":
            # The same rules as the customers' own field.
            return self.env["res.partner"]._normalize_customer_rep_value(fname, value, max_length)
        return super()._normalize_customer_rep_value(fname, value, max_length)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalize_customer_rep_input(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalize_customer_rep_input(vals))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "partner_ids" in fields_list and context.get("active_model", "res.partner") == "res.partner":
            # A selected contact or location stands for its customer.
            partners = self.env["res.partner"].browse(self._get_customer_rep_active_ids())
            values["partner_ids"] = [fields.Command.set(partners.commercial_partner_id.ids)]
        return values

    @api.depends("partner_ids", "set_account_manager", "reassign_open_orders")
    def _compute_counts(self):
        for wizard in self:
            wizard.customer_count = len(wizard.partner_ids)
            wizard.quotation_count = (
                self.env["sale.order"].search_count(wizard._get_quotation_domain())
                if wizard._reassigns_quotations()
                else 0
            )

    @api.depends("partner_ids")
    @api.depends_context("uid")
    def _compute_unavailable_reason(self):
        may_write = self.env["res.partner"].has_access("write")
        for wizard in self:
            if not may_write:
                wizard.unavailable_reason = self.env._(
                    "You may not change customers: the bulk update needs the right to edit "
                    "contacts (Contact Creation)."
                )
            elif not wizard.partner_ids:
                wizard.unavailable_reason = self.env._(
                    "Select the customers to update in the Customers list."
                )
            else:
                wizard.unavailable_reason = False

    def action_apply(self):
        """Apply the ticked changes to all customers in one transaction, or nothing at all when
        the user lacks the right for one of them."""
        self.ensure_one()
        values = self._get_partner_values()
        if not values:
            raise UserError(self.env._("Tick at least one field to change."))
        customers = self.partner_ids
        if not customers:
            raise UserError(self.env._("Select the customers to update."))
        quotations = self._check_apply_rights(customers, values)
        customers._write_in_bulk(values)
        if quotations:
            quotations.with_context(mail_auto_subscribe_no_notify=True)._write_with_batched_tracking(
                {"account_manager_id": self.account_manager_id.id}
            )
        return self._get_done_action(customers, quotations)

    def _get_done_action(self, customers, quotations):
        """Close the form and say what changed (the web client shows it as a notification)."""
        count = len(customers)
        updated = self.env._("1 customer") if count == 1 else self.env._("%(count)s customers", count=count)
        if quotations:
            count = len(quotations)
            message = self.env._(
                "Updated %(customers)s; %(quotations)s moved to the new account manager.",
                customers=updated,
                quotations=self.env._("1 quotation")
                if count == 1
                else self.env._("%(count)s quotations", count=count),
            )
        else:
            message = self.env._("Updated %(customers)s.", customers=updated)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _get_partner_values(self):
        """The values of the ticked fields."""
        values = {}
        if self.set_account_manager:
            values["account_manager_id"] = self.account_manager_id.id
        if self.set_payment_term:
            values["property_payment_term_id"] = self.payment_term_id.id
        if self.set_billing_status:
            values["billing_status"] = self.billing_status
        if self.set_payment_basis_date:
            values["payment_basis_date"] = self.payment_basis_date
        return values

    def _check_apply_rights(self, customers, values):
        """Raise AccessError unless the user may make every ticked change; nothing is written
        before. Returns the quotations to reassign."""
        customers._check_access_by_search("write")
        customers.check_field_access_rights("write", list(values))
        quotations = self.env["sale.order"]
        if self.set_account_manager:
            customers._check_account_manager_assign_right()
            if self._reassigns_quotations():
                quotations = quotations.search(self._get_quotation_domain())
                quotations._check_access_by_search("write")
                quotations.check_field_access_rights("write", ["account_manager_id"])
        if self.set_billing_status or self.set_payment_basis_date:
            customers._check_billing_right()
        return quotations

    def _reassigns_quotations(self):
        return self.set_account_manager and self.reassign_open_orders and bool(self.partner_ids)

    def _get_quotation_domain(self):
        return [
            ("state", "in", QUOTATION_STATES),
            ("partner_id.commercial_partner_id", "in", self.partner_ids.commercial_partner_id.ids),
        ]
