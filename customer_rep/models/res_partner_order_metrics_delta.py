import logging

from psycopg2 import errors

from odoo import api, models
from odoo.modules.registry import Registry
from odoo.tools import SQL

from .res_partner_order_metrics import ORDER_METRIC_FIELDS

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    """Order metrics by delta: what one order event (confirm, cancel, a change of lines or
    amounts, a move) adds to or takes from its customers' stored figures, at a cost that does
    not grow with the customer's history; queued when the customer's row is busy and folded in
    right after the commit (see ``res_partner_order_metrics.py`` for the figures themselves)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _apply_order_metric_deltas(self, before, after):
        """Update the stored metrics of the customers concerned by order changes, by their
        delta, without aggregating a customer's history again.

        :param before: {order id: (customer id, amount, date, rounding)} of the orders that
            counted before the change (``sale.order._get_order_metric_contributions``)
        :param after: the same, after the change

        Concurrency: the customer's row is locked with NOWAIT in a savepoint. When another
        transaction holds it, or changed it since this transaction began (Odoo runs in
        REPEATABLE READ, where the update would fail and the whole request be retried), the
        delta is queued in ``customer_rep_order_metric_delta`` instead and folded in right
        after the commit, in READ COMMITTED, which waits for the lock rather than failing.
        Either way no request fails and no delta is lost.
        """
        rows = self._get_order_metric_delta_rows(before, after)
        if not rows:
            return
        customer_ids = sorted(rows)
        # What the date lookups read (a cancelled order's state).
        self.env["sale.order"].flush_model(["state", "partner_id", "date_order"])
        self.flush_model(["commercial_partner_id"])
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE NOWAIT",
                        customer_ids,
                    ),
                    log_exceptions=False,  # a busy row is expected under load, not an error
                )
                cr.execute(self._get_order_metric_delta_sql(customer_ids, rows))
        except (errors.LockNotAvailable, errors.SerializationFailure):
            self._queue_order_metric_deltas(rows)
        self.browse(customer_ids).invalidate_recordset(list(ORDER_METRIC_FIELDS))

    @api.model
    def _get_order_metric_delta_rows(self, before, after):
        """{customer id: [count, amount, rounding, min added, max added, min removed, max
        removed]} from the orders' contributions before and after a change."""
        rows = {}

        def row(customer_id):
            return rows.setdefault(customer_id, [0, 0, None, None, None, None, None])

        for order_id in before.keys() | after.keys():
            old, new = before.get(order_id), after.get(order_id)
            if old == new:
                continue
            for contribution, sign in ((old, -1), (new, 1)):
                if not contribution:
                    continue
                customer_id, amount, day, rounding = contribution
                delta = row(customer_id)
                delta[0] += sign
                delta[1] += sign * amount
                delta[2] = max(delta[2] or rounding, rounding)
                low, high = (3, 4) if sign > 0 else (5, 6)
                delta[low] = min(delta[low] or day, day)
                delta[high] = max(delta[high] or day, day)
        return rows

    @api.model
    def _get_order_metric_delta_sql(self, customer_ids, rows):
        """UPDATE applying the deltas ``rows`` and those queued for ``customer_ids`` (deleted
        from the queue) to their customers, whose rows the caller has locked.

        Counts and totals add up; first and last order dates widen with the added orders. Only
        when a removed order held the first or last date is that date looked up again: per
        partner of the customer's family, one descent of the index on confirmed orders'
        (partner, date), whatever the customer's number of orders."""
        columns = (
            list(zip(*[[customer_id, *delta] for customer_id, delta in rows.items()], strict=True))
            or [[]] * 8
        )
        family_date = """(SELECT %(agg)s(x.date_order)::date
                            FROM res_partner f
                            CROSS JOIN LATERAL (
                                SELECT so.date_order FROM sale_order so
                                 WHERE so.partner_id = f.id AND so.state = 'sale'
                                 ORDER BY so.date_order %(direction)s LIMIT 1) x
                           WHERE f.commercial_partner_id = p.id)"""
        return SQL(
            """
            WITH queued AS (
                DELETE FROM customer_rep_order_metric_delta WHERE partner_id = ANY(%(ids)s)
                RETURNING partner_id, order_count, amount, rounding, min_added, max_added,
                          min_removed, max_removed
            ),
            d AS (
                SELECT partner_id, SUM(order_count) AS order_count, SUM(amount) AS amount,
                       MAX(rounding) AS rounding, MIN(min_added) AS min_added,
                       MAX(max_added) AS max_added, MIN(min_removed) AS min_removed,
                       MAX(max_removed) AS max_removed
                  FROM (SELECT * FROM unnest(%(c0)s::int[], %(c1)s::int[], %(c2)s::numeric[],
                                             %(c3)s::numeric[], %(c4)s::date[], %(c5)s::date[],
                                             %(c6)s::date[], %(c7)s::date[])
                        UNION ALL SELECT * FROM queued) AS deltas(partner_id, order_count, amount,
                            rounding, min_added, max_added, min_removed, max_removed)
              GROUP BY partner_id
            ),
            n AS (
                SELECT p.id, p.order_count + d.order_count AS order_count,
                       p.order_amount_total + d.amount AS amount_total,
                       COALESCE(d.rounding, 0.01) AS rounding,
                       CASE WHEN d.min_removed <= p.first_order_date THEN %(first_lookup)s
                            ELSE LEAST(p.first_order_date, d.min_added) END AS first_order_date,
                       CASE WHEN d.max_removed >= p.last_order_date THEN %(last_lookup)s
                            ELSE GREATEST(p.last_order_date, d.max_added) END AS last_order_date
                  FROM res_partner p JOIN d ON d.partner_id = p.id
            )
            UPDATE res_partner p
               SET order_count = n.order_count,
                   order_amount_total = n.amount_total,
                   order_amount_average = CASE WHEN n.order_count > 0
                       THEN ROUND(n.amount_total / n.order_count / n.rounding) * n.rounding
                       ELSE 0 END,
                   first_order_date = CASE WHEN n.order_count > 0 THEN n.first_order_date END,
                   last_order_date = CASE WHEN n.order_count > 0 THEN n.last_order_date END,
                   engagement_status = %(engagement)s
              FROM n
             WHERE p.id = n.id
            """,
            ids=customer_ids,
            **{f"c{i}": list(column) for i, column in enumerate(columns)},
            first_lookup=SQL(family_date % {"agg": "MIN", "direction": "ASC"}),
            last_lookup=SQL(family_date % {"agg": "MAX", "direction": "DESC"}),
            engagement=self._get_engagement_status_sql(
                self._get_customer_sql("p"), SQL("n.order_count"), SQL("n.last_order_date")
            ),
        )

    @api.model
    def _queue_order_metric_deltas(self, rows):
        """Queue deltas whose customer row is busy, and fold them in after the commit."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """INSERT INTO customer_rep_order_metric_delta
                       (partner_id, order_count, amount, rounding, min_added, max_added,
                        min_removed, max_removed)
                   VALUES %s""",
                SQL(", ").join(SQL("%s", (customer_id, *delta)) for customer_id, delta in rows.items()),
            )
        )
        queued = cr.postcommit.data.setdefault("customer_rep.queued_metrics", set())
        if not queued:
            dbname = cr.dbname

            def fold_after_commit():
                ResPartner._fold_queued_order_metrics_in_new_transaction(dbname, sorted(queued))

            cr.postcommit.add(fold_after_commit)
        queued.update(rows)

    @staticmethod
    def _fold_queued_order_metrics_in_new_transaction(dbname, customer_ids):
        """Fold the queued deltas of these customers, in a transaction of its own in READ
        COMMITTED: it waits for the rows' locks and then sees their latest values. A failure
        leaves the deltas queued (the next event of the customer, or the verify-and-repair run,
        folds them) and never fails the request, whose own transaction is committed."""
        try:
            with Registry(dbname).cursor() as cr:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["res.partner"]._fold_queued_order_metrics(customer_ids)
        except Exception:  # pylint: disable=broad-except
            _logger.warning("Queued order metrics of %s not folded yet", customer_ids, exc_info=True)

    @api.model
    def _fold_queued_order_metrics(self, customer_ids=None):
        """Apply the queued deltas of these customers (all when None) to their figures."""
        cr = self.env.cr
        if customer_ids is None:
            cr.execute("SELECT DISTINCT partner_id FROM customer_rep_order_metric_delta")
            customer_ids = [row[0] for row in cr.fetchall()]
        customer_ids = sorted(customer_ids)
        if not customer_ids:
            return
        self.env["sale.order"].flush_model(["state", "partner_id", "date_order"])
        cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                customer_ids,
            )
        )
        cr.execute(self._get_order_metric_delta_sql(customer_ids, {}))
        self.browse(customer_ids).invalidate_recordset(list(ORDER_METRIC_FIELDS))

    # ----------------------------------------------------------------------------------------
    # Verify and repair
    # ----------------------------------------------------------------------------------------
