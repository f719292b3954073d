from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase, XmlRpcCase

MASS_UPDATE = "customer_rep.customer_rep_mass_update_action"
LOCATION_MANAGER = "customer_rep.customer_rep_location_manager_action"


@tagged("post_install", "-at_install")
class TestQuotationAccountManager(CustomerRepCase):
    def test_origin_names_the_overriding_location(self):
        self.location.account_manager_id = self.manager_b
        order = self._create_order(self.customer, partner_shipping_id=self.location.id)
        self.assertRecordValues(
            order,
            [
                {
                    "account_manager_id": self.manager_b.id,
                    "account_manager_origin": "From the delivery location Lager Alnabru",
                }
            ],
        )
        # Set on the order by hand, or the customer's own: no line.
        order.account_manager_id = self.manager_a
        self.assertEqual(order.account_manager_origin, False)
        plain = self._create_order(self.customer, partner_shipping_id=self.customer.id)
        self.assertEqual(plain.account_manager_origin, False)

    def test_my_accounts_orders_and_orders_i_manage(self):
        """My Accounts' Orders: the orders of my customers, a location's override included;
        Orders I Manage: the orders whose own manager I am."""
        self.location.account_manager_id = self.manager_b
        overridden = self._create_order(self.customer, partner_shipping_id=self.location.id)
        plain = self._create_order(self.customer, partner_shipping_id=self.customer.id)
        other = self._create_order(self.other_customer)
        search_view = self.env.ref("customer_rep.view_sales_order_filter")
        self.assertIn("('customer_account_manager_id', '=', uid)", search_view.arch)
        self.assertIn("('account_manager_id', '=', uid)", search_view.arch)
        ids = (overridden | plain | other).ids
        Order = self.env["sale.order"]
        self.assertEqual(
            Order.search([("id", "in", ids), ("customer_account_manager_id", "=", self.manager_a.id)]),
            overridden | plain,
        )
        self.assertEqual(
            Order.search([("id", "in", ids), ("account_manager_id", "=", self.manager_a.id)]), plain
        )
        self.assertEqual(
            Order.search([("id", "in", ids), ("account_manager_id", "=", self.manager_b.id)]), overridden
        )

    def test_form_shows_manager_beside_customer_and_delivery_address(self):
        arch = (
            self.env["sale.order"]
            .with_user(self.manager_a)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        details = arch[arch.index('name="partner_details"') : arch.index('name="order_details"')]
        for field in ("partner_id", "partner_shipping_id", "account_manager_id", "account_manager_origin"):
            self.assertIn(f'name="{field}"', details)

    def test_customer_card_keeps_what_other_apps_put_in_its_footer(self):
        """The card's footer gains the account manager beside Discuss's activities and the
        confirmed-orders link, not instead of them."""
        arch = self.env["res.partner"].get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        footer = arch[arch.index("<footer") : arch.index("</footer>")]
        for node in (
            'name="activity_ids"',
            'name="action_view_order_history"',
            'name="effective_account_manager_id"',
        ):
            self.assertIn(node, footer)
        self.assertNotIn('name="action_view_sale_order"', footer)


@tagged("post_install", "-at_install")
class TestBulkActionsOffered(CustomerRepCase):
    def _toolbar(self, user, action_xmlid=None):
        action_id = self.env.ref(action_xmlid).id if action_xmlid else False
        views = (
            self.env["res.partner"]
            .with_user(user)
            .get_views([(False, "list"), (False, "search")], {"toolbar": True, "action_id": action_id})
        )
        return {action["id"] for action in views["views"]["list"]["toolbar"].get("action", [])}

    def test_only_usable_actions_on_their_lists(self):
        mass_update = self.env.ref(MASS_UPDATE).id
        location_manager = self.env.ref(LOCATION_MANAGER).id
        plain_sales_user = new_test_user(
            self.env, login="cr_plain_sales", groups="sales_team.group_sale_salesman"
        )
        customers = "customer_rep.res_partner_action_customers"
        locations = "customer_rep.res_partner_location_action"
        cases = [
            (plain_sales_user, customers, set()),
            (plain_sales_user, locations, set()),
            (self.salesman, customers, {mass_update}),
            (self.salesman, locations, set()),
            (self.assigner, customers, {mass_update}),
            (self.assigner, locations, {location_manager}),
            (self.assigner, "contacts.action_contacts", {mass_update}),
        ]
        for user, action, expected in cases:
            with self.subTest(user=user.login, action=action):
                self.assertEqual(self._toolbar(user, action) & {mass_update, location_manager}, expected)

    def test_location_wizard_without_locations_explains_and_refuses(self):
        wizard = (
            self.env["customer.rep.location.manager"]
            .with_user(self.assigner)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({})
        )
        self.assertRecordValues(wizard, [{"location_count": 0}])
        self.assertIn("None of the selected partners is a location", wizard.unavailable_reason)
        with self.assertRaises(UserError):
            wizard.action_apply()
        located = wizard.with_context(active_ids=self.location.ids).create({})
        self.assertRecordValues(located, [{"location_count": 1, "unavailable_reason": False}])

    def test_bulk_update_without_contact_rights_explains_and_refuses(self):
        plain_sales_user = new_test_user(
            self.env, login="cr_plain_sales2", groups="sales_team.group_sale_salesman"
        )
        wizard = (
            self.env["customer.rep.mass.update"]
            .with_user(plain_sales_user)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"set_billing_status": True, "billing_status": "on_hold"})
        )
        self.assertIn("Contact Creation", wizard.unavailable_reason)
        with self.assertRaises(Exception):  # noqa: B017 - Odoo's AccessError, raised before any write
            wizard.action_apply()
        self.assertEqual(self.customer.billing_status, "good")
        allowed = wizard.with_user(self.salesman).create({})
        self.assertEqual(allowed.unavailable_reason, False)


@tagged("post_install", "-at_install")
class TestCustomerRegisterApp(CustomerRepCase):
    def test_menus_for_sales_users(self):
        root = self.env.ref("customer_rep.menu_customer_register_root")
        self.assertEqual(root.web_icon, "customer_rep,static/description/icon.png")
        for user, expected in (
            (self.manager_a, ["Customers", "My Favorites", "Locations", "Reporting"]),
            (
                self.env.ref("base.user_admin"),
                ["Customers", "My Favorites", "Locations", "Reporting", "Configuration"],
            ),
        ):
            with self.subTest(user=user.login):
                menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
                self.assertIn(root.id, menus["root"]["children"])
                children = [menus[child]["name"] for child in menus[root.id]["children"]]
                self.assertEqual(children, expected)
        self.assertEqual(root.groups_id, self.env.ref("sales_team.group_sale_salesman"))
        settings = self.env.ref("customer_rep.res_config_settings_action")
        self.assertEqual(settings.context, "{'module': 'customer_rep', 'bin_size': False}")

    def test_customers_action_lists_customers_only(self):
        action = self.env.ref("customer_rep.res_partner_action_customers")
        found = self.env["res.partner"].search(
            [
                *safe_eval(action.domain),
                ("id", "in", (self.customer | self.contact | self.location | self.other_customer).ids),
            ]
        )
        self.assertEqual(found, self.customer | self.other_customer)


@tagged("post_install", "-at_install")
class TestPluralsAndNumbers(CustomerRepCase):
    def test_summary_subjects_agree_with_their_count(self):
        one = self.customer
        two = self.customer | self.other_customer
        self.assertEqual(
            one._get_account_manager_summary_subject(True, False),
            "You are now the account manager of 1 customer",
        )
        self.assertEqual(
            two._get_account_manager_summary_subject(False, False),
            "You are no longer the account manager of 2 customers",
        )
        self.assertEqual(
            self.location._get_account_manager_summary_subject(True, True),
            "You are now the account manager of 1 location",
        )

    def test_refused_save_uses_up_no_number(self):
        self.env["ir.config_parameter"].set_param("customer_rep.generate_customer_numbers", "True")
        sequence = self.env.ref("customer_rep.seq_customer_number")
        self.assertEqual(sequence.implementation, "no_gap")
        expected = sequence.get_next_char(sequence.number_next_actual)
        # Customers as the register creates them: only customers draw a number.
        Partner = self.env["res.partner"].with_context(res_partner_search_mode="customer")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Partner.create(
                {
                    "name": "Ugyldig AS",
                    "is_company": True,
                    "country_id": self.env.ref("base.no").id,
                    "company_registry": "123",
                }
            )
        customer = Partner.create({"name": "Gyldig AS", "is_company": True})
        self.assertEqual(customer.ref, expected)


@tagged("post_install", "-at_install")
class TestConcurrentCustomerNumbers(TransactionCase):
    """No fixtures: the test's own transaction must not hold the sequence's row."""

    def test_two_users_creating_customers_are_serialised(self):
        """The second transaction cannot take the sequence's row while the first holds it
        (Odoo runs its request again); once the first has committed, it gets the next number."""
        self.env["ir.config_parameter"].set_param("customer_rep.generate_customer_numbers", "True")
        first_cr, second_cr = self.registry.cursor(), self.registry.cursor()
        # Customers as the register creates them: only customers draw a number (partners that
        # are no customers never wait: test_customer_definition.py).
        context = {"res_partner_search_mode": "customer"}
        first = api.Environment(first_cr, SUPERUSER_ID, context)["res.partner"]
        second = api.Environment(second_cr, SUPERUSER_ID, context)["res.partner"]
        sequence = first.env.ref("customer_rep.seq_customer_number")
        start = sequence.number_next
        try:
            one = first.create({"name": "Samtidig En AS", "is_company": True})
            with mute_logger("odoo.sql_db"), self.assertRaises(errors.LockNotAvailable):
                second.create({"name": "Samtidig To AS", "is_company": True})
            first_cr.commit()
            second_cr.rollback()  # Odoo runs the request again, in a new transaction
            two = second.create({"name": "Samtidig To AS", "is_company": True})
            self.assertEqual(two.ref, sequence.get_next_char(int(one.ref[len("C") :]) + 1))
            second_cr.commit()
        finally:
            second_cr.rollback()
            second_cr.close()
            first_cr.rollback()  # a fresh snapshot, after the second's commit
            first_cr.execute(SQL("DELETE FROM res_partner WHERE name LIKE %s", "Samtidig % AS"))
            first_cr.execute(SQL("UPDATE ir_sequence SET number_next = %s WHERE id = %s", start, sequence.id))
            first_cr.commit()
            first_cr.close()


@tagged("post_install", "-at_install")
class TestFiltersOverXmlRpc(XmlRpcCase):
    def test_order_filters_are_plain_domains(self):
        user = new_test_user(
            self.env,
            login="cr_rpc_rep",
            password="cr_rpc_rep_pw",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        customer = self.env["res.partner"].create(
            {"name": "RPC Kunde AS", "is_company": True, "customer_rank": 1, "account_manager_id": user.id}
        )
        order = self.env["sale.order"].create({"partner_id": customer.id})
        self.env.flush_all()  # the server's requests read the database
        call = self._rpc("cr_rpc_rep", "cr_rpc_rep_pw")
        uid = user.id
        self.assertIn(order.id, call("sale.order", "search", [("customer_account_manager_id", "=", uid)]))
        self.assertIn(order.id, call("sale.order", "search", [("account_manager_id", "=", uid)]))
