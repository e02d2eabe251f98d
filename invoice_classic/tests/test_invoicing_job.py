import json

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import InvoiceClassicCommon


class WorkerKilled(Exception):
    """A worker dying half way through a batch (the database rolls its transaction back)."""


class InvoicingJobCommon(InvoiceClassicCommon):
    """The company invoices at most 3 documents at once, more in the background."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.invoice_background_threshold = 3
        cls.cron = cls.env.ref("invoice_classic.ir_cron_invoicing_jobs")
        cls.jobs = cls.env["invoice.classic.invoicing.job"]
        cls.engine = cls.env["invoice.classic.invoicing.job.run"]

    def _orders(self, count, partner=None, confirm=False):
        """``count`` orders of one logo design each."""
        return self.env["sale.order"].concat(
            *(
                self._create_order([(self.design, 1.0)], partner=partner, confirm=confirm)
                for _index in range(count)
            )
        )

    def _job(self, action):
        """The job the action of a click queued (it opens it after its notification)."""
        self.assertEqual(action["tag"], "display_notification")
        following = action["params"]["next"]
        self.assertEqual(following["res_model"], "invoice.classic.invoicing.job")
        return self.jobs.browse(following["res_id"])

    def _run_cron(self):
        """The scheduled action, called again while jobs remain, as Odoo's runner does."""
        for _call in range(20):
            self.cron.method_direct_trigger()
            if not self.jobs.search_count([("state", "in", ("queued", "running"))]):
                return
        raise AssertionError("the jobs do not end")

    def _toasts(self):
        """The browser notifications sent in this transaction."""
        values = self.env.cr.precommit.data.get("bus.bus.values", [])
        messages = [json.loads(value["message"]) for value in values]
        return [m["payload"] for m in messages if m["type"] == "simple_notification"]


@tagged("post_install", "-at_install")
class TestInvoicingJob(InvoicingJobCommon):
    def test_at_most_the_threshold_invoices_at_once(self):
        orders = self._orders(3)
        action = orders.action_invoice_one_click()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(len(orders.invoice_ids), 3)
        self.assertFalse(self.jobs.search([]))

    def test_above_the_threshold_a_job_invoices_in_the_background(self):
        quotations = self._orders(3)
        confirmed = self._orders(1, confirm=True)
        orders = quotations | confirmed
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).unlink()

        action = orders.action_invoice_one_click()

        job = self._job(action)
        self.assertEqual(
            action["params"]["message"],
            "4 sales orders are queued for invoicing in the background: you will be notified "
            "when they are invoiced.",
        )
        self.assertEqual(action["params"]["next"]["views"], [(False, "form")])
        self.assertEqual(job.sale_order_ids, orders)
        self.assertEqual((job.kind, job.per_customer, job.state), ("orders", False, "queued"))
        self.assertEqual(job.user_id, self.env.user)
        self.assertEqual(job.company_id, self.env.company)
        self.assertEqual((job.document_count, job.done_count, job.progress), (4, 0, 0.0))
        self.assertEqual(
            job._creation_message(), "4 documents queued for invoicing in the background"
        )
        self.assertFalse(orders.invoice_ids, "nothing invoiced in the request")
        self.assertEqual(set(quotations.mapped("state")), {"draft"})
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]),
            "the scheduled action is woken up",
        )

        self._run_cron()

        self.assertEqual(job.state, "done")
        self.assertTrue(job.date_done)
        self.assertEqual(set(quotations.mapped("state")), {"sale"})
        self.assertEqual([len(order.invoice_ids) for order in orders], [1, 1, 1, 1])
        self.assertEqual(job.invoice_ids, orders.invoice_ids)
        self.assertEqual(set(job.line_ids.mapped("state")), {"invoiced"})
        self.assertEqual(
            (job.document_count, job.done_count, job.failure_count, job.invoice_count),
            (4, 4, 0, 4),
        )
        self.assertEqual(job.progress, 100.0)
        # The user is told, in the inbox (a note on the job) and in the browser.
        note = job.message_ids[0]
        self.assertEqual(note.partner_ids, self.env.user.partner_id)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        summary = (
            f"{job.display_name} is done: 4 of 4 documents invoiced (4 invoices created), "
            "0 not invoiced."
        )
        self.assertIn(summary, note.body)
        for invoice in orders.invoice_ids:
            self.assertIn(
                f'data-oe-id="{invoice.id}">Draft Invoice ({invoice.invoice_origin})', note.body
            )
        self.assertEqual(
            self._toasts(),
            [
                {
                    "type": "success",
                    "title": "Background invoicing done",
                    "message": summary,
                    "sticky": True,
                }
            ],
        )
        # The job opens its invoices and its orders.
        self.assertEqual(
            set(job.action_view_invoices()["domain"][0][2]), set(orders.invoice_ids.ids)
        )
        documents = job.action_view_documents()
        self.assertEqual(
            (documents["res_model"], documents["name"]), ("sale.order", "Sales Orders")
        )
        self.assertEqual(documents["domain"], [("id", "in", job.sale_order_ids.ids)])

    def test_failures_are_listed_with_their_reason_and_the_others_invoiced(self):
        good = self._orders(2)
        cancelled = self._orders(1)
        cancelled._action_cancel()
        invoiced = self._orders(1, confirm=True)
        invoiced._invoice_one_click()
        former = self.env["res.partner"].create({"name": "Ancien client"})
        archived = self._orders(1, partner=former)
        former.action_archive()
        orders = good | cancelled | invoiced | archived

        job = self._job(orders.action_invoice_one_click())
        self._run_cron()

        self.assertEqual(job.state, "done")
        self.assertEqual([len(order.invoice_ids) for order in good], [1, 1])
        self.assertEqual(len(invoiced.invoice_ids), 1, "not invoiced twice")
        self.assertFalse((cancelled | archived).invoice_ids)
        reasons = {line.sale_order_id: line.reason for line in job.failure_ids}
        self.assertEqual(
            reasons,
            {
                cancelled: f"{cancelled.name} is cancelled: it cannot be invoiced.",
                invoiced: f"{invoiced.name} is already fully invoiced.",
                archived: f"The customer Ancien client of {archived.name} is archived: "
                "restore it before invoicing.",
            },
        )
        self.assertEqual((job.done_count, job.failure_count, job.invoice_count), (5, 3, 2))
        note = job.message_ids[0]
        self.assertIn(
            "is done: 2 of 5 documents invoiced (2 invoices created), 3 not invoiced.", note.body
        )
        self.assertIn(f"{cancelled.name}</a>: {cancelled.name} is cancelled", note.body)
        self.assertEqual(self._toasts()[0]["type"], "warning")

    def test_a_job_that_invoices_nothing_failed(self):
        """Every order was invoiced meanwhile: Odoo refuses the batch (nothing to invoice),
        then each order on its own, with its reason."""
        orders = self._orders(4, confirm=True)
        job = self._job(orders.action_invoice_one_click())
        orders._invoice_one_click()  # by hand, meanwhile: a sudden rush

        self._run_cron()

        self.assertEqual(job.state, "failed")
        self.assertFalse(job.invoice_ids)
        self.assertEqual([len(order.invoice_ids) for order in orders], [1, 1, 1, 1])
        self.assertEqual(
            job.failure_ids.mapped("reason"),
            [f"{order.name} is already fully invoiced." for order in orders.sorted("id")],
        )
        summary = f"{job.display_name} failed: none of its 4 documents could be invoiced."
        self.assertIn(summary, job.message_ids[0].body)
        self.assertEqual(
            [(toast["type"], toast["title"], toast["message"]) for toast in self._toasts()],
            [("danger", "Background invoicing failed", summary)],
        )

    def test_clicking_twice_is_refused(self):
        orders = self._orders(5)
        job = self._job(orders[:4].action_invoice_one_click())
        with self.assertRaises(UserError) as refused:
            orders[:4].action_invoice_one_click()
        self.assertEqual(
            str(refused.exception),
            f"{', '.join(orders[:4].mapped('name'))}: already queued for invoicing in the "
            f"background ({job.display_name}). Unselect them, or wait until the job is done.",
        )
        with self.assertRaisesRegex(UserError, f"^{orders[0].name}: already queued"):
            (orders[:1] | self._orders(3)).action_invoice_one_click_grouped()
        self.assertEqual(self.jobs.search([]), job, "a single job")
        self.assertFalse(orders.invoice_ids)
        # At most the threshold, a click invoices at once; the job leaves that order.
        orders[0].action_invoice_one_click()

        self._run_cron()

        self.assertEqual([len(order.invoice_ids) for order in orders[:4]], [1, 1, 1, 1])
        self.assertEqual(
            job.failure_ids.mapped("reason"), [f"{orders[0].name} is already fully invoiced."]
        )
        # Once done, its orders may be queued again: each is listed as invoiced already.
        job = self._job(orders.action_invoice_one_click())
        self._run_cron()
        self.assertEqual((job.state, len(orders[4].invoice_ids)), ("done", 1))
        self.assertEqual(
            job.failure_ids.mapped("reason"),
            [f"{order.name} is already fully invoiced." for order in orders[:4]],
        )

    def test_batches_report_their_progress_and_a_killed_one_is_done_again(self):
        orders = self._orders(5)
        job = self._job(orders.action_invoice_one_click())
        cron, progress = self.cron._add_progress()
        run = cron.env["invoice.classic.invoicing.job.run"]

        self.assertEqual(run._cron_process_jobs(batch_size=2), 2)

        self.assertEqual((progress.done, progress.remaining), (2, 3))
        self.assertEqual((job.state, job.done_count, job.progress), ("running", 2, 40.0))
        self.assertEqual(len(job.invoice_ids), 2)
        # The next call dies half way: nothing of it stays.
        with self.assertRaises(WorkerKilled), self.env.cr.savepoint():
            self.assertEqual(run._cron_process_jobs(batch_size=2), 2)
            self.assertEqual(len(job.invoice_ids), 4)
            raise WorkerKilled
        self.assertEqual((job.done_count, len(job.invoice_ids)), (2, 2))
        self.assertEqual(len(orders.invoice_ids), 2)

        for _call in range(3):
            run._cron_process_jobs(batch_size=2)

        self.assertEqual(job.state, "done")
        self.assertEqual([len(order.invoice_ids) for order in orders], [1, 1, 1, 1, 1])
        self.assertEqual(job.line_ids.sale_order_id, orders)
        self.assertEqual(len(job.line_ids), 5)

    def test_one_invoice_per_customer_across_batches(self):
        """A customer's orders go in the same batch, for its one invoice."""
        first = other = self.env["sale.order"]
        for _index in range(3):
            first |= self._orders(1)
            other |= self._orders(1, partner=self.partner_b)
        job = self._job((first | other).action_invoice_one_click_grouped())
        self.assertTrue(job.per_customer)

        self.assertEqual(self.engine._cron_process_jobs(batch_size=2), 6, "two customers whole")

        self.assertEqual(job.state, "done")
        self.assertEqual(len(first.invoice_ids), 1)
        self.assertEqual(first.invoice_ids.amount_untaxed, 3 * 500.0)
        self.assertEqual(len(other.invoice_ids), 1)
        self.assertEqual(job.invoice_ids, first.invoice_ids | other.invoice_ids)

    def test_one_invoice_per_customer_one_batch_per_customer(self):
        first = self._orders(3)
        other = self._orders(3, partner=self.partner_b)
        job = self._job((first | other).action_invoice_one_click_grouped())

        self.assertEqual(self.engine._cron_process_jobs(batch_size=1), 3)
        self.assertEqual(job.invoice_ids, first.invoice_ids)
        self.assertEqual(self.engine._cron_process_jobs(batch_size=1), 3)

        self.assertEqual(job.state, "done")
        self.assertEqual((len(first.invoice_ids), len(other.invoice_ids)), (1, 1))

    def test_transfers_in_the_background(self):
        """Each delivery gets its invoice; one whose goods the order invoiced meanwhile is
        listed with Odoo's reason (the batch fails, then each transfer is invoiced alone)."""
        orders = self.env["sale.order"].concat(
            *(self._create_order([(self.chair, 2.0)], confirm=True) for _index in range(4))
        )
        for order in orders:
            self._deliver(order.picking_ids)
        deliveries = orders.picking_ids
        job = self._job(deliveries.action_invoice_one_click())
        self.assertEqual(job.kind, "pickings")
        orders[0]._invoice_one_click()  # the order, invoiced meanwhile

        self._run_cron()

        self.assertEqual(job.state, "done")
        invoiced = deliveries - orders[0].picking_ids
        for delivery in invoiced:
            self.assertEqual(len(delivery.invoice_ids), 1)
            self.assertEqual(delivery.invoice_ids.picking_ids, delivery)
        self.assertEqual(job.invoice_ids, invoiced.invoice_ids)
        self.assertEqual(len(orders[0].invoice_ids), 1, "not invoiced twice")
        self.assertEqual(job.failure_ids.picking_id, orders[0].picking_ids)
        self.assertIn("Nothing is left to invoice for", job.failure_ids.reason)
        documents = job.action_view_documents()
        self.assertEqual(
            (documents["res_model"], documents["name"]), ("stock.picking", "Transfers")
        )

    def test_transfers_grouped_per_customer_from_the_list_action(self):
        orders = self.env["sale.order"].concat(
            *(self._create_order([(self.chair, 1.0)], confirm=True) for _index in range(4))
        )
        for order in orders:
            self._deliver(order.picking_ids)
        deliveries = orders.picking_ids
        action = (
            self.env.ref("invoice_classic.stock_picking_action_invoice_one_click_grouped")
            .with_context(active_model="stock.picking", active_ids=deliveries.ids)
            .run()
        )
        self.assertEqual(
            action["params"]["message"],
            "4 transfers are queued for invoicing in the background: you will be notified "
            "when they are invoiced.",
        )
        job = self._job(action)

        self._run_cron()

        self.assertEqual(job.state, "done")
        self.assertEqual(len(deliveries.invoice_ids), 1, "one invoice for the customer")
        self.assertEqual(deliveries.invoice_ids.picking_ids, deliveries)

    def test_the_job_invoices_as_the_user_who_queued_it(self):
        billing = new_test_user(
            self.env,
            login="facturation",
            groups="account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        orders = self._orders(4, confirm=True)
        job = self._job(orders.with_user(billing).action_invoice_one_click())
        self.assertEqual(job.with_user(billing).state, "queued", "the user reads the job")

        self._run_cron()

        self.assertEqual(job.user_id, billing)
        self.assertEqual(orders.invoice_ids.create_uid, billing)
        self.assertEqual(job.message_ids[0].partner_ids, billing.partner_id)
        self.assertEqual(len(job.with_user(billing).failure_ids), 0)

    def test_the_note_is_in_the_language_of_the_user(self):
        """The invoices are named in the user's language in the note, even when their name
        was computed in the customer's earlier in the transaction: Odoo caches an invoice's
        display_name whatever the language."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account"], ["fr_FR"])
        self.assertEqual(self.env.user.lang, "en_US")
        orders = self._orders(4, confirm=True)
        job = self._job(orders.action_invoice_one_click())
        self._run_cron()
        invoices = job.invoice_ids
        self.assertEqual(len(invoices), 4)
        # The names in the cache, in French (as a French customer's invoice may leave them,
        # computed in the customer's language).
        invoices.invalidate_recordset(["display_name"])
        self.assertEqual(
            set(invoices.with_context(lang="fr_FR").mapped("display_name")), {"Facture brouillon"}
        )

        self.engine._notify_user(job)

        note = job.message_ids[0]
        for invoice in invoices:
            self.assertIn(
                f'data-oe-id="{invoice.id}">Draft Invoice ({invoice.invoice_origin})', note.body
            )
        self.assertNotIn("brouillon", note.body)

    def test_the_threshold_is_a_setting(self):
        self.assertEqual(
            self.env["res.company"].create({"name": "Nouvelle"}).invoice_background_threshold, 50
        )
        with Form(self.env["res.config.settings"]) as settings:
            self.assertEqual(settings.invoice_background_threshold, 3)
            settings.invoice_background_threshold = 10
        self.assertEqual(self.env.company.invoice_background_threshold, 10)
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="invoice_background_threshold"', arch)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env.company.invoice_background_threshold = -1

    def test_queuing_costs_the_same_for_few_or_many_orders(self):
        counts = []
        for count in (4, 5, 40):  # the first warms the caches
            orders = self._orders(count, confirm=True)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self._job(orders.action_invoice_one_click())
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[1], counts[2])
        self.assertLess(counts[1], 20)

    def test_the_job_views(self):
        job = self._job(self._orders(4).action_invoice_one_click())
        views = self.jobs.get_views([(False, "form"), (False, "list"), (False, "search")])["views"]
        self.assertIn('name="failure_ids"', views["form"]["arch"])
        self.assertIn('widget="progressbar"', views["list"]["arch"])
        menu = self.env.ref("invoice_classic.invoice_classic_invoicing_job_menu")
        self.assertEqual(
            menu.action, self.env.ref("invoice_classic.invoice_classic_invoicing_job_action")
        )
        form = Form(job)
        self.assertEqual(form.state, "queued")
        self.assertEqual(form.document_count, 4)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            job.unlink()


@tagged("post_install", "-at_install")
class TestInvoicingJobConcurrency(TransactionCase):
    """Two workers, and a worker killed half way, in real transactions.

    How it is tested: a second transaction only sees and locks what is committed, so the
    orders and the job are committed by a cursor of their own (and deleted at the end); each
    worker works in a real cursor of its own, committed, or rolled back when it "dies"."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            self.threshold = env.company.invoice_background_threshold
            env.company.invoice_background_threshold = 3
            partner = env["res.partner"].create({"name": "Client concurrent"})
            product = env["product.product"].create(
                {
                    "name": "Conseil",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": 100.0,
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": product.id, "product_uom_qty": 1.0})
                        ],
                    }
                    for _index in range(4)
                ]
            )
            orders.action_confirm()
            action = orders.action_invoice_one_click()
            self.job_ids = [action["params"]["next"]["res_id"]]
            self.order_ids, self.partner_id, self.product_id = orders.ids, partner.id, product.id
        self.addCleanup(self._delete_committed)

    def _env(self, cr):
        return api.Environment(cr, self.env.ref("base.user_admin").id, {})

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids)
            invoices = orders.invoice_ids
            invoices.with_context(force_delete=True).unlink()
            jobs = env["invoice.classic.invoicing.job"].browse(self.job_ids)
            jobs.write({"state": "done"})
            jobs.unlink()
            orders._action_cancel()
            orders.unlink()
            env["product.product"].browse(self.product_id).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            env["ir.cron.trigger"].search(
                [("cron_id", "=", env.ref("invoice_classic.ir_cron_invoicing_jobs").id)]
            ).unlink()
            self._env(cr).company.invoice_background_threshold = self.threshold

    def _worker(self, cr):
        return self._env(cr)["invoice.classic.invoicing.job.run"]

    def _finish(self):
        """Later calls, each in a transaction of its own, until no job remains."""
        for _call in range(10):
            with self.registry.cursor() as cr:
                if not self._worker(cr)._cron_process_jobs(batch_size=2):
                    return
        raise AssertionError("the jobs do not end")

    def _invoices_per_order(self):
        with self.registry.cursor() as cr:
            orders = self._env(cr)["sale.order"].browse(self.order_ids)
            return [len(order.invoice_ids) for order in orders]

    def _jobs(self, cr):
        return self._env(cr)["invoice.classic.invoicing.job"].browse(self.job_ids)

    def test_two_workers_at_once_invoice_each_order_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self.assertEqual(self._worker(cr1)._cron_process_jobs(batch_size=2), 2)
            self.assertEqual(
                self._worker(cr2)._cron_process_jobs(batch_size=2), 0, "the job is held"
            )
            cr1.commit()
            cr2.commit()
        self._finish()
        self.assertEqual(self._invoices_per_order(), [1, 1, 1, 1])
        with self.registry.cursor() as cr:
            job = self._jobs(cr)
            self.assertEqual((job.state, job.done_count, job.failure_count), ("done", 4, 0))

    def test_two_jobs_of_the_same_orders_invoice_each_once(self):
        """Two clicks at the same instant, each in its transaction, queued the orders twice."""
        with self.registry.cursor() as cr:
            env = self._env(cr)
            twin = env["invoice.classic.invoicing.job"].create(
                {"kind": "orders", "sale_order_ids": [Command.set(self.order_ids)]}
            )
            self.job_ids.append(twin.id)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            self.assertEqual(self._worker(cr1)._cron_process_jobs(batch_size=2), 2)
            # The first job is held: the twin, whose first orders are held too.
            self.assertEqual(self._worker(cr2)._cron_process_jobs(batch_size=2), 2)
            cr1.commit()
            cr2.commit()
        self._finish()
        self.assertEqual(self._invoices_per_order(), [1, 1, 1, 1])
        with self.registry.cursor() as cr:
            first, twin = self._jobs(cr)
            self.assertEqual(
                (first.state, first.invoice_count, first.failure_count), ("done", 2, 2)
            )
            self.assertEqual((twin.state, twin.invoice_count, twin.failure_count), ("done", 2, 2))
            self.assertEqual(
                set((first | twin).failure_ids.mapped("reason")),
                {
                    f"{order.name} is already fully invoiced."
                    for order in (first | twin).sale_order_ids
                },
            )

    def test_a_worker_killed_half_way_resumes_without_doubles(self):
        with self.registry.cursor() as cr:
            self.assertEqual(self._worker(cr)._cron_process_jobs(batch_size=2), 2)
        with self.registry.cursor() as cr:
            self.assertEqual(self._worker(cr)._cron_process_jobs(batch_size=2), 2)
            self.assertEqual(len(self._jobs(cr).invoice_ids), 4)
            cr.rollback()  # killed before Odoo's runner commits
        with self.registry.cursor() as cr:
            job = self._jobs(cr)
            self.assertEqual((job.state, job.done_count, len(job.invoice_ids)), ("running", 2, 2))
        self._finish()
        self.assertEqual(self._invoices_per_order(), [1, 1, 1, 1])
        with self.registry.cursor() as cr:
            job = self._jobs(cr)
            self.assertEqual((job.state, job.done_count, len(job.line_ids)), ("done", 4, 4))
