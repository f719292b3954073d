"""Benchmark of an upgrade at scale: what `-u customer_rep` costs on 100,000 customers and
1,000,000 orders when it must fill the stored columns a version added.

On a copy of bench.py's seeded database (built first when missing) with the addon installed and
every customer given an account manager, the columns that versions after 18.0.1.0.0 added are
dropped (sale_order.customer_account_manager_id as 18.0.1.0.0 lacked it until 2026-11-30,
prospect_account_manager_id, res_partner.customer_account_manager_id and the RFM scores) and
the installed version set back to 18.0.1.0.0; then `-u customer_rep` fills them. Reported: that
update, the same update with nothing to fill, and each fill statement alone in SQL.

Run through bench/run: bench/run upgrade [--db customer_rep_bench]
"""

import argparse
import time

import psycopg2

from bench import PG, assign_managers, copy_db, db_exists, drop_db, log, run_odoo, seed, seed_lines

DROPPED = """
ALTER TABLE sale_order DROP COLUMN customer_account_manager_id,
                       DROP COLUMN prospect_account_manager_id;
ALTER TABLE res_partner DROP COLUMN customer_account_manager_id, DROP COLUMN rfm_recency,
                        DROP COLUMN rfm_frequency, DROP COLUMN rfm_monetary, DROP COLUMN rfm_segment;
UPDATE ir_module_module SET latest_version = '18.0.1.0.0' WHERE name = 'customer_rep';
"""


def timed_sql(db, statements):
    """Seconds for each (label, statement), each in a transaction rolled back."""
    conn = psycopg2.connect(dbname=db, **PG)
    results = []
    with conn.cursor() as cr:
        for label, statement in statements:
            start = time.perf_counter()
            cr.execute(statement)
            results.append((label, time.perf_counter() - start, cr.rowcount))
            conn.rollback()
    conn.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--db", default="customer_rep_bench", help="bench.py's seeded database")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the upgraded database")
    args = parser.parse_args()
    if not db_exists(args.db):
        seed(args.db, args.customers, args.orders, 50_000)
        seed_lines(args.db)
    db = f"{args.db}_upgrade"
    copy_db(args.db, db)
    try:
        log("installing customer_rep")
        seconds, _ = run_odoo(db, "-i", "customer_rep", "--stop-after-init")
        log(f"  {seconds:.0f} s")
        assign_managers(db)
        conn = psycopg2.connect(dbname=db, **PG)
        with conn.cursor() as cr:
            cr.execute("SELECT count(*) FROM sale_order")
            orders = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM res_partner")
            partners = cr.fetchone()[0]
        conn.close()
        log(f"{orders} orders, {partners} partners")
        nothing, _ = run_odoo(db, "-u", "customer_rep", "--stop-after-init")
        log(f"-u customer_rep with nothing to fill: {nothing:.1f} s")
        conn = psycopg2.connect(dbname=db, **PG)
        with conn.cursor() as cr:
            cr.execute(DROPPED)
        conn.commit()
        conn.close()
        filling, _ = run_odoo(db, "-u", "customer_rep", "--stop-after-init")
        log(f"-u customer_rep from 18.0.1.0.0, filling the columns: {filling:.1f} s")
        statements = [
            (
                "sale_order.customer_account_manager_id",
                """UPDATE sale_order o SET customer_account_manager_id = customer.account_manager_id
                     FROM res_partner partner
                     JOIN res_partner customer
                       ON customer.id = COALESCE(partner.commercial_partner_id, partner.id)
                    WHERE partner.id = o.partner_id AND customer.account_manager_id IS NOT NULL""",
            ),
        ]
        for label, seconds, rows in timed_sql(db, statements):
            log(f"  {label} alone (SQL, rolled back): {seconds:.1f} s, {rows} rows")
    finally:
        if not args.keep:
            drop_db(db)


if __name__ == "__main__":
    main()
