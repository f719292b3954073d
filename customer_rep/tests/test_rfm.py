from datetime import date

from odoo.tests import TransactionCase, tagged

from ..models.res_partner_rfm import RFM_SEGMENTS, get_rfm_segment
from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestRfmSegmentMapping(TransactionCase):
    """The grid from scores to segments: recency against FM = (F + M + 1) // 2."""

    def test_grid(self):
        # R, F, M → segment; a row per cell of the grid in the README.
        expected = {
            (5, 5, 5): "champions",
            (5, 4, 3): "champions",  # FM 4
            (5, 3, 3): "potential",
            (5, 2, 1): "potential",  # FM 2
            (5, 1, 1): "new",
            (4, 5, 4): "loyal",
            (4, 3, 2): "potential",  # FM 3
            (4, 1, 1): "promising",
            (3, 4, 4): "loyal",
            (3, 3, 3): "need_attention",
            (3, 2, 2): "about_to_sleep",
            (3, 1, 1): "about_to_sleep",
            (2, 5, 5): "cannot_lose",
            (2, 4, 3): "at_risk",  # FM 4
            (2, 3, 2): "at_risk",  # FM 3
            (2, 2, 1): "hibernating",  # FM 2
            (2, 1, 1): "hibernating",
            (1, 5, 4): "cannot_lose",  # FM 5
            (1, 3, 3): "at_risk",
            (1, 2, 2): "hibernating",
            (1, 1, 2): "hibernating",  # FM 2
            (1, 1, 1): "lost",
        }
        for scores, segment in expected.items():
            with self.subTest(scores=scores):
                self.assertEqual(get_rfm_segment(*scores), segment)

    def test_every_score_has_a_segment_and_every_segment_is_reached(self):
        segments = {get_rfm_segment(r, f, m) for r in range(1, 6) for f in range(1, 6) for m in range(1, 6)}
        self.assertEqual(segments, {key for key, _label in RFM_SEGMENTS})


@tagged("post_install", "-at_install")
class TestRfmRecompute(CustomerRepCase):
    """Quintiles among the customers of one company that have confirmed orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of their own, so that the database's other customers do not count.
        cls.company = cls.env["res.company"].create({"name": "RFM Test Company"})
        Partner = cls.env["res.partner"]
        cls.customers = Partner.create(
            [
                {"name": f"RFM Customer {index}", "is_company": True, "company_id": cls.company.id}
                for index in range(1, 7)
            ]
        )
        cls.contact = Partner.create({"name": "RFM Contact", "parent_id": cls.customers[0].id})

    def _set_metrics(self, customer, last_order_date, order_count, amount):
        """The order metrics the recompute reads, as the order hooks keep them (tested elsewhere)."""
        self.env.cr.execute(
            "UPDATE res_partner SET last_order_date = %s, order_count = %s, order_amount_total = %s "
            "WHERE id = %s",
            (last_order_date, order_count, amount, customer.id),
        )
        customer.invalidate_recordset()

    def _scores(self):
        return [
            {
                "rfm_recency": c.rfm_recency,
                "rfm_frequency": c.rfm_frequency,
                "rfm_monetary": c.rfm_monetary,
                "rfm_segment": c.rfm_segment,
            }
            for c in self.customers
        ]

    def test_quintiles_and_segments(self):
        # Five customers with orders, from the best to the worst; the sixth has no order.
        for index, customer in enumerate(self.customers[:5]):
            self._set_metrics(customer, date(2026, 6 - index, 1), 10 - 2 * index, 5000 - 1000 * index)
        self.env["res.partner"]._recompute_rfm_segments()
        self.assertRecordValues(
            self.customers,
            [
                {"rfm_recency": 5, "rfm_frequency": 5, "rfm_monetary": 5, "rfm_segment": "champions"},
                {"rfm_recency": 4, "rfm_frequency": 4, "rfm_monetary": 4, "rfm_segment": "loyal"},
                {"rfm_recency": 3, "rfm_frequency": 3, "rfm_monetary": 3, "rfm_segment": "need_attention"},
                {"rfm_recency": 2, "rfm_frequency": 2, "rfm_monetary": 2, "rfm_segment": "hibernating"},
                {"rfm_recency": 1, "rfm_frequency": 1, "rfm_monetary": 1, "rfm_segment": "lost"},
                {"rfm_recency": 0, "rfm_frequency": 0, "rfm_monetary": 0, "rfm_segment": False},
            ],
        )
        self.assertRecordValues(self.contact, [{"rfm_segment": False}])
        # A customer whose orders are gone loses its scores; the four others are scored again.
        self._set_metrics(self.customers[4], None, 0, 0)
        self.env["res.partner"]._recompute_rfm_segments()
        self.assertEqual(
            [(c.rfm_recency, c.rfm_segment) for c in self.customers],
            [(5, "champions"), (4, "loyal"), (3, "need_attention"), (1, "lost"), (0, False), (0, False)],
        )

    def test_equal_values_share_a_score(self):
        # Four customers ordered once, one ten times: the four share the middle of places 1-4
        # (percentile 0.4, the third quintile), not all the first nor all the fourth.
        for index, customer in enumerate(self.customers[:5]):
            self._set_metrics(customer, date(2026, 1, 1), 10 if index == 0 else 1, 100)
        self.env["res.partner"]._recompute_rfm_segments()
        self.assertEqual(
            [(c.rfm_recency, c.rfm_frequency, c.rfm_monetary) for c in self.customers[:5]],
            [(3, 5, 3)] + [(3, 3, 3)] * 4,
        )

    def test_daily_job_recomputes(self):
        self._set_metrics(self.customers[0], date(2026, 1, 1), 1, 100)
        self.env.ref("customer_rep.ir_cron_update_engagement_status").method_direct_trigger()
        self.assertRecordValues(
            self.customers[0],
            [{"rfm_recency": 3, "rfm_frequency": 3, "rfm_monetary": 3, "rfm_segment": "need_attention"}],
        )

    def test_form_badge_in_orders_group(self):
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="rfm_segment"', arch.split('name="order_metrics"')[1])
        self.assertNotIn("rfm_segment", arch.split('name="order_metrics"')[0])

    def test_segment_filter_and_group_by(self):
        self._set_metrics(self.customers[0], date(2026, 1, 1), 1, 100)
        self.env["res.partner"]._recompute_rfm_segments()
        arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        for name in ("rfm_champions", "rfm_at_risk", "group_rfm_segment"):
            self.assertIn(f'name="{name}"', arch)
        groups = self.env["res.partner"].read_group(
            [("company_id", "=", self.company.id)], ["rfm_segment"], ["rfm_segment"]
        )
        self.assertEqual(
            {(g["rfm_segment"], g["rfm_segment_count"]) for g in groups},
            {("need_attention", 1), (False, 5)},
        )
