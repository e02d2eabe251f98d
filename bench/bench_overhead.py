"""Benchmark: what invoice_classic costs Odoo's own invoicing flows when none of its actions runs.

In the same run, on two databases set up the same way (a French company on Odoo's French chart,
French business customers with an e-mail address, 3-line confirmed sale orders; all made by
this script, no demo data), times Odoo's own flows, one click per document as a user does them:
each click starts from an empty cache and ends with everything written, like a request of its own:
- create invoices: ``sale.order._create_invoices()`` on each of N confirmed orders (the
  "Create Invoice" button);
- post: ``action_post()`` on each invoice (the "Confirm" button);
- register payment: Odoo's ``account.payment.register`` wizard on each invoice, nothing typed
  (the "Pay" button, then "Create Payment");
- send: Odoo's ``account.move.send.wizard`` on each invoice, its defaults (the "Send" button,
  then "Send"): the invoice PDF rendered by wkhtmltopdf (a real PDF on both sides: the script does
  not run in Odoo's test mode, where reports are rendered as HTML), its Factur-X XML, the e-mail
  queued (nothing leaves the machine). Each database uses its own invoice report (Odoo's, or the
  layout invoice_classic gives a new company). wkhtmltopdf fetches the report CSS from
  ``--report-url``: by default an address where nothing answers, so that neither side waits
  for a server (the PDFs are unstyled on both sides, still comparable).
The two databases are:
- one with only invoice_classic's dependencies (the reference; created the first time, without
  demo data: ``common.ensure_database``), and
- one with invoice_classic (``-d``; the same is created without demo data if it is missing).
The two databases take turns at every click (deps then addon, then addon then deps...), so that
a change of machine load hits both. Each run (``--runs``, at least 3) is a transaction of its own
in each database: the set-up, a warm-up, then the four flows on new orders; it is rolled back and
the databases vacuumed before the next, so that every run starts from the same tables (undoing a
run with a savepoint instead left its dead rows in the indexes: each run was slower than the one
before). Prints, per flow, min / median / max of the time and of the SQL queries of each database,
and the ratio invoice_classic / dependencies of the medians. Both databases are left as they were.

Usage:
    python3 bench/bench_overhead.py [-d invoice_classic_bench_addon]
        [--base-database invoice_classic_bench_deps] [--orders 50] [--runs 3]
"""

import argparse
import functools
from contextlib import ExitStack

from common import (
    DEPS_DATABASE,
    add_runs_argument,
    addon_dependencies,
    bench_env,
    ensure_database,
    french_company,
    french_customers,
    measured,
    spread,
    vacuum,
)

from odoo import Command

FLOWS = ("create invoices", "post", "register payment", "send by e-mail")
SIDES = (("deps", "dependencies only"), ("addon", "with invoice_classic"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", default="invoice_classic_bench_addon")
    parser.add_argument("--base-database", default=DEPS_DATABASE)
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument(
        "--report-url",
        default="http://127.0.0.1:9",
        help="where wkhtmltopdf fetches the report CSS (default: nowhere, unstyled PDFs)",
    )
    add_runs_argument(parser)
    return parser.parse_args()


def set_up(env, report_url):
    """The company, customers and products, the same in either database; returns the
    environment of the administrator (a real user, not the superuser) working in it."""
    env["ir.config_parameter"].set_param("report.url", report_url)
    admin = env.ref("base.user_admin")
    env = french_company(env(user=admin))
    # Odoo makes the warehouse of a new company only in its tests; a user makes it by hand.
    env["stock.warehouse"].create({"name": "Lyon", "code": "LYO", "company_id": env.company.id})
    customers = french_customers(env, 10)
    chart = env["account.chart.template"]
    tax_20, tax_55 = chart.ref("tva_normale"), chart.ref("tva_reduite")
    products = env["product.product"].create(
        [
            {
                "name": name,
                "type": kind,
                "list_price": price,
                "invoice_policy": "order",
                "taxes_id": [Command.set(taxes.ids)],
            }
            for name, kind, price, taxes in (
                ("Desk lamp", "consu", 45.5, tax_20),
                ("Cookbook", "consu", 19.9, tax_55),
                ("Installation", "service", 80.0, tax_20),
            )
        ]
    )
    return env, customers, products


def confirmed_orders(env, customers, products, count):
    """``count`` confirmed orders of 3 lines (2 goods, 1 service), invoiced on ordered
    quantities."""
    orders = env["sale.order"].create(
        [
            {
                "partner_id": customers[index % len(customers)].id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity + 1})
                    for quantity, product in enumerate(products)
                ],
            }
            for index in range(count)
        ]
    )
    orders.action_confirm()
    env.flush_all()
    return orders


def register_payment(invoice):
    wizard = (
        invoice.env["account.payment.register"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({})
    )
    wizard.action_create_payments()


def send(invoice):
    wizard = (
        invoice.env["account.move.send.wizard"]
        .with_context(active_model="account.move", active_ids=invoice.ids)
        .create({})
    )
    assert wizard.sending_methods == ["email"], wizard.sending_methods
    wizard.action_send_and_print()


def invoices_of(orders):
    return orders.invoice_ids.sorted("id")


# flow: (the records clicked, the click, what must hold after the clicks)
FLOW_CLICKS = {
    "create invoices": (
        lambda orders: orders,
        lambda order: order._create_invoices(),
        lambda orders: len(orders.invoice_ids) == len(orders),
    ),
    "post": (
        invoices_of,
        lambda invoice: invoice.action_post(),
        lambda orders: set(orders.invoice_ids.mapped("state")) == {"posted"},
    ),
    "register payment": (
        invoices_of,
        register_payment,
        lambda orders: set(orders.invoice_ids.mapped("payment_state")) <= {"paid", "in_payment"},
    ),
    "send by e-mail": (
        invoices_of,
        send,
        lambda orders: (
            all(orders.invoice_ids.mapped("is_move_sent"))
            and all(orders.invoice_ids.mapped("invoice_pdf_report_id"))
        ),
    ),
}


def run_flows(data, count, flows=FLOWS):
    """One run of ``flows`` on ``count`` new orders in each database, click by click, the
    databases taking turns at every click (and which goes first, too): a change of machine
    load hits both. Returns {side: {flow: (seconds, queries)}}."""
    orders = {side: confirmed_orders(*data[side], count) for side in data}
    result = {side: {} for side in data}
    for flow in flows:
        records_of, click, check = FLOW_CLICKS[flow]
        records = {side: records_of(orders[side]) for side in data}
        totals = {side: [0.0, 0] for side in data}
        for index in range(count):
            for side in list(data)[:: 1 if index % 2 else -1]:
                seconds, queries, _result = measured(
                    data[side][0], functools.partial(click, records[side][index])
                )
                totals[side][0] += seconds
                totals[side][1] += queries
        for side in data:
            assert check(orders[side]), f"{flow}: not done in {side}"
            result[side][flow] = tuple(totals[side])
    return result


def report(count, measures):
    """The table: per flow and database, min / median / max; the ratio of the medians."""
    print(
        f"\n{count} documents per flow, {len(measures['deps'])} runs per database "
        "(time in ms per document, SQL queries per document)"
    )
    header = f"{'flow':<18} {'database':<22} {'time min / median / max':>28} {'queries':>26}"
    print(header)
    print("-" * len(header))
    for flow in FLOWS:
        medians = {}
        for side, label in SIDES:
            times = [run[flow][0] * 1000 / count for run in measures[side]]
            queries = [run[flow][1] / count for run in measures[side]]
            low, median, high = spread(times)
            qlow, qmedian, qhigh = spread(queries)
            medians[side] = (median, qmedian)
            print(
                f"{flow:<18} {label:<22} {low:8.1f} / {median:7.1f} / {high:7.1f}"
                f"   {qlow:7.1f} / {qmedian:6.1f} / {qhigh:6.1f}"
            )
        time_ratio = medians["addon"][0] / medians["deps"][0]
        query_ratio = medians["addon"][1] / medians["deps"][1]
        print(
            f"{flow:<18} {'addon / deps':<22} {'time x':>19}{time_ratio:.3f}"
            f" ({(time_ratio - 1) * 100:+.1f} %)   queries x{query_ratio:.3f}"
            f" ({(query_ratio - 1) * 100:+.1f} %)"
        )


def main():
    args = parse_args()
    if args.runs < 3:
        raise SystemExit("--runs: at least 3.")
    ensure_database(args.base_database, addon_dependencies())
    ensure_database(args.database, ["invoice_classic"])
    databases = {"deps": args.base_database, "addon": args.database}
    measures = {side: [] for side in databases}
    for run in range(args.runs):
        with ExitStack() as stack:  # each run a transaction of its own, rolled back
            envs = {
                side: stack.enter_context(bench_env(database, addon=side == "addon"))
                for side, database in databases.items()
            }
            data = {side: set_up(env, args.report_url) for side, env in envs.items()}
            run_flows(data, 2)  # warm-up (templates compiled, report assets built): not measured
            result = run_flows(data, args.orders)
        for database in databases.values():
            vacuum(database)  # the next run from the same tables
        for side, label in SIDES:
            measures[side].append(result[side])
            flows = ", ".join(
                f"{flow} {seconds:.2f} s/{queries}q"
                for flow, (seconds, queries) in result[side].items()
            )
            print(f"run {run + 1}, {label}: {flows}", flush=True)
    report(args.orders, measures)


if __name__ == "__main__":
    main()
