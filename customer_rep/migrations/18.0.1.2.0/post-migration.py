from odoo.tools import SQL

# Indexes of earlier versions on partner columns that lists sort on but nobody searches: each
# cost every write of a partner row (an order event changes a customer's figures) and the
# planning of every query on partners. Odoo keeps an index whose field is no longer indexed.
DROPPED_INDEXES = (
    "res_partner__order_count_index",
    "res_partner__order_amount_average_index",
    "res_partner__first_order_date_index",
    "res_partner__rfm_recency_index",
    "res_partner__rfm_frequency_index",
    "res_partner__rfm_monetary_index",
)


def migrate(cr, version):
    for name in DROPPED_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
