"""pytest setup shared by the addon's tests (run by bin/test).

pytest-odoo imports Odoo's test framework before it switches Odoo to test mode, and Odoo logs
that import as an error with a stack trace. Importing the framework here, in test mode as Odoo's
own test runner does, keeps the test output to real problems.
"""

from odoo.tools import config

config["test_enable"] = True
import odoo.tests  # noqa: E402, F401

config["test_enable"] = False
