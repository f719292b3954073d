"""pytest setup shared by the addon's tests (run by bin/test).

pytest-odoo imports Odoo's test framework before it switches Odoo to test mode, and Odoo logs
that import as an error with a stack trace. Importing the framework here, in test mode as Odoo's
own test runner does, keeps the test output to real problems.

No test of the addon may end skipped: Odoo skips its browser tours and the hoot unit tests when
it finds no Chromium ("Chrome executable not found") or no websocket-client, and a run that
passes with them skipped proves nothing. A skip is reported as a failure, with its reason, for
every test outside Odoo's own source (bin/test-odoo-suites loads this file for Odoo's suites,
whose skips are Odoo's business).
"""

from pathlib import Path

import pytest

import odoo
from odoo.tools import config

config["test_enable"] = True
import odoo.tests  # noqa: E402

config["test_enable"] = False

# Odoo's own source tree (the odoo package and the addons beside it).
ODOO_SOURCE = Path(odoo.__file__).resolve().parent.parent


def skip_is_failure(path):
    """Whether a skipped test at ``path`` fails the run: every test but Odoo's own."""
    return not Path(path).resolve().is_relative_to(ODOO_SOURCE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and skip_is_failure(item.path):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped, which counts as a failure here (no test may end skipped): {reason}"
