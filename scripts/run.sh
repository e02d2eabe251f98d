#!/usr/bin/env bash
# Start Odoo on http://localhost:8069 with invoice_classic, its CRM bridge and their demo data.
# The first time, it creates the database (default: invoice_classic_demo).
# Usage: scripts/run.sh [database]   (PGHOST, PGPORT, PGUSER are honoured)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DB="${1:-invoice_classic_demo}"
case "$DB" in
    -h | --help) sed -n '2,4p' "$0" | cut -c3-; exit 0 ;;
    -*) die "unknown option $DB. Usage: scripts/run.sh [database]" ;;
esac
check_odoo
check_postgres
if ! db_exists "$DB"; then
    say "creating database $DB with invoice_classic, invoice_classic_crm and their demo data (a few minutes the first time)"
    # English and French: the first is the administrator's language and new contacts' default.
    # payment_demo: Odoo's Demo payment provider, so that the demo invoices can be paid on the
    # portal; installed before invoice_classic, whose demo data enable it in the demo company.
    odoo_bin -d "$DB" -i payment_demo,invoice_classic,invoice_classic_crm --stop-after-init --load-language=en_US,fr_FR
fi
update=(-u invoice_classic,invoice_classic_crm)
# A database made before the CRM bridge gets it (-i on an installed module would load its demo
# data again).
module_installed "$DB" invoice_classic_crm || update=(-i invoice_classic_crm -u invoice_classic)
say "Odoo starts on http://localhost:8069 (database $DB, login admin / password admin)"
odoo_bin -d "$DB" --db-filter="^$DB\$" "${update[@]}" --http-port=8069
