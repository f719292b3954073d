from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestLifecycle(CustomerRepCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param("customer_rep.only_archived_deletable", "True")

    def test_active_customer_cannot_be_deleted(self):
        with self.assertRaises(UserError) as refusal:
            self.other_customer.unlink()
        self.assertIn("Archive the customer", str(refusal.exception))
        self.assertTrue(self.other_customer.exists())

    def test_batch_with_one_active_customer_deletes_nothing(self):
        archived = self.env["res.partner"].create({"name": "Old AS", "is_company": True})
        archived.action_archive()
        with self.assertRaises(UserError):
            (archived | self.other_customer).unlink()
        self.assertEqual((archived | self.other_customer).exists(), archived | self.other_customer)

    def test_archived_customer_and_contacts_can_be_deleted(self):
        self.contact.unlink()
        self.assertFalse(self.contact.exists())
        self.other_customer.action_archive()
        self.other_customer.unlink()
        self.assertFalse(self.other_customer.exists())

    def test_setting_off_allows_deleting_active_customers(self):
        self.env["ir.config_parameter"].set_param("customer_rep.only_archived_deletable", False)
        self.other_customer.unlink()
        self.assertFalse(self.other_customer.exists())

    def test_archived_customer_order_cannot_be_confirmed(self):
        order = self._create_order(self.customer)
        self.customer.action_archive()
        with self.assertRaises(UserError) as refusal:
            order.action_confirm()
        self.assertIn("is archived", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(UserError):
            order.write({"state": "sale"})
        self.env.invalidate_all()
        self.assertEqual(order.state, "draft")
        self.customer.action_unarchive()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_archive_and_unarchive_keep_everything(self):
        order = self._create_order(self.customer, partner_shipping_id=self.location.id)
        number = self.customer.ref
        self.customer.action_archive()
        self.assertFalse(self.customer.active)
        self.assertNotIn(self.customer, self.env["res.partner"].search([("is_company", "=", True)]))
        self.customer.action_unarchive()
        self.assertRecordValues(self.customer, [{"active": True, "ref": number}])
        self.assertEqual(self.customer.child_ids, self.contact | self.location)
        self.assertTrue(all((self.contact | self.location).mapped("active")))
        self.assertRecordValues(
            order,
            [{"partner_id": self.customer.id, "partner_shipping_id": self.location.id, "state": "draft"}],
        )
