from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestWinback(CustomerRepCase):
    """A lapse (engaged → lapsed by the daily job) becomes a win-back activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("customer_rep.ir_cron_update_engagement_status")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")
        # The salesperson stands in for a missing account manager; neither: no activity.
        cls.other_customer.user_id = cls.salesman
        cls.orphan = cls.env["res.partner"].create({"name": "Ingen Eier AS", "is_company": True})
        with freeze_time("2025-01-10 09:00"):
            for customer in cls.customer | cls.other_customer | cls.orphan:
                cls._create_order(customer).action_confirm()

    def _winback_activities(self, customers=None):
        customers = customers or self.customer | self.other_customer | self.orphan
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", customers.ids), ("is_winback", "=", True)],
            order="res_id",
        )

    def _set(self, **values):
        self.env["res.config.settings"].create(values).execute()

    def test_lapse_schedules_one_activity_per_customer(self):
        with freeze_time("2026-01-10 01:00"):  # last day within the window
            self.cron.method_direct_trigger()
            self.assertEqual(self._winback_activities(), self.env["mail.activity"])
        with freeze_time("2026-01-11 01:00"):
            self.cron.method_direct_trigger()
            activities = self._winback_activities()
            self.assertRecordValues(
                activities,
                [
                    {
                        "res_id": customer.id,
                        "user_id": user.id,
                        "activity_type_id": self.todo.id,
                        "summary": f"Win back {customer.name}: no order for 366 days",
                        "date_deadline": date(2026, 1, 18),
                    }
                    for customer, user in sorted(
                        [
                            (self.customer, self.manager_a),
                            (self.other_customer, self.salesman),
                        ],
                        key=lambda pair: pair[0].id,
                    )
                ],
            )
            # Rerunning the job creates nothing new.
            self.cron.method_direct_trigger()
            self.assertEqual(self._winback_activities(), activities)
        with freeze_time("2026-01-12 01:00"):
            self.assertEqual(self.env["res.partner"]._cron_update_engagement_status(), 0)
            self.assertEqual(self._winback_activities(), activities)

    def test_no_second_activity_while_one_is_open(self):
        with freeze_time("2026-01-11 01:00"):
            self.cron.method_direct_trigger()
            first = self._winback_activities(self.customer)
            self.assertEqual(len(first), 1)
            # Won back, then lapsed again while the first activity is still open: no second one.
            order = self._create_order(self.customer)
            order.action_confirm()
            self.assertEqual(self.customer.engagement_status, "engaged")
        with freeze_time("2027-01-12 01:00"):
            self.cron.method_direct_trigger()
            self.assertEqual(self.customer.engagement_status, "lapsed")
            self.assertEqual(self._winback_activities(self.customer), first)
            # Once done, the next lapse gets a new one.
            first.action_done()
            self.customer._schedule_winback_activities()
            second = self._winback_activities(self.customer)
            self.assertEqual(len(second), 1)
            self.assertNotEqual(second, first)
            self.assertEqual(second.summary, "Win back Nordlys Handel AS: no order for 366 days")

    def test_settings(self):
        call = self.env.ref("mail.mail_activity_data_call")
        self._set(winback_activity_type_id=call.id, winback_deadline_days=3)
        self.assertRecordValues(
            self.env["res.config.settings"].create({}),
            [{"winback_activities": True, "winback_activity_type_id": call.id, "winback_deadline_days": 3}],
        )
        with freeze_time("2026-01-11 01:00"):
            self.cron.method_direct_trigger()
        self.assertRecordValues(
            self._winback_activities(self.customer),
            [{"activity_type_id": call.id, "date_deadline": date(2026, 1, 14)}],
        )

    def test_switched_off(self):
        self._set(winback_activities=False)
        with freeze_time("2026-01-11 01:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(self.customer.engagement_status, "lapsed")
        self.assertEqual(self._winback_activities(), self.env["mail.activity"])

    def test_settings_refuse_empty_days(self):
        for values in ({"winback_deadline_days": 0}, {"lapsing_soon_days": 0}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self._set(**values)
        self.assertEqual(self.env["res.partner"]._get_customer_rep_setting("winback_deadline_days"), 7)
        self.assertEqual(self.env["res.partner"]._get_customer_rep_setting("lapsing_soon_days"), 30)

    def test_rep_sees_their_activity(self):
        with freeze_time("2026-01-11 01:00"):
            self.cron.method_direct_trigger()
        mine = (
            self.env["mail.activity"].with_user(self.manager_a).search([("user_id", "=", self.manager_a.id)])
        )
        self.assertEqual(mine, self._winback_activities(self.customer))


@tagged("post_install", "-at_install")
class TestLapsingSoon(CustomerRepCase):
    """Days until lapse and the filter Lapsing Soon, at the boundaries of the window and of N."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-10 09:00"):
            cls._create_order(cls.customer).action_confirm()

    def _lapsing_soon(self):
        return self.env["res.partner"].search(
            [("is_lapsing_soon", "=", True), ("id", "in", (self.customer | self.other_customer).ids)]
        )

    def test_boundaries(self):
        # Window 365 days, lapsing soon 30 days: it lapses on 2026-01-11.
        for day, days_left, soon in (
            ("2025-12-11", 31, False),
            ("2025-12-12", 30, True),
            ("2026-01-10", 1, True),
        ):
            with self.subTest(day=day), freeze_time(day):
                self.customer.invalidate_recordset(["days_until_lapse", "is_lapsing_soon"])
                self.assertRecordValues(
                    self.customer,
                    [
                        {
                            "engagement_status": "engaged",
                            "days_until_lapse": days_left,
                            "is_lapsing_soon": soon,
                        }
                    ],
                )
                self.assertEqual(self._lapsing_soon(), self.customer if soon else self.env["res.partner"])
                self.assertEqual(
                    self.env["res.partner"].search(
                        [("is_lapsing_soon", "=", False), ("id", "=", self.customer.id)]
                    ),
                    self.env["res.partner"] if soon else self.customer,
                )
        with freeze_time("2026-01-11 01:00"):
            self.env["res.partner"]._cron_update_engagement_status()
            self.customer.invalidate_recordset(["days_until_lapse", "is_lapsing_soon"])
            self.assertRecordValues(
                self.customer,
                [{"engagement_status": "lapsed", "days_until_lapse": 0, "is_lapsing_soon": False}],
            )
            self.assertEqual(self._lapsing_soon(), self.env["res.partner"])

    def test_setting(self):
        self.env["res.config.settings"].create({"lapsing_soon_days": 10}).execute()
        for day, soon in (("2025-12-31", False), ("2026-01-01", True)):
            with self.subTest(day=day), freeze_time(day):
                self.customer.invalidate_recordset(["days_until_lapse", "is_lapsing_soon"])
                self.assertEqual(self.customer.is_lapsing_soon, soon)
                self.assertEqual(self._lapsing_soon(), self.customer if soon else self.env["res.partner"])

    def test_filter_in_search_view(self):
        arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="lapsing_soon"', arch)
