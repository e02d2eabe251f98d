"""Benchmark: the live preview of an invoice being edited, rendered server-side.

Creates a draft customer invoice of N lines (20 by default), then renders its live preview
with an unsaved edit, as the form sends it (10 % off the whole invoice, with the discount line
its onchange adds, and one quantity changed), in each invoice layout: each render from a cold
record cache (as a new request), templates compiled once before (as on a running server).
Prints the time and SQL queries of each render: median, min and max of --runs runs. Nothing
is written; everything is rolled back at the end.

Usage (on a database with invoice_classic, e.g. the one of scripts/run.sh):
    python3 bench/bench_preview.py -d invoice_classic_demo [--lines 20] [--runs 5]
"""

import argparse

from common import add_runs_argument, bench_env, format_spread, measured, spread

from odoo import Command

TARGET_MS = 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", type=int, default=20)
    add_runs_argument(parser, default=5)
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs: at least 3")
    return args


def create_invoice(env, lines):
    customer = env["res.partner"].create({"name": "Bench Preview Customer", "lang": "fr_FR"})
    tax = env.company.account_sale_tax_id
    return env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": f"Prestation {index + 1}",
                        "quantity": 1 + index % 3,
                        "price_unit": 100.0 + index,
                        "tax_ids": [Command.set(tax.ids)],
                    }
                )
                for index in range(lines)
            ],
        }
    )


def form_values(invoice):
    """What the form sends after the edit: the changed fields, the changed line, and the
    discount line its onchange added."""
    edit = {"global_discount_type": "percent", "global_discount_percent": 10.0}
    changed_line = invoice.invoice_line_ids[2]
    commands = [Command.update(changed_line.id, {"quantity": changed_line.quantity + 1})]
    edited = invoice.new({**edit, "invoice_line_ids": commands}, origin=invoice)
    for index, (key, values) in enumerate(edited._get_needed_discount_lines().items()):
        line = {"display_type": "product", "classic_line_type": "discount", **values}
        commands.append((Command.CREATE, f"virtual_{index}", {**line, "sequence": key["sequence"]}))
    return {**edit, "invoice_line_ids": commands}


def main():
    args = parse_args()
    with bench_env(args.database) as env:
        invoice = create_invoice(env, args.lines)
        values = form_values(invoice)
        moves = env["account.move"]
        layouts = moves._get_preview_layouts()
        print(
            f"Live preview of a {args.lines}-line draft invoice, an unsaved edit, {args.runs} runs"
        )
        medians = {}
        for layout in layouts:
            moves.get_invoice_preview_html(invoice.id, values, layout.id)  # warm-up
            times, queries = [], []
            for _run in range(args.runs):
                elapsed, count, result = measured(
                    env,
                    lambda lay=layout: moves.get_invoice_preview_html(invoice.id, values, lay.id),
                )
                assert f"Prestation {args.lines}" in result["html"]
                times.append(elapsed * 1000)
                queries.append(count)
            medians[layout.name] = spread(times)[1]
            print(
                f"{layout.name:<24} {format_spread(times, unit='ms', digits=0)}, "
                f"{spread(queries)[1]:.0f} queries"
            )
        default = moves._get_preview_layout(invoice, False)
        verdict = "met" if medians[default.name] <= TARGET_MS else "NOT met"
        print(
            f"target: median <= {TARGET_MS} ms with the invoice's own layout ({default.name}): "
            f"{verdict}"
        )


if __name__ == "__main__":
    main()
