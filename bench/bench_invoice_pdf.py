"""Benchmark: rendering invoice PDFs with invoice_classic's layout against Odoo's invoice report.

Renders the PDF of N posted customer invoices one by one (what printing or sending each invoice
does) with invoice_classic's classic layout and, in the same run, with Odoo's standard invoice
report (account.account_invoices), on the same invoices; prints both times and the ratio.
Nothing is stored: the PDFs are rendered, measured and dropped, the transaction rolled back.

wkhtmltopdf loads the report CSS over HTTP: start Odoo on the database first (scripts/run.sh) or
pass --url of a running server, else both reports render unstyled (still comparable).

Usage (on a database with invoice_classic and its demo data, e.g. the one of scripts/run.sh):
    python3 bench/bench_invoice_pdf.py -d invoice_classic_demo [--invoices 20] [--url http://127.0.0.1:8069]
"""

import argparse
import time

from common import bench_env


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--invoices", type=int, default=20)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    return parser.parse_args()


def measure(env, label, report, invoices):
    reports = env["ir.actions.report"].with_context(force_report_rendering=True)
    start = time.perf_counter()
    for invoice in invoices:
        pdf = reports._render_qweb_pdf(report, invoice.ids)[0]
        assert pdf.startswith(b"%PDF")
    elapsed = time.perf_counter() - start
    each = elapsed / len(invoices)
    print(f"{label:<40} {len(invoices):>4} invoices in {elapsed:7.2f} s = {each:.3f} s each")
    return elapsed


def main():
    args = parse_args()
    with bench_env(args.database) as env:
        env["ir.config_parameter"].set_param("report.url", args.url)
        invoices = env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")], limit=args.invoices
        )
        if not invoices:
            raise SystemExit(
                f"No posted customer invoice in {args.database}: install the demo data."
            )
        # Warm both (templates compiled, assets built) so that neither pays for it in the run.
        measure(env, "(warm-up)", "invoice_classic.invoice_report_classic", invoices[:1])
        measure(env, "(warm-up)", "account.account_invoices", invoices[:1])
        standard = measure(
            env, "Odoo standard invoice report", "account.account_invoices", invoices
        )
        classic = measure(
            env,
            "invoice_classic, classic layout",
            "invoice_classic.invoice_report_classic",
            invoices,
        )
        print(f"ratio (classic time / standard time, target <= 1): {classic / standard:.2f}")


if __name__ == "__main__":
    main()
