"""Payment reminders (dunning) and late-payment penalties: what an invoice knows of them.

The work is done by the engine: ``invoice.classic.reminder.run`` (models/reminder_run.py)
applies the levels due, ``invoice.classic.reminder.delivery`` (models/reminder_delivery.py)
sends their messages."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import RARELY_READ


class AccountMove(models.Model):
    _inherit = "account.move"

    reminder_log_ids = fields.One2many(
        comodel_name="invoice.classic.reminder.log", inverse_name="invoice_id", string="Reminders"
    )
    reminder_last_level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        string="Last Reminder",
        compute="_compute_reminder_last_level_id",
        store=True,
        prefetch=RARELY_READ,
        help="The highest reminder level done for this invoice.",
    )
    reminder_paused_until = fields.Date(
        string="Pause Reminders Until", tracking=True, copy=False, prefetch=RARELY_READ
    )
    reminder_disputed = fields.Boolean(
        string="Disputed", tracking=True, copy=False, prefetch=RARELY_READ
    )
    reminder_checked_date = fields.Date(copy=False, readonly=True, prefetch=RARELY_READ)
    penalty_origin_id = fields.Many2one(
        comodel_name="account.move",
        string="Penalties Of",
        copy=False,
        readonly=True,
        index="btree_not_null",
        prefetch=RARELY_READ,
        help="The late invoice whose penalties this invoice charges.",
    )
    penalty_move_ids = fields.One2many(
        comodel_name="account.move", inverse_name="penalty_origin_id", string="Penalty Invoices"
    )

    reminder_next_level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        string="Next Reminder",
        compute="_compute_reminder_next",
    )
    reminder_next_date = fields.Date(string="Next Reminder Date", compute="_compute_reminder_next")
    reminder_message_level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        compute="_compute_reminder_message_level_id",
    )
    penalty_charged_amount = fields.Monetary(
        string="Penalties Charged", compute="_compute_penalty_charged_amount"
    )
    reminder_due_date = fields.Date(
        string="Oldest Unpaid Due Date",
        compute="_compute_reminder_due_date",
        store=True,
        help="The due date of the earliest installment still unpaid: reminders and "
        "penalties count from it.",
    )
    reminder_due_line_ids = fields.Many2many(
        comodel_name="account.move.line",
        string="Installments Due Now",
        compute="_compute_reminder_due_line_ids",
    )
    amount_due_now = fields.Monetary(
        string="Due Now",
        compute="_compute_amount_due_now",
        help="The unpaid installments due by today (before the first due date: the first "
        "installment), what a reminder asks for.",
    )

    @api.depends(
        "state",
        "line_ids.display_type",
        "line_ids.date_maturity",
        "line_ids.amount_residual",
        "line_ids.reconciled",
    )
    def _compute_reminder_due_date(self):
        for move in self:
            unpaid = move.state == "posted" and move._reminder_unpaid_installments()
            move.reminder_due_date = unpaid[:1].date_maturity if unpaid else False

    # The relational fields below (the installments due, the next level) are shown and read
    # when reminders are sent; they follow the validation and the reminders done, not the
    # payments: a relational field depending on the amounts paid (``reminder_due_date``)
    # would have Odoo look for the records to refresh before every write of an amount of a
    # journal item (each invoice line, each payment), whether reminders are used or not. A
    # new request reads them afresh; ``amount_due_now`` follows the payments.

    @api.depends("reminder_due_date", "line_ids.amount_residual_currency")
    def _compute_amount_due_now(self):
        for move in self:
            due = move._reminder_installments_due_now()
            move.amount_due_now = abs(sum(due.mapped("amount_residual_currency")))

    @api.depends("state", "line_ids")
    def _compute_reminder_due_line_ids(self):
        for move in self:
            move.reminder_due_line_ids = move._reminder_installments_due_now()

    def _reminder_installments_due_now(self):
        """The unpaid installments due by today (before the first due date: the first one)."""
        self.ensure_one()
        if not self.reminder_due_date:
            return self.line_ids.browse()
        until = max(fields.Date.context_today(self), self.reminder_due_date)
        return self._reminder_unpaid_installments().filtered(
            lambda line: line.date_maturity <= until
        )

    @api.depends("state", "company_id", "reminder_log_ids.level_id", "reminder_log_ids.state")
    def _compute_reminder_next(self):
        by_company = self.env["invoice.classic.reminder.level"]._get_by_company(self.company_id)
        today = fields.Date.context_today(self)
        for move in self:
            move.reminder_next_level_id = move.reminder_next_date = False
            reference = move.state == "posted" and move._reminder_reference_date()
            if not reference or move.move_type != "out_invoice" or move.penalty_origin_id:
                continue
            done = move._reminder_done_logs().level_id
            after = max(done.mapped("days"), default=None)
            upcoming = (
                move._reminder_applicable_levels(by_company[move.company_id], reference, today)
                .filtered(lambda level, after=after: after is None or level.days > after)
                .sorted("days")
            )
            if upcoming:
                move.reminder_next_level_id = upcoming[0]
                move.reminder_next_date = reference + timedelta(days=upcoming[0].days)

    # The state only: the total of a posted invoice does not change, and depending on it
    # would hang every field the total depends on (prices, taxes, payments...) on the
    # triggers Odoo walks at each change of an invoice line.
    @api.depends("penalty_move_ids.state")
    def _compute_penalty_charged_amount(self):
        for move in self:
            move.penalty_charged_amount = sum(
                move.penalty_move_ids.filtered(lambda m: m.state == "posted").mapped("amount_total")
            )

    @api.depends("reminder_log_ids.level_id", "reminder_log_ids.state")
    def _compute_reminder_last_level_id(self):
        for move in self:
            move.reminder_last_level_id = move._reminder_done_logs().level_id.sorted("days")[-1:]

    @api.depends_context("invoice_classic_reminder_level_id")
    @api.depends("reminder_next_level_id")
    def _compute_reminder_message_level_id(self):
        """The level a reminder message being written is for: the one being sent, else the
        next one (mail templates read it; ``reminder_last_level_id`` is the last one done).

        The context key ``invoice_classic_reminder_level_id`` is how the delivery and the
        composer tell a template Odoo renders which level it is for."""
        level_id = self.env.context.get("invoice_classic_reminder_level_id")
        for move in self:
            move.reminder_message_level_id = level_id or move.reminder_next_level_id

    def _reminder_done_logs(self):
        self.ensure_one()
        return self.reminder_log_ids.filtered(lambda log: log.state == "done")

    def _reminder_unpaid_installments(self):
        """The receivable journal items (installments) still unpaid, the earliest first."""
        self.ensure_one()
        return self.line_ids.filtered(
            lambda line: line.display_type == "payment_term" and not line.reconciled
        ).sorted(lambda line: (line.date_maturity, line.id))

    def _reminder_reference_date(self):
        """The due date reminders count from: the earliest installment still unpaid."""
        self.ensure_one()
        return self.reminder_due_date

    def _reminder_applicable_levels(self, levels, reference, today=None):
        """The levels that make sense for this invoice: a courtesy note before the due date
        only if that day comes after the invoice's own date (an invoice due on receipt gets
        no reminder the day it is sent), and only while the due date is not passed."""
        self.ensure_one()
        issued = self.invoice_date or reference
        today = today or fields.Date.context_today(self)
        return levels.filtered(
            lambda level: (
                level.days >= 0
                or (reference + timedelta(days=level.days) > issued and today <= reference)
            )
        )

    def _get_due_reminder_level(self, levels, today):
        """The level to apply today, or nothing. The first message is the first level that
        applies (a first reminder, not a second one, for an invoice late for a while);
        after it, only the highest level due, if neither it nor a higher one was applied."""
        self.ensure_one()
        reference = self._reminder_reference_date()
        if not reference:
            return levels.browse()
        late_days = (today - reference).days
        due = (
            self._reminder_applicable_levels(levels, reference, today)
            .filtered(lambda level: level.days <= late_days)
            .sorted("days")
        )
        done = self._reminder_done_logs().level_id
        due = due[-1:] if done else due[:1]
        if not due or (done and max(done.mapped("days")) >= due.days):
            return levels.browse()
        return due

    def _get_reminder_to_preview(self):
        """The reminder a user sends by hand about ``self`` (unpaid invoices of one company):
        the highest level due today, for the invoices at that level; if none is due, the
        highest one sent, to send again to the invoices that had it.

        :return: (level or None, the invoices it is for)
        """
        company = self.company_id[:1]
        levels = self.env["invoice.classic.reminder.level"]._get_by_company(company)[company]
        today = fields.Date.context_today(self)
        due = {invoice: invoice._get_due_reminder_level(levels, today) for invoice in self}
        level = max(due.values(), key=lambda level: level.days if level else -(10**6), default=None)
        if level:
            return level, self.filtered(lambda m: due[m] == level)
        level = max(self.reminder_last_level_id, key=lambda level: level.days, default=None)
        return level, self.filtered(lambda m: level and m.reminder_last_level_id == level)

    def action_preview_reminder(self):
        """The reminder due today in the composer, to read (and edit) before it goes; else
        the last one sent, to send again (the user may choose another level there)."""
        self.ensure_one()
        level, invoices = self._get_reminder_to_preview()
        if not level:
            raise UserError(_("No reminder is due for these invoices today."))
        return self.env["mail.compose.message"]._get_reminder_action(level, self, invoices)

    def action_send_reminder_now(self):
        """The reminder level due today, now, for these invoices."""
        today = fields.Date.context_today(self)
        by_company = self.env["invoice.classic.reminder.level"]._get_by_company(self.company_id)
        run = self.env["invoice.classic.reminder.run"]
        sent = self.env["invoice.classic.reminder.log"]
        for invoice in self.filtered(lambda m: m.state == "posted" and m.amount_residual):
            level = invoice._get_due_reminder_level(by_company[invoice.company_id], today)
            if level:
                sent |= run._send_by_hand(invoice, level, today)
        if not sent:
            raise UserError(_("No reminder is due for these invoices today."))
        return True
