from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .sale_order import SKIP_METRICS_KEY

# Deltas of order events that could not be applied at once because another transaction held
# or had just changed the customer's row; folded in right after the commit (see
# _apply_order_metric_deltas). A plain table: rows are only inserted and deleted. A delta whose
# process died before that fold stays there: the next order event of any customer folds the
# deltas older than STALE_DELTA_AGE, and the daily job folds all of them.
PENDING_TABLE = "customer_rep_order_metric_delta"
STALE_DELTA_AGE = timedelta(minutes=1)

# Maintained by the order events' deltas (_apply_order_metric_deltas) and the aggregate
# (_recompute_order_metrics, _verify_order_metrics) only; values sent by clients are ignored.
ORDER_METRIC_FIELDS = frozenset(
    {
        "order_count",
        "order_amount_total",
        "order_amount_average",
        "first_order_date",
        "last_order_date",
        "engagement_status",
    }
)


class ResPartner(models.Model):
    """Order metrics of a customer (commercial partner) and its engagement status, counting the
    confirmed orders of the customer, its contacts and locations.

    Plain stored columns, kept exact by the order and partner hooks (``sale_order.py``,
    ``sale_order_line.py``, moving a contact): each event changes the figures by its delta
    (``_apply_order_metric_deltas``), at a cost that does not grow with the customer's history.
    The aggregate over a customer's orders (``_recompute_order_metrics``) serves the partner
    merge, and the verify-and-repair run (``action_verify_order_metrics``, a scheduled action
    off by default); the daily cron moves engaged customers to lapsed. A compute chain on
    ``sale_order_ids`` would not scale to millions of orders."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Staff only (groups): portal users may read their own partner record.
    # Not indexed: lists sort on it now and then, nobody searches it, and an index would cost
    # every order event (each index of res_partner gets an entry when a customer's figures
    # change) and the planning of every query on partners.
    order_count = fields.Integer(
        string="Number of Orders",
        default=0,
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        help="Confirmed sales orders of the customer, its contacts and locations.",
    )
    order_amount_total = fields.Monetary(
        string="Total Ordered",
        currency_field="currency_id",
        default=0.0,
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        index=True,
        help="Untaxed total of the confirmed orders in the company currency; an order in "
        "another currency is converted at the order's own rate.",
    )
    # Not indexed, as order_count.
    order_amount_average = fields.Monetary(
        string="Average per Order",
        currency_field="currency_id",
        default=0.0,
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        help="Untaxed average of the confirmed orders in the company currency.",
    )
    # Not indexed, as order_count.
    first_order_date = fields.Date(
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        help="Order date of the customer's first confirmed order.",
    )
    last_order_date = fields.Date(
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        index="btree_not_null",
        help="Order date of the customer's latest confirmed order.",
    )
    engagement_status = fields.Selection(
        selection=[("new", "New"), ("engaged", "Engaged"), ("lapsed", "Lapsed")],
        readonly=True,
        copy=False,
        groups="base.group_user",
        prefetch="customer_rep",
        index=True,
        help="New: no confirmed order yet. Engaged: the last confirmed order lies within the "
        "engagement window (Sales settings). Lapsed: confirmed orders, none within the window.",
    )

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %s (
                       id SERIAL PRIMARY KEY,
                       partner_id INTEGER NOT NULL REFERENCES res_partner(id) ON DELETE CASCADE,
                       order_count INTEGER NOT NULL,
                       amount NUMERIC NOT NULL,
                       rounding NUMERIC,
                       min_added DATE, max_added DATE, min_removed DATE, max_removed DATE,
                       create_date TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
                   )""",
                SQL.identifier(PENDING_TABLE),
            )
        )
        # When the delta was queued (UTC, as Odoo's create_date), for the fold of deltas left
        # by a process that died. Rows an earlier version queued get the time of the update
        # (one statement, no rewrite of the table), so they count as stale a minute later.
        self.env.cr.execute(
            SQL(
                """ALTER TABLE %s ADD COLUMN IF NOT EXISTS create_date TIMESTAMP NOT NULL
                   DEFAULT (now() AT TIME ZONE 'UTC')""",
                SQL.identifier(PENDING_TABLE),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (partner_id)",
                SQL.identifier(f"{PENDING_TABLE}_partner_idx"),
                SQL.identifier(PENDING_TABLE),
            )
        )
        # Every order event asks whether a delta is older than STALE_DELTA_AGE: one descent.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (create_date)",
                SQL.identifier(f"{PENDING_TABLE}_create_date_idx"),
                SQL.identifier(PENDING_TABLE),
            )
        )
        # "My Accounts" with an engagement filter, the reps' daily question: counted from the
        # index alone (an index-only scan) instead of visiting every partner of the manager. It
        # carries the columns of Odoo's multi-company partner rule (partner_share, company_id),
        # which every non-superuser search adds; without them PostgreSQL visits the table.
        self.env.cr.execute(
            SQL(
                """CREATE INDEX IF NOT EXISTS res_partner_manager_engagement_idx ON %s
                   (effective_account_manager_id, engagement_status)
                   INCLUDE (partner_share, company_id) WHERE active""",
                SQL.identifier(self._table),
            )
        )
        return res

    def _auto_init(self):
        """The metrics of the orders that exist at install, filled with one set-based statement
        before their indexes exist, rather than through the ORM for every partner."""
        cr = self.env.cr
        if not column_exists(cr, self._table, "order_count"):
            for fname in ORDER_METRIC_FIELDS:
                create_column(cr, self._table, fname, self._fields[fname].column_type[1])
            cr.execute(self._get_order_metrics_update_sql())
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for fname in ORDER_METRIC_FIELDS:
                vals.pop(fname, None)
            if self._is_new_commercial_partner(vals):
                vals["engagement_status"] = "new"  # a new customer has no order yet
        return super().create(vals_list)

    def write(self, vals):
        if not ORDER_METRIC_FIELDS.isdisjoint(vals):
            vals = {fname: value for fname, value in vals.items() if fname not in ORDER_METRIC_FIELDS}
        if ("parent_id" not in vals and "is_company" not in vals) or self.env.context.get(SKIP_METRICS_KEY):
            return super().write(vals)
        # Moving a contact to another customer moves its orders (and those of its own
        # contacts): the old customer loses them, the new one gains them, by their delta.
        orders = (
            self.env["sale.order"]
            .sudo()
            .search([("partner_id", "child_of", self.ids), ("state", "=", "sale")])
        )
        before = orders._get_order_metric_contributions()
        was_customer = {partner.id: partner.is_commercial_partner for partner in self}
        result = super(ResPartner, self.with_context(**{SKIP_METRICS_KEY: True})).write(vals)
        self.env["res.partner"]._apply_order_metric_deltas(before, orders._get_order_metric_contributions())
        # A partner that becomes or stops being a customer gets or drops its own figures (an
        # aggregate over its own family only, not over its former customer's history).
        self.filtered(lambda p: p.is_commercial_partner != was_customer[p.id])._recompute_order_metrics()
        return result

    def action_view_order_history(self):
        """The sales orders of the customer, its contacts and locations: the confirmed ones,
        which the button counts, by default (filter *Sales Orders*); removing the filter shows
        quotations and cancelled orders too."""
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.act_res_partner_2_sale_order")
        search_view = self.env.ref("sale.sale_order_view_search_inherit_quotation").sudo()
        action.update(
            name=self.env._("Order History of %(customer)s", customer=customer.display_name),
            domain=[("partner_id", "child_of", customer.ids)],
            context={"default_partner_id": customer.id, "search_default_sales": 1},
            search_view_id=[search_view.id, search_view.name],
        )
        return action

    @api.model
    def _cron_update_engagement_status(self):
        """Daily scheduled action: fold the deltas still queued (a process that queued one may
        have died before its fold after the commit), make customers of the partners sold to
        that are none yet (likewise), then apply the time-based engaged →
        lapsed change to figures that count every confirmed order."""
        self._fold_queued_order_metrics_in_batches()
        # Likewise a prospect whose first confirmation found its row busy: made a customer after
        # that commit, or here when the process died before.
        self._make_customers_with_confirmed_orders()
        return self._update_engagement_status()

    @api.model
    def _get_engagement_window_days(self):
        return self._get_customer_rep_setting("engagement_window_days")

    @api.model
    def _get_engagement_cutoff_date(self):
        """A customer whose last confirmed order is on or after this date is engaged."""
        return fields.Date.today() - timedelta(days=self._get_engagement_window_days())

    def _recompute_order_metrics(self):
        """Recompute the order metrics of these partners from the orders themselves.

        Customers (commercial partners) get the aggregate over the confirmed orders of their
        whole family; other partners (contacts, locations) are reset to empty. One locking
        query and one UPDATE ... FROM (aggregate) per call, whatever the batch size.

        Concurrency: the values are recomputed from an aggregate over the orders, never
        incremented, and each customer's row is locked (FOR NO KEY UPDATE, in id order to
        avoid deadlocks; it does not block new orders, whose foreign key takes only a KEY SHARE
        lock). Odoo runs transactions in REPEATABLE READ: when two users confirm orders of the
        same customer at once, the second waits for the first's lock and, once the first
        commits, gets a serialization failure instead of writing an aggregate that misses the
        first's order. Odoo retries such failures (RPC and web requests), and the retry sees
        both orders: no lost update. The UPDATE must therefore always touch the row, even when
        the values do not change.
        """
        partner_ids = sorted(set(self.ids))
        if not partner_ids:
            return
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "currency_rate", "amount_untaxed"]
        )
        self.env["res.partner"].flush_model(["parent_id", "commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                partner_ids,
            )
        )
        # Raw SQL, reason: one set-based aggregate and update for the whole batch, with the
        # per-order currency conversion the ORM's aggregates cannot express.
        self.env.cr.execute(self._get_order_metrics_update_sql(partner_ids))
        self.browse(partner_ids).invalidate_recordset(list(ORDER_METRIC_FIELDS))

    @api.model
    def _get_order_metrics_update_sql(self, partner_ids=None, id_range=None, only_wrong=False):
        """UPDATE setting the order metrics of the given partners (all partners when None, or
        those with ids in ``id_range`` = (low, high)), from an aggregate over their orders.

        An order counts in its company's currency: amount_untaxed / currency_rate (the rate of
        the order's own date), rounded to that currency; dates are the UTC dates of date_order.
        With ``only_wrong``, only the partners whose stored figures differ are written.
        """
        order_filter = SQL("TRUE")
        partner_filter = SQL("TRUE")
        if partner_ids is not None:
            order_filter = SQL("rp.commercial_partner_id = ANY(%s)", list(partner_ids))
            partner_filter = SQL("src.id = ANY(%s)", list(partner_ids))
        elif id_range is not None:
            low, high = id_range
            order_filter = SQL("rp.commercial_partner_id >= %s AND rp.commercial_partner_id < %s", low, high)
            partner_filter = SQL("src.id >= %s AND src.id < %s", low, high)
        wrong_filter = SQL("TRUE")
        if only_wrong:
            wrong_filter = SQL(
                """(p.order_count, p.order_amount_total, p.order_amount_average, p.first_order_date,
                    p.last_order_date, p.engagement_status)
                   IS DISTINCT FROM
                   (v.order_count, v.order_amount_total, v.order_amount_average, v.first_order_date,
                    v.last_order_date, v.engagement_status)"""
            )
        return SQL(
            """
            WITH metrics AS (
                SELECT rp.commercial_partner_id AS partner_id,
                       COUNT(*) AS order_count,
                       SUM(ROUND(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                                 / cur.rounding) * cur.rounding) AS amount_total,
                       MAX(cur.rounding) AS rounding,
                       MIN(so.date_order)::date AS first_order_date,
                       MAX(so.date_order)::date AS last_order_date
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                  JOIN res_company company ON company.id = so.company_id
                  JOIN res_currency cur ON cur.id = company.currency_id
                 WHERE so.state = 'sale' AND %(order_filter)s
              GROUP BY rp.commercial_partner_id
            ),
            v AS (
                SELECT src.id,
                       COALESCE(m.order_count, 0) AS order_count,
                       COALESCE(m.amount_total, 0) AS order_amount_total,
                       COALESCE(ROUND(m.amount_total / m.order_count / m.rounding) * m.rounding, 0)
                           AS order_amount_average,
                       m.first_order_date,
                       m.last_order_date,
                       %(engagement)s AS engagement_status
                  FROM res_partner src
             LEFT JOIN metrics m
                    ON m.partner_id = src.id AND %(customer)s
                 WHERE %(partner_filter)s
            )
            UPDATE res_partner p
               SET order_count = v.order_count,
                   order_amount_total = v.order_amount_total,
                   order_amount_average = v.order_amount_average,
                   first_order_date = v.first_order_date,
                   last_order_date = v.last_order_date,
                   engagement_status = v.engagement_status
              FROM v
             WHERE p.id = v.id AND %(wrong_filter)s
            """,
            order_filter=order_filter,
            partner_filter=partner_filter,
            wrong_filter=wrong_filter,
            customer=self._get_commercial_partner_sql("src"),
            engagement=self._get_engagement_status_sql(
                self._get_commercial_partner_sql("src"),
                SQL("COALESCE(m.order_count, 0)"),
                SQL("m.last_order_date"),
            ),
        )

    @api.model
    def _get_engagement_status_sql(self, customer, order_count, last_order_date):
        """The engagement status, as an SQL expression of whether the partner is a customer,
        its number of confirmed orders and its last order date (all SQL expressions)."""
        return SQL(
            """CASE WHEN NOT %(customer)s THEN NULL
                    WHEN %(count)s <= 0 THEN 'new'
                    WHEN %(last)s >= %(cutoff)s THEN 'engaged'
                    ELSE 'lapsed' END""",
            customer=customer,
            count=order_count,
            last=last_order_date,
            cutoff=self._get_engagement_cutoff_date(),
        )

    @api.model
    def _update_engagement_status(self):
        """Move customers between engaged and lapsed after the window, set-based.

        One UPDATE over the customers whose status is due to change (index on
        engagement_status and last_order_date); returns how many changed.
        """
        self.flush_model(["last_order_date", "engagement_status"])
        cutoff = self._get_engagement_cutoff_date()
        # Raw SQL, reason: one set-based update of every customer past the window.
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET engagement_status = CASE WHEN last_order_date >= %(cutoff)s
                                                THEN 'engaged' ELSE 'lapsed' END
                 WHERE (engagement_status = 'engaged' AND last_order_date < %(cutoff)s)
                    OR (engagement_status = 'lapsed' AND last_order_date >= %(cutoff)s)
                """,
                cutoff=cutoff,
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["engagement_status"])
        return count
