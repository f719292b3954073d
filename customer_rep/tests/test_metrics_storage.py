import re
from datetime import date

from freezegun import freeze_time
from psycopg2 import errors

from odoo import sql_db
from odoo.modules.migration import load_script
from odoo.tests import tagged
from odoo.tools import file_path, mute_logger

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestMetricsSearchAndViews(CustomerRepCase):
    """Stored metrics: searchable, sortable, groupable; views and the order history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.third = cls.env["res.partner"].create({"name": "Tredje Kunde AB", "is_company": True})
        with freeze_time("2026-06-01"):
            for partner, price in ((cls.customer, 500.0), (cls.contact, 100.0), (cls.other_customer, 50.0)):
                order = cls._create_order(partner)
                order.order_line.price_unit = price
                order.action_confirm()
        with freeze_time("2024-06-01"):
            order = cls._create_order(cls.third)
            order.action_confirm()
        with freeze_time("2026-06-30"):
            cls.env["res.partner"]._cron_update_engagement_status()
        cls.customers = cls.customer | cls.other_customer | cls.third

    def test_search_sort_group(self):
        Partner = self.env["res.partner"]
        scope = [("id", "in", self.customers.ids)]
        self.assertEqual(
            Partner.search(scope, order="order_amount_total desc"),
            self.customer | self.third | self.other_customer,
        )
        self.assertEqual(Partner.search([*scope, ("engagement_status", "=", "lapsed")]), self.third)
        self.assertEqual(Partner.search([*scope, ("order_count", ">=", 2)]), self.customer)
        self.assertEqual(
            Partner.search([*scope, ("last_order_date", "<", "2025-01-01")], order="last_order_date"),
            self.third,
        )
        groups = Partner._read_group(scope, ["engagement_status"], ["__count", "order_amount_total:sum"])
        self.assertEqual(sorted(groups), [("engaged", 2, 650.0), ("lapsed", 1, 100.0)])

    def test_my_accounts_engaged_count_is_covered_by_an_index(self):
        """The "My Accounts" + "Engaged" count of a sales user, Odoo's record rules included, reads
        only columns of one partial index, so PostgreSQL answers it with an index-only scan at
        scale (bench/run, figure b) instead of visiting each partner of the manager."""
        Partner = self.env["res.partner"].with_user(self.manager_a)
        domain = [
            ("effective_account_manager_id", "=", self.manager_a.id),
            ("engagement_status", "=", "engaged"),
        ]
        query = Partner._search(domain)
        where = self.env.cr.mogrify(query.where_clause.code, query.where_clause.params).decode()
        columns = set(re.findall(r'"res_partner"\."(\w+)"', where))
        self.assertIn("partner_share", columns, "Odoo's multi-company rule applies to the user")
        self.env.cr.execute(
            """SELECT a.attname, i.indpred IS NOT NULL
                 FROM pg_index i
                 JOIN pg_class c ON c.oid = i.indexrelid
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                WHERE c.relname = 'res_partner_manager_engagement_idx'"""
        )
        rows = self.env.cr.fetchall()
        self.assertTrue(rows and all(partial for _name, partial in rows))
        # "active" is the index's predicate, every other column is in the index.
        self.assertLessEqual(columns - {"active"}, {name for name, _partial in rows})

    def test_sort_only_columns_carry_no_index(self):
        """Columns lists sort on but nobody searches have no index, which every order event
        would write to; the 18.0.1.2.0 migration drops those earlier versions created (Odoo
        keeps an index whose field is no longer indexed)."""
        migration = load_script(
            file_path("customer_rep/migrations/18.0.1.2.0/post-migration.py"), "customer_rep_post_1_2"
        )
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner' AND indexname = ANY(%s)",
            [list(migration.DROPPED_INDEXES)],
        )
        self.assertFalse(self.env.cr.fetchall())
        self.env.cr.execute("CREATE INDEX res_partner__order_count_index ON res_partner (order_count)")
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'res_partner__order_count_index'")
        self.assertFalse(self.env.cr.fetchall())
        # Sorting on them still works (test_search_sort_group), now without an index.
        scope = [("id", "in", self.customers.ids)]
        by_count = self.env["res.partner"].search(scope, order="order_count desc, id")
        self.assertEqual(by_count[:1], self.customer)

    def test_views_load(self):
        # As the customers menu loads them, for a sales user.
        action = self.env.ref("account.res_partner_action_customer")
        views = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .get_views(
                [(False, "list"), (False, "form"), (False, "search")],
                {"action_id": action.id, "load_filters": True, "toolbar": True},
            )
        )
        list_arch = views["views"]["list"]["arch"]
        for fname in ("order_amount_total", "order_count", "order_amount_average", "last_order_date"):
            self.assertIn(f'name="{fname}"', list_arch)
        self.assertIn('widget="badge"', list_arch)
        self.assertIn('name="action_view_order_history"', views["views"]["form"]["arch"])
        search_arch = views["views"]["search"]["arch"]
        for name in ("engagement_new", "engagement_engaged", "engagement_lapsed", "group_engagement_status"):
            self.assertIn(f'name="{name}"', search_arch)
        data = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .web_search_read(
                [("id", "in", self.customers.ids)],
                {fname: {} for fname in ("order_amount_total", "order_count", "engagement_status")},
                order="order_amount_total desc",
            )
        )
        self.assertEqual(
            [r["id"] for r in data["records"]], (self.customer | self.third | self.other_customer).ids
        )

    def test_order_history(self):
        quotation = self._create_order(self.location)
        action = self.contact.with_user(self.salesman).action_view_order_history()
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(orders.partner_id, self.customer | self.contact | self.location)
        self.assertIn(quotation, orders)
        # All of them, quotations and cancelled orders too; the filter Sales Orders, on by
        # default, shows the confirmed ones the button counts.
        self.assertEqual(
            action["context"], {"default_partner_id": self.customer.id, "search_default_sales": 1}
        )
        self.assertEqual(len(orders.filtered(lambda o: o.state == "sale")), self.customer.order_count)
        views = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .get_views([(False, "list"), (action["search_view_id"][0], "search")])
        )
        self.assertIn('name="sales"', views["views"]["search"]["arch"])


@tagged("post_install", "-at_install")
class TestMetricsLocking(CustomerRepCase):
    """The recompute locks the customer's row, so concurrent recomputes serialize."""

    def test_recompute_locks_the_customer_row(self):
        # A partner committed before the test, so that a second connection sees its row.
        customer = self.env.company.partner_id
        customer._recompute_order_metrics()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SET lock_timeout = '200ms'")
            # New orders for the customer are not blocked: their foreign key takes KEY SHARE.
            other.execute("SELECT id FROM res_partner WHERE id = %s FOR KEY SHARE", [customer.id])
            self.assertEqual(other.fetchall(), [(customer.id,)])
            # A concurrent recompute (or any update) of the same customer waits for this one.
            with mute_logger("odoo.sql_db"), self.assertRaises(errors.LockNotAvailable):
                other.execute("UPDATE res_partner SET order_count = order_count WHERE id = %s", [customer.id])
        finally:
            other.rollback()
            other.close()

    def test_one_query_set_per_batch(self):
        """Recomputing many customers costs the same queries as recomputing one."""
        partners = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "is_company": True} for i in range(30)]
        )
        self.env.flush_all()
        self.other_customer._recompute_order_metrics()  # warm the settings cache
        with self.assertQueryCount(2):
            self.customer._recompute_order_metrics()
        with self.assertQueryCount(2):
            partners._recompute_order_metrics()


@tagged("post_install", "-at_install")
class TestMetricsPartnerMerge(CustomerRepCase):
    def test_merge_customers(self):
        with freeze_time("2026-06-01"):
            for partner in (self.customer, self.location, self.other_customer):
                self._create_order(partner).action_confirm()
        self.env["base.partner.merge.automatic.wizard"]._merge(
            (self.customer | self.other_customer).ids, dst_partner=self.customer
        )
        self.assertFalse(self.other_customer.exists())
        self.assertRecordValues(
            self.customer,
            [{"order_count": 3, "order_amount_total": 300.0, "last_order_date": date(2026, 6, 1)}],
        )
