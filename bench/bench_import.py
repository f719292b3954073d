"""Uploading a customer register: customer_rep against plain Odoo, through the import dialog's
calls (base_import.import.execute_import over XML-RPC, in batches of --batch rows).

Two databases are built once (then reused): plain Odoo (sale_management, contacts) and the same
with customer_rep, both without demo data and with the same ten sales users. For each size
(--sizes, default 3,000 and 30,000 customers) and each database, a fresh copy gets:

  1. a customers file: external id, customer number (ref), name, company, a valid Norwegian
     organisation number, country, address, e-mail, phone, salesperson, and (customer_rep
     only) the account manager;
  2. a locations file: one delivery location per customer under it by external id, with its
     address and, for one in five (customer_rep only), an account manager override.

Plain Odoo gets the same files minus the account manager columns, which it does not have.
Both import as the administrator, with the dialog's default options (tracking_disable: the
dialog's "Track history during import" is off), or --track-history. Printed: the seconds of
each file and of both, and the ratio customer_rep / plain Odoo; for customer_rep also the
summary notices and e-mails the upload made.

Run through bench/run import (it finds Odoo and PostgreSQL as bin/test does).
"""

import argparse
import csv
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Rpc, connect, copy_db, db_exists, drop_db, log, odoo_server, run_odoo

MANAGERS = 10
PLAIN_DB = "customer_rep_import_plain"
ADDON_DB = "customer_rep_import_addon"


def org_number(base):
    """The first valid Norwegian organisation number (mod 11) from the 8 digits ``base`` on:
    (number, the base it used)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [int(d) for d in str(base)]
        check = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return f"{base}{check}", base
        base += 1


def build_files(count, with_addon):
    managers = [f"Bench Manager {m}" for m in range(MANAGERS)]
    customers = io.StringIO()
    writer = csv.writer(customers)
    header = [
        "id",
        "ref",
        "name",
        "is_company",
        "company_registry",
        "country_id",
        "street",
        "zip",
        "city",
        "email",
        "phone",
        "user_id",
    ]
    if with_addon:
        header.append("account_manager_id")
    writer.writerow(header)
    base = 90000000
    for n in range(count):
        number, base = org_number(base)
        base += 1
        row = [
            f"register.customer_{n}",
            f"K{n:06d}",
            f"Register Customer {n} AS",
            "1",
            number,
            "Norway",
            f"Storgata {n % 200 + 1}",
            f"{n % 9000 + 1000:04d}",
            "Oslo",
            f"post{n}@customer.example.com",
            f"+47 22 {n % 100:02d} {n % 1000:03d}",
            managers[(n + 3) % MANAGERS],
        ]
        if with_addon:
            row.append(managers[n % MANAGERS])
        writer.writerow(row)
    locations = io.StringIO()
    writer = csv.writer(locations)
    header = ["parent_id/id", "name", "type", "street", "zip", "city", "country_id"]
    if with_addon:
        header.append("account_manager_id")
    writer.writerow(header)
    for n in range(count):
        row = [
            f"register.customer_{n}",
            f"Lager {n}",
            "delivery",
            f"Industriveien {n % 300 + 1}",
            f"{n % 9000 + 1000:04d}",
            "Bergen",
            "Norway",
        ]
        if with_addon:
            row.append(managers[(n + 1) % MANAGERS] if n % 5 == 0 else "")
        writer.writerow(row)
    return customers.getvalue().encode(), locations.getvalue().encode()


def build_db(name, module, port):
    if db_exists(name):
        return
    log(f"building {name} ({module}, no demo data)")
    run_odoo(name, "-i", module, "--without-demo=all", "--stop-after-init", "--log-level=warn")
    with connect(name) as conn, conn.cursor() as cr:
        cr.execute("UPDATE res_users SET password = 'admin' WHERE login = 'admin'")
        cr.execute("UPDATE res_partner SET email = 'admin@example.com' WHERE id = 3")
    with odoo_server(name, port) as url:
        rpc = Rpc(url, name)
        group = rpc("ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman_all_leads")[
            1
        ]
        for m in range(MANAGERS):
            rpc(
                "res.users",
                "create",
                {
                    "name": f"Bench Manager {m}",
                    "login": f"bench_manager_{m}",
                    "email": f"bench.manager.{m}@example.com",
                    "groups_id": [(6, 0, [group])],
                },
            )


OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": True,
    "keep_matches": False,
    "sheets": [],
    "sheet": "",
    "name_create_enabled_fields": {},
    "import_set_empty_fields": [],
    "import_skip_records": [],
    "fallback_values": {},
    "encoding": "utf-8",
}


def import_batches(rpc, content, batch, track):
    """Import ``content`` (CSV) as the dialog does, one execute_import per batch of ``batch``
    rows: yields the seconds of each batch."""
    wizard = rpc(
        "base_import.import",
        "create",
        {
            "res_model": "res.partner",
            "file": content.decode(),
            "file_name": "register.csv",
            "file_type": "text/csv",
        },
    )
    header = next(csv.reader(io.StringIO(content.decode())))
    options = dict(OPTIONS, skip=0, limit=batch)
    context = {"tracking_disable": not track}
    while True:
        start = time.perf_counter()
        result = rpc(
            "base_import.import", "execute_import", [wizard], header, header, options, context=context
        )
        yield time.perf_counter() - start
        errors = [m for m in result["messages"] if m["type"] == "error"]
        if errors:
            sys.exit(f"import failed: {errors[:3]}")
        if not result.get("nextrow"):
            return
        options["skip"] = result["nextrow"]


def side_by_side(plain, addon):
    """Run the batches of two imports alternately (plain Odoo's first), so that both see the
    same load of the machine; returns the total seconds of each."""
    totals = [0.0, 0.0]
    runs = [plain, addon]
    while runs:
        for run in list(runs):
            try:
                totals[[plain, addon].index(run)] += next(run)
            except StopIteration:
                runs.remove(run)
        log(f"    so far: plain Odoo {totals[0]:.1f} s, customer_rep {totals[1]:.1f} s")
    return totals


def measure(size, args):
    """Import ``size`` customers and their locations into fresh copies of both databases, batch
    by batch alternately; returns {file: (plain seconds, addon seconds)} and the addon's
    notices and e-mails."""
    files = {db: build_files(size, db == ADDON_DB) for db in (PLAIN_DB, ADDON_DB)}
    for db in files:
        copy_db(db, f"{db}_run")
    seconds, extra = {}, {}
    with (
        odoo_server(f"{PLAIN_DB}_run", args.port) as plain_url,
        odoo_server(f"{ADDON_DB}_run", args.port + 1) as addon_url,
    ):
        rpc = {PLAIN_DB: Rpc(plain_url, f"{PLAIN_DB}_run"), ADDON_DB: Rpc(addon_url, f"{ADDON_DB}_run")}
        for index, label in enumerate(("customers", "locations")):
            seconds[label] = side_by_side(
                *(
                    import_batches(rpc[db], files[db][index], args.batch, args.track_history)
                    for db in (PLAIN_DB, ADDON_DB)
                )
            )
        addon = rpc[ADDON_DB]
        extra["summary notices"] = addon(
            "mail.message",
            "search_count",
            [("message_type", "=", "user_notification"), ("subject", "ilike", "uploaded by")],
        )
        extra["e-mails queued"] = addon("mail.mail", "search_count", [])
        extra["e-mails queued, plain Odoo"] = rpc[PLAIN_DB]("mail.mail", "search_count", [])
        for db, call in rpc.items():
            count = call("res.partner", "search_count", [("name", "=like", "Register Customer %")])
            if count != size:
                sys.exit(f"{db}: {count} customers imported, {size} expected")
    if not args.keep:
        for db in files:
            drop_db(f"{db}_run")
    return seconds, extra


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="3000,30000", help="customers per run, comma-separated")
    parser.add_argument("--batch", type=int, default=2000, help="rows per execute_import (the dialog's)")
    parser.add_argument("--track-history", action="store_true", help="the dialog's 'Track history' option on")
    parser.add_argument("--port", type=int, default=8398, help="HTTP port of the servers it starts")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the two databases")
    parser.add_argument("--keep", action="store_true", help="keep the imported databases")
    args = parser.parse_args()
    if args.rebuild:
        drop_db(PLAIN_DB)
        drop_db(ADDON_DB)
    build_db(PLAIN_DB, "sale_management,contacts", args.port)
    build_db(ADDON_DB, "customer_rep", args.port)
    log(f"updating customer_rep in {ADDON_DB} to the working tree")
    run_odoo(ADDON_DB, "-u", "customer_rep", "--stop-after-init", "--log-level=warn")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        log(f"{size} customers: plain Odoo and customer_rep, batch by batch")
        seconds, extra = measure(size, args)
        log(f"  {seconds}; {extra}")
        rows.append((size, seconds, extra))
    mode = "history tracked" if args.track_history else "the dialog's default options"
    print(f"\nImport in batches of {args.batch} rows, {mode}:\n")
    print("| customers | file | plain Odoo | customer_rep | ratio |\n|---|---|---|---|---|")
    for size, seconds, _extra in rows:
        both = (
            seconds["customers"][0] + seconds["locations"][0],
            seconds["customers"][1] + seconds["locations"][1],
        )
        for label, (plain, addon) in (*seconds.items(), ("both", both)):
            print(f"| {size:,} | {label} | {plain:.1f} s | {addon:.1f} s | {addon / plain:.2f}× |")
    for size, _seconds, extra in rows:
        print(f"{size:,} customers: {extra}")


if __name__ == "__main__":
    main()
