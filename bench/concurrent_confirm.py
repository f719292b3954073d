#!/usr/bin/env python3
"""Parallel order confirmations for one customer against a running Odoo server.

Many users confirming orders of the same customer at the same time must leave its stored order
metrics exact (no lost update). This script creates a customer with one contact per thread and
quotations for them over XML-RPC, then lets the threads confirm their quotations all at once,
each confirmation its own request and transaction, and finally compares the customer's stored
metrics with an aggregate over its orders. Exit status 1 when they differ.

Start a server first, e.g. ``bin/run`` (database customer_rep_demo on port 8069), then:

    python3 bench/concurrent_confirm.py --url http://localhost:8069 --db customer_rep_demo \\
        --threads 8 --orders 5
"""

import argparse
import statistics
import sys
import threading
import time
import xmlrpc.client


def connect(url, db, login, password):
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
    if not uid:
        sys.exit(f"cannot log in to {db} as {login}")

    def call(model, method, *args, **kwargs):
        # One proxy per call: xmlrpc.client proxies are not thread-safe.
        proxy = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return call


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="customer_rep_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--threads", type=int, default=8, help="concurrent users (default 8)")
    parser.add_argument("--orders", type=int, default=5, help="orders each user confirms (default 5)")
    args = parser.parse_args()
    call = connect(args.url, args.db, args.login, args.password)

    stamp = time.strftime("%H%M%S")
    customer = call("res.partner", "create", {"name": f"Concurrency Test {stamp} AS", "is_company": True})
    contacts = call(
        "res.partner",
        "create",
        [{"name": f"Buyer {i}", "parent_id": customer} for i in range(args.threads)],
    )
    product = call("product.product", "create", {"name": f"Concurrency widget {stamp}", "list_price": 10.0})
    quotations = {
        contact: call(
            "sale.order",
            "create",
            [
                {
                    "partner_id": contact,
                    "order_line": [
                        (0, 0, {"product_id": product, "product_uom_qty": n + 1, "price_unit": 10.0})
                    ],
                }
                for n in range(args.orders)
            ],
        )
        for contact in contacts
    }

    barrier = threading.Barrier(args.threads)
    timings, errors = [], []

    def confirm(order_ids):
        barrier.wait()
        for order_id in order_ids:
            start = time.perf_counter()
            try:
                call("sale.order", "action_confirm", [order_id])
            except Exception as exc:  # reported below: the run fails
                errors.append(f"order {order_id}: {exc}")
            timings.append(time.perf_counter() - start)

    threads = [threading.Thread(target=confirm, args=(ids,)) for ids in quotations.values()]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    [stored] = call(
        "res.partner",
        "read",
        [customer],
        ["order_count", "order_amount_total", "first_order_date", "last_order_date", "engagement_status"],
    )
    orders = call(
        "sale.order",
        "search_read",
        [("partner_id", "child_of", customer), ("state", "=", "sale")],
        ["amount_untaxed", "currency_rate"],
    )
    expected_count = len(orders)
    expected_total = round(sum(o["amount_untaxed"] / (o["currency_rate"] or 1.0) for o in orders), 2)

    print(
        f"{len(timings)} confirmations by {args.threads} threads in {elapsed:.2f} s; "
        f"per call median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )
    print(f"stored:   order_count={stored['order_count']} order_amount_total={stored['order_amount_total']}")
    print(f"expected: order_count={expected_count} order_amount_total={expected_total}")
    for error in errors:
        print("error:", error)
    exact = (
        stored["order_count"] == expected_count and abs(stored["order_amount_total"] - expected_total) < 0.005
    )
    if errors or not exact or expected_count != args.threads * args.orders:
        print("FAILED: the stored metrics are not exact")
        return 1
    print("OK: the stored metrics are exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
