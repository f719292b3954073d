"""Benchmark of customer_rep at scale, through a real Odoo server over XML-RPC.

Builds (once, then reused) a database with plain Odoo (sale_management, contacts) holding N
customers with 3 locations each, 1,000,000 confirmed orders and some quotations, seeded with
bulk SQL. Then, on copies of it:
  (f) installs customer_rep (stored metrics computed for every customer), timing it and
      sampling the Odoo process's peak memory;
  (a) reads the first page of 80 customers sorted by order_amount_total desc;
  (b) counts the "My Accounts" customers that are engaged;
  (c) runs the bulk update wizard moving 10,000 customers to another manager, with their
      quotations;
  (d) runs the daily engagement recompute for every customer;
  (g) a rep in "Own accounts only" managing 1,000 customers against the admin asking for the
      same rows by domain: count and first page of their orders, count and first page (by
      total ordered) of their customers, the Sales Analysis grouped by month; interleaved;
      The same with the rep also on the team of 200 customers and covering a colleague who
      manages 1,000 more (account teams and covers);
  (h) the added cost of a confirmation, interleaved pair by pair against plain Odoo (a second
      server on a copy without the addon), on customers with 7, 3,234 and 100,000 orders;
  (i) the verify-and-repair run over all customers (after corrupting some).
Beside each figure it prints the same work done directly in SQL (the floor), or the admin's
(g) or plain Odoo's (h) figure, and the ratio.

Run through bench/run (it finds Odoo and PostgreSQL as bin/test does).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import xmlrpc.client
from contextlib import contextmanager
from datetime import date, timedelta

import psutil
import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_PYTHON = os.environ.get("ODOO_PYTHON", "python3")
ADDONS_PATH = os.environ["CUSTOMER_REP_ADDONS_PATH"]
PG = {
    "host": os.environ.get("PGHOST", "localhost"),
    "port": int(os.environ.get("PGPORT", "5432")),
    "user": os.environ.get("PGUSER", "odoo"),
    "password": os.environ.get("PGPASSWORD", "odoo"),
}
MANAGERS = 10


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def connect(db):
    conn = psycopg2.connect(dbname=db, **PG)
    conn.autocommit = True
    return conn


def db_exists(name):
    with connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def drop_db(name):
    conn = connect("postgres")
    with conn.cursor() as cr:
        # Client sessions only: DROP DATABASE stops autovacuum workers itself, and terminating
        # them (superuser processes) is refused to the odoo role.
        cr.execute(
            """SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()""",
            [name],
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def copy_db(src, dst):
    drop_db(dst)
    conn = connect("postgres")
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
    conn.close()


def odoo_conf(db, port):
    fd, path = tempfile.mkstemp(suffix=".conf", prefix="customer_rep_bench_")
    with os.fdopen(fd, "w") as f:
        f.write(
            "[options]\n"
            f"addons_path = {ADDONS_PATH}\n"
            f"db_host = {PG['host']}\ndb_port = {PG['port']}\n"
            f"db_user = {PG['user']}\ndb_password = {PG['password']}\n"
            f"db_name = {db}\ndbfilter = ^{db}$\nhttp_port = {port}\n"
            "list_db = False\nworkers = 0\nmax_cron_threads = 0\nlog_level = warn\n"
            "limit_time_real = 3600\nlimit_time_cpu = 3600\n"
        )
    return path


def run_odoo(db, *args, measure_memory=False):
    """Run an odoo command to its end; returns (seconds, peak RSS in bytes of the process)."""
    conf = odoo_conf(db, 8299)
    cmd = [ODOO_PYTHON, "-m", "odoo", "-c", conf, "-d", db, *args]
    start = time.perf_counter()
    proc = psutil.Popen(cmd)
    peak = 0
    while proc.poll() is None:
        if measure_memory:
            try:
                peak = max(peak, proc.memory_info().rss)
            except psutil.Error:
                pass
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    os.unlink(conf)
    if proc.returncode:
        sys.exit(f"odoo {' '.join(args)} failed on {db} (exit {proc.returncode})")
    return elapsed, peak


@contextmanager
def odoo_server(db, port):
    conf = odoo_conf(db, port)
    proc = subprocess.Popen([ODOO_PYTHON, "-m", "odoo", "-c", conf, "-d", db])
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5):
                    break
            except OSError:
                time.sleep(1)
        else:
            sys.exit(f"the Odoo server on port {port} did not answer")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(30)
        os.unlink(conf)


class Rpc:
    def __init__(self, url, db, login="admin", password="admin"):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            sys.exit(f"cannot log in to {db} as {login}")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


def timed(fn, repeat=1):
    """Median wall time of ``fn`` in seconds over ``repeat`` runs (after one warm-up if repeated)."""
    if repeat > 1:
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sql_timed(db, query, params=None, repeat=1, rollback=False):
    conn = psycopg2.connect(dbname=db, **PG)
    try:

        def run():
            with conn.cursor() as cr:
                cr.execute(query, params)
            if rollback:
                conn.rollback()
            else:
                conn.commit()

        return timed(run, repeat)
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------

SEED_SQL = """
CREATE TEMP TABLE bench_customer AS
    SELECT g, nextval('res_partner_id_seq') AS id FROM generate_series(1, %(customers)s) g;
INSERT INTO res_partner (id, name, complete_name, active, type, is_company, commercial_partner_id,
                         customer_rank, supplier_rank, autopost_bills, lang, street, zip, city,
                         country_id, email, create_date, write_date, create_uid, write_uid)
    SELECT id, 'Bench Customer ' || g, 'Bench Customer ' || g, true, 'contact', g %% 2 = 0, id,
           1, 0, 'ask', 'en_US', g || ' Main Street', lpad((g %% 9000)::text, 4, '0'),
           'City ' || (g %% 500), %(country)s, 'customer' || g || '@bench.example.com',
           now() - make_interval(secs => %(customers)s - g), now(), 1, 1
    FROM bench_customer;

CREATE TEMP TABLE bench_location AS
    SELECT c.g, c.id AS parent_id, k, nextval('res_partner_id_seq') AS id
    FROM bench_customer c, generate_series(1, 3) k;
INSERT INTO res_partner (id, name, complete_name, active, type, is_company, parent_id,
                         commercial_partner_id, customer_rank, supplier_rank, autopost_bills, lang,
                         street, zip, city, country_id, create_date, write_date, create_uid, write_uid)
    SELECT l.id, 'Location ' || l.k, 'Bench Customer ' || l.g || ', Location ' || l.k, true,
           'delivery', false, l.parent_id, l.parent_id, 0, 0, 'ask', 'en_US',
           l.k || ' Dock Road', lpad(((l.g + l.k) %% 9000)::text, 4, '0'), 'Town ' || (l.g %% 700),
           %(country)s, now(), now(), 1, 1
    FROM bench_location l;

-- Orders: customer picked by a multiplicative hash (every customer gets about the same number),
-- shipped to one of its locations, dated over the last two years (so some customers are lapsed).
INSERT INTO sale_order (name, state, partner_id, partner_invoice_id, partner_shipping_id,
                        company_id, currency_id, currency_rate, pricelist_id, user_id, team_id,
                        date_order, amount_untaxed, amount_tax, amount_total, invoice_status,
                        create_date, write_date, create_uid, write_uid, require_signature,
                        require_payment, prepayment_percent, locked)
    SELECT 'BENCH/' || o.o, o.state, c.id, c.id, l.id, %(company)s, %(currency)s, 1.0,
           %(pricelist)s, 2, %(team)s,
           now() - make_interval(days => (o.o * 7) %% 730, secs => o.o %% 86400),
           100 + (o.o %% 900), 0, 100 + (o.o %% 900), 'no', now(), now(), 2, 2, false, false, 1.0,
           false
    FROM (
        SELECT o, CASE WHEN o <= %(orders)s THEN 'sale' ELSE 'draft' END AS state,
               1 + ((o::bigint * 7919) %% %(customers)s) AS cg, 1 + (o %% 3) AS k
        FROM generate_series(1, %(orders)s + %(quotations)s) o
    ) o
    JOIN bench_customer c ON c.g = o.cg
    JOIN bench_location l ON l.g = o.cg AND l.k = o.k;
-- Customers of known history for the cost of a confirmation: 'Bench History N' has N confirmed
-- orders (7: a small customer; 3234 and 100000: customers with a long history).
CREATE TEMP TABLE bench_history AS
    SELECT n, nextval('res_partner_id_seq') AS id FROM (VALUES (7), (3234), (100000)) v(n);
INSERT INTO res_partner (id, name, complete_name, active, type, is_company, commercial_partner_id,
                         customer_rank, supplier_rank, autopost_bills, lang, country_id,
                         create_date, write_date, create_uid, write_uid)
    SELECT id, 'Bench History ' || n, 'Bench History ' || n, true, 'contact', true, id, 1, 0, 'ask',
           'en_US', %(country)s, now(), now(), 1, 1
    FROM bench_history;
INSERT INTO sale_order (name, state, partner_id, partner_invoice_id, partner_shipping_id,
                        company_id, currency_id, currency_rate, pricelist_id, user_id, team_id,
                        date_order, amount_untaxed, amount_tax, amount_total, invoice_status,
                        create_date, write_date, create_uid, write_uid, require_signature,
                        require_payment, prepayment_percent, locked)
    SELECT 'BENCHH/' || h.n || '/' || o, 'sale', h.id, h.id, h.id, %(company)s, %(currency)s, 1.0,
           %(pricelist)s, 2, %(team)s, now() - make_interval(days => (o * 7) %% 730, secs => o %% 86400),
           100 + (o %% 900), 0, 100 + (o %% 900), 'no', now(), now(), 2, 2, false, false, 1.0, false
    FROM bench_history h, generate_series(1, h.n) o;
SELECT setval('sale_order_id_seq', (SELECT max(id) FROM sale_order));
ANALYZE res_partner;
ANALYZE sale_order;
"""


def seed(db, customers, orders, quotations):
    log(f"creating {db}: plain Odoo with sale_management and contacts, no demo data")
    drop_db(db)
    seconds, _ = run_odoo(db, "-i", "sale_management,contacts", "--without-demo=all", "--stop-after-init")
    log(f"  {seconds:.0f} s")
    conn = psycopg2.connect(dbname=db, **PG)
    with conn.cursor() as cr:
        cr.execute("SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1")
        company, currency = cr.fetchone()
        cr.execute("SELECT id FROM res_country WHERE code = 'NO'")
        (country,) = cr.fetchone()
        cr.execute("SELECT id FROM product_pricelist ORDER BY id LIMIT 1")
        pricelist = (cr.fetchone() or [None])[0]
        cr.execute("SELECT id FROM crm_team ORDER BY id LIMIT 1")
        team = (cr.fetchone() or [None])[0]
        params = {
            "customers": customers,
            "orders": orders,
            "quotations": quotations,
            "company": company,
            "currency": currency,
            "country": country,
            "pricelist": pricelist,
            "team": team,
        }
        log(f"seeding {customers} customers, {customers * 3} locations, {orders} orders, {quotations} drafts")
        start = time.perf_counter()
        cr.execute(SEED_SQL, params)
    conn.commit()
    conn.close()
    log(f"  {time.perf_counter() - start:.0f} s")
    # Users to be account managers, a product to sell, created through Odoo itself.
    script = f"""
product = env['product.product'].create({{'name': 'Bench product', 'list_price': 10.0}})
for i in range(1, {MANAGERS} + 1):
    env['res.users'].create({{
        'name': f'Bench Manager {{i}}', 'login': f'bench_manager_{{i}}', 'password': f'bench_manager_{{i}}',
        'groups_id': [(6, 0, [env.ref('sales_team.group_sale_manager').id])],
    }})
env.cr.commit()
"""
    conf = odoo_conf(db, 8299)
    subprocess.run(
        [ODOO_PYTHON, "-m", "odoo", "shell", "-c", conf, "-d", db, "--no-http"],
        input=script,
        text=True,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.unlink(conf)


LINES_SQL = """
INSERT INTO sale_order_line (order_id, sequence, company_id, currency_id, order_partner_id, salesman_id,
                             product_id, product_uom, name, product_uom_qty, price_unit, discount,
                             price_subtotal, price_total, price_tax, price_reduce_taxexcl,
                             price_reduce_taxinc, technical_price_unit, customer_lead, qty_delivered,
                             qty_invoiced, qty_to_invoice, untaxed_amount_invoiced,
                             untaxed_amount_to_invoice, is_downpayment, is_expense, state,
                             qty_delivered_method, invoice_status, create_date, write_date, create_uid,
                             write_uid)
    SELECT o.id, 10, o.company_id, o.currency_id, o.partner_id, o.user_id, pp.id, pt.uom_id,
           'Bench product', 1, o.amount_untaxed, 0, o.amount_untaxed, o.amount_untaxed, 0,
           o.amount_untaxed, o.amount_untaxed, o.amount_untaxed, 0, 0, 0, 0, 0, 0, false, false,
           o.state, 'manual', 'no', now(), now(), 2, 2
      FROM sale_order o
     CROSS JOIN product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE pt.name->>'en_US' = 'Bench product' AND o.name LIKE 'BENCH%%'
       AND NOT EXISTS (SELECT 1 FROM sale_order_line l WHERE l.order_id = o.id);
ANALYZE sale_order_line;
"""


def seed_lines(db):
    """One line per seeded order (the Sales Analysis reads lines), once."""
    conn = psycopg2.connect(dbname=db, **PG)
    with conn.cursor() as cr:
        cr.execute("SELECT EXISTS (SELECT 1 FROM sale_order_line)")
        if not cr.fetchone()[0]:
            log("seeding one line per order")
            start = time.perf_counter()
            cr.execute(LINES_SQL)
            log(f"  {time.perf_counter() - start:.0f} s")
    conn.commit()
    conn.close()


def bench_managers(db):
    conn = connect(db)
    with conn.cursor() as cr:
        cr.execute("SELECT array_agg(id ORDER BY login) FROM res_users WHERE login LIKE 'bench_manager_%%'")
        (managers,) = cr.fetchone()
    conn.close()
    return managers


def assign_managers(db):
    """Seed step after the install: every customer gets one of the bench managers (bulk SQL,
    keeping effective_account_manager_id consistent as the addon would)."""
    conn = psycopg2.connect(dbname=db, **PG)
    with conn.cursor() as cr:
        cr.execute("SELECT array_agg(id ORDER BY login) FROM res_users WHERE login LIKE 'bench_manager_%%'")
        (managers,) = cr.fetchone()
        cr.execute(
            """
            UPDATE res_partner p SET account_manager_id = (%s::int[])[1 + p.id %% %s]
             WHERE p.name LIKE 'Bench Customer %%' AND p.parent_id IS NULL;
            UPDATE res_partner p SET effective_account_manager_id = c.account_manager_id
              FROM res_partner c WHERE c.id = p.commercial_partner_id AND c.name LIKE 'Bench Customer %%';
            UPDATE sale_order o SET account_manager_id = c.account_manager_id
              FROM res_partner c WHERE c.id = o.partner_id AND c.name LIKE 'Bench Customer %%';
            UPDATE res_partner p SET customer_account_manager_id = c.account_manager_id
              FROM res_partner c WHERE c.id = p.commercial_partner_id AND c.account_manager_id IS NOT NULL;
            UPDATE sale_order o SET customer_account_manager_id = c.account_manager_id
              FROM res_partner p, res_partner c
             WHERE p.id = o.partner_id AND c.id = p.commercial_partner_id
               AND c.account_manager_id IS NOT NULL;
            UPDATE res_partner SET is_customer_account = true WHERE account_manager_id IS NOT NULL
               OR commercial_partner_id IN (SELECT id FROM res_partner WHERE account_manager_id IS NOT NULL);
            ANALYZE res_partner;
            """,
            [managers, len(managers)],
        )
    conn.commit()
    # The bulk UPDATEs above rewrote every partner and order row. On a live database autovacuum
    # catches up with such a change within a minute; without it the reads measured next would
    # pay for visibility checks of rows no user has written.
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("VACUUM (ANALYZE) res_partner, sale_order")
    conn.close()
    return managers


# --------------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------------

CUSTOMER_DOMAIN = [("is_company", "in", (True, False)), ("parent_id", "=", False), ("customer_rank", ">", 0)]
PAGE_FIELDS = [
    "display_name",
    "email",
    "city",
    "country_id",
    "effective_account_manager_id",
    "order_count",
    "order_amount_total",
    "order_amount_average",
    "last_order_date",
    "engagement_status",
    "billing_status",
]


class Results:
    def __init__(self):
        self.rows = []

    def add(self, key, label, value, unit, *, floor=None, target=None):
        ratio = value / floor if floor else None
        self.rows.append((key, label, value, unit, floor, ratio, target))
        shown_floor = "" if floor is None else f"{floor:.3f}"
        shown_ratio = "" if ratio is None else f"{ratio:.1f}x"
        log(f"({key}) {label}: {value:.3f} {unit}  floor {shown_floor}  ratio {shown_ratio}  target {target}")

    def table(self, header):
        lines = [
            header,
            "",
            "| | measure | result | SQL floor | ratio | target |",
            "|---|---|---|---|---|---|",
        ]
        for key, label, value, unit, floor, ratio, target in self.rows:
            lines.append(
                f"| ({key}) | {label} | {value:.3f} {unit} | "
                f"{'' if floor is None else f'{floor:.3f} {unit}'} | "
                f"{'' if ratio is None else f'{ratio:.1f}x'} | {target or ''} |"
            )
        return "\n".join(lines)


def measure(args):
    seed_db, plain_db, addon_db = args.db, f"{args.db}_plain", f"{args.db}_addon"
    if args.reseed or not db_exists(seed_db):
        seed(seed_db, args.customers, args.orders, args.quotations)
    seed_lines(seed_db)
    if args.seed_only:
        return
    results = Results()
    if args.reuse and db_exists(addon_db) and db_exists(plain_db):
        log(f"reusing {addon_db} and {plain_db} of an interrupted run: no install figure (f)")
        managers = bench_managers(addon_db)
    else:
        copy_db(seed_db, addon_db)
        measure_install(results, addon_db)
        managers = assign_managers(addon_db)
        copy_db(seed_db, plain_db)
    with odoo_server(addon_db, args.port) as url, odoo_server(plain_db, args.port + 1) as plain_url:
        admin = Rpc(url, addon_db)
        plain = Rpc(plain_url, plain_db)
        run_measures(results, args, (url, addon_db, admin), plain, managers)

    header = (
        f"Run on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {args.customers} customers, "
        f"{args.customers * 3} locations, {args.orders} confirmed orders, {args.quotations} quotations "
        "(and 3 customers with 7, 3,234 and 100,000 orders). Floor: the same work in plain SQL on "
        "the same database; (g): the admin asking for the same rows; (h): plain Odoo without the addon."
    )
    table = results.table(header)
    print("\n" + table)
    if args.output:
        write_results(args.output, table)
        log(f"written to {args.output}")
    if not args.keep:
        drop_db(addon_db)
        drop_db(plain_db)


def run_measures(results, args, addon, plain, managers):
    """The measures named by --only, on the running servers."""
    url, addon_db, admin = addon
    only = set(args.only.split(","))
    if only & {"a", "b"}:
        measure_reads(results, args, url, addon_db, admin)
    if "g" in only:
        rep = setup_rep(admin, url, addon_db)
        measure_rep_against_admin(results, args, admin, rep)
        team = setup_team_and_cover(admin, rep, addon_db)
        measure_rep_against_admin(results, args, admin, rep, team)
    if "c" in only:
        measure_mass_update(results, addon_db, admin, managers)
    if "d" in only:
        measure_cron(results, addon_db, admin)
    if "h" in only:
        measure_confirm_pairs(results, args, admin, plain)
    if "i" in only:
        measure_repair(results, addon_db, admin)
    if "a" in only:
        plain_page = plain_page_time(plain, args.repeat)
        results.add(
            "a'",
            "reference: plain Odoo without the addon, its first page of 80 customers sorted by name",
            plain_page * 1000,
            "ms",
            target="about 27 ms",
        )


NOTES_HEADING = "## Reading the figures"


def write_results(path, table):
    """Write the results table to ``path``, keeping the notes written by hand below it."""
    notes = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        if NOTES_HEADING in text:
            notes = "\n" + text[text.index(NOTES_HEADING) :]
    with open(path, "w") as f:
        f.write("# Benchmarks\n\nCommand: `bench/run` (see README).\n\n" + table + "\n" + notes)


def measure_install(results, db):
    """(f) install into the seeded database, stored metrics computed for every customer."""
    log("(f) installing customer_rep into the seeded database")
    seconds, peak = run_odoo(db, "-i", "customer_rep", "--stop-after-init", measure_memory=True)
    floor = sql_timed(
        db,
        """CREATE TEMP TABLE t AS
           SELECT c.commercial_partner_id, count(*), sum(o.amount_untaxed / o.currency_rate),
                  min(o.date_order), max(o.date_order)
             FROM sale_order o JOIN res_partner c ON c.id = o.partner_id
            WHERE o.state = 'sale' GROUP BY 1""",
        rollback=True,
    )
    results.add("f", "install with metrics for all customers", seconds, "s", floor=floor, target="≤ 300 s")
    results.add(
        "f", "peak memory of the Odoo process while installing", peak / 2**20, "MiB", target="≤ 2048 MiB"
    )


def measure_reads(results, args, url, db, admin):
    """(a) first page of customers by total ordered, (b) count of My Accounts engaged customers."""
    value = timed(
        lambda: admin(
            "res.partner",
            "search_read",
            CUSTOMER_DOMAIN,
            PAGE_FIELDS,
            limit=80,
            order="order_amount_total desc",
        ),
        repeat=args.repeat,
    )
    floor = sql_timed(
        db,
        """SELECT id, name, email, city, country_id, effective_account_manager_id, order_count,
                  order_amount_total, order_amount_average, last_order_date, engagement_status,
                  billing_status
             FROM res_partner WHERE active AND parent_id IS NULL AND customer_rank > 0
            ORDER BY order_amount_total DESC, id LIMIT 80""",
        repeat=args.repeat,
    )
    results.add(
        "a",
        "first page of 80 customers sorted by order_amount_total desc",
        value * 1000,
        "ms",
        floor=floor * 1000,
        target="≤ 40 ms",
    )
    manager = Rpc(url, db, "bench_manager_1", "bench_manager_1")
    # The customers list with the filters "My Accounts" and "Engaged".
    domain = [("effective_account_manager_id", "=", manager.uid), ("engagement_status", "=", "engaged")]
    count = manager("res.partner", "search_count", domain)
    value = timed(lambda: manager("res.partner", "search_count", domain), repeat=args.repeat)
    floor = sql_timed(
        db,
        """SELECT count(*) FROM res_partner WHERE active AND effective_account_manager_id = %s
              AND engagement_status = 'engaged'""",
        [manager.uid],
        repeat=args.repeat,
    )
    results.add(
        "b",
        f"count of My Accounts customers that are engaged ({count})",
        value * 1000,
        "ms",
        floor=floor * 1000,
        target="≤ 30 ms",
    )


def measure_mass_update(results, db, admin, managers):
    """(c) the bulk update wizard moving 10,000 customers to another manager, with quotations."""
    if not admin("ir.model", "search_count", [("model", "=", "customer.rep.mass.update")]):
        log("(c) skipped: this version of the addon has no bulk update wizard")
        return
    # 10,000 customers of the other managers move to the manager with the fewest (with --reuse
    # and after (g), one manager may no longer have 10,000 customers of their own).
    target = min(
        managers, key=lambda m: admin("res.partner", "search_count", [("account_manager_id", "=", m)])
    )
    ids = admin(
        "res.partner",
        "search",
        [("account_manager_id", "in", [m for m in managers if m != target]), *CUSTOMER_DOMAIN],
        limit=10000,
        order="id",
    )
    quotations = admin(
        "sale.order", "search_count", [("partner_id", "in", ids), ("state", "in", ["draft", "sent"])]
    )
    wizard = admin(
        "customer.rep.mass.update",
        "create",
        {
            "partner_ids": [(6, 0, ids)],
            "set_account_manager": True,
            "account_manager_id": target,
            "reassign_open_orders": True,
        },
    )
    value = timed(lambda: admin("customer.rep.mass.update", "action_apply", [wizard]))
    floor = sql_timed(
        db,
        """UPDATE res_partner SET account_manager_id = %(to)s WHERE id = ANY(%(ids)s);
           UPDATE res_partner SET effective_account_manager_id = %(to)s
            WHERE commercial_partner_id = ANY(%(ids)s)
              AND (account_manager_id IS NULL OR id = ANY(%(ids)s));
           UPDATE sale_order SET account_manager_id = %(to)s
            WHERE partner_id = ANY(%(ids)s) AND state IN ('draft', 'sent')""",
        {"to": next(m for m in managers if m != target), "ids": ids},
        rollback=True,
    )
    results.add(
        "c",
        f"bulk update of {len(ids)} customers and {quotations} quotations",
        value,
        "s",
        floor=floor,
        target="≤ 20 s",
    )


def measure_cron(results, db, admin):
    """(d) the daily engagement recompute, run through its scheduled action. To make the run
    do real work, the engagement window is first shortened from 365 to 180 days (as if half a
    year had passed): every customer whose last order is 180-365 days old lapses."""
    [cron] = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", "customer_rep"), ("name", "=", "ir_cron_update_engagement_status")],
        ["res_id"],
    )
    transition = """UPDATE res_partner
                       SET engagement_status = CASE WHEN last_order_date >= %(cutoff)s
                                                    THEN 'engaged' ELSE 'lapsed' END
                     WHERE (engagement_status = 'engaged' AND last_order_date < %(cutoff)s)
                        OR (engagement_status = 'lapsed' AND last_order_date >= %(cutoff)s)"""
    cutoff = {"cutoff": (date.today() - timedelta(days=180)).isoformat()}
    floor = sql_timed(db, transition, cutoff, rollback=True)
    admin("ir.config_parameter", "set_param", "customer_rep.engagement_window_days", "180")
    value = timed(lambda: admin("ir.cron", "method_direct_trigger", [cron["res_id"]]))
    admin("ir.config_parameter", "set_param", "customer_rep.engagement_window_days", "365")
    results.add(
        "d",
        "daily engagement run, window 365 → 180 days (customers lapse)",
        value,
        "s",
        floor=floor,
        target="≤ 15 s",
    )
    full = sql_timed(
        db,
        """SELECT c.commercial_partner_id, count(*), sum(o.amount_untaxed / o.currency_rate),
                  min(o.date_order), max(o.date_order)
             FROM sale_order o JOIN res_partner c ON c.id = o.partner_id
            WHERE o.state = 'sale' GROUP BY 1""",
    )
    results.add(
        "d'", "reference: the aggregate over all confirmed orders in SQL", full, "s", target="about 1 s"
    )


# The fields of plain Odoo's own customer list (Sales > Customers), its order count included,
# which Odoo computes on the fly and cannot sort.
PLAIN_PAGE_FIELDS = ["display_name", "email", "phone", "city", "country_id", "user_id", "sale_order_count"]


def plain_page_time(rpc, repeat):
    """Median time of plain Odoo's first page of 80 customers, sorted by name."""
    return timed(
        lambda: rpc(
            "res.partner", "search_read", CUSTOMER_DOMAIN, PLAIN_PAGE_FIELDS, limit=80, order="complete_name"
        ),
        repeat=repeat,
    )


REP_CUSTOMERS = 1000


def setup_rep(admin, url, db):
    """A rep in "Own accounts only" (and Sales / User: Own Documents Only) managing 1,000 of the
    seeded customers, assigned with the bulk update wizard."""
    groups = [
        admin("ir.model.data", "check_object_reference", "customer_rep", "group_own_accounts")[1],
        admin("ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman")[1],
    ]
    existing = admin("res.users", "search", [("login", "=", "bench_rep")])
    if existing:  # --reuse: the rep of the interrupted run
        return Rpc(url, db, "bench_rep", "bench_rep")
    rep_id = admin(
        "res.users",
        "create",
        {"name": "Bench Rep", "login": "bench_rep", "password": "bench_rep", "groups_id": [(6, 0, groups)]},
    )
    ids = admin(
        "res.partner",
        "search",
        [("name", "like", "Bench Customer %"), *CUSTOMER_DOMAIN],
        limit=REP_CUSTOMERS,
        order="id desc",
    )
    wizard = admin(
        "customer.rep.mass.update",
        "create",
        {"partner_ids": [(6, 0, ids)], "set_account_manager": True, "account_manager_id": rep_id},
    )
    admin("customer.rep.mass.update", "action_apply", [wizard])
    vacuum(db)
    return Rpc(url, db, "bench_rep", "bench_rep")


TEAM_CUSTOMERS = 200


def setup_team_and_cover(admin, rep, db):
    """The rep of (g) also on the account team of 200 customers (read access) and covering a
    colleague who manages 1,000 others, from yesterday to in two weeks. Returns the managers
    whose customers the rep has, the team's customers and those with their locations."""
    groups = [
        admin("ir.model.data", "check_object_reference", "customer_rep", "group_own_accounts")[1],
        admin("ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman")[1],
    ]
    existing = admin("res.users", "search", [("login", "=", "bench_away")])
    away_id = (
        existing[0]
        if existing
        else admin(
            "res.users",
            "create",
            {
                "name": "Bench Away",
                "login": "bench_away",
                "password": "bench_away",
                "groups_id": [(6, 0, groups)],
            },
        )
    )
    if not existing:
        others = admin(
            "res.partner",
            "search",
            [("name", "like", "Bench Customer %"), ("account_manager_id", "!=", rep.uid), *CUSTOMER_DOMAIN],
            limit=REP_CUSTOMERS + TEAM_CUSTOMERS,
            order="id",
        )
        wizard = admin(
            "customer.rep.mass.update",
            "create",
            {
                "partner_ids": [(6, 0, others[:REP_CUSTOMERS])],
                "set_account_manager": True,
                "account_manager_id": away_id,
            },
        )
        admin("customer.rep.mass.update", "action_apply", [wizard])
        admin(
            "customer.rep.team.member",
            "create",
            [{"partner_id": pid, "user_id": rep.uid, "access": "read"} for pid in others[REP_CUSTOMERS:]],
        )
        admin(
            "customer.rep.cover",
            "create",
            {
                "user_id": away_id,
                "cover_user_id": rep.uid,
                "date_from": str(date.today() - timedelta(days=1)),
                "date_to": str(date.today() + timedelta(days=14)),
            },
        )
        vacuum(db)
    team_ids = sorted(
        {
            m["partner_id"][0]
            for m in admin(
                "customer.rep.team.member", "search_read", [("user_id", "=", rep.uid)], ["partner_id"]
            )
        }
    )
    team_partner_ids = admin(
        "res.partner",
        "search",
        [("commercial_partner_id", "in", team_ids), ("active", "in", (True, False))],
        order="id",
    )
    return sorted({rep.uid, away_id}), team_ids, team_partner_ids


def vacuum(db):
    conn = connect(db)  # autocommit: VACUUM runs outside a transaction
    with conn.cursor() as cr:
        cr.execute("VACUUM (ANALYZE) res_partner, sale_order")
    conn.close()


def interleaved(first, second, repeat):
    """Median times of ``first`` and ``second``, run alternately ``repeat`` times after a warm-up."""
    first()
    second()
    times_first, times_second = [], []
    for i in range(repeat):
        for fn, times in ((first, times_first), (second, times_second))[:: 1 if i % 2 else -1]:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_first), statistics.median(times_second)


def same_rows(result):
    """A result without what names the domain asked (read_group's __domain)."""
    if isinstance(result, list):
        return [{k: v for k, v in row.items() if not k.startswith("__")} for row in result]
    return result


def measure_rep_against_admin(results, args, admin, rep, team=None):
    """(g) the rep's lists against the admin asking for exactly the same rows by domain. With
    ``team`` (``setup_team_and_cover``): the rep also on the team of 200 customers and covering
    a colleague's 1,000; the admin asks for the same rows by the managers and customers."""
    managers, team_ids, team_partner_ids = team or ([rep.uid], [], [])
    order_rule = [
        "|",
        "|",
        ("customer_account_manager_id", "in", managers),
        ("prospect_account_manager_id", "in", managers),
        ("partner_id", "in", team_partner_ids),
    ]
    partner_rule = [
        "|",
        "|",
        ("is_customer_account", "=", False),
        ("customer_account_manager_id", "in", managers),
        ("commercial_partner_id", "in", team_ids),
    ]
    who = "rep (own accounts only)"
    if team:
        who = "rep (own accounts only, on 200 customers' teams, covering 1,000)"
    order_fields = ["name", "date_order", "partner_id", "user_id", "amount_total", "state", "invoice_status"]
    measures = [
        ("count of their orders", "sale.order", "search_count", [], {}),
        (
            "first page of 80 of their orders by date",
            "sale.order",
            "search_read",
            [],
            {"fields": order_fields, "limit": 80, "order": "date_order desc"},
        ),
        ("count of their customers", "res.partner", "search_count", CUSTOMER_DOMAIN, {}),
        (
            "first page of 80 of their customers by total ordered",
            "res.partner",
            "search_read",
            CUSTOMER_DOMAIN,
            {"fields": PAGE_FIELDS, "limit": 80, "order": "order_amount_total desc, id"},
        ),
        (
            "Sales Analysis grouped by month",
            "sale.report",
            "read_group",
            [],
            {"fields": ["price_subtotal:sum"], "groupby": ["date:month"], "lazy": False},
        ),
    ]
    for label, model, method, domain, kwargs in measures:
        rule = partner_rule if model == "res.partner" else order_rule
        rep_result = rep(model, method, domain, **kwargs)
        admin_result = admin(model, method, domain + rule, **kwargs)
        if same_rows(rep_result) != same_rows(admin_result):
            sys.exit(f"(g) {label}: the rep and the admin got different rows")
        rep_time, admin_time = interleaved(
            lambda model=model, method=method, domain=domain, kwargs=kwargs: rep(
                model, method, domain, **kwargs
            ),
            lambda model=model, method=method, domain=domain, rule=rule, kwargs=kwargs: admin(
                model, method, domain + rule, **kwargs
            ),
            args.repeat,
        )
        size = rep_result if isinstance(rep_result, int) else len(rep_result)
        results.add(
            "g",
            f"{who} vs admin, same rows: {label} ({size})",
            rep_time * 1000,
            "ms",
            floor=admin_time * 1000,
            target="≤ 1.5x",
        )


def measure_confirm_pairs(results, args, admin, plain):
    """(h) the added cost of confirming an order: on the customers with 7, 3,234 and 100,000
    orders, a quotation is confirmed with the addon and one without it, pair by pair; the
    figure is the median of the differences."""
    for orders in (7, 3234, 100000):
        sides = []
        for rpc in (admin, plain):
            [product] = rpc("product.product", "search", [("name", "=", "Bench product")], limit=1)
            [customer] = rpc("res.partner", "search", [("name", "=", f"Bench History {orders}")])
            quotations = rpc(
                "sale.order",
                "create",
                [
                    {
                        "partner_id": customer,
                        "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 2})],
                    }
                    for _ in range(args.repeat + 1)
                ],
            )
            sides.append((rpc, quotations))
        differences, with_addon, without = [], [], []
        for i in range(args.repeat + 1):
            pair = {}
            for rpc, quotations in sides[:: 1 if i % 2 else -1]:
                start = time.perf_counter()
                rpc("sale.order", "action_confirm", [quotations[i]])
                pair[rpc] = time.perf_counter() - start
            if i:  # the first pair warms the caches
                differences.append(pair[admin] - pair[plain])
                with_addon.append(pair[admin])
                without.append(pair[plain])
        results.add(
            "h",
            f"confirming one order of a customer with {orders} orders "
            f"(added by the addon: median {statistics.median(differences) * 1000:.1f} ms)",
            statistics.median(with_addon) * 1000,
            "ms",
            floor=statistics.median(without) * 1000,
            target="added ≤ 3 ms",
        )


def measure_repair(results, db, admin):
    """(i) the verify-and-repair run over all customers, after corrupting 100 of them."""
    conn = connect(db)
    with conn.cursor() as cr:
        cr.execute(
            """UPDATE res_partner SET order_count = order_count + 1
                WHERE id IN (SELECT id FROM res_partner WHERE order_count > 0 ORDER BY id LIMIT 100)"""
        )
    conn.close()
    start = time.perf_counter()
    wrong = admin("res.partner", "action_verify_order_metrics")
    value = time.perf_counter() - start
    floor = sql_timed(
        db,
        """SELECT c.commercial_partner_id, count(*), sum(o.amount_untaxed / o.currency_rate),
                  min(o.date_order), max(o.date_order)
             FROM sale_order o JOIN res_partner c ON c.id = o.partner_id
            WHERE o.state = 'sale' GROUP BY 1""",
    )
    again = admin("res.partner", "action_verify_order_metrics")
    results.add(
        "i",
        f"verify and repair all customers ({wrong} wrong found and repaired; a second run: {again})",
        value,
        "s",
        floor=floor,
        target="≤ 60 s",
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000, help="confirmed orders")
    parser.add_argument("--quotations", type=int, default=50_000, help="draft orders")
    parser.add_argument("--db", default="customer_rep_bench", help="name of the seeded database")
    parser.add_argument("--reseed", action="store_true", help="rebuild the seeded database")
    parser.add_argument("--seed-only", action="store_true", help="build the seeded database, measure nothing")
    parser.add_argument("--keep", action="store_true", help="keep the measured databases")
    parser.add_argument(
        "--only", default="a,b,c,d,g,h,i", help="the measures to run, e.g. g,h (default: all)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the databases kept by --keep (no install)"
    )
    parser.add_argument("--port", type=int, default=8369)
    parser.add_argument("--repeat", type=int, default=15, help="runs per timed read (median)")
    parser.add_argument("--output", help="write the results table (Markdown) to this file")
    measure(parser.parse_args())


if __name__ == "__main__":
    main()
