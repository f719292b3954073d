import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CustomerRepCase, XmlRpcCase


class OwnAccountsMixin:
    """A rep restricted to their own accounts, and a world of partners around them."""

    @classmethod
    def _setup_own_accounts(cls):
        cls.rep = new_test_user(
            cls.env,
            login="cr_rep",
            password="cr_rep_pw",
            name="Rita Rep",
            # All Documents on purpose: its rule [(1, '=', 1)] must not widen the restriction.
            groups="sales_team.group_sale_salesman_all_leads,customer_rep.group_own_accounts",
        )
        cls.standard = new_test_user(
            cls.env,
            login="cr_standard",
            password="cr_standard_pw",
            name="Stan Standard",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        cls.colleague = new_test_user(
            cls.env, login="cr_colleague", name="Colin Colleague", groups="sales_team.group_sale_salesman"
        )
        cls._setup_own_accounts_partners()
        cls._setup_own_accounts_orders()

    @classmethod
    def _setup_own_accounts_partners(cls):
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create(
            {"name": "Mine AS", "is_company": True, "customer_rank": 1, "account_manager_id": cls.rep.id}
        )
        cls.mine_contact = Partner.create({"name": "Mona Mine", "parent_id": cls.mine.id})
        # A location of my customer that another manager looks after: still mine to see.
        cls.mine_location = Partner.create(
            {
                "name": "Mine Lager",
                "parent_id": cls.mine.id,
                "type": "delivery",
                "account_manager_id": cls.colleague.id,
            }
        )
        cls.theirs = Partner.create(
            {
                "name": "Theirs AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": cls.colleague.id,
            }
        )
        cls.theirs_contact = Partner.create({"name": "Tor Theirs", "parent_id": cls.theirs.id})
        # A location of another customer that I manage by override: the customer is not mine,
        # so neither is the location nor its orders.
        cls.theirs_location = Partner.create(
            {
                "name": "Theirs Lager",
                "parent_id": cls.theirs.id,
                "type": "delivery",
                "account_manager_id": cls.rep.id,
            }
        )
        # A customer without account manager: nobody's account, invisible to reps.
        cls.unmanaged = Partner.create({"name": "Ingen AS", "is_company": True, "customer_rank": 2})
        cls.vendor = Partner.create({"name": "Leverandør AS", "is_company": True, "supplier_rank": 1})

    @classmethod
    def _setup_own_accounts_orders(cls):
        product = cls.env["product.product"].create({"name": "Box", "list_price": 10.0, "type": "consu"})
        line = [(0, 0, {"product_id": product.id, "product_uom_qty": 1})]
        SaleOrder = cls.env["sale.order"]
        cls.order_mine = SaleOrder.create({"partner_id": cls.mine.id, "order_line": line})
        theirs = {"partner_id": cls.theirs.id, "partner_shipping_id": cls.theirs.id, "order_line": line}
        cls.order_theirs = SaleOrder.create(theirs)
        # Delivered to the location I manage: its account_manager_id is me, the customer is not.
        cls.order_theirs_my_location = SaleOrder.create(
            {"partner_id": cls.theirs.id, "partner_shipping_id": cls.theirs_location.id, "order_line": line}
        )
        # Orders where I am the salesperson do not make them mine.
        cls.order_unmanaged = SaleOrder.create(
            {"partner_id": cls.unmanaged.id, "user_id": cls.rep.id, "order_line": line}
        )
        cls.order_no_salesperson = SaleOrder.create({**theirs, "user_id": False})
        cls.visible_partners = cls.mine | cls.mine_contact | cls.mine_location
        cls.hidden_partners = cls.theirs | cls.theirs_contact | cls.theirs_location | cls.unmanaged
        cls.test_partners = cls.visible_partners | cls.hidden_partners | cls.vendor
        cls.visible_orders = cls.order_mine
        cls.test_orders = (
            cls.visible_orders
            | cls.order_theirs
            | cls.order_theirs_my_location
            | cls.order_unmanaged
            | cls.order_no_salesperson
        )


@tagged("post_install", "-at_install")
class TestOwnAccounts(OwnAccountsMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_own_accounts()

    def test_customer_account_flag(self):
        self.assertRecordValues(
            self.mine | self.mine_location | self.unmanaged | self.vendor,
            [
                {"is_customer_account": True},
                {"is_customer_account": True},
                {"is_customer_account": True},
                {"is_customer_account": False},
            ],
        )
        # Posting an invoice raises the rank in SQL: the flag follows.
        vendor_contact = self.env["res.partner"].create({"name": "Vera", "parent_id": self.vendor.id})
        self.vendor._increase_rank("customer_rank")
        self.assertRecordValues(self.vendor | vendor_contact, [{"is_customer_account": True}] * 2)

    def test_search_and_count(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        domain = [("id", "in", self.test_partners.ids)]
        self.assertEqual(Partner.search(domain), self.visible_partners | self.vendor)
        self.assertEqual(Partner.search_count(domain), 4)
        SaleOrder = self.env["sale.order"].with_user(self.rep)
        domain = [("id", "in", self.test_orders.ids)]
        self.assertEqual(SaleOrder.search(domain), self.visible_orders)
        self.assertEqual(SaleOrder.search_count(domain), 1)
        lines = (
            self.env["sale.order.line"].with_user(self.rep).search([("order_id", "in", self.test_orders.ids)])
        )
        self.assertEqual(lines.order_id, self.visible_orders)

    def test_links_follow_their_customer(self):
        Link = self.env["res.partner.link"]
        mine = Link.create({"partner_id": self.mine.id, "name": "Shop", "url": "https://mine.example.com"})
        theirs = Link.create(
            {"partner_id": self.theirs.id, "name": "Shop", "url": "https://theirs.example.com"}
        )
        found = Link.with_user(self.rep).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(found, mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep).read(["url"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep).write({"url": "https://evil.example.com"})
        self.env.invalidate_all()
        self.assertEqual(theirs.url, "https://theirs.example.com")

    def test_read_of_known_other_id_refused(self):
        for record in (
            self.theirs,
            self.theirs_contact,
            self.theirs_location,
            self.unmanaged,
            self.order_theirs,
            self.order_theirs_my_location,
            self.order_unmanaged,
        ):
            with self.subTest(record=record.display_name), self.assertRaises(AccessError):
                record.with_user(self.rep).read(["name"])
        with self.assertRaises(AccessError):
            self.order_theirs.order_line.with_user(self.rep).read(["name"])

    def test_write_and_unlink_of_other_refused(self):
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.rep).write({"phone": "+47 99 99 99 99"})
        with self.assertRaises(AccessError):
            self.order_theirs.with_user(self.rep).write({"client_order_ref": "hijack"})
        with self.assertRaises(AccessError):
            self.theirs_contact.with_user(self.rep).unlink()
        self.env.invalidate_all()
        self.assertRecordValues(self.theirs, [{"phone": False}])
        self.assertRecordValues(self.order_theirs, [{"client_order_ref": False}])
        self.assertTrue(self.theirs_contact.exists())

    def test_rules_by_search_equal_the_rules_in_python(self):
        """Bulk paths ask PostgreSQL which records a user may read or write
        (_filtered_access_by_search): the same records as Odoo's own check in Python, archived
        ones included, for a restricted rep, a plain sales user and a portal user."""
        archived = self.env["res.partner"].create(
            {"name": "Mine Arkiv", "parent_id": self.mine.id, "active": False}
        )
        for records in (self.test_partners | archived, self.test_orders):
            for user in (self.rep, self.standard, self.portal_user):
                for operation in ("read", "write"):
                    with self.subTest(model=records._name, user=user.login, operation=operation):
                        as_user = records.with_user(user)
                        if not as_user.browse().has_access(operation):
                            self.assertFalse(as_user._filtered_access_by_search(operation))
                            continue
                        self.assertEqual(
                            as_user._filtered_access_by_search(operation), as_user._filtered_access(operation)
                        )
        self.assertEqual(
            self.test_partners.with_user(self.rep)._filtered_access_by_search("read"),
            self.visible_partners | self.vendor,
        )

    def test_bulk_check_by_search_refuses_and_changes_nothing(self):
        partners = (self.mine | self.theirs).with_user(self.rep)
        with self.assertRaises(AccessError):
            partners._check_access_by_search("write")
        self.mine.with_user(self.rep)._check_access_by_search("write")
        with self.assertRaises(AccessError):
            self.mine.with_user(self.portal_user)._check_access_by_search("write")
        term = self.env.ref("account.account_payment_term_30days")
        with self.assertRaises(AccessError):
            self.env["customer.rep.mass.update"].with_user(self.rep).create(
                {
                    "partner_ids": [Command.set(partners.ids)],
                    "set_payment_term": True,
                    "payment_term_id": term.id,
                }
            ).action_apply()
        self.env.invalidate_all()
        self.assertRecordValues(self.mine | self.theirs, [{"property_payment_term_id": False}] * 2)

    def test_name_search_and_read_group(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        names = {name for _id, name in Partner.name_search("AS", limit=100)}
        self.assertIn("Mine AS", names)
        self.assertNotIn("Theirs AS", names)
        self.assertNotIn("Ingen AS", names)
        groups = Partner._read_group(
            [("id", "in", self.test_partners.ids)], ["effective_account_manager_id"], ["__count"]
        )
        self.assertEqual(dict(groups), {self.rep: 2, self.colleague: 1, self.env["res.users"]: 1})
        groups = (
            self.env["sale.order"]
            .with_user(self.rep)
            ._read_group([("id", "in", self.test_orders.ids)], ["partner_id"], ["__count"])
        )
        self.assertEqual(dict(groups), {self.mine: 1})
        report = (
            self.env["sale.report"]
            .with_user(self.rep)
            .search([("order_reference", "in", [f"sale.order,{order.id}" for order in self.test_orders])])
        )
        self.assertEqual({r.order_reference.id for r in report}, set(self.visible_orders.ids))

    def test_non_customers_stay_visible(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        own = self.env.company.partner_id | self.colleague.partner_id | self.rep.partner_id | self.vendor
        self.assertEqual(Partner.search([("id", "in", own.ids)]), own)
        self.assertEqual(len(own.with_user(self.rep).read(["name"])), 4)

    def test_standard_sales_user_sees_all(self):
        Partner = self.env["res.partner"].with_user(self.standard)
        self.assertEqual(Partner.search([("id", "in", self.test_partners.ids)]), self.test_partners)
        SaleOrder = self.env["sale.order"].with_user(self.standard)
        self.assertEqual(SaleOrder.search([("id", "in", self.test_orders.ids)]), self.test_orders)
        self.assertEqual(self.theirs.with_user(self.standard).read(["name"])[0]["name"], "Theirs AS")

    def test_rep_works_on_own_customers(self):
        mine = self.mine.with_user(self.rep)
        mine.write({"phone": "+47 22 22 22 22"})
        contact = (
            self.env["res.partner"].with_user(self.rep).create({"name": "Ny Kontakt", "parent_id": mine.id})
        )
        self.assertEqual(contact.effective_account_manager_id, self.rep)
        self.assertFalse(contact.account_manager_id)
        order = self.env["sale.order"].with_user(self.rep).create({"partner_id": mine.id})
        # Delivered to the location another manager looks after: still the rep's customer's order.
        self.assertEqual(order.partner_shipping_id, self.mine_location)
        self.assertEqual(order.account_manager_id, self.colleague)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        order.partner_shipping_id = mine
        self.assertEqual(order.read(["account_manager_id"])[0]["account_manager_id"][0], self.colleague.id)

    def test_rep_becomes_manager_of_created_customer(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        customer = Partner.with_context(res_partner_search_mode="customer").create(
            {"name": "Egen Kunde AS", "is_company": True}
        )
        self.assertRecordValues(customer, [{"account_manager_id": self.rep.id, "customer_rank": 1}])
        self.assertEqual(Partner.search([("id", "=", customer.id)]), customer)
        # Vendors and contacts of other partners are not made accounts.
        vendor = Partner.with_context(res_partner_search_mode="supplier").create({"name": "Ny Leverandør"})
        self.assertFalse(vendor.account_manager_id)
        # A standard sales user does not get that treatment.
        plain = (
            self.env["res.partner"].with_user(self.standard).create({"name": "Plain AS", "is_company": True})
        )
        self.assertFalse(plain.account_manager_id)

    def test_quotation_for_nobodys_partner_is_the_reps(self):
        prospect = self.env["res.partner"].create({"name": "Prospekt AS", "is_company": True})
        order = self.env["sale.order"].with_user(self.rep).create({"partner_id": prospect.id})
        self.assertEqual(order.account_manager_id, self.rep)
        order_standard = self.env["sale.order"].with_user(self.standard).create({"partner_id": prospect.id})
        self.assertFalse(order_standard.account_manager_id)
        # The prospect is everybody's to see; of its quotations, the rep sees their own.
        SaleOrder = self.env["sale.order"].with_user(self.rep)
        self.assertEqual(SaleOrder.search([("partner_id", "=", prospect.id)]), order)
        # The quotation cannot be moved to another rep's customer, only to the rep's own.
        with self.assertRaises(AccessError):
            order.with_user(self.rep).write({"partner_id": self.theirs.id})
        self.env.invalidate_all()
        self.assertEqual(order.partner_id, prospect)
        order.with_user(self.rep).write({"partner_id": self.mine.id})
        self.assertEqual(order.partner_id, self.mine)

    def test_quotation_for_other_customer_refused(self):
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.rep).create(
                {"partner_id": self.theirs.id, "partner_shipping_id": self.theirs.id}
            )
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.theirs.id)]), 3)
        # Naming themselves the order's account manager does not open another's customer.
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.rep).create(
                {"partner_id": self.theirs.id, "account_manager_id": self.rep.id}
            )
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.theirs.id)]), 3)
        # Nor does an order of theirs that someone else gave the rep as account manager.
        self.order_theirs.account_manager_id = self.rep
        SaleOrder = self.env["sale.order"].with_user(self.rep)
        self.assertFalse(SaleOrder.search([("id", "=", self.order_theirs.id)]))
        with self.assertRaises(AccessError):
            self.order_theirs.with_user(self.rep).write({"client_order_ref": "hijack"})
        self.assertFalse(self.order_theirs.client_order_ref)
        # A customer nobody manages is no prospect: the rep does not take its orders over.
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.rep).create({"partner_id": self.unmanaged.id})
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.unmanaged.id)]), 1)

    def test_rule_domain_is_one_query(self):
        # The rules are plain conditions in the search's SQL: no query per record.
        Partner = self.env["res.partner"].with_user(self.rep)
        SaleOrder = self.env["sale.order"].with_user(self.rep)
        Partner.search([])
        SaleOrder.search([])  # rules evaluated once and cached for the user
        with self.assertQueryCount(1):
            Partner.search([("id", "in", self.test_partners.ids)])
        with self.assertQueryCount(1):
            SaleOrder.search([("id", "in", self.test_orders.ids)])


@tagged("post_install", "-at_install")
class TestOwnAccountsXmlRpc(OwnAccountsMixin, XmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_own_accounts()

    def test_rep_over_xmlrpc(self):
        call = self._rpc("cr_rep", "cr_rep_pw")
        domain = [("id", "in", self.test_partners.ids)]
        self.assertEqual(
            set(call("res.partner", "search", domain)), set((self.visible_partners | self.vendor).ids)
        )
        self.assertEqual(call("res.partner", "search_count", domain), 4)
        self.assertEqual(call("res.partner", "name_search", "Theirs"), [])
        groups = call(
            "res.partner",
            "read_group",
            domain,
            ["effective_account_manager_id"],
            ["effective_account_manager_id"],
        )
        self.assertEqual(sum(group["effective_account_manager_id_count"] for group in groups), 4)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "top-secret records"):
            call("res.partner", "read", self.theirs.ids, ["name"])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "top-secret records"):
            call("res.partner", "write", self.theirs.ids, {"phone": "+47 11 11 11 11"})
        order_domain = [("id", "in", self.test_orders.ids)]
        self.assertEqual(set(call("sale.order", "search", order_domain)), set(self.visible_orders.ids))
        self.assertEqual(call("sale.order", "search_count", order_domain), 1)
        found = {
            name for _id, name in call("sale.order", "name_search", "S", [("id", "in", self.test_orders.ids)])
        }
        self.assertEqual(found, set(self.visible_orders.mapped("name")))
        groups = call("sale.order", "read_group", order_domain, ["partner_id"], ["partner_id"])
        self.assertEqual(
            {group["partner_id"][0]: group["partner_id_count"] for group in groups},
            {self.mine.id: 1},
        )
        with self.assertRaisesRegex(xmlrpc.client.Fault, "top-secret records"):
            call("sale.order", "read", self.order_theirs.ids, ["name"])
        with self.assertRaisesRegex(xmlrpc.client.Fault, "top-secret records"):
            call(
                "sale.order", "create", {"partner_id": self.theirs.id, "partner_shipping_id": self.theirs.id}
            )
        self.env.invalidate_all()
        self.assertFalse(self.theirs.phone)
        self.assertEqual(self.env["sale.order"].search_count([("partner_id", "=", self.theirs.id)]), 3)

    def test_standard_user_over_xmlrpc(self):
        call = self._rpc("cr_standard", "cr_standard_pw")
        self.assertEqual(call("res.partner", "search_count", [("id", "in", self.test_partners.ids)]), 8)
        self.assertEqual(call("sale.order", "search_count", [("id", "in", self.test_orders.ids)]), 5)
        [theirs] = call("res.partner", "read", self.theirs.ids, ["name"])
        self.assertEqual(theirs["name"], "Theirs AS")
