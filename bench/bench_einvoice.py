"""Benchmark: e-invoice export (Factur-X CII, UBL BIS 3) with invoice_classic against Odoo's own.

In the same run, on two databases, builds the same invoices (a French company on Odoo's French
chart, a French business customer, N posted invoices of 3 lines at 20 % and 5.5 %) and exports
each one to CII and to UBL:
- on a database with only invoice_classic's dependencies (Odoo's own export, the reference;
  created the first time with `--base-database`, without demo data);
- on a database with invoice_classic (its export hooks add the French mentions, the SIREN,
  the coded notes, the installments...).
Each export is timed over several runs; prints min / median / max milliseconds per invoice and
the ratio of the medians. Everything is rolled back: both databases are left as they were.

Usage (the first database has invoice_classic, e.g. the test database):
    python3 bench/bench_einvoice.py -d invoice_classic_test
        [--base-database invoice_classic_bench_deps] [--invoices 20] [--runs 5]
"""

import argparse
import ast
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from common import bench_env

import odoo
from odoo import Command, api

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--base-database", default="invoice_classic_bench_deps")
    parser.add_argument("--invoices", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def addon_dependencies():
    manifest = ast.literal_eval((ROOT / "invoice_classic" / "__manifest__.py").read_text())
    return manifest["depends"]


def ensure_base_database(name):
    """The database with only the addon's dependencies, created (without demo data) if missing."""
    exists = subprocess.run(
        ["psql", "-d", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists:
        return
    print(f"creating {name} with only {', '.join(addon_dependencies())} (a few minutes, once)")
    addons = Path(odoo.__file__).resolve().parent.parent / "addons"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            name,
            "-i",
            ",".join(addon_dependencies()),
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            f"--addons-path={addons},{ROOT}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
        ],
        check=True,
    )


@contextmanager
def base_env(database):
    """An environment on the dependencies-only database; rolled back at the end."""
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()


def build_invoices(env, count):
    """The same invoices in either database: a French company selling to a French business."""
    fr = env.ref("base.fr")
    company = env["res.company"].create(
        {
            "name": "Bench Atelier",
            "country_id": fr.id,
            "currency_id": env.ref("base.EUR").id,
            "street": "12 rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "vat": "FR44732829320",
            "company_registry": "73282932000009",
        }
    )
    env.user.company_ids |= company
    env = env(context={**env.context, "allowed_company_ids": company.ids})
    env["account.chart.template"].try_loading("fr", company, install_demo=False)
    company.partner_id.bank_ids = [Command.create({"acc_number": "FR7630006000011234567890189"})]
    chart = env["account.chart.template"].with_company(company)
    tax_20, tax_55 = chart.ref("tva_normale"), chart.ref("tva_reduite")
    (tax_20 | tax_55).active = True
    customer = env["res.partner"].create(
        {
            "name": "Boulangerie Martin",
            "is_company": True,
            "street": "3 place Bellecour",
            "zip": "69002",
            "city": "Lyon",
            "country_id": fr.id,
            "vat": "FR03552081317",
            "company_registry": "55208131700000",
        }
    )
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "company_id": company.id,
                "partner_id": customer.id,
                "invoice_date": "2026-11-02",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Logo design",
                            "quantity": 1,
                            "price_unit": 800,
                            "tax_ids": tax_20.ids,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Printing",
                            "quantity": 3,
                            "price_unit": 45.5,
                            "tax_ids": tax_20.ids,
                        }
                    ),
                    Command.create(
                        {"name": "Books", "quantity": 2, "price_unit": 19.9, "tax_ids": tax_55.ids}
                    ),
                ],
            }
            for _i in range(count)
        ]
    )
    invoices.action_post()
    return invoices


def measure(env, invoices, runs):
    """Milliseconds per invoice of one CII and one UBL export, for each run."""
    cii, ubl = env["account.edi.xml.cii"], env["account.edi.xml.ubl_bis3"]
    cii._export_invoice(invoices[0])  # warm-up: templates compiled
    ubl._export_invoice(invoices[0])
    timings = []
    for _run in range(runs):
        env.invalidate_all()
        start = time.perf_counter()
        for invoice in invoices:
            cii._export_invoice(invoice)
            ubl._export_invoice(invoice)
        timings.append((time.perf_counter() - start) * 1000 / len(invoices))
    return timings


def report(label, timings):
    print(
        f"{label:<45} ms per invoice (CII + UBL): min {min(timings):6.1f}  "
        f"median {statistics.median(timings):6.1f}  max {max(timings):6.1f}"
    )
    return statistics.median(timings)


def main():
    args = parse_args()
    ensure_base_database(args.base_database)
    with bench_env(args.database) as env, base_env(args.base_database) as base:
        reference = report(
            "Odoo's own export (dependencies only)",
            measure(base, build_invoices(base, args.invoices), args.runs),
        )
        classic = report(
            "with invoice_classic",
            measure(env, build_invoices(env, args.invoices), args.runs),
        )
    print(
        f"{args.invoices} invoices, {args.runs} runs: invoice_classic's export takes "
        f"{classic / reference:.2f}x the time of Odoo's own"
    )


if __name__ == "__main__":
    main()
