import logging

from psycopg2 import errors

from odoo import api, fields, models
from odoo.modules.registry import Registry
from odoo.tools import SQL

from .res_partner_order_metrics import ORDER_METRIC_FIELDS, PENDING_TABLE, STALE_DELTA_AGE

_logger = logging.getLogger(__name__)

# Customers whose stale deltas one order event folds on its way (the rest by the next events
# and the daily job): a bound on what a confirmation may add after a crash.
STALE_FOLD_LIMIT = 100
# Customers per savepoint when the daily job folds the queue.
FOLD_BATCH_SIZE = 1000


class ResPartner(models.Model):
    """Order metrics by delta: what one order event (confirm, cancel, a change of lines or
    amounts, a move) adds to or takes from its customers' stored figures, at a cost that does
    not grow with the customer's history; queued when the customer's row is busy and folded in
    right after the commit (see ``res_partner_order_metrics.py`` for the figures themselves).

    Nothing waits on the process that queued a delta: the queue is a table, and a delta whose
    process died before its fold (a deploy, the OOM killer) is folded by the next order event
    of any customer once it is older than ``STALE_DELTA_AGE``, and by the daily job."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _apply_order_metric_deltas(self, before, after):
        """Update the stored metrics of the customers concerned by order changes, by their
        delta, without aggregating a customer's history again.

        :param before: {order id: contribution} of the orders that counted before the change
            (``sale.order._get_order_metric_contributions``)
        :param after: the same, after the change

        One round trip to the database in the common case: the lock of the customers' rows,
        the update and the savepoint around them are sent as one batch of statements.

        Concurrency: the customer's row is locked with NOWAIT in a savepoint. When another
        transaction holds it, or changed it since this transaction began (Odoo runs in
        REPEATABLE READ, where the update would fail and the whole request be retried), the
        delta is queued in ``customer_rep_order_metric_delta`` instead and folded in right
        after the commit, in READ COMMITTED, which waits for the lock rather than failing.
        Either way no request fails and no delta is lost.

        The same round trip asks for deltas queued more than ``STALE_DELTA_AGE`` ago, which a
        process that died left behind (an index descent on an empty table, in the common
        case); when there are, they are folded here too (``_try_fold_queued_order_metrics``).
        """
        changes = self._get_order_metric_changes(before, after)
        if not changes:
            return
        customer_ids = sorted({change[0] for change in changes})
        if any(sign < 0 and moves_date for _cid, sign, *_values, moves_date in changes):
            # A removed order's date may have to be looked up again: what the lookup reads.
            self.env["sale.order"].flush_model(["state", "partner_id", "date_order"])
            self.flush_model(["commercial_partner_id"])
            update = self._get_order_metric_delta_sql(customer_ids, changes)
        else:
            # The common case (a confirmation, a change of amount): dates only widen.
            update = self._get_order_metric_increment_sql(changes)
        cr = self.env.cr
        stale_ids = []
        try:
            cr.execute(
                SQL(
                    """SAVEPOINT customer_rep_order_metrics;
                       SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE NOWAIT;
                       %s;
                       RELEASE SAVEPOINT customer_rep_order_metrics;
                       %s""",
                    customer_ids,
                    update,
                    self._get_stale_order_metric_deltas_sql(),
                ),
                log_exceptions=False,  # a busy row is expected under load, not an error
            )
            stale_ids = sorted(set(cr.fetchone()[0]))
        except (errors.LockNotAvailable, errors.SerializationFailure):
            cr.execute(
                "ROLLBACK TO SAVEPOINT customer_rep_order_metrics; "
                "RELEASE SAVEPOINT customer_rep_order_metrics"
            )
            self._queue_order_metric_deltas(changes)
        self.browse(customer_ids).invalidate_recordset(list(ORDER_METRIC_FIELDS))
        if stale_ids:
            self._try_fold_queued_order_metrics(stale_ids, nowait=True)

    @api.model
    def _get_stale_order_metric_deltas_sql(self):
        """SELECT of one array: the customers (at most ``STALE_FOLD_LIMIT``, a customer may
        repeat) of the deltas queued more than ``STALE_DELTA_AGE`` ago, oldest first; answered
        by the index on the queue's ``create_date``."""
        return SQL(
            """SELECT ARRAY(SELECT partner_id FROM %s WHERE create_date < %s
                             ORDER BY create_date LIMIT %s)""",
            SQL.identifier(PENDING_TABLE),
            fields.Datetime.now() - STALE_DELTA_AGE,
            STALE_FOLD_LIMIT,
        )

    @api.model
    def _get_order_metric_changes(self, before, after):
        """[(customer id, sign, untaxed amount, currency rate, rounding, date, moves date)]:
        what each changed order takes from (sign -1) and adds to (sign 1) its customer's
        figures. An order that stays with its customer on the same date only changes the
        amount: its date neither leaves nor widens the customer's first and last dates."""
        changes = []
        for order_id in before.keys() | after.keys():
            old, new = before.get(order_id), after.get(order_id)
            if old == new:
                continue
            moves_date = not (old and new and (old[0], old[4]) == (new[0], new[4]))
            if old:
                changes.append((*old[:1], -1, *old[1:], moves_date))
            if new:
                changes.append((*new[:1], 1, *new[1:], moves_date))
        return changes

    @api.model
    def _get_order_metric_changes_sql(self, changes):
        """Per customer, the delta of ``changes`` (``_get_order_metric_changes``): the amounts
        converted and rounded per order with the expressions of the aggregate."""
        columns = list(zip(*changes, strict=True)) or [[]] * 7
        return SQL(
            """SELECT partner_id, SUM(sign) AS order_count,
                      SUM(sign * ROUND(amount / COALESCE(NULLIF(rate, 0), 1) / rounding) * rounding)
                          AS amount,
                      MAX(rounding) AS rounding,
                      MIN(day) FILTER (WHERE sign > 0 AND moves_date) AS min_added,
                      MAX(day) FILTER (WHERE sign > 0 AND moves_date) AS max_added,
                      MIN(day) FILTER (WHERE sign < 0 AND moves_date) AS min_removed,
                      MAX(day) FILTER (WHERE sign < 0 AND moves_date) AS max_removed
                 FROM unnest(%s::int[], %s::int[], %s::numeric[], %s::numeric[], %s::numeric[],
                             %s::date[], %s::bool[])
                      AS c(partner_id, sign, amount, rate, rounding, day, moves_date)
             GROUP BY partner_id""",
            *(list(column) for column in columns),
        )

    @api.model
    def _get_order_metric_increment_sql(self, changes):
        """UPDATE applying ``changes`` that remove no order's date (confirmations, changes of
        amounts) to their customers, whose rows the caller has locked: counts and totals add
        up, first and last order dates widen. A statement simpler to plan than the general
        one (``_get_order_metric_delta_sql``); the deltas queued for these customers are left
        to their own fold after the commit that queued them."""
        count = SQL("(p.order_count + d.order_count)")
        total = SQL("(p.order_amount_total + d.amount)")
        last = SQL("GREATEST(p.last_order_date, d.max_added)")
        return SQL(
            """
            UPDATE res_partner p
               SET order_count = %(count)s,
                   order_amount_total = %(total)s,
                   order_amount_average = CASE WHEN %(count)s > 0
                       THEN ROUND(%(total)s / %(count)s / d.rounding) * d.rounding ELSE 0 END,
                   first_order_date = LEAST(p.first_order_date, d.min_added),
                   last_order_date = %(last)s,
                   engagement_status = %(engagement)s
              FROM (%(changes)s) AS d
             WHERE p.id = d.partner_id
            """,
            count=count,
            total=total,
            last=last,
            changes=self._get_order_metric_changes_sql(changes),
            engagement=self._get_engagement_status_sql(self._get_commercial_partner_sql("p"), count, last),
        )

    @api.model
    def _get_order_metric_delta_sql(self, customer_ids, changes):
        """UPDATE applying ``changes`` and the deltas queued for ``customer_ids`` (deleted
        from the queue) to their customers, whose rows the caller has locked.

        Counts and totals add up; first and last order dates widen with the added orders. Only
        when a removed order held the first or last date is that date looked up again: per
        partner of the customer's family, one descent of the index on confirmed orders'
        (partner, date), whatever the customer's number of orders."""
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
                  FROM (%(changes)s UNION ALL SELECT * FROM queued) AS deltas
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
            changes=self._get_order_metric_changes_sql(changes),
            first_lookup=SQL(family_date % {"agg": "MIN", "direction": "ASC"}),
            last_lookup=SQL(family_date % {"agg": "MAX", "direction": "DESC"}),
            engagement=self._get_engagement_status_sql(
                self._get_commercial_partner_sql("p"), SQL("n.order_count"), SQL("n.last_order_date")
            ),
        )

    @api.model
    def _queue_order_metric_deltas(self, changes):
        """Queue deltas whose customer row is busy, and fold them in after the commit."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """INSERT INTO customer_rep_order_metric_delta
                       (partner_id, order_count, amount, rounding, min_added, max_added,
                        min_removed, max_removed)
                   %s""",
                self._get_order_metric_changes_sql(changes),
            )
        )
        queued = cr.postcommit.data.setdefault("customer_rep.queued_metrics", set())
        if not queued:
            dbname = cr.dbname

            def fold_after_commit():
                ResPartner._fold_queued_order_metrics_in_new_transaction(dbname, sorted(queued))

            cr.postcommit.add(fold_after_commit)
        queued.update(change[0] for change in changes)

    @staticmethod
    def _fold_queued_order_metrics_in_new_transaction(dbname, customer_ids):
        """Fold the queued deltas of these customers, in a transaction of its own in READ
        COMMITTED: it waits for the rows' locks and then sees their latest values. A failure,
        or a process that dies before it runs, leaves the deltas queued: the next event of the
        customer, the first event of any customer a minute later, the daily job or the
        verify-and-repair run folds them. It never fails the request, whose own transaction is
        committed."""
        try:
            with Registry(dbname).cursor() as cr:
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env["res.partner"]._fold_queued_order_metrics(customer_ids)
        except Exception:  # pylint: disable=broad-except
            _logger.warning("Queued order metrics of %s not folded yet", customer_ids, exc_info=True)

    @api.model
    def _fold_queued_order_metrics(self, customer_ids=None, nowait=False):
        """Apply the queued deltas of these customers (all when None) to their figures.

        :param nowait: fail with ``LockNotAvailable`` when a customer's row is busy, instead of
            waiting for it
        """
        cr = self.env.cr
        if customer_ids is None:
            customer_ids = self._get_queued_order_metric_customer_ids()
        customer_ids = sorted(customer_ids)
        if not customer_ids:
            return
        self.env["sale.order"].flush_model(["state", "partner_id", "date_order"])
        self.flush_model(["commercial_partner_id"])
        cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE %s",
                customer_ids,
                SQL("NOWAIT" if nowait else ""),
            ),
            log_exceptions=not nowait,
        )
        cr.execute(self._get_order_metric_delta_sql(customer_ids, []), log_exceptions=not nowait)
        self.browse(customer_ids).invalidate_recordset(list(ORDER_METRIC_FIELDS))

    @api.model
    def _try_fold_queued_order_metrics(self, customer_ids, nowait=False):
        """Fold the queued deltas of these customers in a savepoint, inside the current
        transaction; returns whether they were folded.

        When a customer's row is busy (``nowait``) or was changed by another transaction since
        this one began (REPEATABLE READ cannot update it), the savepoint is rolled back and the
        deltas stay queued for a later event or the daily job; the current transaction goes on.
        What the fold reads is flushed before the savepoint, so that rolling it back loses no
        pending write of the ORM."""
        self.env["sale.order"].flush_model(["state", "partner_id", "date_order"])
        self.flush_model(["commercial_partner_id", *ORDER_METRIC_FIELDS])
        try:
            with self.env.cr.savepoint(flush=False):
                self._fold_queued_order_metrics(customer_ids, nowait=nowait)
        except (errors.LockNotAvailable, errors.SerializationFailure):
            _logger.info("Queued order metrics of %s not folded yet: rows busy or changed", customer_ids)
            return False
        return True

    @api.model
    def _fold_queued_order_metrics_in_batches(self, batch_size=FOLD_BATCH_SIZE):
        """Fold every queued delta, in batches of customers (the daily job): a batch whose
        rows another transaction changed meanwhile stays queued, the others are folded.
        Returns the number of customers folded."""
        customer_ids = self._get_queued_order_metric_customer_ids()
        folded = 0
        for start in range(0, len(customer_ids), batch_size):
            batch = customer_ids[start : start + batch_size]
            if self._try_fold_queued_order_metrics(batch):
                folded += len(batch)
        if customer_ids:
            _logger.info("Queued order metrics folded for %s of %s customers", folded, len(customer_ids))
        return folded

    @api.model
    def _get_queued_order_metric_customer_ids(self):
        """The customers with queued deltas, by id."""
        self.env.cr.execute(
            SQL("SELECT DISTINCT partner_id FROM %s ORDER BY partner_id", SQL.identifier(PENDING_TABLE))
        )
        return [row[0] for row in self.env.cr.fetchall()]
