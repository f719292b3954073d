from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CustomerRepCase

NOTE = "<p>Deliveries only before noon</p>"


@tagged("post_install", "-at_install")
class TestImportantNote(CustomerRepCase):
    def test_contacts_and_locations_show_their_customers_note(self):
        self.customer.important_note = NOTE
        self.assertRecordValues(
            self.customer | self.contact | self.location | self.other_customer,
            [
                {"commercial_important_note": NOTE},
                {"commercial_important_note": NOTE},
                {"commercial_important_note": NOTE},
                {"commercial_important_note": False},
            ],
        )
        order = self._create_order(self.contact)
        self.assertEqual(order.partner_important_note, NOTE)
        order.partner_id = self.other_customer
        self.assertFalse(order.partner_important_note)

    def test_note_is_edited_and_cleared_on_the_customer_by_a_sales_user(self):
        customer = self.customer.with_user(self.salesman)
        customer.important_note = NOTE
        self.assertEqual(self.location.with_user(self.salesman).commercial_important_note, NOTE)
        customer.important_note = False
        self.assertFalse(self.location.commercial_important_note)

    def test_note_belongs_to_the_customer(self):
        with self.assertRaises(ValidationError) as refusal:
            self.location.important_note = NOTE
        self.assertIn("Nordlys Handel AS", str(refusal.exception))
        self.env.invalidate_all()
        self.assertFalse(self.location.important_note)
        self.assertFalse(self.customer.important_note)

    def test_note_change_is_tracked(self):
        self.customer.important_note = NOTE
        self.env.cr.precommit.run()
        self.customer.important_note = "<p>Call first</p>"
        self.env.cr.precommit.run()
        self.customer.invalidate_recordset(["message_ids"])
        tracking = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "important_note"
        ).sorted("id")
        self.assertEqual(
            [(t.old_value_char, t.new_value_char) for t in tracking],
            [("", "Deliveries only before noon"), ("Deliveries only before noon", "Call first")],
        )


@tagged("post_install", "-at_install")
class TestImportantNoteTour(HttpCase):
    """The dialog in a real browser (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="cr_tour",
            name="Tove Tour",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        Partner = cls.env["res.partner"]
        cls.noted = Partner.create(
            {"name": "Tour Note Kunde AS", "is_company": True, "customer_rank": 1, "important_note": NOTE}
        )
        cls.noted_contact = Partner.create({"name": "Nora Note", "parent_id": cls.noted.id})
        cls.noted_location = Partner.create(
            {"name": "Note Lager", "parent_id": cls.noted.id, "type": "delivery"}
        )
        cls.plain = Partner.create({"name": "Tour Plain Kunde AS", "is_company": True, "customer_rank": 1})

    def test_customer_with_note(self):
        self.start_tour(
            f"/odoo/res.partner/{self.noted.id}", "customer_rep_important_note_tour", login="cr_tour"
        )
        self.assertEqual(self.noted.phone, "+47 22 33 44 55")
        self.assertEqual(self.noted.important_note, NOTE, "dismissing keeps the note")

    def test_contact_and_location_show_the_customers_note(self):
        for partner in self.noted_contact | self.noted_location:
            with self.subTest(partner=partner.name):
                self.start_tour(
                    f"/odoo/res.partner/{partner.id}",
                    "customer_rep_important_note_dismiss_tour",
                    login="cr_tour",
                )

    def test_customer_without_note(self):
        self.start_tour(
            f"/odoo/res.partner/{self.plain.id}", "customer_rep_no_important_note_tour", login="cr_tour"
        )
        self.assertEqual(self.plain.phone, "+47 99 88 77 66")

    def test_sale_order_customer_pick(self):
        self.start_tour(
            "/odoo/sale.order/new", "customer_rep_important_note_sale_order_tour", login="cr_tour"
        )
        order = self.env["sale.order"].search([("client_order_ref", "=", "PO-4711")])
        self.assertEqual(order.partner_id, self.noted)
