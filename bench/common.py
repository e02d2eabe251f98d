"""What the benchmarks share: opening the database with invoice_classic on the addons path."""

import os
import time
from contextlib import contextmanager

import odoo
from odoo import api
from odoo.tools import config


@contextmanager
def bench_env(database):
    """An environment (superuser) on ``database``; everything is rolled back at the end."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    addons = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
    config.parse_config(
        [
            f"--addons-path={addons},{root}",
            f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if not env["ir.module.module"].search_count(
            [("name", "=", "invoice_classic"), ("state", "=", "installed")]
        ):
            raise SystemExit(f"invoice_classic is not installed in {database}.")
        try:
            yield env
        finally:
            cr.rollback()


def measured(env, function):
    """Run ``function`` from a cold cache, everything flushed: (seconds, SQL queries, result)."""
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = function()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, result


def add_runs_argument(parser, default=3):
    """The ``--runs`` option every benchmark has: several runs, never one figure."""
    parser.add_argument(
        "--runs",
        type=int,
        default=default,
        help=f"how many times each measure is taken (at least 3; default {default})",
    )


def spread(values):
    """``(min, median, max)`` of several runs."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        median = ordered[middle]
    else:
        median = (ordered[middle - 1] + ordered[middle]) / 2
    return ordered[0], median, ordered[-1]


def format_spread(values, unit="s", digits=2):
    """``median (min–max)`` of several runs, as the README reports them."""
    low, median, high = spread(values)
    return (
        f"{median:.{digits}f} {unit} (min {low:.{digits}f}, max {high:.{digits}f}, "
        f"{len(values)} runs)"
    )
