# Shared by scripts/run.sh and scripts/test.sh: find Odoo and PostgreSQL, or say
# clearly what is missing and how to get it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-$(id -un)}"

say() { printf '[invoice_classic] %s\n' "$*"; }
die() { printf '[invoice_classic] ERROR: %s\n' "$*" >&2; exit 2; }

check_odoo() {
    local where
    where=$(python3 -c "import odoo.release, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))" 2>/dev/null) ||
        die "python3 cannot import odoo. Install Odoo 18.0 Community from source so that
    'python3 -c \"import odoo\"' works in a plain shell (see README.md, 'Requirements')."
    ODOO_VERSION=$(python3 -c "import odoo.release; print(odoo.release.series)")
    [ "$ODOO_VERSION" = "18.0" ] || die "python3 imports Odoo $ODOO_VERSION; invoice_classic needs Odoo 18.0."
    ODOO_ADDONS="$where/addons"
    [ -d "$ODOO_ADDONS/sale_stock" ] || die "Odoo's addons are not in $ODOO_ADDONS (sale_stock missing)."
    ADDONS_PATH="$ODOO_ADDONS,$ROOT"
}

check_postgres() {
    if pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        return
    fi
    if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ "$PGHOST" = 127.0.0.1 ]; then
        # A local cluster on that port that is down: start it, and say so.
        local cluster
        cluster=$(pg_lsclusters -h 2>/dev/null | awk -v port="$PGPORT" '$3 == port && $4 == "down" {print $1 " " $2; exit}')
        if [ -n "$cluster" ]; then
            say "PostgreSQL was not running: starting cluster ${cluster/ //} with pg_ctlcluster."
            # shellcheck disable=SC2086
            pg_ctlcluster --skip-systemctl-redirect $cluster start || die "could not start PostgreSQL ${cluster/ //}."
            pg_isready -q -h "$PGHOST" -p "$PGPORT" && return
        fi
    fi
    die "no PostgreSQL answers on $PGHOST:$PGPORT. Start one (Debian: 'pg_ctlcluster 15 main start'),
    or point PGHOST/PGPORT/PGUSER at yours."
}

# module_installed DB MODULE: true when MODULE is installed in the database DB.
module_installed() {
    [ "$(psql -d "$1" -Atc "SELECT state FROM ir_module_module WHERE name = '$2'" 2>/dev/null)" = installed ]
}

odoo_bin() {
    python3 -m odoo "$@" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --addons-path="$ADDONS_PATH"
}

db_exists() {
    psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

db_comment() {
    psql -d postgres -Atc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$1'"
}

# The folder of a database's attachments (Odoo's data_dir).
filestore() {
    python3 -c "from odoo.tools import config; print(config.filestore('$1'))" 2>/dev/null
}

# Copy database $1 to $2, with its attachments.
copy_db() {
    createdb -T "$1" "$2"
    local source target
    source=$(filestore "$1")
    target=$(filestore "$2")
    rm -rf "$target"
    if [ -d "$source" ]; then
        mkdir -p "$(dirname "$target")"
        cp -r "$source" "$target"
    fi
}
