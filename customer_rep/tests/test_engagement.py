from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerRepCase


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
