from odoo import Command
from odoo.modules.migration import load_script
from odoo.tests import new_test_user, tagged
from odoo.tools import file_path

from .common import CustomerRepCase, XmlRpcCase
from .test_own_accounts import OwnAccountsMixin

# The rules as they were written before they compared indexed columns (nested paths OR-ed):
# the rows a rep sees must stay exactly the ones these select.
FORMER_PARTNER_RULE = [
    "|",
    ("is_customer_account", "=", False),
    ("commercial_partner_id.account_manager_id", "=", "UID"),
]
FORMER_ORDER_RULE = [
    "|",
    ("partner_id.commercial_partner_id.account_manager_id", "=", "UID"),
    "&",
    ("partner_id.is_customer_account", "=", False),
    ("account_manager_id", "=", "UID"),
]

FORMER_LINK_RULE = [
    "|",
    ("partner_id.is_customer_account", "=", False),
    ("partner_id.commercial_partner_id.account_manager_id", "=", "UID"),
]


def with_uid(domain, uid):
    return [
        (term[0], term[1], uid) if isinstance(term, tuple) and term[2] == "UID" else term for term in domain
    ]


class OwnAccountsIndexMixin(OwnAccountsMixin):
    @classmethod
    def _setup_own_accounts_index(cls):
        cls._setup_own_accounts()
        # A second rep restricted to their own accounts: the one the overriding location
        # points to, and the one a contact moves to.
        cls.rep2 = new_test_user(
            cls.env,
            login="cr_rep2",
            password="cr_rep2_pw",
            name="Rolf Rep",
            groups="sales_team.group_sale_salesman,customer_rep.group_own_accounts",
        )
        Partner = cls.env["res.partner"]
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet", "list_price": 10.0, "type": "consu"}
        )
        cls.theirs.account_manager_id = cls.rep2
        cls.mine_location.account_manager_id = cls.rep2
        cls.prospect = Partner.create({"name": "Prospekt AS", "is_company": True})
        SaleOrder = cls.env["sale.order"]
        line = [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})]
        cls.order_mine_location = SaleOrder.create(
            {"partner_id": cls.mine.id, "partner_shipping_id": cls.mine_location.id, "order_line": line}
        )
        cls.order_mine_contact = SaleOrder.create({"partner_id": cls.mine_contact.id, "order_line": line})
        cls.quotation_prospect, cls.quotation_prospect_rep2 = SaleOrder.create(
            [
                {"partner_id": cls.prospect.id, "account_manager_id": user.id, "order_line": line}
                for user in (cls.rep, cls.rep2)
            ]
        )
        cls.all_partners = cls.test_partners | cls.prospect
        cls.all_links = cls.env["res.partner.link"].create(
            [
                {"partner_id": partner.id, "name": "Shop", "url": f"https://shop{partner.id}.example.com"}
                for partner in cls.all_partners
            ]
        )
        cls.all_orders = (
            cls.test_orders
            | cls.order_mine_location
            | cls.order_mine_contact
            | cls.quotation_prospect
            | cls.quotation_prospect_rep2
        )

    def _former_rule_rows(self, user):
        """The partners and orders the former rules let ``user`` see, among the test's."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        SaleOrder = self.env["sale.order"]
        return (
            Partner.search([("id", "in", self.all_partners.ids), *with_uid(FORMER_PARTNER_RULE, user.id)]),
            SaleOrder.search([("id", "in", self.all_orders.ids), *with_uid(FORMER_ORDER_RULE, user.id)]),
        )


@tagged("post_install", "-at_install")
class TestOwnAccountsIndexedRules(OwnAccountsIndexMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_own_accounts_index()

    def _assert_same_rows_as_former_rules(self):
        self.env.flush_all()
        for user in (self.rep, self.rep2):
            partners, orders = self._former_rule_rows(user)
            seen_partners = (
                self.env["res.partner"].with_user(user).search([("id", "in", self.all_partners.ids)])
            )
            seen_orders = self.env["sale.order"].with_user(user).search([("id", "in", self.all_orders.ids)])
            self.assertEqual(seen_partners.ids, partners.ids, user.login)
            self.assertEqual(seen_orders.ids, orders.ids, user.login)
            lines = (
                self.env["sale.order.line"].with_user(user).search([("order_id", "in", self.all_orders.ids)])
            )
            self.assertEqual(lines.order_id, orders, user.login)
            links = self.env["res.partner.link"].search(
                [("id", "in", self.all_links.ids), *with_uid(FORMER_LINK_RULE, user.id)]
            )
            seen_links = (
                self.env["res.partner.link"].with_user(user).search([("id", "in", self.all_links.ids)])
            )
            self.assertEqual(seen_links.ids, links.ids, user.login)
            self.assertEqual(seen_links.partner_id, partners, user.login)
            report = self.env["sale.report"].with_user(user).search([("order_reference", "!=", False)])
            self.assertEqual(
                {row.order_reference.id for row in report} & set(self.all_orders.ids),
                set(orders.ids),
                user.login,
            )

    def test_rules_compare_indexed_columns(self):
        for xmlid in (
            "res_partner_rule_own_accounts",
            "sale_order_rule_own_accounts",
            "sale_order_line_rule_own_accounts",
            "sale_report_rule_own_accounts",
            "res_partner_link_rule_own_accounts",
        ):
            domain = self.env.ref(f"customer_rep.{xmlid}").domain_force
            self.assertNotIn("commercial_partner_id.", domain, xmlid)
            self.assertNotIn("is_customer_account'", domain.replace("('is_customer_account'", ""), xmlid)
        for xmlid in (
            "res_partner_rule_edit_own_accounts",
            "res_partner_link_rule_edit_own_accounts",
            "sale_order_rule_edit_own_accounts",
            "sale_order_line_rule_edit_own_accounts",
        ):
            domain = self.env.ref(f"customer_rep.{xmlid}").domain_force
            self.assertNotIn("commercial_partner_id.", domain, xmlid)
            self.assertIn("customer_account_manager_id", domain, xmlid)
        for model, field in (
            ("res.partner", "customer_account_manager_id"),
            ("sale.order", "customer_account_manager_id"),
            ("sale.order", "prospect_account_manager_id"),
        ):
            self.assertEqual(self.env[model]._fields[field].index, "btree_not_null", f"{model}.{field}")
        # The order rule is a plain condition on the order's own columns: no subquery.
        query = self.env["sale.order"].with_user(self.rep)._search([])
        self.assertNotIn("SELECT", str(query.where_clause).upper())

    def test_update_gives_former_rules_their_new_domains(self):
        """The rules are noupdate records: migration 18.0.1.3.0 gives a rule still holding a
        domain an earlier version shipped (nested paths) the new one, and leaves an adjusted
        rule alone."""
        migration = load_script(
            file_path("customer_rep/migrations/18.0.1.3.0/post-migration.py"), "customer_rep_post_1_3"
        )
        rules = {xmlid: self.env.ref(f"customer_rep.{xmlid}") for xmlid in migration.FORMER_DOMAINS}
        # What the migration writes is what 18.0.1.4.0's migration (account teams and covers)
        # turns into what a new database gets from the security file.
        teams = load_script(
            file_path("customer_rep/migrations/18.0.1.4.0/post-teams.py"), "customer_rep_post_teams"
        )
        self.assertEqual({xmlid: teams.DOMAINS[xmlid][0] for xmlid in rules}, migration.NEW_DOMAINS)
        self.assertEqual(
            {xmlid: rule.domain_force for xmlid, rule in rules.items()},
            {xmlid: teams.DOMAINS[xmlid][1] for xmlid in rules},
        )
        for xmlid, rule in rules.items():
            rule.domain_force = migration.FORMER_DOMAINS[xmlid][-1]
        # The former rules give the rows the tests compare with.
        self._assert_same_rows_as_former_rules()
        # Databases installed earlier may hold older domains still.
        for xmlid, rule in rules.items():
            rule.domain_force = migration.FORMER_DOMAINS[xmlid][0]
        data = self.env["ir.model.data"].search(
            [("module", "=", "customer_rep"), ("name", "in", list(migration.FORMER_DOMAINS))]
        )
        self.assertEqual(len(data), len(migration.FORMER_DOMAINS))
        data.noupdate = False  # as 18.0.1.1.0 left them
        adjusted = "[('partner_id.name', '!=', False)]"
        rules["res_partner_link_rule_own_accounts"].domain_force = adjusted
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        for xmlid, rule in rules.items():
            expected = (
                adjusted if xmlid == "res_partner_link_rule_own_accounts" else migration.NEW_DOMAINS[xmlid]
            )
            self.assertEqual(rule.domain_force, expected, xmlid)
        self.assertEqual(set(data.mapped("noupdate")), {True})
        rules["res_partner_link_rule_own_accounts"].domain_force = migration.NEW_DOMAINS[
            "res_partner_link_rule_own_accounts"
        ]
        self._assert_same_rows_as_former_rules()

    def test_same_rows_as_before(self):
        self.assertEqual(
            self.env["sale.order"].with_user(self.rep).search([("id", "in", self.all_orders.ids)]),
            self.order_mine | self.order_mine_location | self.order_mine_contact | self.quotation_prospect,
        )
        self._assert_same_rows_as_former_rules()

    def test_same_rows_after_changes(self):
        # A contact moves to another company, the prospect becomes rep2's customer, a customer
        # changes manager, a quotation changes customer.
        self.mine_contact.parent_id = self.theirs
        self._assert_same_rows_as_former_rules()
        self.prospect.account_manager_id = self.rep2
        self._assert_same_rows_as_former_rules()
        self.theirs.account_manager_id = self.rep
        self._assert_same_rows_as_former_rules()
        self.order_theirs.partner_id = self.mine
        self.unmanaged.customer_rank = 0
        self._assert_same_rows_as_former_rules()

    def test_same_rows_after_a_customer_joins_a_company_with_its_own_manager(self):
        """One write moves a customer under another company and gives it an account manager of
        its own: its rows and its orders' follow the company's manager."""
        individual = self.env["res.partner"].create(
            {"name": "Ida Individuell", "customer_rank": 1, "account_manager_id": self.rep2.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": individual.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        self.all_partners |= individual
        self.all_orders |= order
        self.all_links |= self.env["res.partner.link"].create(
            {"partner_id": individual.id, "url": "https://ida.example.com"}
        )
        self._assert_same_rows_as_former_rules()
        individual.write({"parent_id": self.mine.id, "account_manager_id": self.rep2.id})
        self.assertRecordValues(
            individual,
            [
                {
                    "commercial_partner_id": self.mine.id,
                    "customer_account_manager_id": self.rep.id,
                    "effective_account_manager_id": self.rep2.id,
                }
            ],
        )
        self.assertEqual(order.customer_account_manager_id, self.rep)
        self._assert_same_rows_as_former_rules()

    def test_bulk_update_keeps_the_columns_right(self):
        """The bulk update sets the columns with set-based SQL: same rows as the ORM would."""
        wizard = (
            self.env["customer.rep.mass.update"]
            .with_user(self.sales_admin)
            .create(
                {
                    "partner_ids": [Command.set((self.theirs | self.unmanaged).ids)],
                    "set_account_manager": True,
                    "account_manager_id": self.rep.id,
                }
            )
        )
        wizard.action_apply()
        self.assertRecordValues(
            self.theirs_contact | self.theirs_location,
            [{"customer_account_manager_id": self.rep.id}] * 2,
        )
        self.assertRecordValues(
            self.order_theirs | self.order_unmanaged,
            [{"customer_account_manager_id": self.rep.id}] * 2,
        )
        self._assert_same_rows_as_former_rules()
        self.assertIn(self.order_unmanaged, self.env["sale.order"].with_user(self.rep).search([]))


@tagged("post_install", "-at_install")
class TestOwnAccountsIndexedRulesXmlRpc(OwnAccountsIndexMixin, XmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_own_accounts_index()

    def _seen(self, call):
        return (
            set(call("res.partner", "search", [("id", "in", self.all_partners.ids)])),
            set(call("sale.order", "search", [("id", "in", self.all_orders.ids)])),
        )

    def test_rows_over_xmlrpc(self):
        rep = self._rpc("cr_rep", "cr_rep_pw")
        rep2 = self._rpc("cr_rep2", "cr_rep2_pw")
        # A customer's orders: of the customer, its contact and its location (whose own
        # manager is rep2); a prospect's quotation the rep manages.
        partners, orders = self._seen(rep)
        self.assertEqual(
            orders,
            {
                self.order_mine.id,
                self.order_mine_location.id,
                self.order_mine_contact.id,
                self.quotation_prospect.id,
            },
        )
        self.assertEqual(partners, set((self.visible_partners | self.vendor | self.prospect).ids))
        # The location that overrides to rep2 stays hidden from rep2 with its customer; rep2
        # sees its own customer (with the location that overrides to rep) and its prospect's
        # quotation.
        partners2, orders2 = self._seen(rep2)
        self.assertNotIn(self.mine_location.id, partners2)
        self.assertNotIn(self.order_mine_location.id, orders2)
        self.assertIn(self.theirs_location.id, partners2)
        self.assertEqual(
            orders2,
            {
                self.order_theirs.id,
                self.order_theirs_my_location.id,
                self.order_no_salesperson.id,
                self.quotation_prospect_rep2.id,
            },
        )
        lines = rep("sale.order.line", "search_read", [("order_id", "in", self.all_orders.ids)], ["order_id"])
        self.assertEqual({line["order_id"][0] for line in lines}, orders)
        # A contact moved to another company: its orders go with it.
        self.mine_contact.parent_id = self.theirs
        self.env.flush_all()
        partners, orders = self._seen(rep)
        self.assertNotIn(self.mine_contact.id, partners)
        self.assertNotIn(self.order_mine_contact.id, orders)
        partners2, orders2 = self._seen(rep2)
        self.assertIn(self.mine_contact.id, partners2)
        self.assertIn(self.order_mine_contact.id, orders2)
        # The prospect becomes rep2's customer: its quotations follow the customer's manager.
        self.prospect.account_manager_id = self.rep2
        self.env.flush_all()
        _partners, orders = self._seen(rep)
        self.assertNotIn(self.quotation_prospect.id, orders)
        _partners2, orders2 = self._seen(rep2)
        self.assertLessEqual({self.quotation_prospect.id, self.quotation_prospect_rep2.id}, orders2)
        count = rep(
            "sale.report", "search_count", [("order_reference", "=", f"sale.order,{self.order_mine.id}")]
        )
        self.assertEqual(count, 1)
        count = rep(
            "sale.report", "search_count", [("order_reference", "=", f"sale.order,{self.order_theirs.id}")]
        )
        self.assertEqual(count, 0)
