import logging
import re
from pathlib import Path
from urllib.parse import urlencode

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, no_retry, tagged

from odoo.addons.web.tests.test_js import unit_test_error_checker

# Hoot names a test "@<addon>/<file>/<test>"; a /regex/ filter runs only this addon's.
HOOT_FILTER = "/^@customer_rep\\//"
HOOT_SUMMARY = re.compile(r"\[HOOT\] passed (\d+) tests")


class _LogCollector(logging.Handler):
    """Keeps the browser's console lines while they still reach the test log."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@tagged("post_install", "-at_install")
class TestJsUnit(HttpCase):
    """Runs the addon's hoot unit tests (static/tests/*.test.js) in headless Chromium."""

    @no_retry
    def test_hoot_unit_tests(self):
        # The hoot runner reads ir.module.module.dependency, which only settings managers may.
        new_test_user(
            self.env,
            login="hoot_runner",
            password="hoot_runner_pw",
            groups="base.group_user,base.group_system",
        )
        query = urlencode({"headless": 1, "loglevel": 2, "timeout": 15000, "filter": HOOT_FILTER})
        # The browser's console arrives on this logger; hoot's summary line is an INFO.
        collector = _LogCollector()
        browser_logger = self._logger.getChild("browser")
        level = browser_logger.level
        browser_logger.setLevel(logging.INFO)
        browser_logger.addHandler(collector)
        try:
            # Fails when the run ends with "[HOOT] test failed" (every failed test is logged
            # above it), on any other console error, or when the suite never reports success.
            self.browser_js(
                f"/web/tests?{query}",
                "",
                "",
                login="hoot_runner",
                timeout=600,
                success_signal="[HOOT] test suite succeeded",
                error_checker=unit_test_error_checker,
            )
        finally:
            browser_logger.removeHandler(collector)
            browser_logger.setLevel(level)

        # A filter that matched nothing would also "succeed": every test written must have run.
        summaries = [int(m[1]) for m in map(HOOT_SUMMARY.search, collector.messages) if m]
        self.assertEqual(summaries, [self._count_written_tests()])

    def _count_written_tests(self):
        """The ``test(...)`` calls in the files web.assets_unit_tests takes from this addon."""
        test_files = Path(get_module_path("customer_rep")).glob("static/tests/**/*.test.js")
        return sum(
            len(re.findall(r"^test(?:\.\w+\(.*\))?\(", path.read_text(), re.MULTILINE)) for path in test_files
        )
