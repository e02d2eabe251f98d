"""Benchmark: the scheduled payment reminders against OCA's account_credit_control.

Creates N overdue customer invoices (10 days late) of C customers, then, in the same run, on
the same invoices:
- runs invoice_classic's scheduled reminders until done (batches of 200, one message per
  customer), then at once a second time (which must do nothing), and
- runs OCA's account_credit_control 18.0 on them: a run that generates its credit control
  lines, marks them ready, and makes and e-mails one communication per customer (its
  template without the PDF summary it attaches by default, so both send the same e-mail);
prints the time and SQL queries of each and the ratios. Each run (``--runs``, at least 3)
does both on the same invoices, each from the same start (what a run wrote is undone, a
savepoint); prints min / median / max of each and the ratios of the medians. Both queue their
e-mails (nothing leaves the machine) and nothing is committed: everything is rolled back at
the end.

The database needs both modules, e.g.:
    pip install --no-deps "odoo-addon-account_credit_control==18.0.2.0.2.6"
    python3 -m odoo -d invoice_classic_bench --db_host=127.0.0.1 \\
        --addons-path=<odoo>/addons,. -i invoice_classic,account_credit_control \\
        --without-demo=all --stop-after-init
Usage:
    python3 bench/bench_reminders.py -d invoice_classic_bench [--invoices 10000] [--customers 1000]
        [--runs 3]
"""

import argparse
from datetime import timedelta

from common import add_runs_argument, bench_env, measured, spread, undone

from odoo import Command, fields


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--customers", type=int, default=1000)
    add_runs_argument(parser)
    return parser.parse_args()


def measure(env, label, function, invoices):
    elapsed, queries, result = measured(env, function)
    print(
        f"{label:<52} {elapsed:8.2f} s {queries:>8} queries ({queries / invoices:.2f} per invoice)"
    )
    return elapsed, queries, result


def create_invoices(env, customers, count, due):
    """Posted, unpaid invoices due on ``due``, by batches of 500 (each its own create)."""
    income = env["account.account"].search(
        [("account_type", "=", "income"), ("company_ids", "in", env.company.ids)], limit=1
    )
    invoices = env["account.move"]
    for start in range(0, count, 500):
        batch = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customers[index % len(customers)].id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Prestation",
                                "price_unit": 100.0 + index % 50,
                                "account_id": income.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for index in range(start, min(start + 500, count))
            ]
        )
        batch.action_post()
        invoices |= batch
        env.flush_all()
        env.invalidate_all()
    return invoices


def classic_run(env):
    """What Odoo's cron does: call again while the last call handled a full batch."""
    run = env["invoice.classic.reminder.run"]
    batches = 0
    while True:
        handled = run._cron_send_payment_reminders()
        batches += 1
        if handled < 200:  # the last batch (a full one may be followed by an empty call)
            return batches


def setup_oca(env, receivable):
    # OCA's template attaches a PDF summary (one wkhtmltopdf run per customer): without it,
    # both send the same thing, an e-mail per customer that lists the invoices.
    template = env.ref("account_credit_control.email_template_credit_control_base").copy(
        {"report_template_ids": [Command.clear()]}
    )
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench policy",
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": "First reminder",
                        "level": 1,
                        "computation_mode": "net_days",
                        "delay_days": 7,
                        "email_template_id": template.id,
                        "channel": "email",
                        "mail_show_invoice_detail": True,
                        "custom_text": "Unless we are mistaken, these invoices are unpaid.",
                        "custom_mail_text": "<p>These invoices are unpaid.</p>",
                    }
                )
            ],
        }
    )
    env.company.credit_policy_id = policy
    return policy


def oca_run(env, policy, today):
    run = env["credit.control.run"].create({"date": today, "policy_ids": [Command.set(policy.ids)]})
    run.generate_credit_lines()
    run.set_to_ready_lines()
    run.run_channel_action()
    return run


def one_run(env, invoices, policy, today):
    """Both modules on the same overdue invoices, each from the same start: {measure: value}."""
    result = {}
    with undone(env):
        result["first"], result["first queries"], batches = measure(
            env, "invoice_classic, first run", lambda: classic_run(env), len(invoices)
        )
        result["batches"] = batches
        done = env["invoice.classic.reminder.log"].search_count(
            [("invoice_id", "in", invoices.ids)]
        )
        assert done == len(invoices), f"{done} invoices reminded out of {len(invoices)}"
        result["second"], result["second queries"], _batches = measure(
            env,
            "invoice_classic, second run (nothing to do)",
            lambda: classic_run(env),
            len(invoices),
        )
    with undone(env):
        result["oca"], result["oca queries"], run = measure(
            env,
            "OCA account_credit_control, run + e-mails",
            lambda: oca_run(env, policy, today),
            len(invoices),
        )
        assert len(run.line_ids) == len(invoices), f"OCA made {len(run.line_ids)} lines"
    return result


def main():
    args = parse_args()
    if args.runs < 3:
        raise SystemExit("--runs: at least 3.")
    with bench_env(args.database) as env:
        if "credit.control.run" not in env:
            raise SystemExit(
                f"OCA's account_credit_control is not installed in {args.database}: see "
                "this script's docstring for how to install it beside invoice_classic."
            )
        today = fields.Date.context_today(env["account.move"])
        env.company.reminder_grouping = "customer"
        if not env["invoice.classic.reminder.level"].search_count(
            [("company_id", "=", env.company.id)]
        ):
            env["invoice.classic.reminder.level"].with_context(lang="en_US")._create_default_levels(
                env.company
            )
        customers = env["res.partner"].create(
            [
                {"name": f"Bench customer {index}", "email": f"customer{index}@example.com"}
                for index in range(args.customers)
            ]
        )
        print(f"Creating {args.invoices} overdue invoices of {args.customers} customers...")
        invoices = create_invoices(env, customers, args.invoices, today - timedelta(days=10))
        policy = setup_oca(
            env,
            invoices.line_ids.account_id.filtered(
                lambda account: account.account_type == "asset_receivable"
            ),
        )
        # Statistics on the new rows, as autovacuum would have them: without them PostgreSQL
        # plans both modules' searches as if the tables were empty.
        env.flush_all()
        env.cr.execute("ANALYZE account_move, account_move_line, res_partner")
        runs = []
        for run in range(args.runs):
            print(f"run {run + 1}", flush=True)
            runs.append(one_run(env, invoices, policy, today))
        print(f"\n{args.invoices} invoices, {args.runs} runs: min / median / max")
        medians = {}
        for key, label in (
            ("first", "invoice_classic, first run"),
            ("second", "invoice_classic, second run (nothing to do)"),
            ("oca", "OCA account_credit_control, run + e-mails"),
        ):
            low, medians[key], high = spread([result[key] for result in runs])
            queries = spread([result[f"{key} queries"] for result in runs])
            print(
                f"{label:<46} {low:7.2f} / {medians[key]:7.2f} / {high:7.2f} s"
                f"   {queries[0]:>6} / {queries[1]:>8} / {queries[2]:>6} queries"
            )
        batches = runs[0]["batches"]
        print(
            f"invoice_classic: {batches} batches, "
            f"{spread([r['first queries'] for r in runs])[1] / batches:.0f} queries per batch"
        )
        second_ratio = medians["second"] / medians["first"]
        speed_ratio = medians["oca"] / medians["first"]
        print(f"second run / first run (target < 0.1):       {second_ratio:.3f}")
        print(f"invoice_classic speed / OCA's (target > 1):    {speed_ratio:.2f}")


if __name__ == "__main__":
    main()
