# Shared helpers for bin/run and bin/test. Sourced, not executed.
# Odoo is never installed by these scripts: it comes from the Python named by ODOO_PYTHON.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_PYTHON=${ODOO_PYTHON:-python3}
DB_HOST=${CUSTOMER_REP_DB_HOST:-localhost}
DB_PORT=${CUSTOMER_REP_DB_PORT:-5432}
DB_USER=${CUSTOMER_REP_DB_USER:-odoo}
DB_PASSWORD=${CUSTOMER_REP_DB_PASSWORD:-odoo}
export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER PGPASSWORD=$DB_PASSWORD

die() { echo "error: $*" >&2; exit 1; }

require_odoo() {
    command -v "$ODOO_PYTHON" >/dev/null 2>&1 \
        || die "ODOO_PYTHON='$ODOO_PYTHON' is not a command; point it at a Python that can import Odoo 18.0."
    "$ODOO_PYTHON" -c 'import sys, odoo; sys.exit(odoo.release.version_info[0] != 18)' >/dev/null 2>&1 \
        || die "'$ODOO_PYTHON' cannot import Odoo 18.0; install Odoo 18.0 for it or set ODOO_PYTHON (see README)."
    ODOO_ADDONS=$("$ODOO_PYTHON" -c 'import os, odoo; print(os.path.join(os.path.dirname(odoo.__file__), "addons"))')
    ODOO_ROOT_ADDONS=$("$ODOO_PYTHON" -c 'import os, odoo; print(os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons"))')
    ADDONS_PATH="$ODOO_ADDONS"
    [ -d "$ODOO_ROOT_ADDONS" ] && ADDONS_PATH="$ODOO_ROOT_ADDONS,$ADDONS_PATH"
    ADDONS_PATH="$ADDONS_PATH,$ROOT"
}

# Start the local PostgreSQL cluster when it is down, and make sure Odoo's role exists.
ensure_postgres() {
    if ! pg_isready -q -h "$DB_HOST" -p "$DB_PORT" 2>/dev/null; then
        if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$DB_HOST" = localhost ]; then
            local cluster
            cluster=$(pg_lsclusters -h 2>/dev/null | awk -v p="$DB_PORT" '$3 == p {print $1" "$2; exit}')
            [ -n "$cluster" ] || die "no local PostgreSQL cluster on port $DB_PORT (install Debian's postgresql package)."
            # shellcheck disable=SC2086
            pg_ctlcluster $cluster start || die "could not start PostgreSQL cluster $cluster."
        fi
        for _ in $(seq 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && break; sleep 1; done
        pg_isready -q -h "$DB_HOST" -p "$DB_PORT" || die "PostgreSQL is not answering on $DB_HOST:$DB_PORT."
    fi
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || die "cannot log in to PostgreSQL as '$DB_USER'; create that role (CREATEDB, password '$DB_PASSWORD')."
        env -u PGHOST -u PGUSER -u PGPASSWORD runuser -u postgres -- psql -q -p "$DB_PORT" -c \
            "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
               CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'; END IF; END\$\$;" \
            || die "could not create the PostgreSQL role '$DB_USER'."
    fi
}

install_dev_requirements() {
    "$ODOO_PYTHON" -m pip install -q --disable-pip-version-check --root-user-action=ignore -r "$ROOT/requirements-dev.txt" \
        || die "could not install the test and lint tools from requirements-dev.txt."
}

odoo_cmd() {
    "$ODOO_PYTHON" -m odoo --addons-path="$ADDONS_PATH" --db_host="$DB_HOST" --db_port="$DB_PORT" \
        --db_user="$DB_USER" --db_password="$DB_PASSWORD" "$@"
}

# The browser tests (tours, hoot) need Chromium, found on PATH under one of the names Odoo
# looks for (odoo.tests.common._find_executable); without it Odoo skips them, which the
# tests' conftest.py turns into failures. Prints the executable found.
find_chrome() {
    local name
    for name in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$name" 2>/dev/null && return 0
    done
    return 1
}

# Chromium for the browser tests: Debian's chromium, installed with apt-get when it is missing
# and this runs as root; otherwise stop with one line saying what to do. Also websocket-client,
# through which Odoo drives the browser (requirements-dev.txt).
ensure_browser() {
    if ! find_chrome >/dev/null; then
        [ "$(id -u)" = 0 ] \
            || die "no Chromium for the browser tests: install Debian's chromium (sudo apt-get install chromium), or run bin/test as root to have it installed."
        command -v apt-get >/dev/null 2>&1 \
            || die "no Chromium for the browser tests and no apt-get to install it: install Chromium (Debian's chromium)."
        echo "== installing Debian's chromium for the browser tests (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
            || die "could not install Debian's chromium for the browser tests: apt-get update failed."
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
            || die "could not install Debian's chromium for the browser tests: apt-get install -y chromium failed."
        find_chrome >/dev/null \
            || die "Debian's chromium was installed but no Chromium is on PATH ($PATH)."
    fi
    "$ODOO_PYTHON" -c 'import websocket' >/dev/null 2>&1 \
        || die "websocket-client is missing for '$ODOO_PYTHON' (requirements-dev.txt); the browser tests need it."
}
