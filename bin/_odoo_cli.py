"""Odoo's command line, started the way odoo-bin starts it (bin/run runs this file).

``python3 -m odoo`` serves one process well, but with ``--workers`` Odoo's prefork server starts
its websocket/long-polling process by running ``sys.argv[0]`` again, which for ``-m odoo`` is
a package module that cannot run on its own (every restart fails with an ImportError). This
file can. Odoo itself comes from the Python that runs it (ODOO_PYTHON, see README)."""

import os

os.environ["TZ"] = "UTC"  # as odoo-bin: the server's time zone, before anything imports time

import odoo

if __name__ == "__main__":
    odoo.cli.main()
