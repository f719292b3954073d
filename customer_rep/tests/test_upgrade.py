"""Upgrade from every released version, proved with data.

For each version of the addon that has been on the main line (the manifest's history says which
commits: a version's last commit before the next version), the addon as it was (``git archive``)
is installed into a database of its own, given data through its own API (upgrade_scenario.py),
upgraded to the working tree with ``-u customer_rep`` and compared:

- every stored field of the addon on every record the scenario made, before and after;
- what each user finds with ``search`` (as that user: own-accounts reps, an edit-only rep, an
  account manager), favourites, My Accounts, the sales analysis and the figures they read;
- every stored computed field of the addon recomputed for every row gives what the upgrade left
  (a field added without its fill shows here), ``action_verify_order_metrics()`` finds nothing
  wrong, the RFM scoring and the engagement update change nothing;
- a stored field added since that version and kept by the addon itself (no compute, no default)
  must name how it is checked in MAINTAINED_FIELDS;
- the upgraded database has the same indexes as a fresh install (this test's database).

The test needs the git history (a fresh clone has it; a shallow one fails with a clear message).
It takes about a minute per version on two cores, after two for the dependencies' database.
"""

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import closing

from odoo.modules.module import get_module_path
from odoo.sql_db import close_db, db_connect
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, config, parse_version

MANIFEST = "customer_rep/__manifest__.py"
SCENARIO = os.path.join(os.path.dirname(__file__), "upgrade_scenario.py")
# States of the main line that databases ran although the version did not change, upgraded too:
# 18.0.1.0.0 as it was from 2026-11-23 to 2026-11-30, before sale.order.customer_account_manager_id
# (which the own-accounts rules compare with the rep) was added without a new version.
EXTRA_STATES = {"18.0.1.0.0 of 2026-11-23": "428ef97"}
# Stored fields that the addon keeps itself (no compute, no default), and the check of the
# scenario's "check" phase that proves their fill after an upgrade.
MAINTAINED_FIELDS = {
    "res.partner": {
        **dict.fromkeys(
            (
                "order_count",
                "order_amount_total",
                "order_amount_average",
                "first_order_date",
                "last_order_date",
            ),
            "verify_order_metrics",
        ),
        "engagement_status": "engagement_moved",
        **dict.fromkeys(("rfm_recency", "rfm_frequency", "rfm_monetary", "rfm_segment"), "rfm_rescored"),
    },
}
# Fields whose values an upgrade changes on purpose (model: {field: why}); the fresh-compute
# check proves their new values. None today.
CHANGED_ON_UPGRADE = {}
# The tables whose indexes must match a fresh install.
INDEXED_TABLES = ("res_partner", "sale_order", "sale_order_line", "mail_activity", "res_partner_link")
TIMEOUT = 1200  # seconds, for one Odoo process


def _git(root, *args):
    return subprocess.run(
        ["git", "-C", root, *args], check=True, capture_output=True, text=True, timeout=120
    ).stdout


def _manifest_version(text):
    return ast.literal_eval(text)["version"]


def released_versions(root, current):
    """{version: commit} for every version older than ``current`` on the first-parent history
    of HEAD: the last commit before the manifest changed to the next version (HEAD for the
    version HEAD has)."""
    if _git(root, "rev-parse", "--is-shallow-repository").strip() != "false":
        raise AssertionError(
            "The upgrade test needs the whole git history to take the released versions from "
            "(git fetch --unshallow)."
        )
    firsts = []  # (version, first commit with it), oldest first
    for commit in _git(root, "rev-list", "--first-parent", "--reverse", "HEAD", "--", MANIFEST).split():
        version = _manifest_version(_git(root, "show", f"{commit}:{MANIFEST}"))
        if not firsts or firsts[-1][0] != version:
            firsts.append((version, commit))
    releases = {}
    for index, (version, _first) in enumerate(firsts):
        last = f"{firsts[index + 1][1]}^1" if index + 1 < len(firsts) else "HEAD"
        if parse_version(version) < parse_version(current):
            releases[version] = _git(root, "rev-parse", "--short", last).strip()
    return releases


@tagged("post_install", "-at_install")
class TestUpgrade(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.module_path = get_module_path("customer_rep")
        cls.root = os.path.dirname(cls.module_path)
        with open(os.path.join(cls.module_path, "__manifest__.py"), encoding="utf-8") as file:
            cls.current = _manifest_version(file.read())
        cls.base_paths = [
            path
            for path in config["addons_path"].split(",")
            if not os.path.isdir(os.path.join(path.strip(), "customer_rep"))
        ]

    def _odoo(self, conf, database, addons_path, *args):
        """Run Odoo (the one this test runs on) on ``database``; fails on any error it logs."""
        command = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            conf,
            "-d",
            database,
            "--addons-path",
            addons_path,
            "--stop-after-init",
            "--log-level=warn",
            "--without-demo=all",
            *args,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        errors = [line for line in done.stderr.splitlines() if " ERROR " in line or " CRITICAL " in line]
        if done.returncode or errors:
            self.fail(f"{' '.join(args)} on {database} failed ({done.returncode}):\n{done.stderr[-6000:]}")

    def _scenario(self, conf, database, addons_path, phase, *, out, ids=None):
        command = [sys.executable, SCENARIO, phase, "--config", conf, "--database", database]
        command += ["--addons-path", addons_path, "--out", out] + (["--ids", ids] if ids else [])
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if done.returncode:
            self.fail(f"The scenario's {phase} on {database} failed:\n{done.stderr[-6000:]}")
        with open(out, encoding="utf-8") as file:
            return json.load(file)

    @staticmethod
    def _create_database(name, template):
        with closing(db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))
            cr.execute(SQL("CREATE DATABASE %s TEMPLATE %s", SQL.identifier(name), SQL.identifier(template)))

    @staticmethod
    def _drop_database(name):
        close_db(name)
        with closing(db_connect("postgres").cursor()) as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))

    @staticmethod
    def _indexes(cr):
        cr.execute("SELECT tablename, indexname FROM pg_indexes WHERE tablename IN %s", [INDEXED_TABLES])
        return set(cr.fetchall())

    def test_upgrade_from_every_released_version(self):
        releases = released_versions(self.root, self.current)
        for version in ("18.0.1.0.0", "18.0.1.1.0", "18.0.1.2.0", "18.0.1.3.0"):
            self.assertIn(version, releases, "the manifest's history lost a released version")
        states = {**releases, **EXTRA_STATES}
        fresh_indexes = self._indexes(self.env.cr)
        prefix = f"{self.env.cr.dbname}_upgrade"
        base = f"{prefix}_base"
        with tempfile.TemporaryDirectory(prefix="customer_rep_upgrade_") as tmp:
            conf = os.path.join(tmp, "odoo.conf")
            with open(conf, "w", encoding="utf-8") as file:
                file.write("[options]\n")
                for key in ("db_host", "db_port", "db_user", "db_password"):
                    file.write(f"{key} = {config[key] or ''}\n")
                file.write(f"data_dir = {tmp}/data\nlist_db = False\n")
            self._drop_database(base)
            try:
                # The dependencies, installed once; each version starts from a copy.
                self._odoo(conf, base, ",".join(self.base_paths), "-i", "sale_management,contacts")
                for index, (label, commit) in enumerate(states.items()):
                    with self.subTest(version=label, commit=commit):
                        self._upgrade(
                            conf,
                            tmp,
                            f"{prefix}_{index}",
                            base=base,
                            commit=commit,
                            fresh_indexes=fresh_indexes,
                        )
            finally:
                self._drop_database(base)

    def _upgrade(self, conf, tmp, database, *, base, commit, fresh_indexes):
        old_root = os.path.join(tmp, commit)
        os.makedirs(old_root)
        archive = subprocess.run(
            ["git", "-C", self.root, "archive", commit, "customer_rep"],
            capture_output=True,
            check=True,
            timeout=120,
        )
        subprocess.run(["tar", "-x", "-C", old_root], input=archive.stdout, check=True, timeout=120)
        old_path = ",".join([*self.base_paths, old_root])
        new_path = ",".join([*self.base_paths, self.root])
        files = {
            name: os.path.join(tmp, f"{commit}.{name}.json") for name in ("ids", "before", "after", "check")
        }
        self._create_database(database, base)
        filestore = os.path.join(tmp, "data", "filestore")
        if os.path.isdir(os.path.join(filestore, base)):
            shutil.copytree(os.path.join(filestore, base), os.path.join(filestore, database))
        try:
            self._odoo(conf, database, old_path, "-i", "customer_rep")
            ids = self._scenario(conf, database, old_path, "populate", out=files["ids"])
            before = self._scenario(
                conf, database, old_path, "snapshot", out=files["before"], ids=files["ids"]
            )
            self._odoo(conf, database, new_path, "-u", "customer_rep")
            after = self._scenario(conf, database, new_path, "snapshot", out=files["after"], ids=files["ids"])
            checked = self._scenario(conf, database, new_path, "check", out=files["check"], ids=files["ids"])
            with closing(db_connect(database).cursor()) as cr:
                upgraded_indexes = self._indexes(cr)
        finally:
            self._drop_database(database)
        self.assertTrue(ids["sale.order"] and ids["res.partner"], "the scenario made no data")
        for login in ("upg_rep_a", "upg_rep_b"):  # restricted to their own accounts
            self.assertTrue(before["searches"][login]["sale.order"], f"{login} saw no order to keep")
        self._assert_same_searches(before, after)
        self._assert_same_values(before, after)
        self._assert_fresh(before, after, checked)
        self.assertEqual(
            sorted(upgraded_indexes ^ fresh_indexes),
            [],
            "the upgraded database's indexes differ from a fresh install's",
        )

    def _assert_same_searches(self, before, after):
        for login, found in before["searches"].items():
            for key, records in found.items():
                self.assertEqual(after["searches"][login][key], records, f"{login} finds other {key}")

    def _assert_same_values(self, before, after):
        for model, rows in before["values"].items():
            changed = CHANGED_ON_UPGRADE.get(model, {})
            for rid, values in rows.items():
                for fname, value in values.items():
                    if fname in changed:
                        continue
                    self.assertIn(fname, after["values"][model][rid], f"{model}.{fname} was dropped")
                    self.assertEqual(after["values"][model][rid][fname], value, f"{model}({rid}).{fname}")

    def _assert_fresh(self, before, after, checked):
        self.assertEqual(checked["recomputed"], [], "stored computed fields left unlike a fresh compute")
        self.assertEqual(checked["verify_order_metrics"], 0, "action_verify_order_metrics() found drift")
        self.assertEqual(checked["rfm_rescored"], 0, "RFM scores left unlike a fresh scoring")
        self.assertEqual(checked["engagement_moved"], 0, "engagement statuses left unlike a fresh update")
        for model, specs in checked["fields"].items():
            new = set(specs) - set(before["fields"].get(model, ()))
            for fname in sorted(new):
                spec = specs[fname]
                if not spec["own"] or spec["computed"] or not spec["column"] or spec["type"] == "boolean":
                    continue  # Odoo's column; proved by the recompute; a new table; empty reads False
                if fname in MAINTAINED_FIELDS.get(model, {}):
                    continue  # proved by the check it names
                self.assertTrue(
                    spec["has_default"],
                    f"{model}.{fname} is new, neither computed nor with a default: fill it on upgrade "
                    "and name its check in MAINTAINED_FIELDS",
                )
                self.assertEqual(
                    spec["nulls"], 0, f"{model}.{fname} is new and was left empty on existing rows"
                )
