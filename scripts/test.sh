#!/usr/bin/env bash
# Run the whole test suite of invoice_classic and its CRM bridge (invoice_classic_crm) in a
# FRESH database, after the linters.
# Exits non-zero on any failure, on any skipped test and when no test ran.
# Usage: scripts/test.sh [pytest args]   (PGHOST, PGPORT, PGUSER are honoured;
#        KEEP_DB=1 reuses the test database of the previous run, for development)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${INVOICE_CLASSIC_TEST_DB:-invoice_classic_test}"
# The addons: invoice_classic and its bridge with the CRM (which brings sale_crm and crm).
ADDONS=(invoice_classic invoice_classic_crm)
MODULES=$(IFS=,; echo "${ADDONS[*]}")
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
(cd "$ROOT" && python3 -m pylint --rcfile=.pylintrc-mandatory "${ADDONS[@]}")
for po in "$ROOT"/invoice_classic*/i18n/fr.po; do
    msgfmt --check-format -o /dev/null "$po"
done

if [ "${KEEP_DB:-0}" != 1 ] || ! psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    say "creating a fresh database $DB with $MODULES (and their demo data)"
    dropdb --if-exists "$DB"
    install=(-i "$MODULES")
else
    say "updating $MODULES in the existing database $DB (KEEP_DB=1)"
    install=(-u "$MODULES")
    # A database made before the CRM bridge gets it (-i on an installed module would load its
    # demo data again).
    module_installed "$DB" invoice_classic_crm || install=(-i invoice_classic_crm -u invoice_classic)
fi
INSTALL_LOG=$(mktemp)
odoo_bin -d "$DB" "${install[@]}" --stop-after-init --log-level=warn 2>&1 | tee "$INSTALL_LOG" |
    grep -v "Running as user 'root'" || true
# Odoo logs a failed demo data load and goes on: here it is a failure.
if grep -qE " (ERROR|CRITICAL) | demo data failed" "$INSTALL_LOG"; then
    rm -f "$INSTALL_LOG"
    die "installing $MODULES in $DB logged errors (above)."
fi
rm -f "$INSTALL_LOG"

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
    -rfEs "${ADDONS[@]/%//tests}" "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
    die "no test ran."
fi
exit "$status"
