from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase

LOCATION_DOMAIN = [("type", "=", "delivery"), ("parent_id", "!=", False)]


@tagged("post_install", "-at_install")
class TestLocations(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.location_2 = Partner.create(
            {"name": "Butikk Storo", "parent_id": cls.customer.id, "type": "delivery", "city": "Oslo"}
        )
        cls.action = cls.env.ref("customer_rep.res_partner_location_action")
        cls.list_view = cls.env.ref("customer_rep.res_partner_location_view_list")
        cls.search_view = cls.env.ref("customer_rep.res_partner_location_view_search")
        cls.env.cr.precommit.run()

    def _wizard(self, user, locations, manager):
        return (
            self.env["customer.rep.location.manager"]
            .with_user(user)
            .create({"location_ids": [Command.set(locations.ids)], "account_manager_id": manager.id})
        )

    # The locations list

    def test_action_domain_and_views(self):
        self.assertEqual(safe_eval(self.action.domain), LOCATION_DOMAIN)
        self.assertEqual(self.action.res_model, "res.partner")
        self.assertEqual(self.action.search_view_id, self.search_view)
        self.assertEqual(
            self.action.view_ids.filtered(lambda v: v.view_mode == "list").view_id, self.list_view
        )
        # Reachable from the Customer Register app, from Sales (beside Customers) and from Contacts.
        menus = self.env["ir.ui.menu"].search([("action", "=", f"ir.actions.act_window,{self.action.id}")])
        self.assertEqual(
            set(menus.parent_id.ids),
            {
                self.env.ref("customer_rep.menu_customer_register_root").id,
                self.env.ref("sale.sale_order_menu").id,
                self.env.ref("contacts.menu_contacts").id,
            },
        )

    def test_ordered_by_customer_then_location(self):
        Partner = self.env["res.partner"]
        # An individual customer: commercial_company_name would be empty for its locations.
        person = Partner.create({"name": "Anders Aas", "customer_rank": 1})
        person_location = Partner.create({"name": "Hytta", "parent_id": person.id, "type": "delivery"})
        other_z = Partner.create(
            {"name": "Zeta Lager", "parent_id": self.other_customer.id, "type": "delivery"}
        )
        other_a = Partner.create(
            {"name": "Alfa Lager", "parent_id": self.other_customer.id, "type": "delivery"}
        )
        Partner.create({"name": "Not a location", "parent_id": self.other_customer.id, "type": "invoice"})
        views = Partner.get_views([(self.list_view.id, "list")])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        order = arch.get("default_order")
        customers = person | self.other_customer | self.customer
        found = Partner.search(
            [*safe_eval(self.action.domain), ("commercial_partner_id", "in", customers.ids)], order=order
        )
        # Anders Aas < Fjord Grossist AS < Nordlys Handel AS; then by location name.
        self.assertEqual(found, person_location | other_a | other_z | self.location_2 | self.location)

    def test_list_and_search_views_load(self):
        views = self.env["res.partner"].get_views(
            [(self.list_view.id, "list"), (False, "form"), (self.search_view.id, "search")]
        )
        list_arch = etree.fromstring(views["views"]["list"]["arch"])
        columns = [node.get("name") for node in list_arch.iter("field")]
        for fname in ("commercial_partner_id", "name", "street", "zip", "city", "country_id"):
            self.assertIn(fname, columns)
        self.assertIn("effective_account_manager_id", columns)
        self.assertIn("has_account_manager_override", columns)
        search_arch = etree.fromstring(views["views"]["search"]["arch"])
        filters = {node.get("name") for node in search_arch.iter("filter")}
        self.assertLessEqual(
            {"overrides_account_manager", "group_customer", "group_account_manager"}, filters
        )
        # The filter and the group-bys run.
        Partner = self.env["res.partner"]
        self.location.with_user(self.assigner).account_manager_id = self.manager_b
        overriding = Partner.search([*LOCATION_DOMAIN, ("has_account_manager_override", "=", True)])
        self.assertIn(self.location, overriding)
        self.assertNotIn(self.location_2, overriding)
        groups = dict(
            Partner._read_group(
                [*LOCATION_DOMAIN, ("commercial_partner_id", "=", self.customer.id)],
                ["effective_account_manager_id"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {self.manager_a: 1, self.manager_b: 1})

    def test_override_is_stored_and_follows(self):
        self.assertTrue(self.env["res.partner"]._fields["has_account_manager_override"].store)
        self.assertFalse(self.location.has_account_manager_override)
        self.location.with_user(self.assigner).account_manager_id = self.manager_b
        self.assertTrue(self.location.has_account_manager_override)
        self.assertFalse(self.customer.has_account_manager_override)  # a customer's own is no override
        self.location.parent_id = False  # a location on its own is a customer
        self.assertFalse(self.location.has_account_manager_override)

    # The customer's smart button

    def test_location_count_and_button(self):
        Partner = self.env["res.partner"]
        self.assertEqual((self.customer | self.other_customer).mapped("location_count"), [2, 0])
        Partner.create({"name": "Tredje", "parent_id": self.customer.id, "type": "delivery"})
        self.customer.invalidate_recordset(["location_count"])
        self.assertEqual(self.customer.location_count, 3)
        action = self.customer.action_view_locations()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["context"]["default_parent_id"], self.customer.id)
        self.assertEqual(action["context"]["default_type"], "delivery")
        self.assertEqual(
            Partner.search(action["domain"]),
            Partner.search([*LOCATION_DOMAIN, ("parent_id", "=", self.customer.id)]),
        )
        # A location created from there belongs to the customer.
        new = Partner.with_context(**action["context"]).create({"name": "Fra knappen"})
        self.assertRecordValues(new, [{"parent_id": self.customer.id, "type": "delivery"}])

    # The bulk action

    def test_bulk_set_and_clear_override(self):
        locations = self.location | self.location_2
        self._wizard(self.assigner, locations, self.manager_b).action_apply()
        self.assertRecordValues(
            locations,
            [{"account_manager_id": self.manager_b.id, "effective_account_manager_id": self.manager_b.id}]
            * 2,
        )
        self.assertEqual(self.customer.account_manager_id, self.manager_a)  # the customer keeps its own
        self._wizard(self.assigner, locations, self.env["res.users"]).action_apply()
        self.assertRecordValues(
            locations,
            [{"account_manager_id": False, "effective_account_manager_id": self.manager_a.id}] * 2,
        )

    def test_bulk_refused_without_assign_right(self):
        self.location_2.with_user(self.assigner).account_manager_id = self.manager_b
        wizard = self._wizard(self.salesman, self.location | self.location_2, self.manager_a)
        with self.assertRaises(AccessError) as refusal:
            wizard.action_apply()
        self.assertIn("not allowed to assign account managers", str(refusal.exception))
        self.env.invalidate_all()
        self.assertRecordValues(
            self.location | self.location_2,
            [{"account_manager_id": False}, {"account_manager_id": self.manager_b.id}],
        )

    def test_bulk_only_locations(self):
        wizard = (
            self.env["customer.rep.location.manager"]
            .with_user(self.assigner)
            .with_context(
                active_model="res.partner", active_ids=(self.customer | self.contact | self.location).ids
            )
            .create({"account_manager_id": self.manager_b.id})
        )
        self.assertEqual(wizard.location_ids, self.location)  # the customer and contact are left out
        self.assertEqual(wizard.location_count, 1)
        wizard.location_ids = self.location | self.contact
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.env.invalidate_all()
        self.assertRecordValues(self.location | self.contact, [{"account_manager_id": False}] * 2)

    def test_bulk_one_summary_notification(self):
        Message = self.env["mail.message"]
        last = Message.search([], order="id desc", limit=1).id
        self._wizard(self.assigner, self.location | self.location_2, self.manager_b).action_apply()
        notes = Message.search(
            [
                ("id", ">", last),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.manager_b.partner_id.ids),
            ]
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.subject, "You are now the account manager of 2 locations")
        self.assertIn("Butikk Storo", notes.body)
        # The new account manager follows both locations.
        for location in self.location | self.location_2:
            self.assertIn(self.manager_b.partner_id, location.message_partner_ids)
        # Clearing tells the former manager once.
        last = Message.search([], order="id desc", limit=1).id
        self._wizard(self.assigner, self.location | self.location_2, self.env["res.users"]).action_apply()
        notes = Message.search(
            [
                ("id", ">", last),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.manager_b.partner_id.ids),
            ]
        )
        self.assertEqual(notes.mapped("subject"), ["You are no longer the account manager of 2 locations"])
