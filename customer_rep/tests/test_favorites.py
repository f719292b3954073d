from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestFavorites(CustomerRepCase):
    def _age(self, partner):
        """Backdate the customer's write_date, so that a change would show."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE res_partner SET write_date = '2020-01-01 00:00:00' WHERE id = %s", partner.id)
        )
        self.env.invalidate_all()

    def test_star_is_personal_and_silent(self):
        self._age(self.customer)
        write_date = self.customer.write_date
        messages = len(self.customer.message_ids)
        # manager_a is a salesman: read access on partners only.
        self.customer.with_user(self.manager_a).write({"is_favorite": True})
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        self.assertTrue(self.customer.with_user(self.manager_a).is_favorite)
        self.assertFalse(self.customer.with_user(self.manager_b).is_favorite)
        self.assertEqual(self.customer.favorite_user_ids, self.manager_a)
        self.assertEqual(self.customer.write_date, write_date)
        self.assertEqual(len(self.customer.message_ids), messages)

        self.customer.with_user(self.manager_a).is_favorite = False
        self.env.invalidate_all()
        self.assertFalse(self.customer.with_user(self.manager_a).is_favorite)
        self.assertEqual(self.customer.write_date, write_date)

    def test_toggle_and_search(self):
        Partner = self.env["res.partner"].with_user(self.manager_b)
        (self.customer | self.other_customer).with_user(self.manager_b).action_toggle_favorite()
        self.customer.with_user(self.manager_b).action_toggle_favorite()
        self.assertEqual(Partner.search([("is_favorite", "=", True)]), self.other_customer)
        not_starred = Partner.search([("is_favorite", "!=", True), ("id", "in", self.customer.ids)])
        self.assertEqual(not_starred, self.customer)
        self.assertFalse(
            self.env["res.partner"].with_user(self.manager_a).search([("is_favorite", "=", True)])
        )
        scope = [("id", "in", (self.customer | self.other_customer).ids)]
        for domain, expected in (
            ([("is_favorite", "in", [True])], self.other_customer),
            ([("is_favorite", "not in", [True])], self.customer),
            ([("is_favorite", "in", [False])], self.customer),
            ([("is_favorite", "in", [True, False])], self.customer | self.other_customer),
            ([("is_favorite", "not in", [True, False])], Partner),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Partner.search(scope + domain), expected)

    def test_star_with_other_changes_and_at_create(self):
        self.customer.with_user(self.salesman).write({"is_favorite": True, "phone": "+47 2"})
        self.assertRecordValues(
            self.customer.with_user(self.salesman), [{"is_favorite": True, "phone": "+47 2"}]
        )
        starred = (
            self.env["res.partner"].with_user(self.salesman).create({"name": "Star AS", "is_favorite": True})
        )
        self.assertEqual(starred.favorite_user_ids, self.salesman)

    def test_my_favorites_filter(self):
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_res_partner_filter").id, "search")[
            "arch"
        ]
        self.assertIn('name="my_favorites"', arch)

    def test_portal_users_cannot_star(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.portal_user).write({"is_favorite": True})
        self.assertFalse(self.customer.favorite_user_ids)
