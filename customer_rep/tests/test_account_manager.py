from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestAccountManager(CustomerRepCase):
    def test_effective_manager_inherited_by_contacts_and_locations(self):
        self.assertRecordValues(
            self.customer | self.contact | self.location,
            [{"effective_account_manager_id": self.manager_a.id}] * 3,
        )
        self.assertFalse(self.location.account_manager_id)

    def test_customer_manager_change_follows_to_children(self):
        self.customer.account_manager_id = self.manager_b
        self.assertRecordValues(
            self.customer | self.contact | self.location,
            [{"effective_account_manager_id": self.manager_b.id}] * 3,
        )
        self.customer.account_manager_id = False
        self.assertRecordValues(
            self.customer | self.contact | self.location,
            [{"effective_account_manager_id": False}] * 3,
        )

    def test_location_override_set_changed_cleared(self):
        self.location.account_manager_id = self.manager_b
        self.assertEqual(self.location.effective_account_manager_id, self.manager_b)
        self.assertTrue(self.location.has_account_manager_override)
        self.assertEqual(self.contact.effective_account_manager_id, self.manager_a)
        # The customer's change does not touch the override.
        self.customer.account_manager_id = self.salesman
        self.assertEqual(self.location.effective_account_manager_id, self.manager_b)
        self.assertEqual(self.contact.effective_account_manager_id, self.salesman)
        self.location.account_manager_id = self.manager_a
        self.assertEqual(self.location.effective_account_manager_id, self.manager_a)
        # Clearing the override restores inheritance.
        self.location.account_manager_id = False
        self.assertEqual(self.location.effective_account_manager_id, self.salesman)
        self.assertFalse(self.location.has_account_manager_override)

    def test_override_search(self):
        self.location.account_manager_id = self.manager_b
        Partner = self.env["res.partner"]
        overriding = Partner.search([("has_account_manager_override", "=", True)])
        self.assertIn(self.location, overriding)
        self.assertNotIn(self.customer, overriding)
        not_overriding = Partner.search(
            [("has_account_manager_override", "=", False), ("id", "child_of", self.customer.id)]
        )
        self.assertEqual(not_overriding, self.customer | self.contact)

    def test_contact_moves_to_another_company(self):
        self.other_customer.account_manager_id = self.manager_b
        self.contact.parent_id = self.other_customer
        self.assertEqual(self.contact.effective_account_manager_id, self.manager_b)
        self.contact.parent_id = False
        self.assertFalse(self.contact.effective_account_manager_id)

    def test_portal_user_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.customer.account_manager_id = self.portal_user
        self.assertIn("Pat Portal", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(self.customer.account_manager_id, self.manager_a)
        with self.assertRaises(ValidationError) as refusal:
            self.env["res.partner"].create({"name": "Refused", "account_manager_id": self.portal_user.id})
        self.assertIn("only active internal users", str(refusal.exception))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Refused")]))

    def test_archived_user_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.customer.account_manager_id = self.archived_user
        self.assertIn("Arch Ived", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(self.customer.account_manager_id, self.manager_a)
        self.assertEqual(self.location.effective_account_manager_id, self.manager_a)

    def test_assign_right_required(self):
        customer = self.customer.with_user(self.salesman)
        with self.assertRaises(AccessError):
            customer.account_manager_id = self.manager_b
        self.env.invalidate_all()
        self.assertEqual(self.customer.account_manager_id, self.manager_a)
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Not mine to assign", "account_manager_id": self.manager_b.id}
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Not mine to assign")]))
        # Other fields stay editable, and rewriting the same manager is no assignment.
        customer.write({"phone": "+47 22 00 00 00", "account_manager_id": self.manager_a.id})
        self.assertEqual(self.customer.phone, "+47 22 00 00 00")
        created = self.env["res.partner"].with_user(self.salesman).create({"name": "Plain"})
        self.assertFalse(created.account_manager_id)

    def test_assign_right_granted(self):
        self.customer.with_user(self.assigner).account_manager_id = self.manager_b
        self.assertEqual(self.customer.account_manager_id, self.manager_b)
        self.location.with_user(self.assigner).account_manager_id = self.manager_a
        self.assertEqual(self.location.account_manager_id, self.manager_a)

    def test_sales_administrator_implies_assign_right(self):
        self.assertTrue(self.sales_admin.has_group("customer_rep.group_assign_account_manager"))
        self.assertFalse(self.salesman.has_group("customer_rep.group_assign_account_manager"))
        self.customer.with_user(self.sales_admin).account_manager_id = self.manager_b
        self.assertEqual(self.customer.account_manager_id, self.manager_b)

    def test_new_manager_follows_and_is_notified(self):
        self.customer.with_user(self.assigner).account_manager_id = self.manager_b
        self.assertIn(self.manager_b.partner_id, self.customer.message_partner_ids)
        assigned = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("partner_ids", "in", self.manager_b.partner_id.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(len(assigned), 1)
        self.assertIn("You have been assigned", assigned.subject)

    def test_assigner_without_email_address(self):
        """Odoo needs an author's address to notify: without one, OdooBot sends the notices."""
        assigner = self.env["res.users"].create(
            {
                "name": "Ann No-Mail",
                "login": "cr_no_mail",
                "groups_id": [(6, 0, self.assigner.groups_id.ids)],
            }
        )
        self.assertFalse(assigner.email)
        self.customer.with_user(assigner).account_manager_id = self.manager_b
        self.assertEqual(self.customer.account_manager_id, self.manager_b)
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(notices.partner_ids, (self.manager_a | self.manager_b).partner_id)
        self.assertEqual(notices.author_id, self.env.ref("base.partner_root"))
        assigned = notices.filtered(lambda m: self.manager_b.partner_id in m.partner_ids)
        self.assertIn("Dear Bob Manager", assigned.body)

    def test_former_manager_is_notified(self):
        self.customer.with_user(self.assigner).account_manager_id = self.manager_b
        removed = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("partner_ids", "in", self.manager_a.partner_id.id),
                ("message_type", "=", "user_notification"),
                ("subject", "ilike", "no longer the account manager"),
            ]
        )
        self.assertEqual(len(removed), 1)
        self.assertNotIn(self.manager_b.partner_id, removed.partner_ids)

    def test_manager_at_create_follows(self):
        customer = (
            self.env["res.partner"]
            .with_user(self.assigner)
            .create({"name": "New Customer AS", "is_company": True, "account_manager_id": self.manager_b.id})
        )
        self.assertIn(self.manager_b.partner_id, customer.message_partner_ids)

    def test_change_is_tracked(self):
        self.customer.with_user(self.assigner).account_manager_id = self.manager_b
        self.env.cr.precommit.run()  # tracking values are written when the transaction commits
        self.customer.invalidate_recordset(["message_ids"])
        tracking = self.customer.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "account_manager_id"
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.old_value_char, "Alice Manager")
        self.assertEqual(tracking.new_value_char, "Bob Manager")

    def test_filters_and_group_by(self):
        Partner = self.env["res.partner"].with_user(self.manager_a)
        mine = Partner.search([("effective_account_manager_id", "=", self.manager_a.id)])
        self.assertIn(self.customer, mine)
        self.assertIn(self.location, mine)
        self.assertNotIn(self.other_customer, mine)
        unmanaged = Partner.search([("effective_account_manager_id", "=", False), ("is_company", "=", True)])
        self.assertIn(self.other_customer, unmanaged)
        groups = Partner._read_group(
            [("id", "child_of", self.customer.id)], ["effective_account_manager_id"], ["__count"]
        )
        self.assertEqual(groups, [(self.manager_a, 3)])
