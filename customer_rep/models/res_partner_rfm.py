from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

RFM_SEGMENTS = [
    ("champions", "Champions"),
    ("loyal", "Loyal"),
    ("potential", "Potential Loyalist"),
    ("new", "New Customer"),
    ("promising", "Promising"),
    ("need_attention", "Needs Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cannot_lose", "Cannot Lose Them"),
    ("hibernating", "Hibernating"),
    ("lost", "Lost"),
]

# The usual RFM grid: recency (R) against the rounded mean of frequency and monetary value
# (FM = (F + M + 1) // 2), each 1-5. The first rule that matches wins.
#
#            FM 1            FM 2            FM 3            FM 4          FM 5
#   R 5      new             potential       potential       champions     champions
#   R 4      promising       potential       potential       loyal         loyal
#   R 3      about_to_sleep  about_to_sleep  need_attention  loyal         loyal
#   R 2      hibernating     hibernating     at_risk         at_risk       cannot_lose
#   R 1      lost            hibernating     at_risk         at_risk       cannot_lose
RFM_SEGMENT_RULES = [
    # (recency scores, FM scores, segment)
    ((5,), (4, 5), "champions"),
    ((3, 4), (4, 5), "loyal"),
    ((4, 5), (2, 3), "potential"),
    ((5,), (1,), "new"),
    ((4,), (1,), "promising"),
    ((3,), (3,), "need_attention"),
    ((3,), (1, 2), "about_to_sleep"),
    ((1, 2), (5,), "cannot_lose"),
    ((1, 2), (3, 4), "at_risk"),
    ((1,), (1,), "lost"),
    ((1, 2), (1, 2), "hibernating"),
]


def get_rfm_segment(recency, frequency, monetary):
    """The segment of the scores (1-5 each), after RFM_SEGMENT_RULES."""
    fm = (frequency + monetary + 1) // 2
    for recencies, fms, segment in RFM_SEGMENT_RULES:
        if recency in recencies and fm in fms:
            return segment
    raise ValueError(f"No RFM segment for {(recency, frequency, monetary)}")


class ResPartner(models.Model):
    """RFM segments: recency, frequency and monetary scores (1-5, quintiles among the customers
    of the same company that have confirmed orders) and the segment they put the customer in.
    Recomputed set-based by the daily job; customers without orders have none."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The scores are not indexed (five values each, filtered through the segment): an index
    # would cost every rewrite of the scores and the planning of every query on partners.
    rfm_recency = fields.Integer(
        string="Recency Score",
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        help="1-5: the quintile of the last order date among the company's customers with "
        "orders (5: the most recent).",
    )
    rfm_frequency = fields.Integer(
        string="Frequency Score",
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        help="1-5: the quintile of the number of orders (5: the most orders).",
    )
    rfm_monetary = fields.Integer(
        string="Monetary Score",
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        help="1-5: the quintile of the total ordered (5: the highest).",
    )
    rfm_segment = fields.Selection(
        selection=RFM_SEGMENTS,
        string="RFM Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        prefetch="customer_rep",
        help="Where recency, frequency and monetary scores put the customer (updated daily).",
    )

    @api.model
    def _cron_update_engagement_status(self):
        result = super()._cron_update_engagement_status()
        self._recompute_rfm_segments()
        return result

    def _auto_init(self):
        """Customers that already have orders (an update from a version without RFM, or an
        install on a database with orders) are scored once, set-based, when the columns are
        created: after every model's columns exist, rather than waiting for the daily job."""
        created = not column_exists(self.env.cr, self._table, "rfm_segment")
        result = super()._auto_init()
        if created:
            self.pool.post_init(self._recompute_rfm_segments)
        return result

    @api.model
    def _recompute_rfm_segments(self):
        """Score every customer with confirmed orders and set its segment; clear the others.

        Raw SQL, reason: quintiles are window functions over all the company's customers, and
        one UPDATE of those whose values change replaces 100,000 ORM writes. A score is the
        quintile of the customer's mid-rank percentile (``_get_rfm_score_sql``), the mean of the
        shares of customers below and at or below its value: equal values share one score,
        the middle of the places they take (most customers ordering once are not all scored
        as frequent nor all as rare), and five distinct values score 1 to 5. Returns the rows
        changed."""
        fields_read = ["order_count", "order_amount_total", "last_order_date", "active", "company_id"]
        self.flush_model([*fields_read, "parent_id", "is_company"])
        segments = SQL(
            ", ".join(["(%s, %s, %s, %s)"] * 125),
            *(
                value
                for r in range(1, 6)
                for f in range(1, 6)
                for m in range(1, 6)
                for value in (r, f, m, get_rfm_segment(r, f, m))
            ),
        )
        self.env.cr.execute(
            SQL(
                """
                WITH scored AS (
                    SELECT id, %(r)s AS r, %(f)s AS f, %(m)s AS m
                      FROM (SELECT id, COALESCE(company_id, 0) AS company, last_order_date AS r,
                                   order_count AS f, order_amount_total AS m
                              FROM res_partner
                             WHERE order_count > 0 AND active AND %(customer)s) AS base
                ),
                target AS (
                    SELECT s.id, s.r, s.f, s.m, seg.segment
                      FROM scored s
                      JOIN (VALUES %(segments)s) AS seg(r, f, m, segment)
                        ON seg.r = s.r AND seg.f = s.f AND seg.m = s.m
                     UNION ALL
                    SELECT id, NULL, NULL, NULL, NULL
                      FROM res_partner
                     WHERE rfm_segment IS NOT NULL
                       AND NOT (order_count > 0 AND active AND %(customer)s)
                )
                UPDATE res_partner p
                   SET rfm_recency = t.r, rfm_frequency = t.f, rfm_monetary = t.m,
                       rfm_segment = t.segment
                  FROM target t
                 WHERE p.id = t.id
                   AND (p.rfm_recency, p.rfm_frequency, p.rfm_monetary, p.rfm_segment)
                       IS DISTINCT FROM (t.r, t.f, t.m, t.segment)
                """,
                customer=self._get_commercial_partner_sql(),
                segments=segments,
                r=self._get_rfm_score_sql("r"),
                f=self._get_rfm_score_sql("f"),
                m=self._get_rfm_score_sql("m"),
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["rfm_recency", "rfm_frequency", "rfm_monetary", "rfm_segment"])
        return count

    @api.model
    def _get_rfm_score_sql(self, column):
        """The score 1-5 of ``column`` among the rows of its company: the quintile of the
        mid-rank percentile, the mean of the share of the company's customers below the value
        (as PERCENT_RANK) and the share at or below it (as CUME_DIST). Written with RANK and
        counts because PostgreSQL's CUME_DIST rescans the equal values for each row, which is
        quadratic when 40,000 customers ordered once."""
        column = SQL.identifier(column)
        below = SQL("(RANK() OVER (PARTITION BY company ORDER BY %s) - 1)", column)
        equal = SQL("COUNT(*) OVER (PARTITION BY company, %s)", column)
        total = SQL("COUNT(*) OVER (PARTITION BY company)")
        return SQL(
            """LEAST(5, 1 + FLOOR(2.5 * (COALESCE(%(below)s::numeric / NULLIF(%(total)s - 1, 0), 0)
                                         + (%(below)s + %(equal)s)::numeric / %(total)s)))::int""",
            below=below,
            equal=equal,
            total=total,
        )
