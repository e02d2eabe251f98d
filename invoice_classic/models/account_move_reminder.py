"""Payment reminders (dunning) and late-payment penalties: the account.move side."""

import logging
import threading
from collections import defaultdict
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize_all, format_date

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    reminder_log_ids = fields.One2many(
        comodel_name="invoice.classic.reminder.log", inverse_name="invoice_id", string="Reminders"
    )
    reminder_level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        compute="_compute_reminder_level_id",
        store=True,
    )
    reminder_paused_until = fields.Date(string="Pause Reminders Until", tracking=True, copy=False)
    reminder_disputed = fields.Boolean(string="Disputed", tracking=True, copy=False)
    reminder_checked_date = fields.Date(copy=False, readonly=True)
    penalty_origin_id = fields.Many2one(
        comodel_name="account.move",
        string="Penalties Of",
        copy=False,
        readonly=True,
        index="btree_not_null",
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
        compute="_compute_amount_due_now",
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

    @api.depends("reminder_due_date", "line_ids.amount_residual_currency")
    def _compute_amount_due_now(self):
        today = fields.Date.context_today(self)
        for move in self:
            due = move.line_ids.browse()
            if move.reminder_due_date:
                until = max(today, move.reminder_due_date)
                due = move._reminder_unpaid_installments().filtered(
                    lambda line, until=until: line.date_maturity <= until
                )
            move.reminder_due_line_ids = due
            move.amount_due_now = abs(sum(due.mapped("amount_residual_currency")))

    @api.depends(
        "state",
        "company_id",
        "reminder_log_ids.level_id",
        "reminder_log_ids.state",
        "reminder_due_date",
    )
    def _compute_reminder_next(self):
        by_company = self._reminder_levels_by_company(self.company_id)
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

    @api.depends("penalty_move_ids.state", "penalty_move_ids.amount_total")
    def _compute_penalty_charged_amount(self):
        for move in self:
            move.penalty_charged_amount = sum(
                move.penalty_move_ids.filtered(lambda m: m.state == "posted").mapped("amount_total")
            )

    @api.depends("reminder_log_ids.level_id", "reminder_log_ids.state")
    def _compute_reminder_level_id(self):
        for move in self:
            move.reminder_level_id = move._reminder_done_logs().level_id.sorted("days")[-1:]

    @api.depends_context("invoice_classic_reminder_level_id")
    @api.depends("reminder_next_level_id")
    def _compute_reminder_message_level_id(self):
        """The level a reminder message being written is for: the one being sent, else the
        next one (mail templates read it; ``reminder_level_id`` is the last one done)."""
        level_id = self.env.context.get("invoice_classic_reminder_level_id")
        for move in self:
            move.reminder_message_level_id = level_id or move.reminder_next_level_id

    def _reminder_done_logs(self):
        self.ensure_one()
        return self.reminder_log_ids.filtered(lambda log: log.state == "done")

    @api.model
    def _reminder_levels_by_company(self, companies):
        """{company: its active reminder levels}, empty for a company without any."""
        levels = self.env["invoice.classic.reminder.level"].search(
            [("company_id", "in", companies.ids)]
        )
        return defaultdict(lambda: levels.browse(), levels.grouped("company_id"))

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

    @api.model
    def _reminder_candidates_domain(self, today, companies, min_days):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("company_id", "in", companies.ids),
            ("penalty_origin_id", "=", False),
            ("reminder_disputed", "=", False),
            ("commercial_partner_id.no_reminders", "=", False),
            "|",
            ("reminder_paused_until", "=", False),
            ("reminder_paused_until", "<", today),
            "|",
            ("reminder_checked_date", "=", False),
            ("reminder_checked_date", "<", today),
            ("reminder_due_date", "<=", today - timedelta(days=min_days)),
        ]

    @api.model
    def _cron_send_payment_reminders(self, batch_size=200):
        """Daily: act on the invoices whose next reminder level is due, a batch per call.

        Never twice: each invoice is locked while it is handled (another worker skips it),
        the log line of an (invoice, level) is unique in the database, and the message and
        the penalty are made in the same transaction as that line. Each invoice is checked
        once a day, so a run killed half way resumes with the others."""
        today = fields.Date.context_today(self)
        levels = self.env["invoice.classic.reminder.level"].search([])
        if not levels:
            return 0
        levels_by_company = levels.grouped("company_id")
        domain = self._reminder_candidates_domain(
            today, levels.company_id, min(levels.mapped("days"))
        )
        invoices, skipped = self._lock_reminder_batch(domain, batch_size)
        # Messages go through the mail queue: the run never waits for a mail server.
        invoices = invoices.with_context(mail_notify_force_send=False)
        groups = defaultdict(lambda: invoices.browse())
        for invoice in invoices:
            level = invoice._get_due_reminder_level(levels_by_company[invoice.company_id], today)
            if not level:
                continue
            per_customer = invoice.company_id.reminder_grouping == "customer"
            key = (level, invoice.commercial_partner_id if per_customer else invoice)
            groups[key] |= invoice
        items = [(level, group) for (level, _target), group in groups.items()]
        # E-mails without penalties, the bulk of a run: all of the batch at once.
        bulk = [(level, group) for level, group in items if level._is_sent_in_bulk()]
        others = [(level, group) for level, group in items if not level._is_sent_in_bulk()]
        if bulk:
            try:
                with self.env.cr.savepoint():
                    self._send_reminder_emails_in_bulk(bulk, today)
            except Exception as error:  # noqa: BLE001 - then one by one, below
                _logger.warning("Payment reminders in bulk failed, one by one now: %s", error)
                others = items
        for level, group in others:
            try:
                with self.env.cr.savepoint():
                    group.with_company(level.company_id)._apply_reminder_level(level, today)
            except Exception as error:  # noqa: BLE001 - one bad invoice must not stop the run
                _logger.warning("Payment reminder of invoices %s failed: %s", group.ids, error)
                group._log_reminder_failure(level, today, error)
        if invoices:
            # One statement for the batch; a technical date, no business rule depends on it.
            self.env.cr.execute(
                "UPDATE account_move SET reminder_checked_date = %s WHERE id IN %s",
                [today, tuple(invoices.ids)],
            )
            invoices.invalidate_recordset(["reminder_checked_date"])
        # Those still to do (the invoices of this batch are checked now), not those held.
        remaining = self.search_count([*domain, ("id", "not in", skipped.ids)])
        self.env["ir.cron"]._notify_progress(done=len(invoices), remaining=remaining)
        if not getattr(threading.current_thread(), "testing", False):
            # A batch is done: a run killed later resumes after it.
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return len(invoices)

    @api.model
    def _lock_reminder_batch(self, domain, batch_size):
        """The next batch of invoices to remind, locked for this transaction, and those
        skipped because another transaction holds them (a user editing one, another
        worker): they are tried again by the next call, or the next day. A customer sent one
        message for all its invoices is locked whole or skipped whole, so that the invoice
        held does not get a second message of its own later in the run.

        :return: (the invoices locked, the invoices skipped)
        """
        skipped = self.browse()
        while True:
            candidates = [*domain, ("id", "not in", skipped.ids)]
            invoices = self.search(candidates, limit=batch_size, order="id")
            if not invoices:
                return invoices, skipped
            by_customer = invoices.company_id.filtered(lambda c: c.reminder_grouping == "customer")
            if by_customer:
                # A customer's invoices go in the same batch: one message for all of them.
                invoices |= self.search(
                    [
                        *candidates,
                        ("company_id", "in", by_customer.ids),
                        ("commercial_partner_id", "in", invoices.commercial_partner_id.ids),
                    ],
                    order="id",
                )
            self.env.cr.execute(
                "SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED",
                [tuple(invoices.ids)],
            )
            locked = self.browse([row[0] for row in self.env.cr.fetchall()])
            held = {
                (invoice.company_id, invoice.commercial_partner_id)
                for invoice in invoices - locked
                if invoice.company_id.reminder_grouping == "customer"
            }
            locked = locked.filtered(
                lambda m, held=held: (m.company_id, m.commercial_partner_id) not in held
            )
            skipped |= invoices - locked
            if locked:  # else all held: the next ones
                return locked, skipped

    @api.model
    def _send_reminder_emails_in_bulk(self, items, today):
        """The e-mails of levels without penalties, for a whole batch in a few statements:
        rendered (the level's template for all the invoices sent alone, the customer
        message for several), created as queued mail.mail with their chatter messages in one
        create, then their log lines in one create. A group with an invalid address is
        logged as failed, without an address as not sent.

        :param list items: [(level, invoices of one message)]
        """
        log_values, mail_values, mail_groups = [], [], []
        singles = defaultdict(lambda: self.browse())
        # The addresses of all the customers at once (each group prefetches only itself).
        every = self.browse([invoice_id for _level, group in items for invoice_id in group.ids])
        (every.partner_id | every.commercial_partner_id).mapped("email")
        for level, group in items:
            email = group._reminder_email()
            if error := group._reminder_email_error():
                log_values += group._reminder_log_values(level, today, state="failed", note=error)
            elif not email or (len(group) == 1 and not level.mail_template_id):
                note = _("No e-mail address: nothing sent.")
                log_values += group._reminder_log_values(level, today, note=note)
            elif len(group) == 1:
                singles[level] |= group
            else:
                partner = group.commercial_partner_id[:1]
                subject, body = group._reminder_customer_message(level)
                mail_groups.append((level, group))
                mail_values.append(
                    self._reminder_mail_values(
                        partner,
                        level.company_id,
                        subject,
                        body,
                        partner,
                        author=group._get_mail_author(),
                    )
                )
        for level, invoices in singles.items():
            rendered = level.mail_template_id.with_context(
                invoice_classic_reminder_level_id=level.id
            )._generate_template(invoices.ids, ("subject", "body_html", "email_from", "partner_to"))
            for invoice in invoices:
                values = rendered[invoice.id]
                mail_groups.append((level, invoice))
                mail_values.append(
                    self._reminder_mail_values(
                        invoice,
                        level.company_id,
                        values["subject"],
                        values["body_html"],
                        self.env["res.partner"].browse(values.get("partner_ids") or []),
                        email_from=values.get("email_from"),
                        author=invoice._get_mail_author(),
                    )
                )
        # Reply-to addresses of all the records at once (mail.message would find them one by one).
        by_model = defaultdict(list)
        for values in mail_values:
            by_model[values["model"]].append(values["res_id"])
        reply_to = {
            model: self.env[model].browse(ids)._notify_get_reply_to(default=None)
            for model, ids in by_model.items()
        }
        for values in mail_values:
            values["reply_to"] = (
                reply_to[values["model"]].get(values["res_id"]) or values["email_from"]
            )
        mails = self.env["mail.mail"].sudo().create(mail_values)
        for (level, group), mail in zip(mail_groups, mails, strict=True):
            log_values += group._reminder_log_values(
                level, today, message_id=mail.mail_message_id.id
            )
        return self.env["invoice.classic.reminder.log"]._create_logs(log_values)

    def _reminder_log_values(self, level, today, **values):
        return [
            {
                "invoice_id": invoice.id,
                "level_id": level.id,
                "date": today,
                "amount_due": invoice.amount_due_now,
                **values,
            }
            for invoice in self
        ]

    def _reminder_customer_message(self, level):
        """Subject and body of one message to the customer listing ``self``, its invoices
        at ``level`` (sent by the cron, or previewed in the composer)."""
        partner = self.commercial_partner_id[:1]
        body = self.env["mail.render.mixin"]._render_template_qweb_view(
            "invoice_classic.reminder_customer_message",
            "res.partner",
            partner.ids,
            add_context={"invoices": self, "level": level},
        )[partner.id]
        subject = _("%(company)s - %(level)s", company=level.company_id.name, level=level.name)
        return subject, body

    def _reminder_email(self):
        """The address reminders about ``self`` (invoices of one customer) go to."""
        return self.partner_id[:1].email or self.commercial_partner_id[:1].email

    def _reminder_email_error(self):
        """Why the reminder cannot be e-mailed to that address, or None (no address at all
        is not an error: the reminder is logged as not sent)."""
        email = self._reminder_email()
        if email and not email_normalize_all(email):
            return _(
                "The e-mail address %(email)s of %(customer)s is not valid: correct it "
                "so that the reminder can be sent.",
                email=email,
                customer=self.commercial_partner_id[:1].display_name,
            )
        return None

    @api.model
    def _reminder_composer_action(self, level, model, res_ids, **context):
        """The composer on ``res_ids`` for the reminder ``level``, logged once sent."""
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": model,
                "default_res_ids": res_ids,
                "default_composition_mode": "comment",
                "invoice_classic_reminder_level_id": level.id,
                "invoice_classic_log_reminder": True,
                **context,
            },
        }

    @api.model
    def _reminder_mail_values(
        self, record, company, subject, body, recipients, email_from=None, author=None
    ):
        """A queued e-mail on ``record`` (an invoice or a customer), in its chatter too; the
        e-mail in Odoo's light layout (company logo and details), as Odoo's own batch
        mails (website_slides) do, in the recipient's language. From ``author`` (the
        salesperson), else the company: not from the user the scheduled action runs as."""
        author = author or self.env["res.users"]
        lang = recipients[:1].lang or company.partner_id.lang
        record = record.with_context(lang=lang)
        render = self.env["mail.render.mixin"].with_context(lang=lang)
        body_html = render._render_encapsulate(
            "mail.mail_notification_light",
            body,
            add_context={
                "message": self.env["mail.message"]
                .sudo()
                .new({"body": body, "record_name": record.display_name}),
                "model_description": record.type_name
                if record._name == "account.move"
                else render.env._("Payment Reminder"),
                "company": company,
            },
            context_record=record,
        )
        return {
            "model": record._name,
            "res_id": record.id,
            "subject": subject,
            "body": body,
            "body_html": body_html,
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "author_id": (author.partner_id or company.partner_id).id,
            "email_from": email_from or author.email_formatted or company.email_formatted,
            "partner_ids": [Command.set(recipients.ids)],
            "recipient_ids": [Command.set(recipients.ids)],
            "auto_delete": False,
        }

    def _apply_reminder_level(self, level, today, messages=None):
        """Charge the penalties the level asks for, send its message (one for all of
        ``self``, the invoices of one customer, or one per invoice), and log it all. The
        log lines come last: if another run logged this level meanwhile, the unique
        constraint refuses them and the caller's savepoint drops messages and penalties."""
        values_list = self._reminder_log_values(level, today)
        if level.apply_penalty:
            for invoice, values in zip(self, values_list, strict=True):
                values.update(invoice._apply_late_penalty(today))
        partner = self.commercial_partner_id[:1]
        email = self._reminder_email()
        sent_by_hand = messages is not None  # from the composer: already sent
        messages = dict(messages or {})
        emailing = not sent_by_hand and level.channel == "email"
        if emailing and (error := self._reminder_email_error()):
            raise UserError(error)
        # Mail templates read the level being sent from reminder_message_level_id.
        invoices = self.with_context(invoice_classic_reminder_level_id=level.id)
        if emailing and email and len(self) > 1:
            subject, body = self._reminder_customer_message(level)
            message = partner.message_post(
                body=body,
                subject=subject,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=partner.ids,
                author_id=(self._get_mail_author().partner_id or level.company_id.partner_id).id,
            )
            messages = dict.fromkeys(self.ids, message.id)
        elif emailing and email and level.mail_template_id:
            message = invoices.message_post_with_source(
                level.mail_template_id.with_env(invoices.env),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            messages = {self.id: message[:1].id}
        if level.channel == "sms" and not sent_by_hand:
            for invoice in self.filtered(lambda m: m.partner_id.mobile or m.partner_id.phone):
                partner = invoice.partner_id
                message = invoice._message_sms(
                    invoice.with_context(lang=partner.lang or self.env.lang)._get_reminder_sms_body(
                        level
                    ),
                    partner_ids=partner.ids,
                )
                messages[invoice.id] = message.id
        if level.channel == "letter" and not sent_by_hand:
            messages.update(self._post_reminder_letter(level))
        for values in values_list:
            if values["invoice_id"] in messages:
                values["message_id"] = messages[values["invoice_id"]]
            elif level.channel == "sms":
                values["note"] = _("No mobile number: nothing sent.")
            else:
                values["note"] = _("No e-mail address: nothing sent.")
        return self.env["invoice.classic.reminder.log"]._create_logs(values_list)

    def _apply_reminder_level_by_hand(self, level, today, messages=None):
        """``_apply_reminder_level`` for a user (Send Reminder Now, the composer): a level
        the scheduled run logged meanwhile is refused in words, and the user's message and
        penalties are undone with it, so the customer does not get them twice."""
        try:
            with self.env.cr.savepoint():
                return self.with_company(level.company_id)._apply_reminder_level(
                    level, today, messages=messages
                )
        except IntegrityError as error:
            if error.diag.constraint_name != "invoice_classic_reminder_log_invoice_level_done_uniq":
                raise
            raise UserError(
                _(
                    "%(level)s was sent meanwhile by the scheduled reminders: this message is "
                    "not sent, so that the customer does not get it twice.",
                    level=level.name,
                )
            ) from None

    def _log_reminder_sent_by_hand(self, level, today, messages, resend=False):
        """Log a reminder a user sent from the composer. With ``resend`` (the user sends
        again a level already sent), the invoices that had it log a re-send: not a new
        level, no penalties, the level's one done line stays. Otherwise the level is
        applied, and refused if the scheduled run sent it meanwhile.

        :param dict messages: {invoice id: the message sent}
        """
        resent = (
            self.filtered(lambda m: level in m._reminder_done_logs().level_id)
            if resend
            else self.browse()
        )
        values_list = resent._reminder_log_values(level, today, state="resent")
        for values in values_list:
            values["message_id"] = messages.get(values["invoice_id"])
        logs = self.env["invoice.classic.reminder.log"]._create_logs(values_list)
        if self - resent:
            logs |= (self - resent)._apply_reminder_level_by_hand(level, today, messages=messages)
        return logs

    def _log_reminder_failure(self, level, today, error):
        """Keep what went wrong in the reminder history; the level is tried again the
        next day (the invoices are already checked for today)."""
        reason = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
        try:
            with self.env.cr.savepoint():
                self.env["invoice.classic.reminder.log"]._create_logs(
                    self._reminder_log_values(level, today, state="failed", note=str(reason)[:250])
                )
        except Exception:
            _logger.exception("Could not log the failed reminder of invoices %s", self.ids)

    def _post_reminder_letter(self, level):
        """The level's letter, to print and post: the statement of these overdue invoices
        as a PDF, kept in the chatter (the customer's, for several invoices).

        :return: {invoice id: the message that carries the letter}
        """
        partner = self.commercial_partner_id[:1]
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(
                invoice_classic_reminder_level_id=level.id,
                invoice_classic_statement_invoice_ids=self.ids,
                lang=partner.lang or self.env.lang,
            )
            ._render_qweb_pdf("invoice_classic.report_overdue_statement", partner.ids)
        )
        filename = f"{level.name} - {partner.name}.pdf".replace("/", "-")
        # no_new_invoice: the letter is not a document to update the invoice from
        target = partner if len(self) > 1 else self.with_context(no_new_invoice=True)
        message = target.message_post(
            body=_("%(level)s: a letter to print and post.", level=level.name),
            attachments=[(filename, pdf)],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return dict.fromkeys(self.ids, message.id)

    def _get_reminder_sms_body(self, level):
        self.ensure_one()
        return _(
            "%(company)s - %(level)s: invoice %(name)s, %(amount)s due since %(date)s: %(url)s",
            company=self.company_id.name,
            level=level.name,
            name=self.name,
            amount=self._format_amount(self.amount_due_now),
            date=format_date(self.env, self._reminder_reference_date()),
            url=self.get_base_url() + self.get_portal_url(),
        )

    def _apply_late_penalty(self, today):
        """The penalties owed today by the invoice's terms, minus those already charged,
        as a customer invoice of their own (the 40 EUR indemnity at most once).

        :return: the log values of what was charged
        """
        self.ensure_one()
        due = self._get_penalty_due(today)
        charged = self._reminder_done_logs()
        interest = self.currency_id.round(due.interest - sum(charged.mapped("penalty_interest")))
        indemnity = 0.0 if sum(charged.mapped("penalty_indemnity")) else due.indemnity
        if interest <= 0 and indemnity <= 0:
            return {}
        account = self.company_id.penalty_account_id
        if not account:
            raise UserError(
                _("Choose the account late-payment penalties are booked on in the settings.")
            )
        lines = []
        if interest > 0:
            lines.append((_("Late-payment interest on %(invoice)s", invoice=self.name), interest))
        if indemnity > 0:
            lines.append((_("Fixed indemnity for recovery costs"), indemnity))
        penalty = self.create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "currency_id": self.currency_id.id,
                "invoice_date": today,
                "journal_id": (self.company_id.penalty_journal_id or self.journal_id).id,
                "penalty_origin_id": self.id,
                "invoice_user_id": self.invoice_user_id.id,  # not the scheduled job's user
                "penalty_type": "none",
                "penalty_recovery_indemnity": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": name,
                            "quantity": 1.0,
                            "price_unit": amount,
                            "account_id": account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                    for name, amount in lines
                ],
            }
        )
        penalty.action_post()
        return {
            "penalty_interest": max(interest, 0.0),
            "penalty_indemnity": indemnity,
            "penalty_move_id": penalty.id,
        }

    def action_preview_reminder(self):
        """The reminder due today in the composer, to read (and edit) before it goes; else
        the last one sent, to send again (the user may choose another level there)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        levels = self._reminder_levels_by_company(self.company_id)[self.company_id]
        level = self._get_due_reminder_level(levels, today) or self.reminder_level_id
        if not level:
            raise UserError(_("No reminder is due for these invoices today."))
        return self._reminder_composer_action(
            level, self._name, self.ids, default_template_id=level.mail_template_id.id
        )

    def action_send_reminder_now(self):
        """The reminder level due today, now, for these invoices."""
        today = fields.Date.context_today(self)
        by_company = self._reminder_levels_by_company(self.company_id)
        sent = self.env["invoice.classic.reminder.log"]
        for invoice in self.filtered(lambda m: m.state == "posted" and m.amount_residual):
            level = invoice._get_due_reminder_level(by_company[invoice.company_id], today)
            if level:
                sent |= invoice._apply_reminder_level_by_hand(level, today)
        if not sent:
            raise UserError(_("No reminder is due for these invoices today."))
        return True
