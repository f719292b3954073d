from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestSaleOrderAccountManager(CustomerRepCase):
    def test_new_order_takes_customer_manager(self):
        order = self._create_order(self.customer)
        self.assertEqual(order.account_manager_id, self.manager_a)

    def test_location_override_wins(self):
        self.location.account_manager_id = self.manager_b
        order = self._create_order(self.customer, partner_shipping_id=self.location.id)
        self.assertEqual(order.account_manager_id, self.manager_b)

    def test_location_without_override_falls_back_to_customer(self):
        order = self._create_order(self.customer, partner_shipping_id=self.location.id)
        self.assertEqual(order.account_manager_id, self.manager_a)

    def test_order_for_contact_takes_customer_manager(self):
        order = self._create_order(self.contact)
        self.assertEqual(order.account_manager_id, self.manager_a)

    def test_no_manager_anywhere_means_none(self):
        order = self._create_order(self.other_customer)
        self.assertFalse(order.account_manager_id)
        order = self.env["sale.order"].with_user(self.salesman).create({"partner_id": self.other_customer.id})
        self.assertFalse(order.account_manager_id, "no fallback to the current user")

    def test_manager_given_at_create_sticks(self):
        order = self._create_order(self.customer, account_manager_id=self.manager_b.id)
        self.assertEqual(order.account_manager_id, self.manager_b)

    def test_manager_written_on_order_sticks(self):
        order = self._create_order(self.customer)
        order.with_user(self.salesman).account_manager_id = self.manager_b
        self.assertEqual(order.account_manager_id, self.manager_b)
        order.order_line[0].product_uom_qty = 3
        self.assertEqual(order.account_manager_id, self.manager_b)

    def test_portal_or_archived_user_refused_on_order(self):
        draft = self._create_order(self.customer)
        confirmed = self._create_order(self.customer)
        confirmed.action_confirm()
        for order in (draft, confirmed):
            for user in (self.portal_user, self.archived_user):
                with self.subTest(state=order.state, user=user.name):
                    with self.assertRaises(ValidationError) as refusal:
                        order.write({"account_manager_id": user.id})
                    self.assertIn(user.name, str(refusal.exception))
                    self.env.invalidate_all()
                    self.assertEqual(order.account_manager_id, self.manager_a)
        with self.assertRaises(ValidationError) as refusal:
            self._create_order(self.customer, account_manager_id=self.portal_user.id)
        self.assertIn("Pat Portal", str(refusal.exception))
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.customer.id)]), 2)

    def test_archived_manager_is_passed_over_on_new_orders(self):
        """Orders can still be made for the customers of a manager who has left."""
        self.location.account_manager_id = self.manager_b
        self.manager_b.active = False
        order = self._create_order(self.customer, partner_shipping_id=self.location.id)
        self.assertEqual(order.account_manager_id, self.manager_a)
        self.manager_a.active = False
        order = self._create_order(self.customer)
        self.assertFalse(order.account_manager_id)

    def test_salesman_without_assign_right_may_override_order(self):
        order = self._create_order(self.customer).with_user(self.salesman)
        order.account_manager_id = self.manager_b
        self.assertEqual(order.account_manager_id, self.manager_b)
        order.action_confirm()
        order.account_manager_id = self.salesman
        self.assertEqual(order.account_manager_id, self.salesman)

    def test_changing_customer_or_address_of_draft_derives_again(self):
        self.other_customer.account_manager_id = self.manager_b
        order = self._create_order(self.customer)
        order.partner_id = self.other_customer
        self.assertEqual(order.account_manager_id, self.manager_b)
        order.partner_id = self.customer
        self.assertEqual(order.account_manager_id, self.manager_a)
        self.location.account_manager_id = self.salesman
        order.partner_shipping_id = self.location
        self.assertEqual(order.account_manager_id, self.salesman)

    def test_customer_change_later_does_not_touch_orders(self):
        draft = self._create_order(self.customer)
        confirmed = self._create_order(self.customer)
        confirmed.action_confirm()
        cancelled = self._create_order(self.customer)
        cancelled.action_cancel()
        self.customer.account_manager_id = self.manager_b
        self.assertRecordValues(
            draft | confirmed | cancelled,
            [{"account_manager_id": self.manager_a.id}] * 3,
        )

    def test_confirmed_order_keeps_manager_when_partner_changes(self):
        confirmed = self._create_order(self.customer)
        confirmed.action_confirm()
        self.other_customer.account_manager_id = self.manager_b
        confirmed.partner_id = self.other_customer
        self.assertEqual(confirmed.account_manager_id, self.manager_a)

    def test_customer_manager_follows_new_order(self):
        order = self._create_order(self.customer)
        self.assertIn(self.manager_a.partner_id, order.message_partner_ids)
        self.location.account_manager_id = self.manager_b
        order = self._create_order(self.customer, partner_shipping_id=self.location.id)
        self.assertIn(self.manager_a.partner_id, order.message_partner_ids)
        self.assertIn(self.manager_b.partner_id, order.message_partner_ids)

    def test_order_manager_change_tracked_and_followed(self):
        order = self._create_order(self.customer)
        self.env.cr.precommit.run()
        order.account_manager_id = self.manager_b
        self.env.cr.precommit.run()
        order.invalidate_recordset(["message_ids"])
        self.assertIn(self.manager_b.partner_id, order.message_partner_ids)
        tracking = order.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "account_manager_id"
        )
        self.assertEqual(tracking.mapped("new_value_char"), ["Bob Manager"])

    def test_my_accounts_orders(self):
        mine = self._create_order(self.customer)
        other = self._create_order(self.other_customer)
        found = self.env["sale.order"].search([("account_manager_id", "=", self.manager_a.id)])
        self.assertIn(mine, found)
        self.assertNotIn(other, found)
        groups = self.env["sale.order"]._read_group(
            [("id", "in", (mine | other).ids)], ["account_manager_id"], ["__count"]
        )
        self.assertEqual(
            sorted(groups, key=lambda g: g[0].id), [(self.env["res.users"], 1), (self.manager_a, 1)]
        )
