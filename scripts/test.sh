#!/usr/bin/env bash
# Run the linters, check the wheels, then the whole invoice_classic test suite in a fresh database.
# Exits non-zero on any failure, on any skipped test and when no test ran.
# Usage: scripts/test.sh [--fresh] [pytest args]   (PGHOST, PGPORT, PGUSER are honoured)
#   The fresh database is a copy of a template database made by the previous run, when the addons'
#   files have not changed since (the tests themselves may have); --fresh installs from scratch.
#   KEEP_DB=1 updates the test database of the previous run instead, for development.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${INVOICE_CLASSIC_TEST_DB:-invoice_classic_test}"
TEMPLATE="${DB}_template"
FRESH=0
if [ "${1:-}" = --fresh ]; then
    FRESH=1
    shift
fi
check_odoo
check_postgres

# System tools the tests use: PDF rendering, PDF reading, the browser of the tours.
missing=()
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v chromium >/dev/null || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing the missing system packages: ${missing[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing system packages: ${missing[*]}. Install them (Debian: sudo apt-get install ${missing[*]})."
    fi
fi

say "installing the Python test dependencies (requirements-test.txt)"
python3 -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements-test.txt" 2>&1 |
    grep -v -e "Running pip as the 'root' user" -e "is ignored: it is neither" || true

say "linters: ruff, pylint-odoo"
(cd "$ROOT" && python3 -m ruff check . && python3 -m ruff format --check .)
(cd "$ROOT" && python3 -m pylint --rcfile=.pylintrc-mandatory invoice_classic)
msgfmt --check-format -o /dev/null "$ROOT/invoice_classic/i18n/fr.po"

bash "$ROOT/scripts/check_wheel.sh"

ADDONS=invoice_classic
install_addons() { # $1: -i or -u
    local log
    log=$(mktemp)
    odoo_bin -d "$DB" "$1" "$ADDONS" --stop-after-init --log-level=warn 2>&1 | tee "$log" |
        grep -v "Running as user 'root'" || true
    # Odoo logs a failed demo data load and goes on: here it is a failure.
    if grep -qE " (ERROR|CRITICAL) | demo data failed" "$log"; then
        rm -f "$log"
        die "installing $ADDONS in $DB logged errors (above)."
    fi
    rm -f "$log"
}
# What the installed database depends on: the addons' files (not their tests), Odoo, this script.
install_digest() {
    (
        cd "$ROOT"
        # shellcheck disable=SC2086
        find ${ADDONS//,/ } -type f ! -path '*/tests/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
        python3 -c "import odoo.release; print(odoo.release.version, odoo.__file__)"
        sha256sum "$ROOT/scripts/test.sh"
    ) | sha256sum | cut -c1-16
}

if [ "${KEEP_DB:-0}" = 1 ] && db_exists "$DB"; then
    say "updating $ADDONS in the existing database $DB (KEEP_DB=1)"
    install_addons -u
else
    digest=$(install_digest)
    dropdb --if-exists "$DB"
    if [ "$FRESH" = 0 ] && [ "$(db_comment "$TEMPLATE")" = "invoice_classic install $digest" ]; then
        say "the addons' files have not changed since the template database $TEMPLATE was made:"
        say "copying it to $DB (scripts/test.sh --fresh installs from scratch)"
        copy_db "$TEMPLATE" "$DB"
    else
        say "creating a fresh database $DB with $ADDONS (and its demo data)"
        install_addons -i
        say "keeping a copy as the template database $TEMPLATE, for the next run"
        dropdb --if-exists "$TEMPLATE"
        copy_db "$DB" "$TEMPLATE"
        psql -d postgres -qc "COMMENT ON DATABASE \"$TEMPLATE\" IS 'invoice_classic install $digest'"
    fi
fi

CONFIG=$(mktemp)
trap 'rm -f "$CONFIG"' EXIT
cat >"$CONFIG" <<CFG
[options]
addons_path = $ADDONS_PATH
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
http_port = ${INVOICE_CLASSIC_TEST_HTTP_PORT:-8169}
log_level = warn
# The e-invoice validators run Saxon (a GraalVM native image), whose isolate cannot start
# under Odoo's default hard memory limit, set once the HTTP server of the tours starts.
limit_memory_hard = 0
CFG

say "running the test suite (pytest-odoo)"
cd "$ROOT"
set +e
python3 -m pytest -c "$ROOT/pytest.ini" --rootdir="$ROOT" --odoo-config="$CONFIG" --odoo-database="$DB" --odoo-http \
    -rfEs invoice_classic/tests "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
    die "no test ran."
fi
exit "$status"
