"""Benchmark: the batch one-click invoicing against Odoo's standard flow.

Creates 4 x N confirmed orders of 5 lines, then, in the same run, invoices
- N with Odoo's ``sale.order._create_invoices()`` called once per order the way a user
  clicking "Create Invoice" on each order gets it: each click is a request of its own,
  which starts from an empty cache and ends with everything written (the reference);
- N with the same calls in one loop of one transaction (a warm cache shared by all the
  orders: no user gets that, shown so that the reader sees both);
- N with invoice_classic's batch action (one invoice per order), and
- N with the batch action grouped per customer (20 customers);
prints the throughput and SQL queries of each and the ratios. Everything is rolled
back at the end: the database is left as it was.

Usage (on a database where invoice_classic is installed, e.g. the test database):
    python3 bench/bench_one_click.py -d invoice_classic_test [--orders 200]
"""

import argparse

from common import bench_env, measured

from odoo import Command


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=200)
    return parser.parse_args()


def measure(env, label, function, count):
    elapsed, queries, _result = measured(env, function)
    print(
        f"{label:<50} {count:>5} orders in {elapsed:7.2f} s = {count / elapsed:7.1f} orders/s, "
        f"{queries:>7} queries ({queries / count:.1f} per order)"
    )
    return count / elapsed


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


def main():
    args = parse_args()
    with bench_env(args.database) as env:
        partners = env["res.partner"].create(
            [{"name": f"Bench customer {index}"} for index in range(20)]
        )
        products = env["product.product"].create(
            [
                {"name": f"Bench service {index}", "type": "service", "list_price": 10.0 * index}
                for index in range(1, 6)
            ]
        )
        standard_orders = create_orders(env, partners, products, args.orders)
        loop_orders = create_orders(env, partners, products, args.orders)
        classic_orders = create_orders(env, partners, products, args.orders)
        grouped_orders = create_orders(env, partners, products, args.orders)

        def one_click_per_order():
            for order in standard_orders:
                env.invalidate_all()
                order._create_invoices()
                env.flush_all()

        def one_loop():
            for order in loop_orders:
                order._create_invoices()

        standard_rate = measure(
            env, "Odoo standard, one click per order", one_click_per_order, args.orders
        )
        loop_rate = measure(env, "Odoo standard, per order in one warm loop", one_loop, args.orders)
        classic_rate = measure(
            env,
            "invoice_classic, batch one-click action",
            classic_orders.action_invoice_one_click,
            args.orders,
        )
        grouped_rate = measure(
            env,
            "invoice_classic, batch one-click, one per customer",
            grouped_orders.action_invoice_one_click_grouped,
            args.orders,
        )
        assert len(classic_orders.invoice_ids) == args.orders
        assert len(grouped_orders.invoice_ids) == min(len(partners), args.orders)
        print(f"ratio, one invoice per order (target >= 3): {classic_rate / standard_rate:.2f}")
        print(f"ratio, one invoice per customer:            {grouped_rate / standard_rate:.2f}")
        print(f"ratio, one invoice per order, vs the warm loop: {classic_rate / loop_rate:.2f}")


if __name__ == "__main__":
    main()
