#!/usr/bin/env python3
"""Time the account handover (customer.rep.handover) of a leaving rep over XML-RPC.

Given a database with customer_rep installed, seeds with bulk SQL one rep ("Bench Leaver")
managing --customers customers, each with a delivery location (one in five overriding the
account manager to the rep), a draft quotation, an open activity of the rep on the customer
and one on its quotation, the rep following both; then hands everything over through the
wizard over XML-RPC, first to one user, then (on the seeded data again) evenly by revenue to
three users, and prints the figures. The seeded rows are left in the database: use a copy.

    createdb -T customer_rep_demo handover_bench                  # any database with the addon
    python3 bench/bench_handover.py --db handover_bench           # starts its own Odoo server
    python3 bench/bench_handover.py --db handover_bench --url http://localhost:8069   # or uses one

PostgreSQL is reached as PGHOST/PGPORT/PGUSER/PGPASSWORD (default localhost, 5432, odoo, odoo).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client
from contextlib import contextmanager

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = {
    "host": os.environ.get("PGHOST", "localhost"),
    "port": int(os.environ.get("PGPORT", "5432")),
    "user": os.environ.get("PGUSER", "odoo"),
    "password": os.environ.get("PGPASSWORD", "odoo"),
}

SEED_SQL = """
CREATE TEMP TABLE ho_customer AS
    SELECT g, nextval('res_partner_id_seq') AS id, nextval('res_partner_id_seq') AS location_id,
           nextval('sale_order_id_seq') AS order_id
    FROM generate_series(1, %(customers)s) g;
INSERT INTO res_partner (id, name, complete_name, active, type, is_company, commercial_partner_id,
                         customer_rank, supplier_rank, autopost_bills, lang, account_manager_id,
                         effective_account_manager_id, is_customer_account, billing_status,
                         payment_basis_date, order_amount_total, create_date, write_date,
                         create_uid, write_uid)
    SELECT id, 'Handover Customer ' || g, 'Handover Customer ' || g, true, 'contact', true, id,
           1, 0, 'ask', 'en_US', %(leaver)s, %(leaver)s, true, 'good', 'invoice_date',
           (g * 7919) %% 100000, now(), now(), 1, 1
    FROM ho_customer;
INSERT INTO res_partner (id, name, complete_name, active, type, is_company, parent_id,
                         commercial_partner_id, customer_rank, supplier_rank, autopost_bills, lang,
                         account_manager_id, effective_account_manager_id,
                         has_account_manager_override, is_customer_account, billing_status,
                         payment_basis_date, create_date, write_date, create_uid, write_uid)
    SELECT location_id, 'Dock', 'Handover Customer ' || g || ', Dock', true, 'delivery', false, id,
           id, 0, 0, 'ask', 'en_US', CASE WHEN id %% 5 = 0 THEN %(leaver)s END, %(leaver)s,
           id %% 5 = 0, true, 'good', 'invoice_date', now(), now(), 1, 1
    FROM ho_customer;
INSERT INTO sale_order (id, name, state, partner_id, partner_invoice_id, partner_shipping_id,
                        company_id, currency_id, currency_rate, pricelist_id, user_id, team_id,
                        account_manager_id, customer_account_manager_id, date_order,
                        amount_untaxed, amount_tax, amount_total, invoice_status, create_date,
                        write_date, create_uid, write_uid, require_signature, require_payment,
                        prepayment_percent, locked)
    SELECT order_id, 'HANDOVER/' || g, 'draft', id, id, location_id, %(company)s, %(currency)s,
           1.0, %(pricelist)s, %(leaver)s, %(team)s, %(leaver)s, %(leaver)s, now(), 100, 0, 100,
           'no', now(), now(), 1, 1, false, false, 1.0, false
    FROM ho_customer;
INSERT INTO mail_activity (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                           user_id, date_deadline, automated, active, create_date, write_date,
                           create_uid, write_uid)
    SELECT m.id, m.model, CASE m.model WHEN 'res.partner' THEN c.id ELSE c.order_id END,
           'Handover Customer ' || c.g, %(todo)s, 'Follow up', %(leaver)s,
           current_date + 7, false, true, now(), now(), 1, 1
    FROM ho_customer c, ir_model m WHERE m.model IN ('res.partner', 'sale.order');
INSERT INTO mail_followers (res_model, res_id, partner_id)
    SELECT 'res.partner', id, %(leaver_partner)s FROM ho_customer
    UNION ALL
    SELECT 'sale.order', order_id, %(leaver_partner)s FROM ho_customer;
ANALYZE res_partner;
ANALYZE sale_order;
ANALYZE mail_activity;
ANALYZE mail_followers;
"""

# A copy of what the seed wrote, to run the second handover on the same data.
RESET_SQL = """
UPDATE res_partner SET account_manager_id = %(leaver)s, effective_account_manager_id = %(leaver)s
 WHERE name LIKE 'Handover Customer %%' AND parent_id IS NULL;
UPDATE res_partner p SET account_manager_id = CASE WHEN c.id %% 5 = 0 THEN %(leaver)s END,
       effective_account_manager_id = %(leaver)s
  FROM res_partner c WHERE p.parent_id = c.id AND c.name LIKE 'Handover Customer %%'
   AND p.name = 'Dock';
UPDATE sale_order SET account_manager_id = %(leaver)s, customer_account_manager_id = %(leaver)s
 WHERE name LIKE 'HANDOVER/%%';
UPDATE mail_activity SET user_id = %(leaver)s
 WHERE summary = 'Follow up' AND res_name LIKE 'Handover Customer %%';
DELETE FROM mail_followers WHERE partner_id = ANY(%(receivers)s)
   AND (res_model, res_id) IN (
       SELECT 'res.partner', id FROM res_partner WHERE name LIKE 'Handover Customer %%'
       UNION ALL SELECT 'sale.order', id FROM sale_order WHERE name LIKE 'HANDOVER/%%');
INSERT INTO mail_followers (res_model, res_id, partner_id)
    SELECT 'res.partner', id, %(leaver_partner)s FROM res_partner
     WHERE name LIKE 'Handover Customer %%' AND parent_id IS NULL
    UNION ALL
    SELECT 'sale.order', id, %(leaver_partner)s FROM sale_order WHERE name LIKE 'HANDOVER/%%'
    ON CONFLICT DO NOTHING;
"""


def log(msg):
    print(msg, flush=True)


class Rpc:
    def __init__(self, url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
        if not self.uid:
            sys.exit(f"cannot log in to {db} as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


@contextmanager
def odoo_server(db, port, addons_path):
    """An Odoo server on ``port`` serving only ``db``."""
    with socket.socket() as probe:
        if probe.connect_ex(("localhost", port)) == 0:
            sys.exit(f"port {port} is in use: choose another with --port")
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write(
            f"[options]\naddons_path = {addons_path}\ndb_host = {PG['host']}\ndb_port = {PG['port']}\n"
            f"db_user = {PG['user']}\ndb_password = {PG['password']}\ndbfilter = ^{db}$\n"
            f"http_port = {port}\nlist_db = False\nworkers = 0\nmax_cron_threads = 0\n"
        )
    process = subprocess.Popen(
        [sys.executable, "-m", "odoo", "-c", conf.name, "-d", db, "--log-level=warn"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://localhost:{port}"
    try:
        for _attempt in range(120):
            try:
                urllib.request.urlopen(f"{url}/web/login", timeout=5)
                break
            except OSError:
                time.sleep(1)
        else:
            sys.exit("the Odoo server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)
        os.unlink(conf.name)


def default_addons_path():
    import odoo  # noqa: PLC0415 (only to find Odoo's own addons when no path is given)

    odoo_dir = os.path.dirname(odoo.__file__)
    paths = [os.path.join(os.path.dirname(odoo_dir), "addons"), os.path.join(odoo_dir, "addons"), ROOT]
    return ",".join(path for path in paths if os.path.isdir(path))


def create_users(admin):
    """The leaving rep and three receiving users (sales users)."""
    [group] = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", "sales_team"), ("name", "=", "group_sale_salesman")],
        ["res_id"],
    )
    users = []
    for login, name in (
        ("bench_leaver", "Bench Leaver"),
        ("bench_receiver_1", "Bench Receiver 1"),
        ("bench_receiver_2", "Bench Receiver 2"),
        ("bench_receiver_3", "Bench Receiver 3"),
    ):
        found = admin("res.users", "search", [("login", "=", login)], context={"active_test": False})
        users.append(
            found[0]
            if found
            else admin(
                "res.users",
                "create",
                {"name": name, "login": login, "groups_id": [(6, 0, [group["res_id"]])]},
            )
        )
    return users


def seed(db, customers, leaver, leaver_partner):
    conn = psycopg2.connect(dbname=db, **PG)
    with conn, conn.cursor() as cr:
        cr.execute("SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1")
        company, currency = cr.fetchone()
        cr.execute("SELECT id FROM product_pricelist ORDER BY id LIMIT 1")
        pricelist = (cr.fetchone() or [None])[0]
        cr.execute("SELECT id FROM crm_team ORDER BY id LIMIT 1")
        team = (cr.fetchone() or [None])[0]
        cr.execute(
            "SELECT res_id FROM ir_model_data WHERE module = 'mail' AND name = 'mail_activity_data_todo'"
        )
        (todo,) = cr.fetchone()
        cr.execute(
            SEED_SQL,
            {
                "customers": customers,
                "leaver": leaver,
                "leaver_partner": leaver_partner,
                "company": company,
                "currency": currency,
                "pricelist": pricelist,
                "team": team,
                "todo": todo,
            },
        )
    conn.close()


def reset(db, leaver, leaver_partner, receiver_partners):
    conn = psycopg2.connect(dbname=db, **PG)
    with conn, conn.cursor() as cr:
        cr.execute(
            RESET_SQL, {"leaver": leaver, "leaver_partner": leaver_partner, "receivers": receiver_partners}
        )
    conn.close()


def hand_over(admin, leaver, receivers, distribution):
    """Create the wizard (its preview counts everything), then apply it; returns the figures."""
    start = time.perf_counter()
    wizard = admin(
        "customer.rep.handover",
        "create",
        {"from_user_id": leaver, "to_user_ids": [(6, 0, receivers)], "distribution": distribution},
    )
    [counts] = admin(
        "customer.rep.handover",
        "read",
        [wizard],
        ["customer_count", "location_count", "quotation_count", "activity_count", "line_ids"],
    )
    preview = time.perf_counter() - start
    lines = admin("customer.rep.handover.line", "read", counts["line_ids"], ["customer_count", "revenue"])
    start = time.perf_counter()
    admin("customer.rep.handover", "action_apply", [wizard])
    applied = time.perf_counter() - start
    return counts, lines, preview, applied


def run(args, url):
    admin = Rpc(url, args.db, args.login, args.password)
    leaver, *receivers = create_users(admin)
    partners = {
        u["id"]: u["partner_id"][0] for u in admin("res.users", "read", [leaver, *receivers], ["partner_id"])
    }
    if not admin("sale.order", "search_count", [("name", "=like", "HANDOVER/%")]):
        log(f"seeding {args.customers} customers for the leaving rep (bulk SQL)")
        seed(args.db, args.customers, leaver, partners[leaver])
    for label, users, distribution in (
        ("all to one user", receivers[:1], "single"),
        ("evenly by revenue to three users", receivers, "even_revenue"),
    ):
        reset(args.db, leaver, partners[leaver], [partners[u] for u in receivers])
        counts, lines, preview, applied = hand_over(admin, leaver, users, distribution)
        log(
            f"handover {label}: {counts['customer_count']} customers, {counts['location_count']} locations, "
            f"{counts['quotation_count']} quotations, {counts['activity_count']} activities"
        )
        log(
            "  per user: "
            + ", ".join(f"{line['customer_count']} customers / {line['revenue']:.0f}" for line in lines)
        )
        log(f"  preview (wizard created and counted): {preview:.1f} s")
        log(f"  apply: {applied:.1f} s")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a database with customer_rep installed (gets seeded)")
    parser.add_argument("--url", help="a running Odoo server serving --db; else one is started")
    parser.add_argument("--port", type=int, default=8469, help="port of the server started here")
    parser.add_argument("--addons-path", default=os.environ.get("CUSTOMER_REP_ADDONS_PATH"))
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    if args.url:
        run(args, args.url)
        return
    with odoo_server(args.db, args.port, args.addons_path or default_addons_path()) as url:
        run(args, url)


if __name__ == "__main__":
    main()
