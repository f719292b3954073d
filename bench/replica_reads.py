#!/usr/bin/env python3
"""The addon's read paths against a server that sends read-only calls to a streaming replica.

Odoo 18 serves the web client's ``@api.readonly`` calls (``web_search_read``, ``web_read_group``,
``search_count``, ``get_views``, ...) on a cursor to the replica given by ``db_replica_host``.
A hot standby refuses every write, so a read path of the addon that wrote would fail there
(the unit test ``tests/test_readonly_cursor.py`` proves the same on a read-only transaction).

For each user given, this script logs in like the web client and, through ``/web/dataset/call_kw``,
reads, counts, sorts and groups by every field the addon defines on the partners, orders, order
lines, the Sales Analysis and links, opens the customers' list, form and kanban views and the
account-manager overview. It counts the transactions the replica served meanwhile (from
``pg_stat_database`` on the replica) and exits with status 1 when a call fails or the replica
served fewer transactions than the read-only calls made, beyond its rate with no call. A read
that tries to write does not fail for the client: Odoo logs "retrying with a read/write cursor"
and runs it again on the primary. Give the server's log (``--server-log``) and the script fails
on that line too.

Start a replica and a server using it first, e.g. for the demo database:

    bin/run --workers=2 --db_replica_host=localhost --db_replica_port=5433

then:

    python3 bench/replica_reads.py --url http://localhost:8069 --db customer_rep_demo \\
        --replica "host=localhost port=5433 user=odoo password=odoo" --server-log odoo.log \\
        --user admin:admin --user carla.lind@example.com:carla
"""

import argparse
import json
import os
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import psycopg2

MODELS = ("res.partner", "sale.order", "sale.order.line", "sale.report", "res.partner.link")
# What Odoo 18 serves on the replica: the routes marked readonly, and call_kw of the methods
# marked @api.readonly (of those this script calls; fields_get and authenticate are not).
READONLY_ROUTES = ("/web/action/load",)
READONLY_METHODS = {
    "web_search_read",
    "web_read",
    "web_read_group",
    "search_count",
    "search_read",
    "read",
    "get_views",
}
# PostgreSQL flushes an idle backend's statistics after at most 10 s.
STATS_FLUSH_SECONDS = 11
ACTIONS = (
    "customer_rep.res_partner_action_customers",
    "customer_rep.res_partner_action_account_manager_overview",
)


class Session:
    """A web client's session: cookies and JSON-RPC calls."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.calls = 0
        self.readonly_calls = 0  # those Odoo serves on the replica
        result = self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})
        if not result.get("uid"):
            sys.exit(f"cannot log in to {db} as {login}")
        self.context = result["user_context"]

    def rpc(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": self.calls, "params": params})
        request = urllib.request.Request(self.url + path, body.encode(), {"Content-Type": "application/json"})
        with self.opener.open(request) as response:
            answer = json.load(response)
        self.calls += 1
        if path in READONLY_ROUTES or params.get("method") in READONLY_METHODS:
            self.readonly_calls += 1
        if "error" in answer:
            data = answer["error"].get("data", {})
            raise RuntimeError(f"{path} {params.get('method', '')}: {data.get('message') or answer['error']}")
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def addon_fields(admin):
    """{model: [field names]} of the fields the addon defines on MODELS."""
    data = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "=", "customer_rep"), ("model", "=", "ir.model.fields")],
        ["res_id"],
    )
    fields = admin.call(
        "ir.model.fields",
        "read",
        [row["res_id"] for row in data],
        ["name", "model", "ttype"],
    )
    by_model = {model: [] for model in MODELS}
    for field in fields:
        if field["model"] in by_model and field["ttype"] != "binary":
            by_model[field["model"]].append(field["name"])
    return by_model


def exercise(session, fields_by_model):
    """Every read the web client makes of the addon's fields, as this user."""
    for model, addon_names in fields_by_model.items():
        described = session.call(model, "fields_get", [], ["type", "sortable", "groupable", "searchable"])
        names = [name for name in addon_names if name in described]  # fields this user may read
        session.call(model, "web_search_read", [], {name: {} for name in names}, limit=80)
        for name in names:
            field = described[name]
            if field.get("searchable"):
                session.call(model, "search_count", [(name, "!=", False)])
            if field.get("sortable"):
                session.call(model, "web_search_read", [], {name: {}}, limit=5, order=f"{name} desc")
            if field.get("groupable") and field["type"] not in ("many2many", "one2many"):
                session.call(model, "web_read_group", [], [], [name], limit=5)
    for xmlid in ACTIONS:
        action = session.rpc("/web/action/load", {"action_id": xmlid})
        views = [[view_id or False, view_type] for view_id, view_type in action["views"]]
        if action.get("search_view_id"):
            views.append([action["search_view_id"][0], "search"])
        session.call(action["res_model"], "get_views", views, options={"toolbar": True, "load_filters": True})
    customers = session.call(
        "res.partner", "web_search_read", [("customer_rank", ">", 0)], {"display_name": {}}, limit=5
    )["records"]
    form = session.call("res.partner", "get_views", [[False, "form"]])["models"]["res.partner"]["fields"]
    for customer in customers:
        session.call("res.partner", "web_read", [customer["id"]], {name: {} for name in form})


def replica_transactions(dsn, db):
    with psycopg2.connect(dsn, dbname=db) as connection, connection.cursor() as cr:
        cr.execute(
            """SELECT pg_is_in_recovery(), xact_commit + xact_rollback
                 FROM pg_stat_database WHERE datname = %s""",
            [db],
        )
        in_recovery, count = cr.fetchone()
    if not in_recovery:
        sys.exit("--replica does not point at a standby (pg_is_in_recovery() is false)")
    return count


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="customer_rep_demo")
    parser.add_argument("--replica", required=True, help="libpq connection string of the replica (no dbname)")
    parser.add_argument(
        "--user",
        action="append",
        help="login:password, repeatable (default admin:admin); the first must be an administrator",
    )
    parser.add_argument("--server-log", help="the server's log file, to find reads retried on the primary")
    args = parser.parse_args()
    users = [user.split(":", 1) for user in (args.user or ["admin:admin"])]
    log_start = os.path.getsize(args.server_log) if args.server_log else 0
    # The replica's count also moves with the script's own queries and anything else running:
    # its rate with no call, measured first, is taken off the count of the run.
    idle_start = replica_transactions(args.replica, args.db)
    time.sleep(STATS_FLUSH_SECONDS)
    before = replica_transactions(args.replica, args.db)
    idle_rate = (before - idle_start) / STATS_FLUSH_SECONDS
    run_start = time.monotonic()
    fields_by_model = None
    failures = 0
    total = readonly = 0
    for login, password in users:
        session = Session(args.url, args.db, login, password)
        if fields_by_model is None:
            fields_by_model = addon_fields(session)
        try:
            exercise(session, fields_by_model)
        except RuntimeError as error:
            failures += 1
            print(f"{login}: FAILED after {session.calls} calls: {error}")
        else:
            print(f"{login}: {session.calls} calls, all answered")
        total += session.calls
        readonly += session.readonly_calls
    time.sleep(STATS_FLUSH_SECONDS)
    served = replica_transactions(args.replica, args.db) - before
    background = idle_rate * (time.monotonic() - run_start)
    print(
        f"replica: {served} transactions during the {total} calls, of which {readonly} read-only; "
        f"{background:.0f} expected without them"
    )
    retried = 0
    if args.server_log:
        with open(args.server_log, encoding="utf-8", errors="replace") as log:
            log.seek(log_start)
            retried = sum("retrying with a read/write cursor" in line for line in log)
        print(f"server log: {retried} reads retried on the primary because they wrote")
    # Each read-only call takes at least one transaction on the replica.
    if failures or retried or served - background < readonly:
        sys.exit(1)


if __name__ == "__main__":
    main()
