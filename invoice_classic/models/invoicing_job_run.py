"""Background invoicing: the scheduled action that invoices the queued jobs, a batch per call."""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import lock_rows
from .invoicing_job import ACTIVE_STATES, DOCUMENT_FIELDS

_logger = logging.getLogger(__name__)

# Documents another transaction held are tried again this much later.
RETRY_HELD_AFTER = timedelta(minutes=1)
# The message of a job done links this many invoices and failures at most; the job has all.
LISTED_IN_MESSAGE = 50


class InvoiceClassicInvoicingJobRun(models.AbstractModel):
    """Invoices the documents of the queued ``invoice.classic.invoicing.job``, oldest job
    first, a batch per call of the scheduled action, through the same one-click methods as
    a click (``_invoice_one_click`` of orders and transfers), as the user who queued them;
    records what became of each document and, at the end, notifies that user."""

    _name = "invoice.classic.invoicing.job.run"
    _description = "Background Invoicing Run"

    @api.model
    def _cron_process_jobs(self, batch_size=50):
        """A batch of the oldest job not held by another worker.

        Odoo's cron runner commits each call and calls again while the progress it is told
        says documents remain (``ir.cron._run_job``): a run killed half way loses only the
        batch it was doing, done again by the next call; nothing here commits.

        Never two invoices for one document: the job is locked while a batch is done (another
        worker takes the next job, or nothing), so are the documents of the batch (those held
        elsewhere wait for a later call); a batch's invoices and the lines saying its
        documents are handled are committed together, and a document handled has a line, once
        (the database refuses a second); a document invoiced meanwhile (by hand, by another
        job) leaves nothing to invoice to Odoo's invoiced quantities, or is a transfer already
        invoiced: it is listed as not invoiced, with Odoo's reason.

        :return: the number of documents handled
        """
        job = self._lock_next_job()
        if not job:
            return 0
        documents, held = self._lock_batch(job, batch_size)
        held |= self._handle(job, documents)
        handled = documents - held
        if not job._get_pending_documents():
            self._finish(job)
        remaining = self._count_remaining() - len(held)
        if held and not handled:
            # Odoo's runner takes a call that did nothing for the end: come back soon.
            self.env.ref("invoice_classic.ir_cron_invoicing_jobs")._trigger(
                fields.Datetime.now() + RETRY_HELD_AFTER
            )
        self.env["ir.cron"]._notify_progress(done=len(handled), remaining=max(remaining, 0))
        return len(handled)

    # Locks ---------------------------------------------------------------------------------

    @api.model
    def _lock(self, records):
        """``records`` locked for this transaction, less those another transaction holds.

        Odoo's transactions are repeatable reads: a row another transaction changed and
        committed since this one began cannot be locked either (PostgreSQL refuses it); it
        is held too, for a later call, in a transaction of its own.
        """
        try:
            with self.env.cr.savepoint(flush=False):
                return lock_rows(records, skip_locked=True)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            return records.browse()

    @api.model
    def _lock_next_job(self):
        """The oldest queued or running job no other worker holds, locked."""
        jobs = self.env["invoice.classic.invoicing.job"].search(
            [("state", "in", ACTIVE_STATES)], order="id"
        )
        # A lock per job until one is free: the first, unless two workers run at once.
        for job in jobs:
            if self._lock(job):
                return job
        return jobs.browse()

    @api.model
    def _lock_batch(self, job, batch_size):
        """The next documents of ``job`` to invoice, locked for this transaction, and those
        skipped because another transaction holds them. With one invoice per customer, a
        customer's documents go in the same batch, locked whole or skipped whole: its
        invoice is made once, of all of them.

        :return: (documents locked, documents held)
        """
        pending = job._get_pending_documents()
        held = pending.browse()
        while True:
            candidates = pending - held
            batch = candidates[:batch_size]
            if not batch:
                return batch, held
            if job.per_customer:
                batch |= self._of_customers(candidates, batch)
            locked = self._lock(batch)
            if job.per_customer:
                locked -= self._of_customers(locked, batch - locked)
            held |= batch - locked
            if locked:  # else all held: the next ones
                return locked, held

    @api.model
    def _of_customers(self, documents, others):
        """The documents of ``documents`` that have a customer of ``others``."""
        customers = {self._get_customer(document) for document in others}
        return documents.filtered(lambda document: self._get_customer(document) in customers)

    @api.model
    def _get_customer(self, document):
        """Whom Odoo makes one invoice for, when it groups orders (``_create_invoices``)."""
        order = document.sale_id if document._name == "stock.picking" else document
        return order.company_id, order.partner_invoice_id, order.currency_id

    # A batch -------------------------------------------------------------------------------

    @api.model
    def _handle(self, job, documents):
        """Invoice ``documents`` as the user who queued them, with the companies then
        selected; record what became of each.

        :return: the documents held by another transaction meanwhile, left for later
        """
        if not documents:
            return documents
        user = job.user_id
        documents = documents.with_user(user).with_context(
            lang=user.lang,
            allowed_company_ids=[job.company_id.id, *(job.company_ids - job.company_id).ids],
        )
        failures = {}
        for document in documents:  # what a click refuses, document by document
            try:
                document._check_invoice_one_click()
            except UserError as error:
                failures[document] = str(error)
        ready = documents.filtered(lambda document: document not in failures)
        invoices, not_invoiced, held = self._invoice(job, ready)
        failures.update(not_invoiced)
        self._record(job, documents - held, failures, invoices)
        return held

    @api.model
    def _invoice(self, job, documents):
        """The invoices of ``documents``: all at once (the speed of a click on all of them),
        else, when that fails, a document at a time (with one invoice per customer, a
        customer at a time), each in a savepoint, so that one bad document does not stop
        the others and is listed with its reason.

        :return: (invoices, {document: why it was not invoiced}, documents held)
        """
        moves = self.env["account.move"]
        if not documents:
            return moves, {}, documents
        try:
            with self.env.cr.savepoint():
                invoices = self._create_invoices(job, documents)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            return moves, {}, documents
        except Exception:  # noqa: BLE001 - then a document (or a customer) at a time
            _logger.info("Invoicing job %s: a batch failed, one by one now", job.id)
        else:
            return invoices, self._get_not_invoiced(job, documents, invoices), documents.browse()
        failures = {}
        held = documents.browse()
        for unit in self._split(job, documents):
            try:
                with self.env.cr.savepoint():
                    unit_invoices = self._create_invoices(job, unit)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                held |= unit
            except UserError as error:
                failures.update(dict.fromkeys(unit, str(error)))
            except Exception as error:  # one bad document must not stop the run
                _logger.exception("Invoicing job %s: %s failed", job.id, unit.ids)
                failures.update(
                    dict.fromkeys(unit, _("Unexpected error: %(error)s", error=repr(error)))
                )
            else:
                moves |= unit_invoices
                failures.update(self._get_not_invoiced(job, unit, unit_invoices))
        return moves, failures, held

    @api.model
    def _create_invoices(self, job, documents):
        """The one-click invoicing of a click on ``documents``."""
        return documents._invoice_one_click(grouped=not job.per_customer)

    @api.model
    def _split(self, job, documents):
        """What is invoiced on its own when a batch fails: a document, or a customer's."""
        if job.per_customer:
            return list(documents.grouped(self._get_customer).values())
        return list(documents)

    @api.model
    def _get_not_invoiced(self, job, documents, invoices):
        """The documents ``invoices`` leave out, and why: Odoo's ``_create_invoices()``
        skips, without a word, an order with nothing to invoice when others have something.

        :return: {document: reason}
        """
        if job.kind == "orders":
            skipped = documents - invoices.invoice_line_ids.sale_line_ids.order_id
            return {order: order._nothing_to_invoice_error_message() for order in skipped}
        skipped = documents - invoices.picking_ids
        return {
            picking: _("Nothing was left to invoice for %(picking)s.", picking=picking.name)
            for picking in skipped
        }

    @api.model
    def _record(self, job, documents, failures, invoices):
        """A line per document handled, the invoices linked to the job: committed with the
        invoices, they are what a later call does not do again.

        :param dict failures: {document: why it was not invoiced}
        """
        line_field = DOCUMENT_FIELDS[job.kind][2]
        # Safe: the job's bookkeeping, written by the engine from what it did (the documents
        # locked and handled, the invoices made), never from a user's input.
        self.env["invoice.classic.invoicing.job.line"].sudo().create(
            [
                {
                    "job_id": job.id,
                    line_field: document.id,
                    "state": "failed" if document in failures else "invoiced",
                    "reason": failures.get(document),
                }
                for document in documents
            ]
        )
        job.sudo().write(
            {"state": "running", "invoice_ids": [Command.link(move.id) for move in invoices]}
        )

    @api.model
    def _count_remaining(self):
        """The documents of all the queued and running jobs, not handled yet."""
        jobs = self.env["invoice.classic.invoicing.job"].search([("state", "in", ACTIVE_STATES)])
        return sum(jobs.mapped("document_count")) - sum(jobs.mapped("done_count"))

    # The end -------------------------------------------------------------------------------

    @api.model
    def _finish(self, job):
        """Every document handled: done (failed if none could be invoiced); tell the user."""
        failed = not job.invoice_ids and job.failure_count
        job.sudo().write(
            {"state": "failed" if failed else "done", "date_done": fields.Datetime.now()}
        )
        lang = job.user_id.lang
        self.with_context(lang=lang)._notify_user(job.with_context(lang=lang))

    @api.model
    def _notify_user(self, job):
        """A note on the job for the user who queued it (in the inbox, opening the job), with
        the invoices and the documents not invoiced and why; a notification in the browser."""
        summary = self._get_summary(job)
        body = Markup("<p>%s</p>") % summary
        invoices = job.invoice_ids
        if len(invoices) <= LISTED_IN_MESSAGE:
            if invoices:
                # Odoo caches an invoice's display_name whatever the language (no
                # depends_context("lang")): computed again here in the user's language, not
                # reused from the customer's (Odoo's note on each new invoice).
                links = Markup(", ").join(
                    move._get_html_link(
                        f"{move._get_move_display_name(show_ref=True)} ({move.invoice_origin})"
                    )
                    for move in invoices
                )
                body += Markup("<p>%s</p>") % _("Invoices created: %(invoices)s", invoices=links)
        else:
            body += Markup("<p>%s</p>") % _(
                "%(count)s invoices created: the Invoices button of the job opens them.",
                count=len(invoices),
            )
        failures = job.failure_ids
        if len(failures) <= LISTED_IN_MESSAGE:
            items = [
                Markup("<li>%s</li>")
                % _(
                    "%(document)s: %(reason)s",
                    document=line[DOCUMENT_FIELDS[job.kind][2]]._get_html_link(),
                    reason=line.reason,
                )
                for line in failures
            ]
            if items:
                body += Markup("<p>%s</p><ul>%s</ul>") % (
                    _("Not invoiced:"),
                    Markup().join(items),
                )
        else:
            body += Markup("<p>%s</p>") % _(
                "%(count)s documents not invoiced: the job lists them with their reasons.",
                count=len(failures),
            )
        job.sudo().with_context(mail_notify_force_send=False).message_post(
            body=body,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=job.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        if job.state == "failed":
            kind, title = "danger", _("Background invoicing failed")
        else:
            kind, title = "warning" if failures else "success", _("Background invoicing done")
        job.user_id._bus_send(
            "simple_notification",
            {"type": kind, "title": title, "message": summary, "sticky": True},
        )

    @api.model
    def _get_summary(self, job):
        """One sentence saying what the job did."""
        if job.state == "failed":
            return _(
                "%(job)s failed: none of its %(total)s documents could be invoiced.",
                job=job.display_name,
                total=job.done_count,
            )
        return _(
            "%(job)s is done: %(invoiced)s of %(total)s documents invoiced (%(invoices)s "
            "invoices created), %(failed)s not invoiced.",
            job=job.display_name,
            invoiced=job.done_count - job.failure_count,
            total=job.done_count,
            invoices=len(job.invoice_ids),
            failed=job.failure_count,
        )
