#!/usr/bin/env bash
# Run the linters, check the wheels, then the whole test suite of invoice_classic and its CRM bridge
# (invoice_classic_crm) in a fresh database.
# Exits non-zero on any failure, on any skipped test and when no test ran.
# Usage: scripts/test.sh [--fresh] [pytest args]   (PGHOST, PGPORT, PGUSER are honoured)
#   The fresh database is a copy of a template database made by the previous run, when the addons'
#   files have not changed since (the tests themselves may have); --fresh installs from scratch.
#   KEEP_DB=1 updates the test database of the previous run instead, for development.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${INVOICE_CLASSIC_TEST_DB:-invoice_classic_test}"
TEMPLATE="${DB}_template"
# The addons: invoice_classic and its bridge with the CRM (which brings sale_crm and crm).
ADDONS=(invoice_classic invoice_classic_crm)
MODULES=$(IFS=,; echo "${ADDONS[*]}")
# Odoo's Demo payment provider, which the online payment tests pay through. Not a dependency of
# invoice_classic: installed, it offers its fake provider to the customers of a real database.
TEST_MODULES=payment_demo
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
(cd "$ROOT" && python3 -m pylint --rcfile=.pylintrc-mandatory "${ADDONS[@]}")
for po in "$ROOT"/invoice_classic*/i18n/fr.po; do
    msgfmt --check-format -o /dev/null "$po"
done

bash "$ROOT/scripts/check_wheel.sh"

install_addons() { # the options of the install or update
    local log
    log=$(mktemp)
    odoo_bin -d "$DB" "$@" --stop-after-init --log-level=warn 2>&1 | tee "$log" |
        grep -v "Running as user 'root'" || true
    # Odoo logs a failed demo data load and goes on: here it is a failure.
    if grep -qE " (ERROR|CRITICAL) | demo data failed" "$log"; then
        rm -f "$log"
        die "installing $MODULES in $DB logged errors (above)."
    fi
    rm -f "$log"
}
# What the installed database depends on: the addons' files (not their tests), Odoo, this script.
install_digest() {
    (
        cd "$ROOT"
        find "${ADDONS[@]}" -type f ! -path '*/tests/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum
        python3 -c "import odoo.release; print(odoo.release.version, odoo.__file__)"
        sha256sum "$ROOT/scripts/test.sh"
    ) | sha256sum | cut -c1-16
}

if [ "${KEEP_DB:-0}" = 1 ] && db_exists "$DB"; then
    say "updating $MODULES in the existing database $DB (KEEP_DB=1)"
    # A database made before the CRM bridge or the online payment tests gets them (-i on an
    # installed module would load its demo data again).
    absent=()
    for module in invoice_classic_crm "$TEST_MODULES"; do
        module_installed "$DB" "$module" || absent+=("$module")
    done
    update=(-u invoice_classic)
    if module_installed "$DB" invoice_classic_crm; then
        update=(-u "$MODULES")
    fi
    if [ ${#absent[@]} -gt 0 ]; then
        update=(-i "$(IFS=,; echo "${absent[*]}")" "${update[@]}")
    fi
    install_addons "${update[@]}"
else
    digest=$(install_digest)
    dropdb --if-exists "$DB"
    if [ "$FRESH" = 0 ] && [ "$(db_comment "$TEMPLATE")" = "invoice_classic install $digest" ]; then
        say "the addons' files have not changed since the template database $TEMPLATE was made:"
        say "copying it to $DB (scripts/test.sh --fresh installs from scratch)"
        copy_db "$TEMPLATE" "$DB"
    else
        say "creating a fresh database $DB with $MODULES (and their demo data)"
        install_addons -i "$TEST_MODULES,$MODULES"
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
    -rfEs "${ADDONS[@]/%//tests}" "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
    die "no test ran."
fi
exit "$status"
