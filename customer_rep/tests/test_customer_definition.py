import time

from lxml import etree
from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL, mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestCustomerDefinition(CustomerRepCase):
    """One definition of a customer: a commercial partner that has a confirmed order, an account
    manager, a customer rank, or was created as a customer. The register's menus, numbers,
    own-accounts rules and reports all go by it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.customers_action = cls.env.ref("customer_rep.res_partner_action_customers")
        cls.overview_action = cls.env.ref("customer_rep.res_partner_action_account_manager_overview")
        cls.rep = new_test_user(
            cls.env,
            login="cr_def_rep",
            name="Rut Rep",
            groups="sales_team.group_sale_salesman,customer_rep.group_own_accounts",
        )
        cls.env["ir.config_parameter"].set_param("customer_rep.generate_customer_numbers", "True")

    def _in_action(self, action, partner, extra_domain=()):
        """Whether the action (its domain, and ``extra_domain`` such as a filter's) lists ``partner``."""
        domain = [*safe_eval(action.domain or "[]"), *extra_domain, ("id", "=", partner.id)]
        return bool(self.Partner.search_count(domain))

    def _assert_customer(self, partner):
        self.assertRecordValues(partner, [{"is_customer_account": True}])
        self.assertTrue(partner.ref, "a customer has a customer number")
        self.assertTrue(partner._is_customer())
        self.assertTrue(self._in_action(self.customers_action, partner))

    def _assert_no_customer(self, partner):
        self.assertRecordValues(partner, [{"is_customer_account": False, "ref": False}])
        self.assertFalse(partner._is_customer())
        self.assertFalse(self._in_action(self.customers_action, partner))

    def test_customers_action_is_the_definition(self):
        """The Customers action and the account-manager report list exactly the partners that
        ``_get_customer_domain`` finds."""
        expected = self.Partner.with_context(active_test=False).search(self.Partner._get_customer_domain())
        for action in (self.customers_action, self.overview_action):
            found = self.Partner.with_context(active_test=False).search(safe_eval(action.domain))
            self.assertEqual(found, expected, action.name)
        self.assertIn(self.customer, expected)

    def test_vendor_has_no_customer_number(self):
        from_purchase = self.Partner.with_context(res_partner_search_mode="supplier").create(
            {"name": "Leverandør AS", "is_company": True}
        )
        with_rank = self.Partner.create(
            {"name": "Grossist Leverandør AS", "is_company": True, "supplier_rank": 1}
        )
        for vendor in (from_purchase, with_rank):
            self._assert_no_customer(vendor)
        # A rep restricted to their own accounts who creates a vendor does not make it theirs.
        vendor = (
            self.Partner.with_user(self.rep)
            .with_context(res_partner_search_mode="supplier")
            .create({"name": "Reps Leverandør AS", "is_company": True})
        )
        self._assert_no_customer(vendor)
        self.assertFalse(vendor.account_manager_id)

    def test_created_in_the_register_gets_a_number(self):
        context = safe_eval(self.customers_action.context)
        for user in (self.salesman, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login):
                form = Form(self.Partner.with_user(user).with_context(**context))
                form.name = f"Registerkunde {user.login}"
                partner = form.save()
                self._assert_customer(partner)
                self.assertTrue(partner.is_company)
        # An import into the register runs with its action's context.
        result = (
            self.Partner.with_user(self.salesman).with_context(**context).load(["name"], [["Importert AS"]])
        )
        self.assertFalse(result["messages"])
        self._assert_customer(self.Partner.browse(result["ids"]))

    def test_plain_partner_is_no_customer(self):
        """A partner made outside the register (the Contacts app, a script) is no customer
        until one of the events happens."""
        partner = self.Partner.create({"name": "Kontakt AS", "is_company": True})
        self._assert_no_customer(partner)
        self.assertEqual(partner.engagement_status, "new")  # figures exist on every commercial partner

    def test_partners_from_emails_and_users_draw_no_number(self):
        number_next = self.env.ref("customer_rep.seq_customer_number").number_next_actual
        found = self.Partner.find_or_create("Eva Epost <eva.epost@example.com>")
        [from_emails] = self.Partner._find_or_create_from_emails(["ola.post@example.com"])
        order = self._create_order(self.customer)
        [from_gateway] = order._mail_find_partner_from_emails(
            ["gateway.sender@example.com"], force_create=True
        )
        # The composer of a rep restricted to their own accounts: no account manager, no customer.
        [from_rep] = (
            self.env["sale.order"]
            .with_user(self.rep)
            ._mail_find_partner_from_emails(["rep.recipient@example.com"], force_create=True)
        )
        user = new_test_user(self.env, login="cr_def_new_user", name="Nora Ny", groups="base.group_user")
        for partner in (found, from_emails, from_gateway, from_rep.sudo(), user.partner_id):
            with self.subTest(partner=partner.name):
                self.assertTrue(partner)
                self._assert_no_customer(partner)
        self.assertFalse(from_rep.sudo().account_manager_id)
        self.assertEqual(self.env.ref("customer_rep.seq_customer_number").number_next_actual, number_next)

    def test_quotation_customer_field_creates_a_customer(self):
        """The quotation form's customer field, as the web client quick-creates from it (its
        context from the view), as a salesman."""
        arch = self.env["sale.order"].get_view(self.env.ref("sale.view_order_form").id, "form")["arch"]
        [field] = etree.fromstring(arch).xpath("//group[@name='partner_details']/field[@name='partner_id']")
        context = safe_eval(field.get("context"))
        SaleOrder = self.env["sale.order"].with_user(self.salesman)
        partner_id, _name = (
            self.Partner.with_user(self.salesman).with_context(**context).name_create("Hurtig Kunde AS")
        )
        partner = self.Partner.browse(partner_id)
        with Form(SaleOrder) as form:
            form.partner_id = partner
            with form.order_line.new() as line:
                line.product_id = self.product
        self.assertEqual(form.record.partner_id, partner)
        self._assert_customer(partner)

    def test_first_confirmed_order_makes_a_customer(self):
        partner = self.Partner.create({"name": "Solgt Til AS", "is_company": True})
        contact = self.Partner.create({"name": "Siv Solgt", "parent_id": partner.id})
        self._assert_no_customer(partner)
        order = self._create_order(partner)
        order.with_user(self.salesman).action_confirm()
        self._assert_customer(partner)
        self.assertRecordValues(contact, [{"is_customer_account": True, "ref": False}])
        self.assertEqual(partner.customer_rank, 1)
        self.assertEqual(order.prospect_account_manager_id, self.env["res.users"])
        # A cancelled order does not take it out of the register again; no second number.
        number = partner.ref
        order.with_user(self.salesman)._action_cancel()
        self._assert_customer(partner)
        self.assertEqual(partner.ref, number)

    def test_confirming_for_a_customer_reads_nothing_more(self):
        """The hot path: confirming an order of a customer that is one already costs the
        check a flag the confirmation has loaded, no query."""
        order = self._create_order(self.customer)
        order.action_confirm()
        with self.assertQueryCount(0):
            order._make_customers_of_confirmed_orders()

    def test_confirming_never_waits_for_a_busy_prospect(self):
        """Another transaction holds the prospect's row: the confirmation does not wait for it
        (the prospect is made a customer right after the commit, in a transaction of its own)."""
        prospect = self.env.company.partner_id  # committed before the test, no customer rank
        self.assertFalse(prospect.is_customer_account)
        order = self._create_order(prospect)
        other_cr = self.registry.cursor()
        try:
            other_cr.execute(SQL("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", prospect.id))
            self.env.cr.execute("SET LOCAL lock_timeout = '3s'")
            order.action_confirm()
            self.env.cr.execute("SET LOCAL lock_timeout = 0")
        finally:
            other_cr.rollback()
            other_cr.close()
        self.assertEqual(order.state, "sale")
        # The fold after the commit never runs here, as when the process dies right after the
        # commit: the daily job makes the prospect a customer, with its number.
        self.assertFalse(prospect.is_customer_account)
        self.env["res.partner"]._cron_update_engagement_status()
        self._assert_customer(prospect)

    def test_confirmed_customer_in_champions_and_account_manager_report(self):
        partner = self.Partner.create({"name": "Stjernekunde AS", "is_company": True})
        line = {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 1_000_000.0}
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "account_manager_id": self.manager_b.id,
                    "order_line": [(0, 0, line)],
                }
                for _i in range(30)
            ]
        )
        orders[0].action_confirm()
        # The order's account manager won the customer: it manages it from now on.
        self.assertEqual(partner.account_manager_id, self.manager_b)
        self._assert_customer(partner)
        self.assertTrue(
            self._in_action(self.overview_action, partner, [("account_manager_id", "=", self.manager_b.id)])
        )
        (orders - orders[0]).action_confirm()
        self.Partner._recompute_rfm_segments()
        self.assertEqual(partner.rfm_segment, "champions")
        self.assertTrue(self._in_action(self.customers_action, partner, [("rfm_segment", "=", "champions")]))

    def test_account_manager_makes_a_customer(self):
        partner = self.Partner.create({"name": "Forvaltet AS", "is_company": True})
        self._assert_no_customer(partner)
        partner.with_user(self.assigner).account_manager_id = self.manager_a
        self._assert_customer(partner)
        self.assertTrue(self._in_action(self.overview_action, partner))

    def test_invoice_rank_makes_a_customer(self):
        partner = self.Partner.create({"name": "Fakturert AS", "is_company": True})
        partner._increase_rank("customer_rank")
        self._assert_customer(partner)

    def test_own_accounts_rep_confirms_a_prospect(self):
        """A rep restricted to their own accounts quotes a prospect and confirms: the prospect is
        a customer, theirs, and they keep the order in sight. A prospect confirmed by somebody
        else without an account manager is a customer nobody manages: hidden from reps."""
        prospect = self.Partner.create({"name": "Prospekt AS", "is_company": True})
        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create({"partner_id": prospect.id, "order_line": [(0, 0, {"product_id": self.product.id})]})
        )
        self.assertEqual(order.prospect_account_manager_id, self.rep)
        order.with_user(self.rep).action_confirm()
        self._assert_customer(prospect)
        self.assertEqual(prospect.account_manager_id, self.rep)
        self.assertEqual(self.env["sale.order"].with_user(self.rep).search([("id", "=", order.id)]), order)
        self.assertEqual(self.Partner.with_user(self.rep).search([("id", "=", prospect.id)]), prospect)

        other = self.Partner.create({"name": "Annen Prospekt AS", "is_company": True})
        self.assertEqual(self.Partner.with_user(self.rep).search([("id", "=", other.id)]), other)
        self._create_order(other).action_confirm()
        self._assert_customer(other)
        self.assertFalse(other.account_manager_id)
        self.assertFalse(self.Partner.with_user(self.rep).search([("id", "=", other.id)]))

    def test_fill_for_existing_rows(self):
        """The fill of install and of the 18.0.1.4.0 migration: partners sold to before (their
        rank left at 0 in SQL, as before this version) become customers, set-based, and keep
        their numbers; a second run changes nothing."""
        sold_to = self.Partner.create({"name": "Gammel Kunde AS", "is_company": True, "ref": "OLD-1"})
        contact = self.Partner.create({"name": "Gro Gammel", "parent_id": sold_to.id})
        vendor = self.Partner.create({"name": "Gammel Leverandør AS", "is_company": True, "ref": "OLD-2"})
        order = self._create_order(contact)
        order.action_confirm()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET customer_rank = 0, is_customer_account = FALSE WHERE id = ANY(%s)",
                (sold_to | contact).ids,
            )
        )
        self.env.invalidate_all()
        self.assertFalse(sold_to.is_customer_account)
        self.assertEqual(self.Partner._fill_customers_with_confirmed_orders(), sold_to.ids)
        self.assertRecordValues(
            sold_to | contact | vendor,
            [
                {"is_customer_account": True, "customer_rank": 1, "ref": "OLD-1"},
                {"is_customer_account": True, "customer_rank": 0, "ref": False},
                {"is_customer_account": False, "customer_rank": 0, "ref": "OLD-2"},
            ],
        )
        self.assertEqual(self.Partner._fill_customers_with_confirmed_orders(), [])

    def test_non_customers_created_at_once_do_not_wait(self):
        """Partners made from e-mails and for users take no customer number, so they never
        wait on the no-gap sequence, even while another transaction holds it (this test's: it
        numbered a customer and has not committed). Two more real transactions, as two requests,
        each create non-customers while the other is open."""
        holder = self.Partner.with_context(res_partner_search_mode="customer").create(
            {"name": "Låser Sekvensen AS", "is_company": True}
        )
        self.assertTrue(holder.ref)
        first_cr, second_cr = self.registry.cursor(), self.registry.cursor()
        try:
            first = api.Environment(first_cr, SUPERUSER_ID, {})
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            started = time.monotonic()
            for env in (first, second):
                env.cr.execute("SET lock_timeout = '2s'")
            created = [
                first["res.partner"].find_or_create("first.sender@example.com"),
                second["res.partner"].find_or_create("second.sender@example.com"),
                *first["res.partner"]._find_or_create_from_emails(["first.recipient@example.com"]),
                new_test_user(second, login="cr_def_concurrent", name="Samtidig Bruker").partner_id,
            ]
            elapsed = time.monotonic() - started
            for partner in created:
                self.assertRecordValues(partner, [{"ref": False, "is_customer_account": False}])
            self.assertLess(elapsed, 2.0)
            # The sequence is held indeed: a customer could not be numbered meanwhile.
            with mute_logger("odoo.sql_db"), self.assertRaises(errors.LockNotAvailable):
                second["res.partner"].with_context(res_partner_search_mode="customer").create(
                    {"name": "Venter AS", "is_company": True}
                )
        finally:
            for cr in (second_cr, first_cr):
                cr.rollback()
                cr.close()
