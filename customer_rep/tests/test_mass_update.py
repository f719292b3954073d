from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CustomerRepCase, XmlRpcCase


@tagged("post_install", "-at_install")
class TestMassUpdate(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_2 = Partner.create(
            {
                "name": "Polar Bygg AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": cls.manager_a.id,
            }
        )
        cls.term_30 = cls.env["account.payment.term"].create({"name": "30 dager"})
        cls.term_60 = cls.env["account.payment.term"].create({"name": "60 dager"})
        (cls.customer | cls.customer_2).property_payment_term_id = cls.term_30
        cls.quotation = cls._create_order(cls.customer)
        cls.quotation_contact = cls._create_order(cls.contact, partner_shipping_id=cls.location.id)
        cls.sent = cls._create_order(cls.customer_2)
        cls.sent.action_quotation_sent()
        cls.confirmed = cls._create_order(cls.customer)
        cls.confirmed.action_confirm()
        cls.other_quotation = cls._create_order(cls.other_customer)
        cls.customers = cls.customer | cls.customer_2
        # The assigner of these tests also holds the billing right (the salesman does not).
        cls.assigner.groups_id += cls.env.ref("customer_rep.group_billing_manager")
        cls.env.cr.precommit.run()

    def _wizard(self, user=None, customers=None, **values):
        return (
            self.env["customer.rep.mass.update"]
            .with_user(user or self.assigner)
            .create({"partner_ids": [Command.set((customers or self.customers).ids)], **values})
        )

    def _notifications(self, user, after):
        return self.env["mail.message"].search(
            [
                ("id", ">", after),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )

    def test_only_ticked_fields(self):
        self._wizard(
            set_billing_status=True,
            billing_status="on_hold",
            account_manager_id=self.manager_b.id,  # not ticked
            payment_term_id=self.term_60.id,  # not ticked
            payment_basis_date="month_end",  # not ticked
        ).action_apply()
        self.assertRecordValues(
            self.customers,
            [
                {
                    "billing_status": "on_hold",
                    "account_manager_id": self.manager_a.id,
                    "property_payment_term_id": self.term_30.id,
                    "payment_basis_date": "invoice_date",
                }
            ]
            * 2,
        )
        # A commercial field: the contacts and locations follow.
        self.assertRecordValues(self.contact | self.location, [{"billing_status": "on_hold"}] * 2)
        self.assertEqual(self.other_customer.billing_status, "good")
        self.assertEqual(self.quotation.account_manager_id, self.manager_a)

    def test_all_fields(self):
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        self._wizard(
            set_account_manager=True,
            account_manager_id=self.manager_b.id,
            set_payment_term=True,
            payment_term_id=self.term_60.id,
            set_billing_status=True,
            billing_status="blocked",
            set_payment_basis_date=True,
            payment_basis_date="month_end",
        ).action_apply()
        self.assertRecordValues(
            self.customers,
            [
                {
                    "billing_status": "blocked",
                    "account_manager_id": self.manager_b.id,
                    "effective_account_manager_id": self.manager_b.id,
                    "property_payment_term_id": self.term_60.id,
                    "payment_basis_date": "month_end",
                }
            ]
            * 2,
        )
        self.assertEqual(self.location.effective_account_manager_id, self.manager_b)
        self.assertEqual(self.location.property_payment_term_id, self.term_60)
        # One log per customer in its chatter with all the tracked changes; one per quotation.
        self.env.cr.precommit.run()
        for customer in self.customers:
            logs = customer.message_ids.filtered(lambda m: m.tracking_value_ids and m.id > last)
            self.assertEqual(len(logs), 1)
            self.assertEqual(
                set(logs.tracking_value_ids.field_id.mapped("name")),
                {"account_manager_id", "billing_status", "payment_basis_date", "property_payment_term_id"},
            )
            self.assertEqual(logs.author_id, self.assigner.partner_id)
        order_logs = self.quotation.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "account_manager_id"
        )
        self.assertEqual(
            (order_logs.old_value_integer, order_logs.new_value_integer),
            (self.manager_a.id, self.manager_b.id),
        )

    def test_counts(self):
        wizard = self._wizard(set_billing_status=True)
        self.assertRecordValues(wizard, [{"customer_count": 2, "quotation_count": 0}])
        wizard.write({"set_account_manager": True, "account_manager_id": self.manager_b.id})
        # Draft and sent quotations of the customers, their contacts and locations.
        self.assertRecordValues(wizard, [{"customer_count": 2, "quotation_count": 3}])
        wizard.reassign_open_orders = False
        self.assertEqual(wizard.quotation_count, 0)

    def test_default_from_selection(self):
        wizard = (
            self.env["customer.rep.mass.update"]
            .with_user(self.assigner)
            .with_context(
                active_model="res.partner", active_ids=[self.customer.id, self.contact.id, self.customer_2.id]
            )
            .create({})
        )
        # A selected contact stands for its customer.
        self.assertEqual(wizard.partner_ids, self.customers)
        self.assertEqual(wizard.customer_count, 2)
        # Scripts may pass the selection alone (active_model is the customers' by default) ...
        Wizard = self.env["customer.rep.mass.update"].with_user(self.assigner)
        wizard = Wizard.with_context(active_ids=self.customers.ids).create({})
        self.assertEqual(wizard.partner_ids, self.customers)
        # ... but ids of another model are not taken for customers.
        wizard = Wizard.with_context(active_model="sale.order", active_ids=self.customers.ids).create({})
        self.assertFalse(wizard.partner_ids)

    def test_reassigns_quotations_not_confirmed_orders(self):
        self._wizard(set_account_manager=True, account_manager_id=self.manager_b.id).action_apply()
        self.assertRecordValues(
            self.quotation | self.quotation_contact | self.sent | self.confirmed | self.other_quotation,
            [
                {"account_manager_id": self.manager_b.id},
                {"account_manager_id": self.manager_b.id},
                {"account_manager_id": self.manager_b.id},
                {"account_manager_id": self.manager_a.id},
                {"account_manager_id": False},
            ],
        )

    def test_keeps_quotations_without_reassign(self):
        self._wizard(
            set_account_manager=True, account_manager_id=self.manager_b.id, reassign_open_orders=False
        ).action_apply()
        self.assertEqual(self.customers.account_manager_id, self.manager_b)
        self.assertEqual((self.quotation | self.sent).account_manager_id, self.manager_a)

    def test_clear_account_manager(self):
        self._wizard(set_account_manager=True, account_manager_id=False).action_apply()
        self.assertRecordValues(
            self.customers, [{"account_manager_id": False, "effective_account_manager_id": False}] * 2
        )
        self.assertRecordValues(self.quotation | self.sent, [{"account_manager_id": False}] * 2)

    def test_refused_as_a_whole_without_assign_right(self):
        wizard = self._wizard(
            self.salesman,
            set_billing_status=True,
            billing_status="blocked",
            set_account_manager=True,
            account_manager_id=self.manager_b.id,
        )
        with self.assertRaises(AccessError) as refusal:
            wizard.action_apply()
        self.assertIn("not allowed to assign account managers", str(refusal.exception))
        self.env.invalidate_all()
        self.assertRecordValues(
            self.customers, [{"billing_status": "good", "account_manager_id": self.manager_a.id}] * 2
        )
        self.assertEqual(self.quotation.account_manager_id, self.manager_a)

    def test_refused_without_partner_write_right(self):
        reader = new_test_user(self.env, login="cr_reader", groups="sales_team.group_sale_salesman")
        wizard = self._wizard(reader, set_billing_status=True, billing_status="blocked")
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.env.invalidate_all()
        self.assertEqual(self.customers.mapped("billing_status"), ["good", "good"])

    def test_billing_needs_the_billing_right(self):
        for values in (
            {"set_billing_status": True, "billing_status": "on_hold"},
            {"set_payment_basis_date": True, "payment_basis_date": "month_end"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError) as refusal:
                self._wizard(self.salesman, **values).action_apply()
            self.assertIn("billing status", str(refusal.exception))
        self.env.invalidate_all()
        self.assertRecordValues(
            self.customers, [{"billing_status": "good", "payment_basis_date": "invoice_date"}] * 2
        )
        self.salesman.groups_id += self.env.ref("customer_rep.group_billing_manager")
        self._wizard(self.salesman, set_billing_status=True, billing_status="on_hold").action_apply()
        self.assertEqual(self.customers.mapped("billing_status"), ["on_hold", "on_hold"])

    def test_nothing_ticked_refused(self):
        wizard = self._wizard(account_manager_id=self.manager_b.id, billing_status="blocked")
        with self.assertRaises(UserError) as refusal:
            wizard.action_apply()
        self.assertIn("Tick at least one field", str(refusal.exception))
        self.env.invalidate_all()
        self.assertRecordValues(
            self.customers, [{"billing_status": "good", "account_manager_id": self.manager_a.id}] * 2
        )

    def test_one_summary_notification_per_manager(self):
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        self._wizard(set_account_manager=True, account_manager_id=self.manager_b.id).action_apply()
        self.env.cr.precommit.run()
        new = self._notifications(self.manager_b, last)
        self.assertEqual(new.mapped("subject"), ["You are now the account manager of 2 customers"])
        self.assertIn("Polar Bygg AS", new.body)
        former = self._notifications(self.manager_a, last)
        self.assertEqual(former.mapped("subject"), ["You are no longer the account manager of 2 customers"])
        # Followers are kept, and the chatter of each customer tracks the change.
        for customer in self.customers:
            self.assertIn(self.manager_b.partner_id, customer.message_partner_ids)
            tracked = customer.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "account_manager_id"
            )
            self.assertEqual(tracked[:1].new_value_integer, self.manager_b.id)


@tagged("post_install", "-at_install")
class TestMassUpdateXmlRpc(XmlRpcCase):
    def test_round_trip(self):
        manager = new_test_user(self.env, login="mu_manager", groups="sales_team.group_sale_salesman")
        new_test_user(
            self.env,
            login="mu_assigner",
            password="mu_assigner_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager,"
            "customer_rep.group_assign_account_manager,customer_rep.group_billing_manager",
        )
        customers = self.env["res.partner"].create(
            [{"name": f"RPC Kunde {i}", "is_company": True, "customer_rank": 1} for i in range(3)]
        )
        call = self._rpc("mu_assigner", "mu_assigner_pw")

        wizard_id = call(
            "customer.rep.mass.update",
            "create",
            {
                "partner_ids": [(6, 0, customers.ids)],
                "set_account_manager": True,
                "account_manager_id": manager.id,
                "set_billing_status": True,
                "billing_status": "on_hold",
            },
        )
        [wizard] = call(
            "customer.rep.mass.update", "read", [wizard_id], ["customer_count", "quotation_count"]
        )
        self.assertEqual((wizard["customer_count"], wizard["quotation_count"]), (3, 0))
        call("customer.rep.mass.update", "action_apply", [wizard_id])
        read = call("res.partner", "read", customers.ids, ["account_manager_id", "billing_status"])
        self.assertEqual(
            [(r["account_manager_id"][0], r["billing_status"]) for r in read], [(manager.id, "on_hold")] * 3
        )
