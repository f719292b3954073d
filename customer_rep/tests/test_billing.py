from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestBillingStatus(CustomerRepCase):
    def test_default_good_and_synced_to_contacts_and_locations(self):
        self.assertRecordValues(
            self.customer | self.contact | self.location, [{"billing_status": "good"}] * 3
        )
        self.customer.billing_status = "on_hold"
        self.assertRecordValues(
            self.customer | self.contact | self.location, [{"billing_status": "on_hold"}] * 3
        )
        new_location = self.env["res.partner"].create(
            {"name": "Butikk Storo", "parent_id": self.customer.id, "type": "delivery"}
        )
        self.assertEqual(new_location.billing_status, "on_hold")

    def test_blocked_refuses_confirmation_keeps_draft(self):
        self.customer.billing_status = "blocked"
        order = self._create_order(self.customer)  # quotations are still allowed
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("Nordlys Handel AS is blocked for billing", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")

    def test_blocked_refuses_confirmation_by_writing_the_state(self):
        self.customer.billing_status = "blocked"
        order = self._create_order(self.customer)
        with self.assertRaises(UserError) as refusal:
            order.write({"state": "sale"})
        self.assertIn("blocked for billing", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.customer.order_count, 0)

    def test_blocked_applies_to_orders_for_contacts_and_locations(self):
        self.customer.billing_status = "blocked"
        for partner in (self.contact, self.location):
            order = self._create_order(partner)
            with self.assertRaises(UserError):
                order.action_confirm()
            self.assertEqual(order.state, "draft")

    def test_blocked_batch_confirms_nothing(self):
        good = self._create_order(self.other_customer)
        self.customer.billing_status = "blocked"
        blocked = self._create_order(self.customer)
        with self.assertRaises(UserError):
            (good | blocked).action_confirm()
        self.env.invalidate_all()
        self.assertRecordValues(good | blocked, [{"state": "draft"}, {"state": "draft"}])

    def test_good_and_on_hold_confirm(self):
        self.customer.billing_status = "on_hold"
        order = self._create_order(self.customer)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.customer.billing_status = "good"
        order = self._create_order(self.customer)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_on_hold_warning_on_new_order(self):
        self.customer.billing_status = "on_hold"
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.location
            self.assertEqual(order_form.partner_billing_status, "on_hold")
        arch = self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id)["arch"]
        self.assertIn("partner_billing_status != 'on_hold'", arch)
        self.assertIn("Billing on hold", arch)

    def test_billing_status_tracked(self):
        self.customer.billing_status = "blocked"
        self.env.cr.precommit.run()
        self.customer.invalidate_recordset(["message_ids"])
        tracking = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "billing_status"
        )
        self.assertEqual(tracking.mapped("new_value_char"), ["Blocked"])

    def test_search_and_group_by_billing_status(self):
        self.customer.billing_status = "blocked"
        blocked = self.env["res.partner"].search([("billing_status", "=", "blocked")])
        self.assertEqual(blocked, self.customer | self.contact | self.location)
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (self.customer | self.other_customer).ids)], ["billing_status"], ["__count"]
        )
        self.assertEqual(sorted(groups), [("blocked", 1), ("good", 1)])


@tagged("post_install", "-at_install")
class TestPaymentBasisDate(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_30_days = cls.env["account.payment.term"].create(
            {
                "name": "30 days (customer_rep test)",
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        cls.customer.property_payment_term_id = cls.term_30_days

    def _invoice(self, partner, invoice_date="2026-03-10"):
        return self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": invoice_date,
                "invoice_payment_term_id": self.term_30_days.id,
                "invoice_line_ids": [Command.create({"name": "Apples", "quantity": 1, "price_unit": 100.0})],
            }
        )

    def test_invoice_date_basis_is_odoo_standard(self):
        self.assertEqual(self.customer.payment_basis_date, "invoice_date")
        invoice = self._invoice(self.customer)
        self.assertEqual(invoice.invoice_date_due, fields.Date.to_date("2026-04-09"))

    def test_month_end_basis(self):
        self.customer.payment_basis_date = "month_end"
        invoice = self._invoice(self.customer)
        self.assertEqual(invoice.invoice_date_due, fields.Date.to_date("2026-04-30"))
        invoice.action_post()
        self.assertEqual(invoice.invoice_date_due, fields.Date.to_date("2026-04-30"))
        self.assertEqual(
            invoice.line_ids.filtered("date_maturity").mapped("date_maturity"),
            [fields.Date.to_date("2026-04-30")],
        )

    def test_month_end_basis_for_invoice_to_location(self):
        self.customer.payment_basis_date = "month_end"
        self.assertEqual(self.location.payment_basis_date, "month_end")
        invoice = self._invoice(self.location, invoice_date="2026-02-03")
        self.assertEqual(invoice.invoice_date_due, fields.Date.to_date("2026-03-30"))

    def test_vendor_bills_keep_standard_terms(self):
        self.customer.payment_basis_date = "month_end"
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-03-10",
                "invoice_payment_term_id": self.term_30_days.id,
                "invoice_line_ids": [Command.create({"name": "Crates", "quantity": 1, "price_unit": 10.0})],
            }
        )
        self.assertEqual(bill.invoice_date_due, fields.Date.to_date("2026-04-09"))
