"""Benchmark: the batch one-click invoicing against Odoo's standard flow.

Creates 4 x N confirmed orders of 5 lines, then, in the same run, invoices
- N with Odoo's ``sale.order._create_invoices()`` called once per order the way a user
  clicking "Create Invoice" on each order gets it: each click is a request of its own,
  which starts from an empty cache and ends with everything written (the reference);
- N with the same calls in one loop of one transaction (a warm cache shared by all the
  orders: no user gets that, shown so that the reader sees both);
- N with invoice_classic's batch action (one invoice per order), and
- N with the batch action grouped per customer (20 customers);
prints the throughput and SQL queries of each and the ratios. Each run (``--runs``, at
least 3) does the four on new orders, one after the other, so that a change of machine load
hits all four; prints min / median / max of each and the ratios of the medians. Everything is
rolled back at the end: the database is left as it was.

Usage (on a database where invoice_classic is installed, e.g. the test database):
    python3 bench/bench_one_click.py -d invoice_classic_test [--orders 200] [--runs 3]
"""

import argparse

from common import add_runs_argument, bench_env, measured, spread

from odoo import Command

FLOWS = (
    ("standard", "Odoo standard, one click per order"),
    ("loop", "Odoo standard, per order in one warm loop"),
    ("classic", "invoice_classic, batch one-click action"),
    ("grouped", "invoice_classic, batch one-click, one per customer"),
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=200)
    add_runs_argument(parser)
    return parser.parse_args()


def create_orders(env, partners, products, count):
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partners[index % len(partners)].id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity + 1})
                    for quantity, product in enumerate(products)
                ],
            }
            for index in range(count)
        ]
    )
    orders.action_confirm()
    return orders


def run_flows(env, partners, products, count):
    """One run of the four flows on new orders: {flow: (orders per second, queries per order)}."""
    orders = {flow: create_orders(env, partners, products, count) for flow, _label in FLOWS}

    def one_click_per_order():
        for order in orders["standard"]:
            env.invalidate_all()
            order._create_invoices()
            env.flush_all()

    def one_loop():
        for order in orders["loop"]:
            order._create_invoices()

    functions = {
        "standard": one_click_per_order,
        "loop": one_loop,
        "classic": orders["classic"].action_invoice_one_click,
        "grouped": orders["grouped"].action_invoice_one_click_grouped,
    }
    result = {}
    for flow, label in FLOWS:
        elapsed, queries, _result = measured(env, functions[flow])
        result[flow] = (count / elapsed, queries / count)
        print(
            f"  {label:<50} {count / elapsed:7.1f} orders/s, {queries / count:6.1f} queries "
            "per order",
            flush=True,
        )
    assert len(orders["classic"].invoice_ids) == count
    assert len(orders["grouped"].invoice_ids) == min(len(partners), count)
    return result


def main():
    args = parse_args()
    if args.runs < 3:
        raise SystemExit("--runs: at least 3.")
    with bench_env(args.database) as env:
        # Invoiced at once, not queued for the background (above the company's threshold, 50
        # by default, the one-click action queues a job that runs this same engine by batches
        # of 50): the setting raised for the run, rolled back with the rest.
        env.company.invoice_background_threshold = args.orders
        partners = env["res.partner"].create(
            [{"name": f"Bench customer {index}"} for index in range(20)]
        )
        products = env["product.product"].create(
            [
                {"name": f"Bench service {index}", "type": "service", "list_price": 10.0 * index}
                for index in range(1, 6)
            ]
        )
        runs = []
        for run in range(args.runs):
            print(f"run {run + 1}")
            runs.append(run_flows(env, partners, products, args.orders))
        print(f"\n{args.orders} orders per flow, {args.runs} runs: min / median / max")
        medians = {}
        for flow, label in FLOWS:
            rate_low, medians[flow], rate_high = spread([run[flow][0] for run in runs])
            query_low, query_median, query_high = spread([run[flow][1] for run in runs])
            print(
                f"{label:<50} {rate_low:6.1f} / {medians[flow]:6.1f} / {rate_high:6.1f} orders/s"
                f"   {query_low:5.1f} / {query_median:5.1f} / {query_high:5.1f} queries per order"
            )
        standard = medians["standard"]
        print("ratios of the medians:")
        print(f"one invoice per order (target >= 3):        {medians['classic'] / standard:.2f}")
        print(f"one invoice per customer:                   {medians['grouped'] / standard:.2f}")
        print(
            "one invoice per order, vs the warm loop:    "
            f"{medians['classic'] / medians['loop']:.2f}"
        )


if __name__ == "__main__":
    main()
