"""Benchmark: background invoicing run by Odoo's own workers, on a copy of a database.

Copies the database (and its filestore), creates N confirmed orders of 5 service lines for
20 customers in the copy (committed), then starts Odoo on the copy with
``--workers=2 --max-cron-threads=2`` on 127.0.0.1 (a free port) and, through JSON-RPC as
the administrator, clicks "Create Invoices" on all the orders: above the company's
threshold (50 by default) that queues one invoicing job and wakes the scheduled action up.
It clicks a second time (refused: the orders are queued), optionally kills the cron worker
half way (``--kill-after``: SIGKILL of the worker in a transaction once that many orders
are invoiced; Odoo's master starts another, which resumes), waits until the job is done,
stops Odoo and checks, in the database, that every order has exactly one invoice.
Prints what it saw. The copy is dropped at the end (``--keep`` keeps it).

Usage (on a database where invoice_classic is installed):
    python3 bench/bench_invoicing_workers.py -d ic_base [--orders 200] [--kill-after 60]
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import psutil
from common import bench_env

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

PASSWORD = "bench-invoicing-workers"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True, help="the database copied")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument(
        "--kill-after",
        type=int,
        default=0,
        help="kill the cron worker once this many orders are handled (0: never)",
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds to wait for the job")
    parser.add_argument("--keep", action="store_true", help="keep the copy of the database")
    return parser.parse_args()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_database(source, copy):
    subprocess.run(["dropdb", "--if-exists", copy], check=True)
    subprocess.run(["createdb", "-T", source, copy], check=True)
    filestore = config.filestore(source)
    if os.path.isdir(filestore):
        shutil.rmtree(config.filestore(copy), ignore_errors=True)
        shutil.copytree(filestore, config.filestore(copy))


def drop_database(copy):
    odoo.modules.registry.Registry.delete(copy)
    odoo.sql_db.close_db(copy)
    subprocess.run(["dropdb", "--if-exists", copy], check=True)
    shutil.rmtree(config.filestore(copy), ignore_errors=True)


def create_orders(env, count):
    """Confirmed orders of 5 service lines for 20 customers, committed; the administrator's
    password set for the JSON-RPC calls. :return: (order ids, the company's threshold)"""
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {index}"} for index in range(20)]
    )
    products = env["product.product"].create(
        [
            {"name": f"Bench service {index}", "type": "service", "list_price": 10.0 * index}
            for index in range(1, 6)
        ]
    )
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
    admin = env.ref("base.user_admin")
    admin.password = PASSWORD
    threshold = admin.company_id.invoice_background_threshold
    env.cr.commit()
    return orders.ids, threshold


@contextmanager
def new_env(registry):
    """A superuser environment in a transaction of its own, rolled back at the end."""
    with registry.cursor() as cr:
        try:
            yield api.Environment(cr, SUPERUSER_ID, {})
        finally:
            cr.rollback()


def start_odoo(database, port, logfile):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    addons = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "addons")
    command = [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={addons},{root}",
        f"--database={database}",
        f"--db-filter=^{database}$",
        f"--db_host={os.environ.get('PGHOST', '127.0.0.1')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--workers=2",
        "--max-cron-threads=2",
        "--no-database-list",
        "--log-level=warn",
        "--log-handler=odoo.addons.base.models.ir_cron:INFO",
        f"--logfile={logfile}",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/web/webclient/version_info"
    for _attempt in range(120):
        try:
            request = urllib.request.Request(
                url, data=b"{}", headers={"Content-Type": "application/json"}
            )
            urllib.request.urlopen(request, timeout=5).read()
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None:
                raise SystemExit(f"Odoo stopped at once; see {logfile}") from None
            time.sleep(0.5)
    raise SystemExit(f"Odoo does not answer on port {port}; see {logfile}")


def stop_odoo(server):
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Rpc:
    def __init__(self, port, database):
        self.url = f"http://127.0.0.1:{port}/jsonrpc"
        self.database = database
        self.uid = self.call("common", "login", database, "admin", PASSWORD)

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": 1,
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        for attempt in range(10):  # a worker killed, or respawning, drops a request
            try:
                reply = json.loads(urllib.request.urlopen(request, timeout=120).read())
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if attempt == 9:
                    raise
                time.sleep(1)
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    def execute(self, model, method, *args):
        return self.call(
            "object", "execute_kw", self.database, self.uid, PASSWORD, model, method, list(args)
        )


def cron_worker_pids(registry, server, database):
    """The Odoo workers of ``server`` in a transaction on ``database``: the cron worker at
    work (the HTTP workers answer the requests of this script, which is waiting)."""
    children = {
        process.pid
        for process in psutil.Process(server.pid).children(recursive=True)
        if "gevent" not in process.cmdline()  # the long polling process
    }
    with new_env(registry) as env:
        env.cr.execute(
            """
            SELECT DISTINCT application_name FROM pg_stat_activity
             WHERE datname = %s AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
               AND application_name LIKE 'odoo-%%'
            """,
            [database],
        )
        pids = {int(name.removeprefix("odoo-")) for (name,) in env.cr.fetchall()}
    return sorted(pids & children)


def check(registry, order_ids, job_id):
    """Invoices per order in the database, once Odoo is stopped."""
    with new_env(registry) as env:
        orders = env["sale.order"].browse(order_ids)
        per_order = [len(order.invoice_ids) for order in orders]
        job = env["invoice.classic.invoicing.job"].browse(job_id)
        return {
            "orders": len(orders),
            "invoices": len(orders.invoice_ids),
            "doubles": sum(count > 1 for count in per_order),
            "missing": sum(count == 0 for count in per_order),
            "job_state": job.state,
            "job_lines": len(job.line_ids),
            "job_failures": job.failure_count,
            "job_invoices": len(job.invoice_ids),
        }


def wait_for_job(rpc, job_id, clicked, args, registry, server, copy):
    """Poll the job until it is done, printing its progress; kill the cron worker at work
    once ``--kill-after`` orders are handled. :return: the pids killed"""
    killed = []
    fields_read = ["state", "done_count", "document_count", "invoice_count"]
    last = None
    while True:
        job = rpc.execute("invoice.classic.invoicing.job", "read", [job_id], fields_read)[0]
        elapsed = time.perf_counter() - clicked
        if (job["state"], job["done_count"]) != last:
            last = (job["state"], job["done_count"])
            print(
                f"  {elapsed:6.1f} s  {job['state']:<8} {job['done_count']:>4}/"
                f"{job['document_count']} handled, {job['invoice_count']} invoices"
            )
        if job["state"] in ("done", "failed"):
            return killed
        if args.kill_after and not killed and job["done_count"] >= args.kill_after:
            killed = cron_worker_pids(registry, server, copy)
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            print(f"  {elapsed:6.1f} s  SIGKILL of the cron worker(s) at work: {killed}")
        if elapsed > args.timeout:
            raise SystemExit(f"the job is not done after {args.timeout} s")
        time.sleep(0.5)


def read_log(logfile):
    """What Odoo's log says: calls of the scheduled action, workers over their time limit,
    errors."""
    with open(logfile, encoding="utf-8") as log:
        lines = log.read().splitlines()
    return {
        "calls": sum(
            "Classic invoices: invoice in the background" in line and " processed " in line
            for line in lines
        ),
        "timeouts": sum("WorkerCron" in line and "timeout after" in line for line in lines),
        "errors": [
            line
            for line in lines
            if (" ERROR " in line or " CRITICAL " in line) and "timeout after" not in line
        ],
    }


def main():
    args = parse_args()
    copy = f"{args.database}_bench_workers"
    with tempfile.NamedTemporaryFile(
        prefix="bench_invoicing_workers_", suffix=".log", delete=False
    ) as log:
        logfile = log.name
    print(
        f"copy of {args.database} into {copy}; {psutil.cpu_count()} CPU cores, load average "
        f"{os.getloadavg()[0]:.1f} (Odoo's cron workers run at nice 10: a loaded machine "
        "slows them most)"
    )
    copy_database(args.database, copy)
    server = None
    try:
        with bench_env(copy) as env:
            start = time.perf_counter()
            order_ids, threshold = create_orders(env, args.orders)
            print(
                f"{len(order_ids)} confirmed orders of 5 lines created in "
                f"{time.perf_counter() - start:.1f} s (in the background above {threshold})"
            )
            port = free_port()
            server = start_odoo(copy, port, logfile)
            print(f"Odoo on 127.0.0.1:{port}, --workers=2 --max-cron-threads=2, log {logfile}")
            rpc = Rpc(port, copy)

            clicked = time.perf_counter()
            action = rpc.execute("sale.order", "action_invoice_one_click", order_ids)
            job_id = action["params"]["next"]["res_id"]
            print(
                f"click: answered in {time.perf_counter() - clicked:.2f} s: "
                f"{action['params']['message']}"
            )
            try:
                rpc.execute("sale.order", "action_invoice_one_click", order_ids)
                print("second click: ACCEPTED (unexpected)")
            except RuntimeError as error:
                print(f"second click: refused: …{str(error)[-100:]}")
            killed = wait_for_job(rpc, job_id, clicked, args, env.registry, server, copy)
            total = time.perf_counter() - clicked
            stop_odoo(server)
            server = None
            log = read_log(logfile)
            seen = check(env.registry, order_ids, job_id)
        print(
            f"job {seen['job_state']} {total:.1f} s after the click: "
            f"{seen['orders'] / total:.1f} orders/s; {log['calls']} calls of the scheduled "
            f"action (batches of 50); cron workers killed: {len(killed)} by this script, "
            f"{log['timeouts']} times by Odoo's time limit (limit_time_real_cron)"
        )
        print(
            f"orders {seen['orders']}, invoices {seen['invoices']}, doubles={seen['doubles']}, "
            f"missing={seen['missing']}; job: {seen['job_lines']} documents handled, "
            f"{seen['job_invoices']} invoices, {seen['job_failures']} not invoiced"
        )
        print(
            f"errors in Odoo's log (time limits apart): {len(log['errors'])}; load average "
            f"{os.getloadavg()[0]:.1f}"
        )
        for line in log["errors"][:5]:
            print(f"  {line[:200]}")
        if seen["doubles"] or seen["missing"]:
            raise SystemExit("FAILED: an order has no invoice, or two")
    finally:
        if server is not None:
            stop_odoo(server)
        if not args.keep:
            drop_database(copy)


if __name__ == "__main__":
    main()
