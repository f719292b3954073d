import xmlrpc.client
from datetime import date

from freezegun import freeze_time

from odoo import Command, sql_db
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import CustomerRepCase, XmlRpcCase

FIGURES = [
    "order_count",
    "order_amount_total",
    "order_amount_average",
    "first_order_date",
    "last_order_date",
    "engagement_status",
]


class MetricsDeltaMixin:
    def _order(self, partner, day, price=100.0, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": price})
                ],
            }
        )
        if confirm:
            with freeze_time(day):
                order.action_confirm()
        return order

    def _aggregate(self, customers):
        """The figures the aggregate over the orders gives (the repair's reference), beside the
        stored ones; the daily move from engaged to lapsed is applied first."""
        cr = self.env.cr

        def figures():
            cr.execute(
                SQL(
                    "SELECT id, %s FROM res_partner WHERE id = ANY(%s) ORDER BY id",
                    SQL(", ").join(SQL.identifier(fname) for fname in FIGURES),
                    customers.ids,
                )
            )
            return cr.fetchall()

        self.env["res.partner"]._update_engagement_status()
        self.env.flush_all()
        stored = figures()
        savepoint = cr.savepoint()
        cr.execute(self.env["res.partner"]._get_order_metrics_update_sql(customers.ids))
        expected = figures()
        savepoint.close(rollback=True)
        return stored, expected


@tagged("post_install", "-at_install")
class TestMetricsDelta(MetricsDeltaMixin, CustomerRepCase):
    """Each order event changes the figures by its delta; they always equal the aggregate."""

    def _queries_to_confirm(self, partner):
        order = self._order(partner, "2026-06-01", confirm=False)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        with freeze_time("2026-06-02"):
            order.action_confirm()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_constant_cost_per_confirmation(self):
        """Confirming costs the same queries for a customer with 1 or with 30 orders."""
        for day in range(1, 31):
            self._order(self.customer, f"2026-05-{day:02d}")
        self._order(self.other_customer, "2026-05-01")
        self._queries_to_confirm(self.customer)  # warm the caches
        self._queries_to_confirm(self.other_customer)
        self.assertEqual(
            self._queries_to_confirm(self.customer), self._queries_to_confirm(self.other_customer)
        )

    @freeze_time("2026-06-30")
    def test_every_event_equals_the_aggregate(self):
        customers = self.customer | self.other_customer
        first = self._order(self.customer, "2026-01-10", price=100.0)
        latest = self._order(self.location, "2026-05-20", price=250.0)
        middle = self._order(self.contact, "2026-03-15", price=40.0)
        self._order(self.other_customer, "2025-01-01", price=10.0)
        checks = {}

        def check(step):
            stored, expected = self._aggregate(customers)
            checks[step] = stored == expected
            self.assertEqual(stored, expected, step)

        check("confirm")
        latest.with_context(disable_cancel_warning=True).action_cancel()
        check("cancel the latest order")
        self.assertEqual(self.customer.last_order_date, date(2026, 3, 15))
        first.with_context(disable_cancel_warning=True).action_cancel()
        check("cancel the first order")
        self.assertEqual(self.customer.first_order_date, date(2026, 3, 15))
        middle.order_line.price_unit = 60.0
        check("change a line")
        middle.write({"order_line": [Command.create({"product_id": self.product.id, "price_unit": 5.0})]})
        check("add a line")
        middle.order_line[-1].product_uom_qty = 0
        check("set a line's quantity to 0")
        middle.partner_id = self.other_customer
        check("move the order to another customer")
        self.contact.parent_id = self.other_customer
        check("move a contact to another customer")
        latest.action_draft()
        with freeze_time("2026-06-01"):
            latest.action_confirm()
        check("confirm again")
        self.location.write({"parent_id": False, "is_company": True})
        check("a location becomes a customer of its own")
        customers |= self.location
        check("the new customer")
        middle.with_context(disable_cancel_warning=True).action_cancel()
        middle.unlink()
        check("cancel and delete")
        self.assertEqual(self.customer.order_count, 0)
        self.assertRecordValues(
            self.customer, [{"order_amount_total": 0.0, "last_order_date": False, "engagement_status": "new"}]
        )
        self.assertEqual(self.env["res.partner"]._verify_order_metrics(), 0)

    def test_queued_when_the_customer_row_is_busy(self):
        """Another transaction holds the customer's row: the delta is queued, not lost, and the
        confirmation does not fail; folding the queue makes the figures exact."""
        customer = self.env.company.partner_id  # committed: a second connection sees its row
        order = self._order(customer, "2026-06-01", price=70.0, confirm=False)
        self.env.flush_all()
        customer.invalidate_recordset()
        count = customer.order_count
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", [customer.id])
            with freeze_time("2026-06-01"):
                order.action_confirm()
        finally:
            other.rollback()
            other.close()
        self.assertEqual(order.state, "sale")
        self.assertEqual(customer.order_count, count)
        self.env.cr.execute(
            "SELECT order_count, amount FROM customer_rep_order_metric_delta WHERE partner_id = %s",
            [customer.id],
        )
        self.assertEqual([(n, float(amount)) for n, amount in self.env.cr.fetchall()], [(1, 70.0)])
        self.env["res.partner"]._fold_queued_order_metrics([customer.id])
        self.assertEqual(customer.order_count, count + 1)
        self.env.cr.execute("SELECT COUNT(*) FROM customer_rep_order_metric_delta")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        stored, expected = self._aggregate(customer)
        self.assertEqual(stored, expected)

    def _leave_queued_delta(self, customer, day, amount, queued_at=None):
        """What a process killed between its commit and its fold leaves behind: its order
        confirmed and its delta queued (a row inserted in SQL), the customer's figures not
        touched. ``queued_at``: the row's create_date, else the database's default (now)."""
        order = self._order(customer, day, price=amount, confirm=False)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("UPDATE sale_order SET state = 'sale', date_order = %s WHERE id = %s", day, order.id))
        columns = SQL("partner_id, order_count, amount, rounding, min_added, max_added")
        values = SQL("%s, 1, %s, 0.01, %s::date, %s::date", customer.id, amount, day, day)
        if queued_at:
            columns = SQL("%s, create_date", columns)
            values = SQL("%s, %s", values, queued_at)
        cr.execute(SQL("INSERT INTO customer_rep_order_metric_delta (%s) VALUES (%s)", columns, values))
        self.env.invalidate_all()
        return order

    def _queued(self):
        self.env.cr.execute("SELECT partner_id FROM customer_rep_order_metric_delta ORDER BY id")
        return [row[0] for row in self.env.cr.fetchall()]

    def test_daily_job_folds_a_delta_left_by_a_dead_process(self):
        """The daily job folds what a dead process left queued before it moves customers
        between engagement states: the customer's recent order keeps it engaged, and it gets
        no win-back activity."""
        self._order(self.customer, "2025-06-01", price=100.0)
        self._leave_queued_delta(self.customer, "2026-06-05", 70.0)
        self.assertEqual(self._queued(), [self.customer.id])
        self.assertRecordValues(
            self.customer,
            [{"order_count": 1, "order_amount_total": 100.0, "last_order_date": date(2025, 6, 1)}],
        )
        with freeze_time("2026-06-10 02:00"):  # the 2025 order is outside the 365-day window
            self.env.ref("customer_rep.ir_cron_update_engagement_status").method_direct_trigger()
            self.assertEqual(self._queued(), [])
            self.assertRecordValues(
                self.customer,
                [
                    {
                        "order_count": 2,
                        "order_amount_total": 170.0,
                        "order_amount_average": 85.0,
                        "first_order_date": date(2025, 6, 1),
                        "last_order_date": date(2026, 6, 5),
                        "engagement_status": "engaged",
                    }
                ],
            )
            winback = self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    ("is_winback", "=", True),
                ]
            )
            self.assertFalse(winback)
            stored, expected = self._aggregate(self.customer)
            self.assertEqual(stored, expected)

    def test_an_event_of_another_customer_folds_a_stale_delta(self):
        """A delta queued more than a minute ago is folded by the next order event, whatever
        its customer; a younger one is left to the fold of the process that queued it."""
        self._leave_queued_delta(self.customer, "2026-06-01 09:00:00", 70.0, queued_at="2026-06-01 09:00:00")
        self._order(self.other_customer, "2026-06-01 09:00:30", price=10.0)
        self.assertEqual(self._queued(), [self.customer.id])
        self.assertEqual(self.customer.order_count, 0)
        self._order(self.other_customer, "2026-06-01 09:01:01", price=20.0)
        self.assertEqual(self._queued(), [])
        self.assertRecordValues(
            self.customer | self.other_customer,
            [
                {"order_count": 1, "order_amount_total": 70.0, "last_order_date": date(2026, 6, 1)},
                {"order_count": 2, "order_amount_total": 30.0, "last_order_date": date(2026, 6, 1)},
            ],
        )
        with freeze_time("2026-06-01 10:00"):
            stored, expected = self._aggregate(self.customer | self.other_customer)
        self.assertEqual(stored, expected)

    def test_a_stale_delta_of_a_busy_customer_waits_for_a_later_event(self):
        """The stale delta's customer row is held by another transaction: the event that finds
        it neither waits nor fails, the delta stays queued, and a later event folds it."""
        customer = self.env.company.partner_id  # committed: a second connection sees its row
        count = customer.order_count
        self._leave_queued_delta(customer, "2026-06-01 09:00:00", 70.0, queued_at="2026-06-01 09:00:00")
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT id FROM res_partner WHERE id = %s FOR NO KEY UPDATE", [customer.id])
            order = self._order(self.other_customer, "2026-06-01 09:05:00", price=10.0)
        finally:
            other.rollback()
            other.close()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.other_customer.order_count, 1)
        self.assertEqual(self._queued(), [customer.id])
        self.assertEqual(customer.order_count, count)
        self._order(self.other_customer, "2026-06-01 09:06:00", price=20.0)
        self.assertEqual(self._queued(), [])
        self.assertEqual(customer.order_count, count + 1)

    def test_queue_timestamps_rows_of_an_earlier_version(self):
        """Updating from a version whose queue had no create_date adds it, filled for the rows
        already queued, and its index; the update can run again."""
        cr = self.env.cr
        self._leave_queued_delta(self.customer, "2026-06-01", 70.0)
        cr.execute("ALTER TABLE customer_rep_order_metric_delta DROP COLUMN create_date")
        self.env["res.partner"].init()
        self.env["res.partner"].init()
        cr.execute(
            """SELECT COUNT(*) FROM customer_rep_order_metric_delta
                WHERE create_date = now() AT TIME ZONE 'UTC'"""
        )
        self.assertEqual(cr.fetchone()[0], 1)
        cr.execute(
            """SELECT indexdef FROM pg_indexes
                WHERE indexname = 'customer_rep_order_metric_delta_create_date_idx'"""
        )
        self.assertIn("(create_date)", cr.fetchone()[0])

    @mute_logger("odoo.addons.customer_rep.models.res_partner_order_metrics")
    def test_verify_and_repair(self):
        with freeze_time("2026-06-01"):
            self._order(self.customer, "2026-06-01", price=100.0)
            self._order(self.other_customer, "2026-05-01", price=30.0)
            # A clean start at this date (other customers' engagement follows the frozen clock).
            self.env["res.partner"]._verify_order_metrics()
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """UPDATE res_partner SET order_count = 5, last_order_date = '2020-01-01'
                        WHERE id = ANY(%s)""",
                    (self.customer | self.other_customer).ids,
                )
            )
            self.env["res.partner"].invalidate_model(FIGURES)
            admin = self.env.ref("base.user_admin")
            with self.assertRaises(AccessError):
                self.env["res.partner"].with_user(self.sales_admin).action_verify_order_metrics()
            self.assertEqual(self.customer.order_count, 5)
            repaired = self.env["res.partner"].with_user(admin).action_verify_order_metrics()
            self.assertEqual(repaired, 2)
            self.assertRecordValues(
                self.customer | self.other_customer,
                [
                    {"order_count": 1, "last_order_date": date(2026, 6, 1)},
                    {"order_count": 1, "last_order_date": date(2026, 5, 1)},
                ],
            )
            self.assertEqual(self.env["res.partner"].with_user(admin).action_verify_order_metrics(), 0)

    def test_repair_cron_is_off(self):
        cron = self.env.ref("customer_rep.ir_cron_verify_order_metrics")
        self.assertRecordValues(cron, [{"active": False, "code": "model._cron_verify_order_metrics()"}])


@tagged("post_install", "-at_install")
class TestMetricsRepairXmlRpc(MetricsDeltaMixin, XmlRpcCase):
    def test_repair_is_for_administrators(self):
        call = self._rpc("admin", "admin")
        self.assertEqual(call("res.partner", "action_verify_order_metrics"), 0)
        self.env["res.users"].create(
            {"name": "Sven Sales", "login": "cr_sven", "password": "cr_sven_pw"}
        ).groups_id |= self.env.ref("sales_team.group_sale_manager")
        sales = self._rpc("cr_sven", "cr_sven_pw")
        with self.assertRaises(xmlrpc.client.Fault) as fault:
            sales("res.partner", "action_verify_order_metrics")
        self.assertEqual(fault.exception.faultCode, 4)  # AccessError
