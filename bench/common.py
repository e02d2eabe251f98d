"""What the benchmarks share: the databases (with invoice_classic, or with only its
dependencies), an environment rolled back at the end, and min / median / max of several runs."""

import ast
import gc
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import odoo
from odoo import Command, api
from odoo.tools import config

ROOT = Path(__file__).resolve().parent.parent
ODOO_ADDONS = Path(odoo.__file__).resolve().parent.parent / "addons"
DEPS_DATABASE = "invoice_classic_bench_deps"
_configured = []


def _server_options(log_level="warn"):
    return [
        f"--addons-path={ODOO_ADDONS},{ROOT}",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--log-level={log_level}",
    ]


def addon_dependencies():
    """The modules invoice_classic depends on (its manifest's ``depends``)."""
    manifest = ast.literal_eval((ROOT / "invoice_classic" / "__manifest__.py").read_text())
    return manifest["depends"]


def ensure_database(name, modules):
    """Create ``name`` with ``modules`` (and what they need), without demo data, if missing.

    The reference of a comparison is a database with only invoice_classic's dependencies
    (``ensure_database(DEPS_DATABASE, addon_dependencies())``); it takes a few minutes, once.
    """
    exists = subprocess.run(
        ["psql", "-d", "postgres", "-Atc", "SELECT datname FROM pg_database"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if name in exists:
        return
    print(f"creating {name} with {', '.join(modules)}, without demo data (a few minutes, once)")
    subprocess.run(
        [sys.executable, "-m", "odoo", "-d", name, "-i", ",".join(modules)]
        + ["--without-demo=all", "--stop-after-init"]
        + _server_options(),
        check=True,
    )


@contextmanager
def bench_env(database, addon=True):
    """An environment (superuser) on ``database``; everything is rolled back at the end.

    ``addon``: invoice_classic must be installed there (True), or must not be (False: the
    dependencies-only reference).
    """
    if not _configured:
        # Once: Odoo's parser cannot run twice. Errors only: the warnings each document gives
        # (wkhtmltopdf's unsupported switches, unreachable services) would drown the figures.
        config.parse_config(_server_options(log_level="error"))
        _configured.append(True)
    registry = odoo.modules.registry.Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        installed = bool(
            env["ir.module.module"].search_count(
                [("name", "=", "invoice_classic"), ("state", "=", "installed")]
            )
        )
        if installed != addon:
            state = "is not" if addon else "is"
            raise SystemExit(f"invoice_classic {state} installed in {database}.")
        try:
            yield env
        finally:
            cr.rollback()


def vacuum(database):
    """Vacuum and analyze ``database`` (as autovacuum would, at once): a benchmark run rolled
    back leaves dead rows in the tables and their indexes, which slow the next run."""
    subprocess.run(["psql", "-d", database, "-qc", "VACUUM ANALYZE"], check=True)


@contextmanager
def undone(*envs):
    """Run the body, then undo what it wrote in each environment's transaction (a savepoint):
    each run of a benchmark starts from the same data."""
    for env in envs:
        env.flush_all()
        env.cr.execute("SAVEPOINT bench_run")
    try:
        yield
    finally:
        for env in envs:
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_run")
            env.clear()  # the cache held what was undone
            env.registry.clear_cache()


def french_company(env, name="Bench Atelier"):
    """A French company on Odoo's French chart (its 20 % and 5.5 % VAT active), set up the same
    way in every database; returns an environment of the same user working in that company."""
    # Odoo installs the modules of the company's country when a company is created (which
    # commits): not during the loading of a chart, which the context key says; the chart is
    # loaded below, and nothing is committed.
    company = (
        env["res.company"]
        .with_context(chart_template_load=True)
        .create(
            {
                "name": name,
                "country_id": env.ref("base.fr").id,
                "currency_id": env.ref("base.EUR").id,
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "vat": "FR44732829320",
                "company_registry": "73282932000009",
            }
        )
    )
    env.user.company_ids |= company
    env = env(context={**env.context, "allowed_company_ids": company.ids})
    env["account.chart.template"].try_loading("fr", company, install_demo=False)
    company.partner_id.bank_ids = [Command.create({"acc_number": "FR7630006000011234567890189"})]
    chart = env["account.chart.template"].with_company(company)
    (chart.ref("tva_normale") | chart.ref("tva_reduite")).active = True
    return env


def french_customers(env, count=1):
    """``count`` French business customers, each with an e-mail address."""
    return env["res.partner"].create(
        [
            {
                "name": f"Boulangerie Martin {index}" if count > 1 else "Boulangerie Martin",
                "is_company": True,
                "email": f"compta{index}@boulangerie.example.com",
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": env.ref("base.fr").id,
                "vat": "FR03552081317",
                "company_registry": "55208131700000",
            }
            for index in range(count)
        ]
    )


def measured(env, function):
    """Run ``function`` from a cold cache, everything flushed: (seconds, SQL queries, result).

    Python's garbage is collected first, untimed: one process holds the registries of every
    database compared, and a full collection over that heap, run wherever the allocations
    happen to cross Python's threshold, took up to a tenth of a second inside one side's
    click, the largest noise in the comparisons."""
    env.flush_all()
    env.invalidate_all()
    gc.collect()
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
