from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

# Maintained by _recompute_order_metrics() only; values sent by clients are ignored.
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

    Plain stored columns, kept exact by ``_recompute_order_metrics`` from the order and partner
    hooks (``sale_order.py``, ``sale_order_line.py``, the partner merge) and by the daily cron;
    a compute chain on ``sale_order_ids`` would not scale to millions of orders."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Staff only (groups): portal users may read their own partner record.
    order_count = fields.Integer(
        string="Number of Orders",
        default=0,
        readonly=True,
        copy=False,
        groups="base.group_user",
        index=True,
        help="Confirmed sales orders of the customer, its contacts and locations.",
    )
    order_amount_total = fields.Monetary(
        string="Total Ordered",
        currency_field="currency_id",
        default=0.0,
        readonly=True,
        copy=False,
        groups="base.group_user",
        index=True,
        help="Untaxed total of the confirmed orders in the company currency; an order in "
        "another currency is converted at the order's own rate.",
    )
    order_amount_average = fields.Monetary(
        string="Average per Order",
        currency_field="currency_id",
        default=0.0,
        readonly=True,
        copy=False,
        groups="base.group_user",
        index=True,
        help="Untaxed average of the confirmed orders in the company currency.",
    )
    first_order_date = fields.Date(
        readonly=True,
        copy=False,
        groups="base.group_user",
        index="btree_not_null",
        help="Order date of the customer's first confirmed order.",
    )
    last_order_date = fields.Date(
        readonly=True,
        copy=False,
        groups="base.group_user",
        index="btree_not_null",
        help="Order date of the customer's latest confirmed order.",
    )
    engagement_status = fields.Selection(
        selection=[("new", "New"), ("engaged", "Engaged"), ("lapsed", "Lapsed")],
        readonly=True,
        copy=False,
        groups="base.group_user",
        index=True,
        help="New: no confirmed order yet. Engaged: the last confirmed order lies within the "
        "engagement window (Sales settings). Lapsed: confirmed orders, none within the window.",
    )

    def init(self):
        res = super().init()
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
            if self._is_new_customer(vals):
                vals["engagement_status"] = "new"  # a new customer has no order yet
        return super().create(vals_list)

    def write(self, vals):
        if not ORDER_METRIC_FIELDS.isdisjoint(vals):
            vals = {fname: value for fname, value in vals.items() if fname not in ORDER_METRIC_FIELDS}
        if "parent_id" not in vals and "is_company" not in vals:
            return super().write(vals)
        # Moving a contact to another customer moves its orders: both customers change.
        customers_before = self | self.commercial_partner_id
        result = super().write(vals)
        (customers_before | self.commercial_partner_id)._recompute_order_metrics()
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
        """Daily scheduled action: apply the time-based engaged → lapsed change."""
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
    def _get_order_metrics_update_sql(self, partner_ids=None):
        """UPDATE setting the order metrics of the given partners (all partners when None).

        An order counts in its company's currency: amount_untaxed / currency_rate (the rate of
        the order's own date), rounded to that currency; dates are the UTC dates of date_order.
        """
        order_filter = SQL("TRUE")
        partner_filter = SQL("TRUE")
        if partner_ids is not None:
            order_filter = SQL("rp.commercial_partner_id = ANY(%s)", list(partner_ids))
            partner_filter = SQL("src.id = ANY(%s)", list(partner_ids))
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
            )
            UPDATE res_partner p
               SET order_count = COALESCE(m.order_count, 0),
                   order_amount_total = COALESCE(m.amount_total, 0),
                   order_amount_average = COALESCE(
                       ROUND(m.amount_total / m.order_count / m.rounding) * m.rounding, 0),
                   first_order_date = m.first_order_date,
                   last_order_date = m.last_order_date,
                   engagement_status = CASE
                       WHEN NOT %(customer)s THEN NULL
                       WHEN m.partner_id IS NULL THEN 'new'
                       WHEN m.last_order_date >= %(cutoff)s THEN 'engaged'
                       ELSE 'lapsed'
                   END
              FROM res_partner src
         LEFT JOIN metrics m
                ON m.partner_id = src.id AND %(customer)s
             WHERE p.id = src.id AND %(partner_filter)s
            """,
            order_filter=order_filter,
            partner_filter=partner_filter,
            cutoff=self._get_engagement_cutoff_date(),
            customer=self._get_customer_sql("src"),
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
