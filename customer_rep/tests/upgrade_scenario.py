"""The database side of the upgrade test (test_upgrade.py), run as a script in a process of its
own against a database of any released version of the addon, with that version's code:

- ``populate`` creates data through the addon's API as every released version has it (own-accounts
  reps, customers with account managers, contacts, locations overriding the manager, confirmed,
  cancelled and quoted orders, a prospect's quotation, important notes, links, favourites, billing
  statuses, the daily job) and writes the ids it created;
- ``snapshot`` writes every stored field the addon defines on the records created, and what each
  user finds with ``search`` (as that user, through the record rules);
- ``check`` (on the upgraded database only) recomputes every stored computed field of the addon
  for every row, runs ``action_verify_order_metrics()``, the RFM scoring and the engagement
  update, and writes what any of them had to change; it changes nothing (rolled back).

Only API that 18.0.1.0.0 already had is used; what a version lacks is skipped by asking the
registry, never by catching errors.
"""

import argparse
import datetime
import json

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

# The models whose stored fields of the addon are compared, and what each user's search covers.
MODELS = ("res.partner", "sale.order", "sale.order.line", "res.partner.link", "mail.activity")
# Users of the scenario, by login: two reps restricted to their own accounts, one restricted to
# editing their own accounts (from 18.0.1.1.0), and an account manager seeing everything.
REP_A, REP_B, REP_EDIT, MANAGER = "upg_rep_a", "upg_rep_b", "upg_rep_edit", "upg_manager"


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, datetime.date):
        return fields.Date.to_string(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, (list, tuple)):
        return sorted(value) if all(isinstance(v, int) for v in value) else list(value)
    return value


def _new_user(env, login, group_xmlids):
    groups = [env.ref(xmlid).id for xmlid in group_xmlids]
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [(6, 0, groups)],
            }
        )
    )


def populate(env):
    salesman = "sales_team.group_sale_salesman"
    users = {
        REP_A: _new_user(env, REP_A, [salesman, "customer_rep.group_own_accounts"]),
        REP_B: _new_user(env, REP_B, [salesman, "customer_rep.group_own_accounts"]),
        MANAGER: _new_user(env, MANAGER, [salesman]),
    }
    if env.ref("customer_rep.group_edit_own_accounts", raise_if_not_found=False):
        users[REP_EDIT] = _new_user(
            env,
            REP_EDIT,
            ["sales_team.group_sale_salesman_all_leads", "customer_rep.group_edit_own_accounts"],
        )
    Partner = env["res.partner"]
    managers = [users[REP_A], users[REP_B], users[MANAGER], users.get(REP_EDIT), env["res.users"]]
    customers, locations = Partner, Partner
    for index in range(10):
        manager = managers[index % len(managers)] or env["res.users"]
        customer = Partner.create(
            {
                "name": f"Upgrade Customer {index:02d}",
                "is_company": index != 9,  # the last one is a private customer
                "customer_rank": 1,
                "account_manager_id": manager.id,
                "city": "Oslo",
            }
        )
        Partner.create({"name": f"Contact {index:02d}", "parent_id": customer.id, "type": "contact"})
        locations |= Partner.create(
            {"name": f"Location {index:02d}", "parent_id": customer.id, "type": "delivery", "city": "Bergen"}
        )
        customers |= customer
    # Location overrides: rep B manages a location of rep A's customer, rep A one of an unmanaged one.
    locations[0].account_manager_id = users[REP_B]
    locations[4].account_manager_id = users[REP_A]
    # A prospect: no customer rank, no account manager; rep A prepares a quotation for it.
    prospect = Partner.create({"name": "Upgrade Prospect AS", "is_company": True})
    customers[0].important_note = "<p>Call before delivery</p>"
    customers[1].billing_status = "on_hold"
    links = env["res.partner.link"].create(
        [
            {"partner_id": customers[0].id, "name": "Web shop", "url": "https://example.com/shop"},
            {"partner_id": customers[1].id, "name": "Portal", "url": "https://example.org"},
        ]
    )
    customers[0].with_user(users[REP_A]).action_toggle_favorite()
    customers[2].with_user(users[MANAGER]).action_toggle_favorite()
    (customers[1] | customers[3]).action_toggle_favorite()  # the administrator's (superuser's) stars

    product = env["product.product"].create({"name": "Upgrade Widget", "list_price": 100.0, "type": "consu"})
    Order = env["sale.order"]
    orders = Order
    now = fields.Datetime.now()
    for index, customer in enumerate(customers):
        for days_ago, shipping in ((500 if index == 5 else 40, customer), (10 + index, locations[index])):
            order = Order.create(
                {
                    "partner_id": customer.id,
                    "partner_shipping_id": shipping.id,
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1 + index})],
                }
            )
            order.action_confirm()
            order.date_order = now - datetime.timedelta(days=days_ago)
            orders |= order
        quotation = Order.create(
            {
                "partner_id": customer.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2})],
            }
        )
        orders |= quotation
    orders[3].action_cancel()
    # A rep confirms an order of their own customer themselves; rep A quotes the prospect.
    own = (
        Order.with_user(users[REP_A])
        .create({"partner_id": customers[0].id, "order_line": [(0, 0, {"product_id": product.id})]})
        .sudo()
    )
    own.with_user(users[REP_A]).action_confirm()
    orders |= own.sudo()
    orders |= Order.create(
        {
            "partner_id": prospect.id,
            "account_manager_id": users[REP_A].id,
            "order_line": [(0, 0, {"product_id": product.id})],
        }
    )
    # The daily job: customer 05's last order is older than the engagement window.
    env["res.partner"]._cron_update_engagement_status()
    partners = Partner.search([("commercial_partner_id", "in", (customers | prospect).ids)])
    return {
        "users": {login: user.id for login, user in users.items()},
        "res.partner": partners.ids,
        "sale.order": orders.ids,
        "sale.order.line": orders.order_line.ids,
        "res.partner.link": links.ids,
        "mail.activity": env["mail.activity"]
        .search([("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)])
        .ids,
    }


def _addon_stored_fields(env, model):
    """The stored fields of ``model`` that the addon defines or redefines."""
    field_ids = (
        env["ir.model.data"]
        .search([("module", "=", "customer_rep"), ("model", "=", "ir.model.fields")])
        .mapped("res_id")
    )
    names = env["ir.model.fields"].browse(field_ids).filtered(lambda f: f.model == model).mapped("name")
    return sorted(
        name
        for name in names
        if name in env[model]._fields and env[model]._fields[name].store and name != "id"
    )


def snapshot(env, ids):
    result = {"fields": {}, "values": {}, "searches": {}}
    for model in MODELS:
        if model not in env:
            continue
        fnames = _addon_stored_fields(env, model)
        result["fields"][model] = fnames
        records = env[model].with_context(active_test=False).browse(ids[model]).exists()
        result["values"][model] = {
            str(row["id"]): {fname: _json_value(row[fname]) for fname in fnames}
            for row in records.read(fnames, load=None)
        }
    partner_ids = ids["res.partner"]
    for login, uid in ids["users"].items():
        user = env["res.users"].browse(uid)
        found = {}
        for model in MODELS:
            if model in env and model != "mail.activity":
                found[model] = env[model].with_user(user).search([("id", "in", ids[model])]).ids
        Partner = env["res.partner"].with_user(user)
        found["my_accounts"] = Partner.search(
            [("account_manager_id", "=", uid), ("id", "in", partner_ids)]
        ).ids
        found["my_favorites"] = Partner.search([("is_favorite", "=", True), ("id", "in", partner_ids)]).ids
        if "customer_account_manager_id" in env["sale.order"]._fields:  # from 18.0.1.0.0 of 2026-11-30
            found["my_accounts_orders"] = (
                env["sale.order"]
                .with_user(user)
                .search([("customer_account_manager_id", "=", uid), ("id", "in", ids["sale.order"])])
                .ids
            )
        report = env["sale.report"].with_user(user).search_read([("partner_id", "in", partner_ids)], ["name"])
        found["sale.report"] = sorted(row["name"] for row in report)
        found["order_count"] = {
            str(p["id"]): p["order_count"]
            for p in Partner.search_read([("id", "in", partner_ids)], ["order_count"])
        }
        result["searches"][login] = {
            key: sorted(value) if isinstance(value, list) else value for key, value in found.items()
        }
    return result


def _column_values(env, model, fnames, ids):
    """{id: {field: value}} as the table holds them (NULL as None), for the rows ``ids``."""
    if not fnames or not ids:
        return {rid: {} for rid in ids}
    query = SQL(
        "SELECT id, %s FROM %s WHERE id IN %s ORDER BY id",
        SQL(", ").join(SQL.identifier(fname) for fname in fnames),
        SQL.identifier(env[model]._table),
        tuple(ids),
    )
    env.cr.execute(query)
    return {row[0]: dict(zip(fnames, map(_json_value, row[1:]), strict=True)) for row in env.cr.fetchall()}


def check(env, ids):
    """What recomputing everything would change on the upgraded database (then rolled back)."""
    env.flush_all()
    result = {"recomputed": [], "fields": {}}
    for model in MODELS:
        Model = env[model].with_context(active_test=False)
        fnames = _addon_stored_fields(env, model)
        columns = [fname for fname in fnames if Model._fields[fname].column_type]
        rows = _column_values(env, model, columns, ids.get(model, [])).values()
        result["fields"][model] = {
            fname: {
                "computed": bool(Model._fields[fname].compute),
                "has_default": Model._fields[fname].default is not None,
                "type": Model._fields[fname].type,
                "column": fname in columns,
                # Only the addon's own columns, not Odoo's fields it redefines (tracking, labels).
                "own": env["ir.model.fields"]._get(model, fname).modules == "customer_rep",
                "nulls": sum(row[fname] is None for row in rows) if fname in columns else 0,
            }
            for fname in fnames
        }
        # Computed fields a user may also set (readonly=False) keep what was set: not recomputed.
        computed = [
            fname for fname in fnames if Model._fields[fname].compute and Model._fields[fname].readonly
        ]
        if not computed:
            continue
        records = Model.search([])
        stored = _column_values(
            env, model, [f for f in computed if Model._fields[f].column_type], records.ids
        )
        for fname in computed:
            env.add_to_compute(Model._fields[fname], records)
        env.flush_all()
        fresh = _column_values(env, model, [f for f in computed if Model._fields[f].column_type], records.ids)
        for rid, values in stored.items():
            for fname, value in values.items():
                if fresh[rid][fname] != value:
                    result["recomputed"].append([model, fname, rid, value, fresh[rid][fname]])
    admin = env.ref("base.user_admin")
    Partner = env["res.partner"]
    result["verify_order_metrics"] = Partner.with_user(admin).action_verify_order_metrics()
    result["rfm_rescored"] = (
        Partner._recompute_rfm_segments() if hasattr(Partner, "_recompute_rfm_segments") else 0
    )
    result["engagement_moved"] = Partner._update_engagement_status()
    env.cr.rollback()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("phase", choices=("populate", "snapshot", "check"))
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--ids", help="the JSON file populate wrote (snapshot, check)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--addons-path", args.addons_path, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    ids = None
    if args.ids:
        with open(args.ids, encoding="utf-8") as file:
            ids = json.load(file)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.phase == "populate":
            result = populate(env)
        elif args.phase == "snapshot":
            result = snapshot(env, ids)
            cr.rollback()
        else:
            result = check(env, ids)
    with open(args.out, "w", encoding="utf-8") as file:
        json.dump(result, file, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
