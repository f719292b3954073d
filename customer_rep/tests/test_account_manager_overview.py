from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestAccountManagerOverview(CustomerRepCase):
    """Sales → Reporting → Account Managers and the account manager in Sales Analysis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="cr_overview_rep",
            name="Rita Rep",
            groups="sales_team.group_sale_salesman_all_leads,customer_rep.group_own_accounts",
        )
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create(
            {"name": "Mine AS", "is_company": True, "customer_rank": 1, "account_manager_id": cls.rep.id}
        )
        cls.mine_new = Partner.create(
            {"name": "Mine Ny AS", "is_company": True, "customer_rank": 1, "account_manager_id": cls.rep.id}
        )
        cls.customer_2 = Partner.create(
            {
                "name": "Nordlys To AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": cls.manager_a.id,
            }
        )
        # Manager A: Nordlys with orders of 100 and 500, Nordlys To with one of 1,200; the rep:
        # Mine with one of 300 and Mine Ny without orders.
        for partner, quantity in ((cls.customer, 1), (cls.customer, 5), (cls.customer_2, 12), (cls.mine, 3)):
            cls._create_order(
                partner,
                order_line=[
                    (0, 0, {"product_id": cls.product.id, "product_uom_qty": quantity, "price_unit": 100.0})
                ],
            ).action_confirm()
        cls.action = cls.env.ref("customer_rep.res_partner_action_account_manager_overview")

    def _overview(self, user, groupby, domain=()):
        action_domain = [
            ("is_customer_account", "=", True),
            "|",
            ("parent_id", "=", False),
            ("is_company", "=", True),
        ]
        return (
            self.env["res.partner"]
            .with_user(user)
            .read_group(
                action_domain + list(domain),
                ["__count", "order_amount_total:sum", "order_amount_average:avg"],
                groupby,
                lazy=False,
            )
        )

    def test_action_and_menu(self):
        self.assertEqual(self.action.view_mode.split(",")[:2], ["graph", "pivot"])
        self.assertEqual(self.action.res_model, "res.partner")
        # Number of customers by default; total ordered and average per order in the pivot.
        self.assertIn("'graph_measure': '__count'", self.action.context)
        self.assertIn("'order_amount_average'", self.action.context)
        menu = self.env.ref("customer_rep.res_partner_account_manager_overview_menu")
        self.assertRecordValues(menu, [{"action": self.action, "name": "Account Managers"}])
        self.assertEqual(menu.parent_id, self.env.ref("sale.menu_sale_report"))
        views = self.env["res.partner"].get_views([(False, "graph"), (False, "pivot")])
        self.assertIn("account_manager_id", views["views"]["graph"]["arch"])

    def test_measures_by_account_manager_and_engagement(self):
        customers = self.customer | self.customer_2 | self.mine | self.mine_new
        groups = self._overview(
            self.sales_admin, ["account_manager_id", "engagement_status"], [("id", "in", customers.ids)]
        )
        # The average per order of a group is its total over its orders (1,800 / 3), not the
        # mean of its customers' averages ((300 + 1,200) / 2).
        self.assertEqual(
            {
                (g["account_manager_id"][0], g["engagement_status"]): (
                    g["__count"],
                    g["order_amount_total"],
                    g["order_amount_average"],
                )
                for g in groups
            },
            {
                (self.manager_a.id, "engaged"): (2, 1800.0, 600.0),
                (self.rep.id, "engaged"): (1, 300.0, 300.0),
                (self.rep.id, "new"): (1, 0.0, 0.0),
            },
        )

    def test_restricted_rep_sees_only_own_customers(self):
        groups = self._overview(self.rep, ["account_manager_id", "engagement_status"])
        self.assertEqual(
            {(g["account_manager_id"][0], g["engagement_status"], g["__count"]) for g in groups},
            {(self.rep.id, "engaged", 1), (self.rep.id, "new", 1)},
        )
        drill_down = (
            self.env["res.partner"]
            .with_user(self.rep)
            .search([("is_customer_account", "=", True), ("account_manager_id", "=", self.manager_a.id)])
        )
        self.assertEqual(drill_down, self.env["res.partner"])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.rep).read(["order_amount_total"])

    def test_sales_analysis_by_account_manager(self):
        arch = self.env["sale.report"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="group_account_manager"', arch)
        self.assertIn('name="my_accounts"', arch)
        self.env.flush_all()
        rep_groups = (
            self.env["sale.report"]
            .with_user(self.rep)
            .read_group([("state", "=", "sale")], ["price_subtotal:sum"], ["account_manager_id"], lazy=False)
        )
        self.assertEqual(
            [(g["account_manager_id"][0], g["price_subtotal"]) for g in rep_groups], [(self.rep.id, 300.0)]
        )
        admin_groups = (
            self.env["sale.report"]
            .with_user(self.sales_admin)
            .read_group(
                [("state", "=", "sale"), ("partner_id", "in", (self.customer | self.mine).ids)],
                ["price_subtotal:sum"],
                ["account_manager_id"],
                lazy=False,
            )
        )
        self.assertEqual(
            {(g["account_manager_id"][0], g["price_subtotal"]) for g in admin_groups},
            {(self.manager_a.id, 600.0), (self.rep.id, 300.0)},
        )
