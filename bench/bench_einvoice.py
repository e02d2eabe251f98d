"""Benchmark: e-invoice export (Factur-X CII, UBL BIS 3) with invoice_classic against Odoo's own.

In the same run, on two databases, builds the same invoices (a French company on Odoo's French
chart, a French business customer, N posted invoices of 3 lines at 20 % and 5.5 %) and exports
each one to CII and to UBL:
- on a database with only invoice_classic's dependencies (Odoo's own export, the reference;
  created the first time with `--base-database`, without demo data);
- on a database with invoice_classic (its export hooks add the French mentions, the SIREN,
  the coded notes, the installments...).
Each export is timed over several runs (``--runs``, at least 3), the runs of the two databases
alternating so that a change of machine load hits both; prints min / median / max milliseconds
per invoice and the ratio of the medians. Everything is rolled back: both databases are left as
they were.

Usage (the first database has invoice_classic, e.g. the test database):
    python3 bench/bench_einvoice.py -d invoice_classic_test
        [--base-database invoice_classic_bench_deps] [--invoices 20] [--runs 5]
"""

import argparse
import time

from common import (
    DEPS_DATABASE,
    add_runs_argument,
    addon_dependencies,
    bench_env,
    ensure_database,
    format_spread,
    french_company,
    french_customers,
    spread,
)

from odoo import Command


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--base-database", default=DEPS_DATABASE)
    parser.add_argument("--invoices", type=int, default=20)
    add_runs_argument(parser, default=5)
    return parser.parse_args()


def build_invoices(env, count):
    """The same invoices in either database: a French company selling to a French business."""
    env = french_company(env)
    chart = env["account.chart.template"]
    tax_20, tax_55 = chart.ref("tva_normale"), chart.ref("tva_reduite")
    customer = french_customers(env)
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "company_id": env.company.id,
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


def exporter(env, invoices):
    """A function timing one CII and one UBL export of each invoice: ms per invoice."""
    cii, ubl = env["account.edi.xml.cii"], env["account.edi.xml.ubl_bis3"]
    cii._export_invoice(invoices[0])  # warm-up: templates compiled
    ubl._export_invoice(invoices[0])

    def run():
        env.invalidate_all()
        start = time.perf_counter()
        for invoice in invoices:
            cii._export_invoice(invoice)
            ubl._export_invoice(invoice)
        return (time.perf_counter() - start) * 1000 / len(invoices)

    return run


def report(label, timings):
    print(f"{label:<40} ms per invoice (CII + UBL): {format_spread(timings, 'ms', 1)}")
    return spread(timings)[1]


def main():
    args = parse_args()
    if args.runs < 3:
        raise SystemExit("--runs: at least 3.")
    ensure_database(args.base_database, addon_dependencies())
    with bench_env(args.database) as env, bench_env(args.base_database, addon=False) as base:
        odoo_run = exporter(base, build_invoices(base, args.invoices))
        classic_run = exporter(env, build_invoices(env, args.invoices))
        # The runs of both alternate: a change of machine load hits both.
        timings = [(odoo_run(), classic_run()) for _run in range(args.runs)]
        reference = report(
            "Odoo's own export (dependencies only)", [odoo for odoo, _classic in timings]
        )
        classic = report("with invoice_classic", [classic for _odoo, classic in timings])
    print(
        f"{args.invoices} invoices, {args.runs} runs: invoice_classic's export takes "
        f"{classic / reference:.2f}x the time of Odoo's own (medians)"
    )


if __name__ == "__main__":
    main()
