"""Benchmark: the PDFs of several invoices, one wkhtmltopdf process after the other or at once.

Renders the PDFs of N posted customer invoices (the demo's, and copies of them when there are
fewer) in one call (what printing several invoices, or
sending them, does) with invoice_classic's classic layout:

* one by one: one wkhtmltopdf process after the other (``invoice_classic.pdf_processes`` = 1,
  what a machine with one CPU core does);
* at once: up to one process per CPU core (the default), then twice as many (each process
  waits ``report.print_delay``, 1 s, for the page's scripts, a wait that takes no CPU);
* Odoo's standard rendering: all the invoices in one wkhtmltopdf call, Odoo's own
  ``_run_wkhtmltopdf``, which the wkhtmltopdf with patched Qt handles and Debian's does not
  (it then says why, with no time);
* Odoo's invoice report (account.account_invoices), at once, for comparison.

Each measure is taken ``--runs`` times: median, min and max. The PDFs of one by one and at
once are checked to have the same pages and the same text. Nothing is stored: the transaction
is rolled back.

wkhtmltopdf loads the report CSS over HTTP: start Odoo on the database first (scripts/run.sh) and
pass its --url, else the reports render unstyled (still comparable).

Usage (on a database with invoice_classic and its demo data, e.g. the one of scripts/run.sh):
    python3 bench/bench_invoice_pdf.py -d invoice_classic_demo [--invoices 20] [--runs 3]
        [--url http://127.0.0.1:8069]
"""

import argparse
import io
import os
import time

from common import add_runs_argument, bench_env, format_spread, spread

from odoo.tools.pdf import OdooPdfFileReader

from odoo.addons.base.models.ir_actions_report import IrActionsReport as OdooReport

CLASSIC = "invoice_classic.invoice_report_classic"
ODOO_REPORT = "account.account_invoices"
PROCESSES_PARAM = "invoice_classic.pdf_processes"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--invoices", type=int, default=20)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    add_runs_argument(parser)
    return parser.parse_args()


def pages_text(pdf):
    reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
    return [page.extract_text() for page in reader.pages]


def render(env, invoices, processes, report=CLASSIC):
    """The seconds it took and the merged PDF of ``invoices``, ``processes`` at once."""
    env["ir.config_parameter"].set_param(PROCESSES_PARAM, str(processes))
    env.invalidate_all()
    reports = env["ir.actions.report"].with_context(force_report_rendering=True)
    start = time.perf_counter()
    pdf = reports._render_qweb_pdf(report, invoices.ids)[0]
    return time.perf_counter() - start, pdf


def render_odoo_standard(env, invoices):
    """Odoo's own rendering of several records: one wkhtmltopdf call for all their documents.
    ``(seconds, None)``, or ``(None, why)`` when that wkhtmltopdf cannot."""
    reports = env["ir.actions.report"].with_context(force_report_rendering=True)
    report = reports._get_report(CLASSIC)
    env.invalidate_all()
    start = time.perf_counter()
    html = reports._render_qweb_html(CLASSIC, invoices.ids, data={"report_type": "pdf"})[0]
    bodies, _ids, header, footer, args = report._prepare_html(html, report_model=report.model)
    try:
        pdf = OdooReport._run_wkhtmltopdf(
            reports,
            bodies,
            report_ref=CLASSIC,
            header=header,
            footer=footer,
            specific_paperformat_args=args,
        )
    except Exception as error:  # noqa: BLE001 - whatever Odoo raises, it is the answer
        return None, str(error).splitlines()[0]
    elapsed = time.perf_counter() - start
    if not pdf.startswith(b"%PDF"):
        return None, "wkhtmltopdf wrote no PDF (Debian's build: one document per call)"
    return elapsed, None


def main():
    args = parse_args()
    cores = os.cpu_count() or 1
    with bench_env(args.database) as env:
        env["ir.config_parameter"].set_param("report.url", args.url)
        invoices = env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("state", "=", "posted")], limit=args.invoices
        )
        if not invoices:
            raise SystemExit(
                f"No posted customer invoice in {args.database}: install the demo data."
            )
        while len(invoices) < args.invoices:  # copies of them, posted (rolled back at the end)
            copies = invoices[: args.invoices - len(invoices)].copy()
            copies.action_post()
            invoices |= copies
        # Warm up (templates compiled, assets built) so that no measure pays for it.
        render(env, invoices[:2], cores)
        render(env, invoices[:2], cores, ODOO_REPORT)
        settings = {"one by one": 1, f"at once, {cores} processes": cores}
        settings[f"at once, {2 * cores} processes"] = 2 * cores
        times = {label: [] for label in settings}
        odoo_report, standard, why = [], [], None
        for _run in range(args.runs):
            pdfs = {}
            for label, processes in settings.items():
                elapsed, pdfs[label] = render(env, invoices, processes)
                times[label].append(elapsed)
            reference = pages_text(pdfs["one by one"])
            for label, pdf in pdfs.items():
                assert pages_text(pdf) == reference, f"{label}: not the same PDF as one by one"
            odoo_report.append(render(env, invoices, cores, ODOO_REPORT)[0])
            elapsed, why = render_odoo_standard(env, invoices)
            if elapsed is not None:
                standard.append(elapsed)

    print(
        f"{len(invoices)} invoices ({len(reference)} pages), classic layout, {cores} CPU cores,"
        f" {args.runs} runs: median (min, max)"
    )
    for label, values in times.items():
        each = spread(values)[1] / len(invoices)
        print(f"  {label:<28} {format_spread(values)}, {each:.2f} s an invoice")
    print(f"  {'Odoo standard, one call':<28} " + (format_spread(standard) if standard else why))
    print(f"  {'Odoo invoice report, at once':<28} {format_spread(odoo_report)}")
    one_by_one = spread(times["one by one"])[1]
    for label, values in times.items():
        if label != "one by one":
            print(f"  speed-up, {label}: x{one_by_one / spread(values)[1]:.2f}")


if __name__ == "__main__":
    main()
