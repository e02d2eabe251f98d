"""Payment reminders: the run that applies the levels due (daily, or by hand)."""

import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import lock_rows
from .reminder_delivery import Delivered

_logger = logging.getLogger(__name__)

# The database's guard against a level done twice (see invoice.classic.reminder.log).
DONE_ONCE_INDEX = "invoice_classic_reminder_log_invoice_level_done_uniq"


class InvoiceClassicReminderRun(models.AbstractModel):
    """Applies reminder levels: finds the invoices a level is due for, charges the level's
    penalties, has its message delivered (``invoice.classic.reminder.delivery``) and logs
    what was done. Called by the daily scheduled action, and by the buttons and the
    composer of a reminder sent by hand."""

    _name = "invoice.classic.reminder.run"
    _description = "Payment Reminder Run"

    # The daily run ---------------------------------------------------------------------

    @api.model
    def _cron_send_payment_reminders(self, batch_size=200):
        """Daily: act on the invoices whose next reminder level is due, a batch per call.

        Odoo's cron runner commits each call and calls again while the progress it is told
        says invoices remain (``ir.cron._run_job``): a run killed half way resumes after
        the last batch done, and nothing here commits (nor asks whether it runs in a test).

        Never twice: each invoice is locked while it is handled (another worker skips it),
        the log line of an (invoice, level) is unique in the database, and the message and
        the penalty are made in the same transaction as that line. Each invoice is checked
        once a day, so a run killed half way resumes with the others.

        :return: the number of invoices of the batch
        """
        levels = self.env["invoice.classic.reminder.level"].search([])
        if not levels:
            return 0
        # Messages go through the mail queue: the run never waits for a mail server.
        run = self.with_context(mail_notify_force_send=False)
        today = fields.Date.context_today(self)
        domain = run._get_candidates_domain(levels, today)
        invoices, skipped = run._lock_batch(domain, batch_size)
        run._send_reminders(run._group_per_message(invoices, levels, today), today)
        run._mark_checked(invoices, today)
        # Those still to do (the invoices of this batch are checked now), not those held.
        remaining = run.env["account.move"].search_count([*domain, ("id", "not in", skipped.ids)])
        run.env["ir.cron"]._notify_progress(done=len(invoices), remaining=remaining)
        return len(invoices)

    @api.model
    def _get_candidates_domain(self, levels, today):
        """The invoices a level of ``levels`` may be due for, not checked yet today."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("company_id", "in", levels.company_id.ids),
            ("penalty_origin_id", "=", False),
            ("reminder_disputed", "=", False),
            ("commercial_partner_id.no_reminders", "=", False),
            "|",
            ("reminder_paused_until", "=", False),
            ("reminder_paused_until", "<", today),
            "|",
            ("reminder_checked_date", "=", False),
            ("reminder_checked_date", "<", today),
            ("reminder_due_date", "<=", today - timedelta(days=min(levels.mapped("days")))),
        ]

    @api.model
    def _lock_batch(self, domain, batch_size):
        """The next batch of invoices to remind, locked for this transaction, and those
        skipped because another transaction holds them (a user editing one, another
        worker): they are tried again by the next call, or the next day. A customer sent one
        message for all its invoices is locked whole or skipped whole, so that the invoice
        held does not get a second message of its own later in the run.

        :return: (the invoices locked, the invoices skipped)
        """
        moves = self.env["account.move"]
        skipped = moves
        while True:
            candidates = [*domain, ("id", "not in", skipped.ids)]
            invoices = moves.search(candidates, limit=batch_size, order="id")
            if not invoices:
                return invoices, skipped
            invoices = self._add_customer_invoices(invoices, candidates)
            locked = self._lock_customers_whole(invoices)
            skipped |= invoices - locked
            if locked:  # else all held: the next ones
                return locked, skipped

    @api.model
    def _add_customer_invoices(self, invoices, candidates):
        """A customer's invoices go in the same batch: one message for all of them."""
        by_customer = invoices.company_id.filtered(lambda c: c.reminder_grouping == "customer")
        if not by_customer:
            return invoices
        return invoices | invoices.search(
            [
                *candidates,
                ("company_id", "in", by_customer.ids),
                ("commercial_partner_id", "in", invoices.commercial_partner_id.ids),
            ],
            order="id",
        )

    @api.model
    def _lock_customers_whole(self, invoices):
        """The invoices locked, less those of a customer one of whose invoices is held."""
        locked = lock_rows(invoices, skip_locked=True)
        held = {
            (invoice.company_id, invoice.commercial_partner_id)
            for invoice in invoices - locked
            if invoice.company_id.reminder_grouping == "customer"
        }
        return locked.filtered(lambda m: (m.company_id, m.commercial_partner_id) not in held)

    @api.model
    def _group_per_message(self, invoices, levels, today):
        """The levels due today, with the invoices each message is about: one invoice, or
        all those of a customer at that level when the company groups them.

        :return: [(level, invoices)]
        """
        levels_by_company = levels.grouped("company_id")
        groups = defaultdict(invoices.browse)
        for invoice in invoices:
            level = invoice._get_due_reminder_level(levels_by_company[invoice.company_id], today)
            if not level:
                continue
            per_customer = invoice.company_id.reminder_grouping == "customer"
            groups[level, invoice.commercial_partner_id if per_customer else invoice] |= invoice
        # Each group reads its fields for the whole batch at once (one query per field group,
        # not one per customer).
        return [
            (level, group.with_prefetch(invoices._prefetch_ids))
            for (level, _target), group in groups.items()
        ]

    @api.model
    def _send_reminders(self, items, today):
        """E-mails without penalties, the bulk of a run: all of the batch at once; the
        others (or all, if the bulk failed) one message at a time, each in a savepoint so
        that one bad invoice does not stop the run.

        :param list items: [(level, invoices of one message)]
        """
        bulk = [(level, group) for level, group in items if level._is_sent_in_bulk()]
        others = [(level, group) for level, group in items if not level._is_sent_in_bulk()]
        if bulk and not self._send_in_bulk(bulk, today):
            others = items
        for level, group in others:
            try:
                with self.env.cr.savepoint():
                    self._apply_level(group, level, today)
            except Exception as error:  # noqa: BLE001 - one bad invoice must not stop the run
                _logger.warning("Payment reminder of invoices %s failed: %s", group.ids, error)
                self._log_failure(group, level, today, error)

    @api.model
    def _send_in_bulk(self, items, today):
        """The e-mails of ``items`` and their log lines, in a few statements. A group with
        an invalid address is logged as failed, one without an address as not sent.

        :return: whether it went; if not, nothing of it stays
        """
        try:
            with self.env.cr.savepoint():
                delivered = self.env["invoice.classic.reminder.delivery"]._send_emails(items)
                values_list = []
                for (level, group), result in zip(items, delivered, strict=True):
                    values_list += self._prepare_log_values(group, level, today, result)
                self.env["invoice.classic.reminder.log"]._create_logs(values_list)
        except Exception as error:  # noqa: BLE001 - then one by one
            _logger.warning("Payment reminders in bulk failed, one by one now: %s", error)
            return False
        return True

    @api.model
    def _mark_checked(self, invoices, today):
        """The invoices of the batch are done for today, whatever happened to them."""
        if invoices:
            # One statement for the batch; a technical date, no business rule depends on it.
            self.env.cr.execute(
                "UPDATE account_move SET reminder_checked_date = %s WHERE id IN %s",
                [today, tuple(invoices.ids)],
            )
            invoices.invalidate_recordset(["reminder_checked_date"])

    # A level applied ---------------------------------------------------------------------

    @api.model
    def _apply_level(self, invoices, level, today):
        """Charge the penalties the level asks for, have its message delivered (one for all
        of ``invoices``, of one customer, or for one invoice), and log it all. The log lines
        come last: if another run logged this level meanwhile, the unique index refuses
        them and the caller's savepoint drops messages and penalties.

        :return: the log lines
        """
        invoices = invoices.with_company(level.company_id)
        penalties = self.env["invoice.classic.reminder.penalty"]._charge(invoices, level, today)
        delivered = self.env["invoice.classic.reminder.delivery"]._deliver(invoices, level)
        if delivered.error:
            raise UserError(delivered.error)
        return self.env["invoice.classic.reminder.log"]._create_logs(
            self._prepare_log_values(invoices, level, today, delivered, penalties)
        )

    @api.model
    def _prepare_log_values(self, invoices, level, today, delivered=None, penalties=None, **values):
        """The log lines of ``level`` for ``invoices``: the amount each owes now, what the
        delivery did, the penalties charged ({invoice id: values}), then ``values``."""
        return [
            {
                "invoice_id": invoice.id,
                "level_id": level.id,
                "date": today,
                "amount_due": invoice.amount_due_now,
                **(delivered.log_values(invoice.id) if delivered else {}),
                **(penalties or {}).get(invoice.id, {}),
                **values,
            }
            for invoice in invoices
        ]

    @api.model
    def _log_failure(self, invoices, level, today, error):
        """Keep what went wrong in the reminder history; the level is tried again the
        next day (the invoices are already checked for today)."""
        reason = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
        try:
            with self.env.cr.savepoint():
                self.env["invoice.classic.reminder.log"]._create_logs(
                    self._prepare_log_values(
                        invoices, level, today, state="failed", note=str(reason)[:250]
                    )
                )
        except Exception:
            _logger.exception("Could not log the failed reminder of invoices %s", invoices.ids)

    # By hand -----------------------------------------------------------------------------

    @api.model
    def _send_by_hand(self, invoices, level, today):
        """A level sent now by a user (Send Reminder Now): delivered and logged as the
        daily run does; refused in words if the run sent it meanwhile."""
        with self._refused_if_done_meanwhile(level):
            return self._apply_level(invoices, level, today)

    @api.model
    def _log_sent_by_hand(self, invoices, level, today, messages, resend=False):
        """Log a reminder a user sent from the composer (already delivered), and charge the
        level's penalties. With ``resend`` (the user sends again a level already sent),
        the invoices that had it log a re-send: not a new level, no penalties, the level's
        one done line stays.

        :param dict messages: {invoice id: id of the message sent}
        :return: the log lines
        """
        resent = (
            invoices.filtered(lambda m: level in m._reminder_done_logs().level_id)
            if resend
            else invoices.browse()
        )
        first = (invoices - resent).with_company(level.company_id)
        logs = self.env["invoice.classic.reminder.log"]
        delivered = Delivered(messages=messages, note=_("No e-mail address: nothing sent."))
        values_list = self._prepare_log_values(resent, level, today, delivered, state="resent")
        with self._refused_if_done_meanwhile(level):
            penalties = self.env["invoice.classic.reminder.penalty"]._charge(first, level, today)
            values_list += self._prepare_log_values(first, level, today, delivered, penalties)
            return logs._create_logs(values_list)

    @contextmanager
    def _refused_if_done_meanwhile(self, level):
        """A level the scheduled run logged meanwhile is refused in words, and the user's
        message and penalties are undone with it, so the customer does not get them twice."""
        try:
            with self.env.cr.savepoint():
                yield
        except IntegrityError as error:
            if error.diag.constraint_name != DONE_ONCE_INDEX:
                raise
            raise UserError(
                _(
                    "%(level)s was sent meanwhile by the scheduled reminders: this message is "
                    "not sent, so that the customer does not get it twice.",
                    level=level.name,
                )
            ) from None
