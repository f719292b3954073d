import xmlrpc.client

import psycopg2
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase, XmlRpcCase

# A database trigger that fails every change of a quotation's account manager: a failure in the
# middle of a handover, after its customers and locations were written.
FAIL_ON_QUOTATIONS_SQL = """
    CREATE FUNCTION customer_rep_test_handover_fail() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'handover test failure'; END $$ LANGUAGE plpgsql;
    CREATE TRIGGER customer_rep_test_handover_fail BEFORE UPDATE OF account_manager_id ON sale_order
    FOR EACH ROW WHEN (NEW.account_manager_id IS DISTINCT FROM OLD.account_manager_id)
    EXECUTE FUNCTION customer_rep_test_handover_fail();
"""


class HandoverMixin:
    """A leaving rep with customers (total ordered 1000, 600, 300, 200), a location override,
    an override on another rep's location, quotations, a confirmed order, activities and
    follower subscriptions."""

    @classmethod
    def _order(cls, partner, amount=100.0, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": cls.product.id, "price_unit": amount})],
                **values,
            }
        )

    @classmethod
    def _setup_handover(cls):
        cls.leaver = new_test_user(
            cls.env, login="ho_leaver", name="Lea Leaver", groups="sales_team.group_sale_salesman"
        )
        cls.receiver_a = new_test_user(
            cls.env, login="ho_receiver_a", name="Rolf Receiver", groups="sales_team.group_sale_salesman"
        )
        cls.receiver_b = new_test_user(
            cls.env, login="ho_receiver_b", name="Runa Receiver", groups="sales_team.group_sale_salesman"
        )
        Partner = cls.env["res.partner"]
        cls.big, cls.medium, cls.small, cls.tiny = Partner.create(
            [
                {"name": name, "is_company": True, "customer_rank": 1, "account_manager_id": cls.leaver.id}
                for name in ("Stor Kunde AS", "Middels Kunde AS", "Liten Kunde AS", "Bitte Kunde AS")
            ]
        )
        cls.big_location = Partner.create(
            {
                "name": "Stor Lager",
                "parent_id": cls.big.id,
                "type": "delivery",
                "account_manager_id": cls.leaver.id,
            }
        )
        # The leaver looks after a location of a customer they do not manage.
        cls.foreign_location = Partner.create(
            {
                "name": "Nordlys Lager Bergen",
                "parent_id": cls.customer.id,
                "type": "delivery",
                "account_manager_id": cls.leaver.id,
            }
        )
        cls.handed_customers = cls.big | cls.medium | cls.small | cls.tiny
        for customer, amount in zip(cls.handed_customers, (1000, 600, 300, 200), strict=True):
            cls._order(customer, amount).action_confirm()
        cls.confirmed = cls.env["sale.order"].search([("partner_id", "=", cls.big.id)])
        cls.quotation = cls._order(cls.big, partner_shipping_id=cls.big_location.id)
        cls.sent = cls._order(cls.small)
        cls.sent.action_quotation_sent()
        cls.cancelled = cls._order(cls.medium)
        cls.cancelled.action_cancel()
        activity_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.customer_activity, cls.quotation_activity, cls.others_activity = cls.env["mail.activity"].create(
            [
                {
                    "res_model_id": cls.env["ir.model"]._get_id(record._name),
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": user.id,
                }
                for record, summary, user in (
                    (cls.big, "Call about renewal", cls.leaver),
                    (cls.quotation, "Follow up quotation", cls.leaver),
                    (cls.big, "Check invoice", cls.manager_a),
                )
            ]
        )
        cls.env.cr.precommit.run()

    def _assert_nothing_moved(self):
        self.env.invalidate_all()
        self.assertEqual(self.handed_customers.account_manager_id, self.leaver)
        self.assertRecordValues(
            self.big_location | self.foreign_location, [{"account_manager_id": self.leaver.id}] * 2
        )
        self.assertEqual((self.quotation | self.sent).account_manager_id, self.leaver)
        self.assertEqual((self.customer_activity | self.quotation_activity).user_id, self.leaver)
        self.assertIn(self.leaver.partner_id, self.big.message_partner_ids)


@tagged("post_install", "-at_install")
class TestHandover(HandoverMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_handover()

    def _wizard(self, user=None, **values):
        return (
            self.env["customer.rep.handover"]
            .with_user(user or self.assigner)
            .create(
                {"from_user_id": self.leaver.id, "to_user_ids": [Command.set(self.receiver_a.ids)], **values}
            )
        )

    def _notifications(self, user, after):
        return self.env["mail.message"].search(
            [
                ("id", ">", after),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ]
        )

    def test_counts_before_apply(self):
        wizard = self._wizard(
            distribution="even_revenue", to_user_ids=[Command.set((self.receiver_a | self.receiver_b).ids)]
        )
        self.assertRecordValues(
            wizard,
            [{"customer_count": 4, "location_count": 2, "quotation_count": 2, "activity_count": 2}],
        )
        # Largest first to the least loaded: 1000 | 600 + 300 + 200.
        self.assertRecordValues(
            wizard.line_ids,
            [
                {"user_id": self.receiver_a.id, "customer_count": 1, "revenue": 1000.0},
                {"user_id": self.receiver_b.id, "customer_count": 3, "revenue": 1100.0},
            ],
        )
        self.assertTrue(
            wizard.summary.startswith("Moves 4 customers, 2 locations, 2 quotations and 2 activities")
        )
        self.assertFalse(wizard.archived_warning)
        wizard.write({"include_locations": False, "include_quotations": False})
        self.assertRecordValues(
            wizard,
            [{"customer_count": 4, "location_count": 0, "quotation_count": 0, "activity_count": 1}],
        )
        self.assertTrue(
            wizard.summary.startswith("Moves 4 customers, 0 locations, 0 quotations and 1 activity,")
        )

    def test_single_moves_everything(self):
        self._wizard().action_apply()
        self.assertEqual(self.handed_customers.account_manager_id, self.receiver_a)
        self.assertEqual(self.big_location.effective_account_manager_id, self.receiver_a)
        self.assertRecordValues(
            self.big_location | self.foreign_location, [{"account_manager_id": self.receiver_a.id}] * 2
        )
        self.assertRecordValues(
            self.quotation | self.sent | self.confirmed | self.cancelled,
            [
                {"account_manager_id": self.receiver_a.id},
                {"account_manager_id": self.receiver_a.id},
                {"account_manager_id": self.leaver.id},
                {"account_manager_id": self.leaver.id},
            ],
        )
        self.assertRecordValues(
            self.customer_activity | self.quotation_activity | self.others_activity,
            [
                {"user_id": self.receiver_a.id},
                {"user_id": self.receiver_a.id},
                {"user_id": self.manager_a.id},
            ],
        )
        # Follower subscriptions: the receiver's replace the leaver's.
        for record in (self.big, self.quotation):
            self.assertIn(self.receiver_a.partner_id, record.message_partner_ids)
            self.assertNotIn(self.leaver.partner_id, record.message_partner_ids)

    def test_chatter_and_one_summary_per_user(self):
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        self._wizard(
            distribution="even_count", to_user_ids=[Command.set((self.receiver_a | self.receiver_b).ids)]
        ).action_apply()
        self.env.cr.precommit.run()
        for customer in self.handed_customers:
            tracked = customer.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "account_manager_id"
            )
            self.assertEqual(tracked[:1].old_value_integer, self.leaver.id)
            self.assertEqual(tracked[:1].new_value_integer, customer.account_manager_id.id)
        for receiver in (self.receiver_a, self.receiver_b):
            notes = self._notifications(receiver, last)
            self.assertEqual(notes.mapped("subject"), ["You are now the account manager of 2 customers"])
        leaver_notes = self._notifications(self.leaver, last)
        self.assertEqual(
            leaver_notes.mapped("subject"), ["You are no longer the account manager of 4 customers"]
        )

    def test_even_count_keeps_customer_and_location_together(self):
        self._wizard(
            distribution="even_count", to_user_ids=[Command.set((self.receiver_a | self.receiver_b).ids)]
        ).action_apply()
        self.assertEqual(
            [
                len(self.handed_customers.filtered(lambda c, u=u: c.account_manager_id == u))
                for u in (
                    self.receiver_a,
                    self.receiver_b,
                )
            ],
            [2, 2],
        )
        self.assertEqual(self.big_location.account_manager_id, self.big.account_manager_id)
        self.assertEqual(self.quotation.account_manager_id, self.big.account_manager_id)
        self.assertEqual(self.customer_activity.user_id, self.big.account_manager_id)

    def test_even_revenue(self):
        self._wizard(
            distribution="even_revenue", to_user_ids=[Command.set((self.receiver_a | self.receiver_b).ids)]
        ).action_apply()
        self.assertRecordValues(
            self.handed_customers | self.big_location,
            [
                {"account_manager_id": self.receiver_a.id},
                {"account_manager_id": self.receiver_b.id},
                {"account_manager_id": self.receiver_b.id},
                {"account_manager_id": self.receiver_b.id},
                {"account_manager_id": self.receiver_a.id},
            ],
        )

    def test_unticked_stay(self):
        self._wizard(
            include_locations=False,
            include_quotations=False,
            include_activities=False,
            include_followers=False,
        ).action_apply()
        self.assertEqual(self.handed_customers.account_manager_id, self.receiver_a)
        self.assertEqual((self.big_location | self.foreign_location).account_manager_id, self.leaver)
        self.assertEqual((self.quotation | self.sent).account_manager_id, self.leaver)
        self.assertEqual((self.customer_activity | self.quotation_activity).user_id, self.leaver)
        self.assertIn(self.leaver.partner_id, self.big.message_partner_ids)

    def test_archived_from_user(self):
        self.leaver.active = False
        last = self.env["mail.message"].search([], order="id desc", limit=1).id
        self._wizard().action_apply()
        self.env.cr.precommit.run()
        self.assertEqual(self.handed_customers.account_manager_id, self.receiver_a)
        self.assertEqual(self.quotation.account_manager_id, self.receiver_a)
        self.assertFalse(self._notifications(self.leaver, last))
        self.assertEqual(len(self._notifications(self.receiver_a, last)), 1)

    def test_only_selected_customers(self):
        wizard = (
            self.env["customer.rep.handover"]
            .with_user(self.assigner)
            .with_context(active_model="res.partner", active_ids=[self.big_location.id, self.small.id])
            .create({"to_user_ids": [Command.set(self.receiver_a.ids)]})
        )
        # A selected location stands for its customer; the shared manager is the from-user.
        self.assertRecordValues(
            wizard, [{"from_user_id": self.leaver.id, "customer_count": 2, "quotation_count": 2}]
        )
        wizard.action_apply()
        self.assertEqual((self.big | self.small).account_manager_id, self.receiver_a)
        self.assertEqual((self.medium | self.tiny | self.foreign_location).account_manager_id, self.leaver)

    def test_refused_without_assign_right(self):
        with self.assertRaises(AccessError) as refusal:
            self._wizard(self.salesman)
        self.assertIn("Assign account managers", str(refusal.exception))
        wizard = self._wizard()
        with self.assertRaises(AccessError):
            wizard.with_user(self.salesman).action_apply()
        self._assert_nothing_moved()

    def test_refused_users(self):
        portal = self.portal_user
        cases = [
            ({"to_user_ids": [Command.set([])]}, "Choose the users"),
            ({"to_user_ids": [Command.set(self.leaver.ids)]}, "to themselves"),
            ({"to_user_ids": [Command.set(self.archived_user.ids)]}, "only active internal users"),
            ({"to_user_ids": [Command.set(portal.ids)]}, "only active internal users"),
            ({"to_user_ids": [Command.set((self.receiver_a | self.receiver_b).ids)]}, "All to one user"),
        ]
        for values, message in cases:
            with self.subTest(message=message), self.assertRaises(UserError) as refusal:
                self._wizard(**values).action_apply()
            self.assertIn(message, str(refusal.exception))
        self._assert_nothing_moved()

    def test_refused_unknown_ids(self):
        for values in ({"from_user_id": 999999}, {"to_user_ids": [Command.set([999999])]}):
            with self.subTest(values=values), self.assertRaises(UserError) as refusal:
                self._wizard(**values)
            self.assertIn("No user has the id 999999", str(refusal.exception))
        self._assert_nothing_moved()

    def test_refused_unknown_distribution(self):
        with self.assertRaises(UserError) as refusal:
            self._wizard(distribution="by_mood")
        self.assertIn("Unknown distribution by_mood", str(refusal.exception))
        wizard = self._wizard()
        with self.assertRaises(UserError):
            wizard.write({"to_user_ids": [Command.link(999999)]})
        self.assertEqual(wizard.to_user_ids, self.receiver_a)

    def test_refused_nothing_to_hand_over(self):
        with self.assertRaises(UserError) as refusal:
            self._wizard(from_user_id=self.manager_b.id).action_apply()
        self.assertIn("has nothing to hand over", str(refusal.exception))

    def test_failure_in_the_middle_changes_nothing(self):
        self.env.cr.execute(FAIL_ON_QUOTATIONS_SQL)
        wizard = self._wizard()
        with self.assertRaises(psycopg2.Error):
            wizard.action_apply()
        self._assert_nothing_moved()


@tagged("post_install", "-at_install")
class TestArchivedManagers(CustomerRepCase):
    def setUp(self):
        super().setUp()
        self.admin = new_test_user(
            self.env,
            login="ho_admin",
            groups="base.group_system,sales_team.group_sale_manager",
        )

    def test_archiving_a_manager_offers_the_handover(self):
        action = self.manager_a.with_user(self.admin).action_archive()
        self.assertFalse(self.manager_a.active)
        self.assertEqual(action["res_model"], "customer.rep.handover")
        self.assertEqual(action["context"], {"default_from_user_id": self.manager_a.id})
        wizard = (
            self.env["customer.rep.handover"]
            .with_user(self.admin)
            .with_context(**action["context"])
            .create({"to_user_ids": [Command.set(self.manager_b.ids)]})
        )
        self.assertRecordValues(wizard, [{"from_user_active": False, "customer_count": 1}])
        self.assertEqual(
            wizard.archived_warning,
            f"{self.manager_a.name} is archived and still manages 1 customer and 0 locations: hand them "
            "over to users who can act on them.",
        )

    def test_archiving_a_manager_of_a_location_only_offers_the_handover(self):
        """A location's own account manager manages no customer, but the location moves."""
        self.location.account_manager_id = self.manager_b
        action = self.manager_b.with_user(self.admin).action_archive()
        self.assertEqual(action["res_model"], "customer.rep.handover")
        wizard = (
            self.env["customer.rep.handover"]
            .with_user(self.admin)
            .with_context(**action["context"])
            .create({})
        )
        self.assertRecordValues(wizard, [{"customer_count": 0, "location_count": 1}])
        self.assertEqual(
            wizard.archived_warning,
            f"{self.manager_b.name} is archived and still manages 0 customers and 1 location: hand them "
            "over to users who can act on them.",
        )
        # Whatever the selection: the warning says what the user still manages.
        wizard.partner_ids = self.other_customer
        self.assertEqual(wizard.location_count, 0)
        self.assertIn("0 customers and 1 location", wizard.archived_warning)

    def test_archiving_several_managers_warns(self):
        self.location.account_manager_id = self.manager_b
        action = (self.manager_a | self.manager_b).with_user(self.admin).action_archive()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("Alice Manager, Bob Manager still manage customers", action["params"]["message"])

    def test_archiving_a_user_without_customers(self):
        self.assertFalse(self.manager_b.with_user(self.admin).action_archive())
        # Nothing to warn about in the handover either.
        wizard = (
            self.env["customer.rep.handover"]
            .with_user(self.admin)
            .create({"from_user_id": self.manager_b.id})
        )
        self.assertRecordValues(wizard, [{"from_user_active": False, "customer_count": 0}])
        self.assertFalse(wizard.archived_warning)
        self.assertFalse(self.manager_b.active)

    def test_filter_manager_archived(self):
        arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        [node] = etree.fromstring(arch).xpath("//filter[@name='manager_archived']")
        domain = safe_eval(node.get("domain"))
        scope = [("id", "in", (self.customer | self.contact | self.location | self.other_customer).ids)]
        self.assertFalse(self.env["res.partner"].search([*scope, *domain]))
        self.manager_a.active = False
        self.assertEqual(
            self.env["res.partner"].search([*scope, *domain]), self.customer | self.contact | self.location
        )

    def test_quotation_passes_over_archived_manager(self):
        self.manager_a.active = False
        self.assertFalse(self._create_order(self.customer).account_manager_id)


@tagged("post_install", "-at_install")
class TestHandoverXmlRpc(HandoverMixin, XmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_a = new_test_user(cls.env, login="hx_manager_a", groups="sales_team.group_sale_salesman")
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Nordlys AS", "is_company": True, "account_manager_id": cls.manager_a.id}
        )
        cls.product = cls.env["product.product"].create({"name": "RPC crate", "list_price": 100.0})
        cls._setup_handover()
        new_test_user(
            cls.env,
            login="hx_assigner",
            password="hx_assigner_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager,"
            "customer_rep.group_assign_account_manager",
        )
        new_test_user(
            cls.env,
            login="hx_salesman",
            password="hx_salesman_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )

    def _create_wizard(self, call, **values):
        return call(
            "customer.rep.handover",
            "create",
            {
                "from_user_id": self.leaver.id,
                "to_user_ids": [(6, 0, (self.receiver_a | self.receiver_b).ids)],
                "distribution": "even_revenue",
                **values,
            },
        )

    def test_round_trip(self):
        call = self._rpc("hx_assigner", "hx_assigner_pw")
        wizard_id = self._create_wizard(call)
        [wizard] = call(
            "customer.rep.handover",
            "read",
            [wizard_id],
            ["customer_count", "location_count", "quotation_count", "activity_count", "line_ids"],
        )
        self.assertEqual(
            [wizard[f] for f in ("customer_count", "location_count", "quotation_count", "activity_count")],
            [4, 2, 2, 2],
        )
        lines = call("customer.rep.handover.line", "read", wizard["line_ids"], ["customer_count", "revenue"])
        self.assertEqual(
            [(line["customer_count"], line["revenue"]) for line in lines], [(1, 1000.0), (3, 1100.0)]
        )
        call("customer.rep.handover", "action_apply", [wizard_id])
        self.env.invalidate_all()
        self.assertEqual(self.big.account_manager_id, self.receiver_a)
        self.assertEqual((self.medium | self.small | self.tiny).account_manager_id, self.receiver_b)
        self.assertEqual(self.quotation.account_manager_id, self.receiver_a)
        self.assertEqual(self.sent.account_manager_id, self.receiver_b)

    def test_refused_without_assign_right(self):
        call = self._rpc("hx_salesman", "hx_salesman_pw")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self._create_wizard(call)
        self.assertEqual(refusal.exception.faultCode, 4)
        self.assertIn("Assign account managers", refusal.exception.faultString)
        self._assert_nothing_moved()

    def test_refused_bad_users(self):
        call = self._rpc("hx_assigner", "hx_assigner_pw")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            self._create_wizard(call, to_user_ids=[(6, 0, [999999])])
        self.assertEqual(refusal.exception.faultCode, 2)
        self.assertIn("No user has the id 999999", refusal.exception.faultString)
        wizard_id = self._create_wizard(call, to_user_ids=[(6, 0, self.leaver.ids)], distribution="single")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            call("customer.rep.handover", "action_apply", [wizard_id])
        self.assertEqual(refusal.exception.faultCode, 2)
        self.assertIn("to themselves", refusal.exception.faultString)
        self._assert_nothing_moved()

    def test_failure_in_the_middle_changes_nothing(self):
        self.env.cr.execute(FAIL_ON_QUOTATIONS_SQL)
        call = self._rpc("hx_assigner", "hx_assigner_pw")
        wizard_id = self._create_wizard(call)
        with self.assertRaises(xmlrpc.client.Fault) as failure:
            call("customer.rep.handover", "action_apply", [wizard_id])
        self.assertIn("handover test failure", failure.exception.faultString)
        self._assert_nothing_moved()
