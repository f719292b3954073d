import re
from datetime import date

from freezegun import freeze_time
from psycopg2 import errors

from odoo import Command, sql_db
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CustomerRepCase

EMPTY = {
    "order_count": 0,
    "order_amount_total": 0.0,
    "order_amount_average": 0.0,
    "first_order_date": False,
    "last_order_date": False,
}


@tagged("post_install", "-at_install")
class TestOrderMetrics(CustomerRepCase):
    """Order metrics of customers stay exact after every kind of change."""

    def _confirmed_order(self, partner, day, price=100.0, qty=1, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": price}
                    )
                ],
                **values,
            }
        )
        with freeze_time(day):
            order.action_confirm()
        return order

    def _cancel(self, order):
        order.with_context(disable_cancel_warning=True).action_cancel()

    def test_new_customer_and_contacts(self):
        self.assertRecordValues(
            self.customer | self.contact | self.location,
            [
                {**EMPTY, "engagement_status": "new"},
                {**EMPTY, "engagement_status": False},
                {**EMPTY, "engagement_status": False},
            ],
        )
        contact = (
            self.env["res.partner"]
            .with_context(default_parent_id=self.customer.id)
            .create({"name": "Created from the company's form"})
        )
        self.assertEqual(contact.engagement_status, False)

    @freeze_time("2026-06-30")
    def test_confirm_counts_the_whole_family(self):
        self._confirmed_order(self.customer, "2026-03-01 10:00", price=100.0)
        self._confirmed_order(self.contact, "2026-04-01 10:00", price=200.0)
        self._confirmed_order(self.location, "2026-05-01 10:00", price=150.0, qty=2)
        quotation = self._create_order(self.customer)  # quotations do not count
        self.assertRecordValues(
            self.customer,
            [
                {
                    "order_count": 3,
                    "order_amount_total": 600.0,
                    "order_amount_average": 200.0,
                    "first_order_date": date(2026, 3, 1),
                    "last_order_date": date(2026, 5, 1),
                    "engagement_status": "engaged",
                }
            ],
        )
        self.assertRecordValues(self.contact | self.location, [EMPTY, EMPTY])
        self.assertEqual(quotation.state, "draft")
        self.assertRecordValues(self.other_customer, [{**EMPTY, "engagement_status": "new"}])

    @freeze_time("2026-06-30")
    def test_confirm_as_salesman_without_partner_rights(self):
        """The metrics follow even when the confirming user may not edit the customer."""
        order = self._create_order(self.customer, user_id=self.manager_a.id).with_user(self.manager_a)
        order.action_confirm()
        self.assertRecordValues(self.customer, [{"order_count": 1, "engagement_status": "engaged"}])

    @freeze_time("2026-06-30")
    def test_cancel(self):
        first = self._confirmed_order(self.customer, "2026-03-01 10:00", price=100.0)
        second = self._confirmed_order(self.contact, "2026-04-01 10:00", price=300.0)
        self._cancel(second)
        self.assertRecordValues(
            self.customer,
            [
                {
                    "order_count": 1,
                    "order_amount_total": 100.0,
                    "order_amount_average": 100.0,
                    "last_order_date": date(2026, 3, 1),
                    "engagement_status": "engaged",
                }
            ],
        )
        self._cancel(first)
        self.assertRecordValues(self.customer, [{**EMPTY, "engagement_status": "new"}])
        second.action_draft()
        with freeze_time("2026-06-01"):
            second.action_confirm()
        self.assertRecordValues(
            self.customer,
            [{"order_count": 1, "order_amount_total": 300.0, "last_order_date": date(2026, 6, 1)}],
        )

    @freeze_time("2026-06-30")
    def test_change_lines_of_confirmed_order(self):
        order = self._confirmed_order(self.customer, "2026-06-01", price=100.0)
        line = order.order_line
        order.write({"order_line": [Command.update(line.id, {"product_uom_qty": 3})]})
        self.assertRecordValues(
            self.customer, [{"order_count": 1, "order_amount_total": 300.0, "order_amount_average": 300.0}]
        )
        line.write({"price_unit": 50.0})
        self.assertEqual(self.customer.order_amount_total, 150.0)
        self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.product.id, "product_uom_qty": 1, "price_unit": 25.0}
        )
        self.assertEqual(self.customer.order_amount_total, 175.0)
        order.write({"order_line": [Command.create({"product_id": self.product.id, "price_unit": 5.0})]})
        self.assertRecordValues(
            self.customer, [{"order_count": 1, "order_amount_total": 180.0, "order_amount_average": 180.0}]
        )

    @freeze_time("2026-06-30")
    def test_move_order_to_another_customer(self):
        self._confirmed_order(self.customer, "2026-03-01", price=100.0)
        moved = self._confirmed_order(self.location, "2026-05-01", price=400.0)
        moved.partner_id = self.other_customer
        self.assertRecordValues(
            self.customer | self.other_customer,
            [
                {"order_count": 1, "order_amount_total": 100.0, "last_order_date": date(2026, 3, 1)},
                {"order_count": 1, "order_amount_total": 400.0, "last_order_date": date(2026, 5, 1)},
            ],
        )
        self.assertEqual(self.other_customer.engagement_status, "engaged")

    @freeze_time("2026-06-30")
    def test_move_contact_with_orders_to_another_company(self):
        self._confirmed_order(self.customer, "2026-03-01", price=100.0)
        self._confirmed_order(self.contact, "2026-05-01", price=250.0)
        self.contact.parent_id = self.other_customer
        self.assertRecordValues(
            self.customer | self.other_customer | self.contact,
            [
                {
                    "order_count": 1,
                    "order_amount_total": 100.0,
                    "order_amount_average": 100.0,
                    "first_order_date": date(2026, 3, 1),
                    "last_order_date": date(2026, 3, 1),
                    "engagement_status": "engaged",
                },
                {
                    "order_count": 1,
                    "order_amount_total": 250.0,
                    "order_amount_average": 250.0,
                    "first_order_date": date(2026, 5, 1),
                    "last_order_date": date(2026, 5, 1),
                    "engagement_status": "engaged",
                },
                {**EMPTY, "engagement_status": False},
            ],
        )
        # Detached, the person becomes a customer of its own with its orders.
        self.contact.parent_id = False
        self.assertRecordValues(
            self.other_customer | self.contact,
            [
                {**EMPTY, "engagement_status": "new"},
                {
                    "order_count": 1,
                    "order_amount_total": 250.0,
                    "order_amount_average": 250.0,
                    "first_order_date": date(2026, 5, 1),
                    "last_order_date": date(2026, 5, 1),
                    "engagement_status": "engaged",
                },
            ],
        )

    @freeze_time("2026-06-30")
    def test_other_currency_at_the_orders_own_rate(self):
        company = self.env.company
        foreign = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", company.currency_id.id), ("rounding", "=", 0.01)], limit=1)
        )
        foreign.active = True
        rates = self.env["res.currency.rate"]
        rates.search([("currency_id", "=", foreign.id)]).unlink()
        rates.create({"currency_id": foreign.id, "name": "2026-01-01", "rate": 2.0, "company_id": company.id})
        rates.create({"currency_id": foreign.id, "name": "2026-04-01", "rate": 4.0, "company_id": company.id})
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": foreign.id})
        with freeze_time("2026-02-01"):
            early = self._confirmed_order(self.customer, "2026-02-01", price=100.0, pricelist_id=pricelist.id)
        with freeze_time("2026-05-01"):
            late = self._confirmed_order(self.customer, "2026-05-01", price=100.0, pricelist_id=pricelist.id)
        self._confirmed_order(self.customer, "2026-05-01", price=10.0)
        self.assertRecordValues(
            early | late,
            [
                {"currency_id": foreign.id, "currency_rate": 2.0},
                {"currency_id": foreign.id, "currency_rate": 4.0},
            ],
        )
        # 100 / 2 + 100 / 4 + 10 in the company currency
        self.assertRecordValues(
            self.customer, [{"order_count": 3, "order_amount_total": 85.0, "order_amount_average": 28.33}]
        )

    @freeze_time("2026-06-30")
    def test_values_from_clients_are_ignored(self):
        self._confirmed_order(self.customer, "2026-06-01", price=100.0)
        self.customer.write({"order_count": 42, "engagement_status": "lapsed", "name": "Renamed AS"})
        created = self.env["res.partner"].create({"name": "Forged AS", "order_amount_total": 1e6})
        self.customer.invalidate_recordset()
        self.assertRecordValues(
            self.customer | created,
            [
                {"name": "Renamed AS", "order_count": 1, "engagement_status": "engaged"},
                {"name": "Forged AS", "order_count": 0, "engagement_status": "new"},
            ],
        )

    @freeze_time("2026-06-30")
    def test_set_based_recompute_of_all_partners(self):
        """The install path: one UPDATE over every partner restores exact values."""
        self._confirmed_order(self.customer, "2026-06-01", price=120.0)
        self._confirmed_order(self.location, "2026-06-01", price=80.0)
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET order_count = 0, order_amount_total = 0, engagement_status = NULL "
                "WHERE id IN %s",
                tuple((self.customer | self.other_customer).ids),
            )
        )
        self.env.cr.execute(self.env["res.partner"]._get_order_metrics_update_sql())
        self.env.invalidate_all()
        self.assertRecordValues(
            self.customer | self.other_customer | self.location,
            [
                {
                    "order_count": 2,
                    "order_amount_total": 200.0,
                    "order_amount_average": 100.0,
                    "first_order_date": date(2026, 6, 1),
                    "last_order_date": date(2026, 6, 1),
                    "engagement_status": "engaged",
                },
                {**EMPTY, "engagement_status": "new"},
                {**EMPTY, "engagement_status": False},
            ],
        )


@tagged("post_install", "-at_install")
class TestEngagementWindow(CustomerRepCase):
    """engaged → lapsed over time (daily cron) and the window setting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order(cls.customer)
        with freeze_time("2025-01-10 09:00"):
            cls.order.action_confirm()
        cls.cron = cls.env.ref("customer_rep.ir_cron_update_engagement_status")

    def _set_window(self, days):
        self.env["res.config.settings"].create({"engagement_window_days": days}).execute()

    def test_default_window_and_cron(self):
        self.assertEqual(self.env["res.partner"]._get_engagement_window_days(), 365)
        with freeze_time("2026-01-10 01:00"):  # 365 days later: still within the window
            self.cron.method_direct_trigger()
            self.assertEqual(self.customer.engagement_status, "engaged")
        with freeze_time("2026-01-11 01:00"):  # 366 days later
            self.cron.method_direct_trigger()
            self.assertRecordValues(
                self.customer, [{"engagement_status": "lapsed", "last_order_date": date(2025, 1, 10)}]
            )
            self.assertEqual(self.env["res.partner"]._cron_update_engagement_status(), 0)
            # A new confirmed order makes the customer engaged right away.
            self._create_order(self.contact).action_confirm()
            self.assertRecordValues(
                self.customer, [{"engagement_status": "engaged", "last_order_date": date(2026, 1, 11)}]
            )

    def test_recompute_uses_the_window(self):
        with freeze_time("2026-03-01"):
            self.customer._recompute_order_metrics()
            self.assertEqual(self.customer.engagement_status, "lapsed")

    def test_setting(self):
        with freeze_time("2025-03-01"):
            self._set_window(30)
            self.assertEqual(
                self.env["ir.config_parameter"].get_param("customer_rep.engagement_window_days"), "30"
            )
            self.assertEqual(self.env["res.config.settings"].create({}).engagement_window_days, 30)
            # Changing the window applies at once, in both directions.
            self.assertEqual(self.customer.engagement_status, "lapsed")
            self._set_window(60)
            self.assertEqual(self.customer.engagement_status, "engaged")

    def test_setting_refuses_an_empty_window(self):
        with self.assertRaises(ValidationError) as cm:
            self._set_window(0)
        self.assertIn("at least one day", str(cm.exception))
        self.assertEqual(self.env["res.partner"]._get_engagement_window_days(), 365)


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
        # All of them: quotations and cancelled orders too, no filter on by default.
        self.assertEqual(action["context"], {"default_partner_id": self.customer.id})
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
