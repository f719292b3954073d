import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import odoo
from odoo.tests import BaseCase, tagged

# The repository: bin/ and the conftest.py that bin/test runs the tests with.
ROOT = Path(__file__).resolve().parents[2]


@tagged("post_install", "-at_install")
class TestCiBrowser(BaseCase):
    """A fresh machine runs every test or fails: bin/test installs Debian's chromium when it is
    missing (as root) or stops with one line, and a test that Odoo skips (no browser) fails."""

    def setUp(self):
        super().setUp()
        self.assertTrue((ROOT / "bin" / "_lib.sh").is_file(), f"bin/_lib.sh not found under {ROOT}")
        self.bin = Path(tempfile.mkdtemp(prefix="customer_rep_ci_"))
        self.addCleanup(shutil.rmtree, self.bin)
        # A PATH with only what _lib.sh needs: no Chromium, whatever the machine has.
        (self.bin / "dirname").symlink_to(shutil.which("dirname"))
        self.apt_log = self.bin / "apt-get.log"

    def _script(self, name, body):
        path = self.bin / name
        path.write_text(f"#!/bin/bash\n{textwrap.dedent(body)}")
        path.chmod(0o755)

    def _ensure_browser(self, uid, python=sys.executable):
        """Run bin/_lib.sh's ensure_browser as the user ``uid`` (as ``id -u`` reports it)."""
        self._script("id", f'[ "$1" = -u ] && echo {uid}\n')
        return subprocess.run(
            ["/bin/bash", "-c", 'source "$1"; ensure_browser', "_", str(ROOT / "bin" / "_lib.sh")],
            env={"PATH": str(self.bin), "ODOO_PYTHON": python, "HOME": str(self.bin)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def _fake_apt_get(self, fail_on=None):
        """apt-get that records its calls; ``install`` puts a chromium on PATH."""
        self._script(
            "apt-get",
            f"""\
            echo "$DEBIAN_FRONTEND $*" >> {self.apt_log}
            [ "$1" = "{fail_on}" ] && exit 100
            if [ "$1" = install ]; then
                echo '#!/bin/bash' > {self.bin}/chromium
                /bin/chmod +x {self.bin}/chromium
            fi
            exit 0
            """,
        )

    def _assert_stops_with_one_line(self, result, text):
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn(text, result.stderr)

    def test_not_root_stops_with_one_line(self):
        self._fake_apt_get()
        result = self._ensure_browser(1000)
        self._assert_stops_with_one_line(result, "error: no Chromium for the browser tests")
        self.assertIn("apt-get install chromium", result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertFalse(self.apt_log.exists())  # nothing was installed

    def test_root_installs_debian_chromium(self):
        self._fake_apt_get()
        result = self._ensure_browser(0)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            self.apt_log.read_text().splitlines(),
            ["noninteractive update -qq", "noninteractive install -y -qq chromium"],
        )
        self.assertTrue((self.bin / "chromium").is_file())

    def test_root_stops_when_the_install_fails(self):
        self._fake_apt_get(fail_on="install")
        result = self._ensure_browser(0)
        self._assert_stops_with_one_line(result, "apt-get install -y chromium failed")

    def test_chromium_present_installs_nothing(self):
        self._fake_apt_get()
        self._script("chromium", "")
        result = self._ensure_browser(0)
        self.assertEqual((result.returncode, result.stdout, result.stderr), (0, "", ""))
        self.assertFalse(self.apt_log.exists())

    def test_websocket_client_is_required(self):
        self._script("chromium", "")
        self._script("python-without-websocket", "exit 1\n")
        result = self._ensure_browser(0, python=str(self.bin / "python-without-websocket"))
        self._assert_stops_with_one_line(result, "websocket-client is missing")

    def test_a_skipped_test_fails_the_run(self):
        """Odoo's own lookup of the browser, with no Chromium on PATH, skips the test calling
        it ("Chrome executable not found"): with the repository's conftest.py, that fails."""
        (self.bin / "test_browserless.py").write_text(
            textwrap.dedent(
                """\
                import os
                import unittest

                import pytest

                from odoo.tests.common import _find_executable


                class TestTour(unittest.TestCase):
                    def test_tour(self):
                        os.environ["PATH"] = os.path.dirname(__file__)
                        _find_executable.cache_clear()
                        _find_executable()


                def test_skipped():
                    pytest.skip("skipped for no good reason")


                def test_passes():
                    pass
                """
            )
        )
        test_file = str(self.bin / "test_browserless.py")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:odoo",  # pytest-odoo: this file needs no database
                "-p",
                "conftest",
                "-q",
                "-rA",
                test_file,
            ],
            cwd=self.bin,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("2 failed, 1 passed", result.stdout)
        self.assertIn("(no test may end skipped): Chrome executable not found", result.stdout)
        self.assertIn("(no test may end skipped): skipped for no good reason", result.stdout)
        self.assertNotIn("skipped", result.stdout.splitlines()[-1])

    def test_skips_of_odoo_own_suites_stay_skips(self):
        """bin/test-odoo-suites loads the same conftest.py for Odoo's suites, whose skips are
        Odoo's (tests of modules not installed): only tests outside Odoo's source fail."""
        odoo_test = Path(odoo.__file__).resolve().parent.parent / "addons" / "sale" / "tests" / "test_x.py"
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, conftest; print(*(conftest.skip_is_failure(p) for p in sys.argv[1:]))",
                str(odoo_test),
                str(ROOT / "customer_rep" / "tests" / "test_x.py"),
            ],
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.assertEqual(result.stdout.split(), ["False", "True"], result.stderr)
