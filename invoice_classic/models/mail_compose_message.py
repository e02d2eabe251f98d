from odoo import api, fields, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    reminder_level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        default=lambda self: self._default_reminder_level_id(),
        domain="[('company_id', '=', reminder_company_id)]",
        help="The payment reminder this message is: choose another one to preview it.",
    )
    reminder_company_id = fields.Many2one(
        related="reminder_level_id.company_id", string="Reminder Level Company"
    )
    reminder_resend = fields.Boolean(
        string="Re-send",
        compute="_compute_reminder_resend",
        store=True,
        readonly=False,
        help="This reminder was already sent: it is sent again and logged as a re-send "
        "(no new level, no penalties charged again).",
    )

    def _default_reminder_level_id(self):
        context = self.env.context
        if context.get("invoice_classic_log_reminder"):
            return context.get("invoice_classic_reminder_level_id")
        return False

    @api.depends("reminder_level_id")
    def _compute_reminder_resend(self):
        for composer in self:
            level = composer.reminder_level_id
            composer.reminder_resend = bool(level) and level in (
                composer._reminder_invoices()
                .reminder_log_ids.filtered(lambda log: log.state == "done")
                .level_id
            )

    @api.depends("reminder_level_id")
    def _compute_subject(self):
        reminders = self._reminder_composers()
        for composer in reminders:
            composer._reminder_render("subject")
        return super(MailComposeMessage, self - reminders)._compute_subject()

    @api.depends("reminder_level_id")
    def _compute_body(self):
        reminders = self._reminder_composers()
        for composer in reminders:
            composer._reminder_render("body")
        return super(MailComposeMessage, self - reminders)._compute_body()

    @api.onchange("reminder_level_id")
    def _onchange_reminder_level_id(self):
        if self.reminder_level_id and self.model == "account.move":
            self.template_id = self.reminder_level_id.mail_template_id

    def _reminder_composers(self):
        return self.filtered(lambda composer: composer.reminder_level_id)

    def _reminder_invoices(self):
        """The invoices a reminder composer is about: its own records, or those listed in
        the customer's message."""
        self.ensure_one()
        moves = self.env["account.move"]
        if self.model == "res.partner":
            return moves.browse(self.env.context.get("invoice_classic_reminder_invoice_ids") or [])
        if self.model == "account.move":
            return moves.browse(self._evaluate_res_ids())
        return moves

    def _reminder_render(self, fname):
        """The preview of the level chosen: the customer's message listing its invoices, or
        the level's template rendered for that level (its templates read the level from
        the context)."""
        self.ensure_one()
        level = self.reminder_level_id
        if self.model == "res.partner":
            subject, body = self._reminder_invoices()._reminder_customer_message(level)
            self[fname] = subject if fname == "subject" else body
            return
        composer = self.with_context(invoice_classic_reminder_level_id=level.id)
        if fname == "subject":
            super(MailComposeMessage, composer)._compute_subject()
        else:
            super(MailComposeMessage, composer)._compute_body()

    def _action_send_mail(self, auto_commit=False):
        """A reminder previewed then sent from the composer is logged like the scheduled ones
        (and charges the level's penalties): on an invoice, or on a customer for several."""
        result_mails, result_messages = super()._action_send_mail(auto_commit=auto_commit)
        if not (self.reminder_level_id and result_messages):
            return result_mails, result_messages
        self._log_reminder(self.reminder_level_id, result_messages)
        return result_mails, result_messages

    def _log_reminder(self, level, result_messages):
        context = self.env.context
        today = fields.Date.context_today(self)
        resend = self.reminder_resend
        if self.model == "res.partner":
            invoices = self.env["account.move"].browse(
                context.get("invoice_classic_reminder_invoice_ids") or []
            )
            invoices._log_reminder_sent_by_hand(
                level,
                today,
                dict.fromkeys(invoices.ids, result_messages[:1].id),
                resend=resend,
            )
        elif self.model == "account.move":
            invoices = self.env["account.move"].browse(result_messages.mapped("res_id"))
            for invoice in invoices:
                message = result_messages.filtered(lambda m, i=invoice: m.res_id == i.id)[:1]
                invoice._log_reminder_sent_by_hand(
                    level, today, {invoice.id: message.id}, resend=resend
                )
