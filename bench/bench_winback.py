"""Benchmark of the win-back and RFM part of the daily job at scale.

In a database that has customer_rep installed (e.g. the one bin/test or bin/run made), seeds
with bulk SQL N customers (default 100,000) with 1-5 confirmed orders each, spread over two
years, of which L (default 10,000) are engaged customers whose last order has just left the
engagement window; then times, in Odoo itself (no server):
  (1) the RFM recompute of every customer (scores and segments);
  (2) the engagement run in which the L customers lapse, with their win-back activities;
  (3) the same run again (nothing lapses, no activity is created);
  (4) the RFM recompute again (nothing changes).
It works on a copy of the database (<db>_winback_bench, made from it as a template and
dropped at the end unless --keep): the seed is committed and vacuumed, as a live database's
tables would be, before anything is timed; each step is its own transaction.

    python3 bench/bench_winback.py --db crtest_winback [--customers 100000] [--lapsing 10000]
"""

import argparse
import os
import sys
import time
from contextlib import contextmanager

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANAGERS = 10

SEED_SQL = """
CREATE TABLE bench_winback_customer AS
WITH inserted AS (
    INSERT INTO res_partner (name, complete_name, is_company, customer_rank, active, type, lang,
                             account_manager_id, effective_account_manager_id, is_customer_account,
                             autopost_bills, billing_status, payment_basis_date,
                             create_date, write_date, create_uid, write_uid)
    SELECT 'Win-back bench ' || g, 'Win-back bench ' || g, true, 1, true, 'contact', 'en_US',
           m.id, m.id, true, %(autopost)s, %(billing)s, %(basis)s, now(), now(), 1, 1
      FROM generate_series(1, %(customers)s) g
      JOIN bench_winback_manager m ON m.k = g %% %(managers)s
 RETURNING id
)
SELECT id, (row_number() OVER (ORDER BY id))::int AS g FROM inserted;
UPDATE res_partner p SET commercial_partner_id = p.id FROM bench_winback_customer c WHERE p.id = c.id;
-- 1-5 orders per customer. The first L customers: the last order one day before the window
-- (they lapse in this run); the others anywhere in the last two years.
INSERT INTO sale_order (name, state, partner_id, partner_invoice_id, partner_shipping_id,
                        company_id, currency_id, currency_rate, user_id, date_order,
                        amount_untaxed, amount_tax, amount_total, create_date, write_date,
                        create_uid, write_uid)
SELECT 'WINBACK/' || c.g || '/' || j, 'sale', c.id, c.id, c.id, %(company)s, %(currency)s, 1.0, 1,
       CASE WHEN c.g <= %(lapsing)s
            THEN (current_date - (%(window)s + 1 + 30 * j))::timestamp + interval '12 hours'
            ELSE (current_date - ((c.g * 37 + j * 61) %% 730))::timestamp + interval '12 hours'
       END,
       100 + (c.g * 13 + j * 7) %% 5000, 0, 100 + (c.g * 13 + j * 7) %% 5000, now(), now(), 1, 1
  FROM bench_winback_customer c
  CROSS JOIN LATERAL generate_series(0, c.g %% 5) j;
"""


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def seed(env, customers, lapsing):
    cr = env.cr
    users = env["res.users"].create(
        [
            {
                "name": f"Win-back bench manager {k}",
                "login": f"winback_bench_{k}",
                "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
            }
            for k in range(MANAGERS)
        ]
    )
    env.flush_all()
    cr.execute("CREATE TABLE bench_winback_manager (k int, id int)")
    cr.execute(
        "INSERT INTO bench_winback_manager"
        " SELECT k - 1, id FROM unnest(%s::int[]) WITH ORDINALITY AS u(id, k)",
        [users.ids],
    )
    company = env.company
    cr.execute(
        "SELECT autopost_bills, billing_status, payment_basis_date FROM res_partner WHERE id = %s",
        [company.partner_id.id],
    )
    autopost, billing, basis = cr.fetchone()
    cr.execute(
        SEED_SQL,
        {
            "customers": customers,
            "lapsing": lapsing,
            "managers": MANAGERS,
            "company": company.id,
            "currency": company.currency_id.id,
            "window": env["res.partner"]._get_engagement_window_days(),
            "autopost": autopost,
            "billing": billing,
            "basis": basis,
        },
    )
    cr.execute("SELECT array_agg(id ORDER BY g) FROM bench_winback_customer")
    ids = cr.fetchone()[0]
    cr.execute(env["res.partner"]._get_order_metrics_update_sql(ids))
    # Yesterday the first L customers were still engaged.
    cr.execute("UPDATE res_partner SET engagement_status = 'engaged' WHERE id = ANY(%s)", [ids[:lapsing]])
    cr.execute("SELECT count(*) FROM sale_order WHERE name LIKE 'WINBACK/%%'")
    orders = cr.fetchone()[0]
    env.invalidate_all()
    return ids, orders


@contextmanager
def _step(registry, results, label, api, uid):
    with registry.cursor() as cr:
        env = api.Environment(cr, uid, {})
        start = time.perf_counter()
        yield env
        env.flush_all()
        cr.commit()
        results.append((label, time.perf_counter() - start))


def count_winback_activities(env, ids):
    env.cr.execute(
        "SELECT count(*) FROM mail_activity"
        " WHERE is_winback AND res_model = 'res.partner' AND res_id = ANY(%s)",
        [ids],
    )
    return env.cr.fetchone()[0]


def pg_params():
    return {
        "host": os.environ.get("PGHOST", "localhost"),
        "port": int(os.environ.get("PGPORT", "5432")),
        "user": os.environ.get("PGUSER", "odoo"),
        "password": os.environ.get("PGPASSWORD", "odoo"),
    }


def admin_sql(dbname, *queries):
    """Statements that cannot run in a transaction (CREATE DATABASE, VACUUM)."""
    conn = psycopg2.connect(dbname=dbname, **pg_params())
    conn.autocommit = True
    with conn.cursor() as cr:
        for query in queries:
            cr.execute(query)
    conn.close()


def measure(registry, args, results):
    """Seed, then time the steps; returns what the report prints besides the timings."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415 - imported once configured

    def step(label):
        return _step(registry, results, label, api, SUPERUSER_ID)

    log(f"seeding {args.customers:,} customers ({args.lapsing:,} about to lapse)")
    with step("seed (bulk SQL, not a figure of the addon)") as env:
        ids, orders = seed(env, args.customers, args.lapsing)
    admin_sql(
        registry.db_name, *(f"VACUUM ANALYZE {t}" for t in ("res_partner", "sale_order", "mail_activity"))
    )
    log(f"seeded {len(ids):,} customers, {orders:,} confirmed orders")
    with step(f"(1) RFM recompute, first scoring of {args.customers:,} customers") as env:
        scored = env["res.partner"]._recompute_rfm_segments()
    log(f"RFM: {scored:,} customers scored")
    with step(f"(2) engagement run: {args.lapsing:,} lapse, with win-back activities") as env:
        lapsed = env["res.partner"]._update_engagement_status()
    with step("(3) engagement run again: nothing lapses") as env:
        activities = count_winback_activities(env, ids)
        again = env["res.partner"]._update_engagement_status()
    log(f"lapsed {lapsed:,}, win-back activities {activities:,}")
    with step("(4) RFM recompute after the lapses (the daily case)") as env:
        unchanged = env["res.partner"]._recompute_rfm_segments()
    with step("(5) the whole daily job (engagement, win-back, RFM), nothing due") as env:
        env["res.partner"]._cron_update_engagement_status()
        env.flush_all()
        assert count_winback_activities(env, ids) == activities, "a rerun created activities"
        env.cr.execute(
            "SELECT rfm_segment, count(*) FROM res_partner WHERE id = ANY(%s) GROUP BY 1 ORDER BY 2 DESC",
            [ids],
        )
        segments = env.cr.fetchall()
    return {
        "orders": orders,
        "summary": f"Lapsed in run (2): {lapsed:,}; win-back activities: {activities:,}; run (3): "
        f"{again} lapsed, no new activity; RFM rows changed by run (4): {unchanged:,}.",
        "segments": "Segments: " + ", ".join(f"{segment} {count:,}" for segment, count in segments),
    }


def run(args):
    import odoo  # noqa: PLC0415 - imported once the configuration is known
    from odoo.tools import config  # noqa: PLC0415

    pg = pg_params()
    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={pg['host']}",
            f"--db_port={pg['port']}",
            f"--db_user={pg['user']}",
            f"--db_password={pg['password']}",
            "--log-level=warn",
        ]
    )
    bench_db = f"{args.db}_winback_bench"
    log(f"copying {args.db} to {bench_db}")
    admin_sql(
        "postgres",
        f'DROP DATABASE IF EXISTS "{bench_db}"',
        f'CREATE DATABASE "{bench_db}" TEMPLATE "{args.db}"',
    )
    results = []
    try:
        found = measure(odoo.modules.registry.Registry(bench_db), args, results)
    finally:
        odoo.modules.registry.Registry.delete(bench_db)
        odoo.sql_db.close_db(bench_db)
        if not args.keep:
            admin_sql("postgres", f'DROP DATABASE "{bench_db}"')
    print()
    print(f"| Step ({args.customers:,} customers, {found['orders']:,} orders) | Seconds |")
    print("|---|---:|")
    for label, seconds in results:
        print(f"| {label} | {seconds:.2f} |")
    print()
    print(found["summary"])
    print(found["segments"])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a database with customer_rep installed")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lapsing", type=int, default=10_000)
    parser.add_argument(
        "--addons-path",
        default=os.environ.get(
            "CUSTOMER_REP_ADDONS_PATH", f"/opt/odoo18/addons,/opt/odoo18/odoo/addons,{ROOT}"
        ),
    )
    parser.add_argument("--keep", action="store_true", help="keep the copy <db>_winback_bench")
    args = parser.parse_args()
    if args.lapsing > args.customers:
        sys.exit("--lapsing cannot exceed --customers")
    run(args)


if __name__ == "__main__":
    main()
