from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestFollowersHearOfChanges(CustomerRepCase):
    """Following a customer means hearing of its changes (subtype Customer Updated)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subtype = cls.env.ref("customer_rep.mt_customer_updated")
        cls.follower = new_test_user(cls.env, login="hd_follower", groups="sales_team.group_sale_salesman")
        cls.customer.message_subscribe(partner_ids=cls.follower.partner_id.ids)
        cls.env.cr.precommit.run()

    def _notified(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        return self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.follower.partner_id.id),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.customer.id),
            ]
        )

    def test_subtype_internal_and_default(self):
        self.assertRecordValues(
            self.subtype, [{"res_model": "res.partner", "internal": True, "default": True}]
        )
        follower = self.customer.message_follower_ids.filtered(
            lambda f: f.partner_id == self.follower.partner_id
        )
        self.assertIn(self.subtype, follower.subtype_ids)

    def test_tracked_changes_notify_followers(self):
        term = self.env.ref("account.account_payment_term_30days")
        for vals in (
            {"phone": "+47 22 00 00 00"},
            {"email": "post@nordlys.example"},
            {"city": "Bergen"},
            {"account_manager_id": self.manager_b.id},
            {"important_note": "<p>Prepay only</p>"},
            {"property_payment_term_id": term.id},
            {"billing_status": "on_hold"},
            {"payment_basis_date": "month_end"},
        ):
            with self.subTest(vals=vals):
                before = self._notified()
                self.customer.with_user(self.sales_admin).sudo().write(vals)
                new = self._notified() - before
                self.assertEqual(new.mail_message_id.subtype_id, self.subtype)
                self.assertEqual(
                    new.notification_type, "inbox" if self.follower.notification_type == "inbox" else "email"
                )

    def test_note_change_logs_one_line(self):
        self.customer.important_note = "<p>Unpaid invoices</p>"
        self.env.flush_all()
        self.env.cr.precommit.run()
        message = self.customer.message_ids[0]
        self.assertEqual(message.tracking_value_ids.field_id.mapped("name"), ["important_note"])

    def test_follower_switches_subtype_off(self):
        follower = self.customer.message_follower_ids.filtered(
            lambda f: f.partner_id == self.follower.partner_id
        )
        follower.subtype_ids -= self.subtype
        before = self._notified()
        self.customer.phone = "+47 99"
        self.assertEqual(self._notified() - before, self.env["mail.notification"])

    def test_bulk_update_notifies_per_customer(self):
        self.other_customer.message_subscribe(partner_ids=self.follower.partner_id.ids)
        wizard = (
            self.env["customer.rep.mass.update"]
            .with_user(self.sales_admin)
            .create(
                {
                    "partner_ids": [(6, 0, (self.customer | self.other_customer).ids)],
                    "set_account_manager": True,
                    "account_manager_id": self.manager_b.id,
                }
            )
        )
        wizard.action_apply()
        notified = self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", self.follower.partner_id.id),
                ("mail_message_id.subtype_id", "=", self.subtype.id),
            ]
        )
        self.assertEqual(
            sorted(notified.mail_message_id.mapped("res_id")),
            sorted((self.customer | self.other_customer).ids),
        )


@tagged("post_install", "-at_install")
class TestSearchDefaultsNotices(CustomerRepCase):
    def test_search_by_contact_person_and_email(self):
        arch = self.env["res.partner"].get_view(self.env.ref("base.view_res_partner_filter").id, "search")[
            "arch"
        ]
        domain_text = arch.split('name="name"')[1].split('filter_domain="')[1].split('"')[0]
        domain_text = domain_text.replace("&apos;", "'")
        for text in ("Per Olsen", "Nordlys"):
            with self.subTest(text=text):
                found = self.env["res.partner"].search(safe_eval(domain_text, {"self": text}))
                self.assertIn(self.customer, found)
        self.contact.email = "per@nordlys.example"
        found = self.env["res.partner"].search(safe_eval(domain_text, {"self": "per@nordlys"}))
        self.assertIn(self.customer, found)

    def test_quick_created_customer_is_company(self):
        arch = self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id, "form")["arch"]
        self.assertIn("'default_is_company': True", arch)
        partner_id, _name = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .with_context(res_partner_search_mode="customer", default_is_company=True)
            .name_create("Ny Kunde AS")
        )
        self.assertTrue(self.env["res.partner"].browse(partner_id).is_company)

    def test_no_notice_names_hidden_customer(self):
        rep = new_test_user(self.env, login="hd_own_rep", groups="customer_rep.group_own_accounts")
        other_location = self.env["res.partner"].create(
            {"name": "Skjult Lager", "parent_id": self.other_customer.id, "type": "delivery"}
        )
        self.other_customer.account_manager_id = self.manager_b
        self.env.cr.precommit.run()
        other_location.with_user(self.assigner).account_manager_id = rep
        self.env.flush_all()
        self.env.cr.precommit.run()
        messages = self.env["mail.message"].search([("partner_ids", "in", rep.partner_id.ids)])
        self.assertFalse([body for body in messages.mapped("body") if "Fjord" in body or "Skjult" in body])
        self.assertNotIn(rep.partner_id, other_location.message_partner_ids)
