from odoo import Command, api, fields, models


class MailComposeMessage(models.TransientModel):
    """A payment reminder sent by hand: previewed (and edited) in Odoo's composer, sent by
    it, then logged by the reminder run (which charges the level's penalties)."""

    _inherit = "mail.compose.message"

    reminder_level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        domain="[('company_id', '=', reminder_company_id)]",
        help="The payment reminder this message is: choose another one to preview it.",
    )
    reminder_company_id = fields.Many2one(
        related="reminder_level_id.company_id", string="Reminder Level Company"
    )
    reminder_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="invoice_classic_compose_reminder_invoice_rel",
        string="Reminded Invoices",
        help="The invoices this reminder is about: the composer's own, or those the "
        "customer's message lists.",
    )
    reminder_resend = fields.Boolean(
        string="Re-send",
        compute="_compute_reminder_resend",
        store=True,
        readonly=False,
        help="This reminder was already sent: it is sent again and logged as a re-send "
        "(no new level, no penalties charged again).",
    )

    @api.depends("reminder_level_id", "reminder_invoice_ids")
    def _compute_reminder_resend(self):
        for composer in self:
            level = composer.reminder_level_id
            composer.reminder_resend = bool(level) and level in (
                composer.reminder_invoice_ids.reminder_log_ids.filtered(
                    lambda log: log.state == "done"
                ).level_id
            )

    @api.depends("reminder_level_id", "reminder_invoice_ids")
    def _compute_subject(self):
        reminders = self._render_reminders("subject")
        return super(MailComposeMessage, self - reminders)._compute_subject()

    @api.depends("reminder_level_id", "reminder_invoice_ids")
    def _compute_body(self):
        reminders = self._render_reminders("body")
        return super(MailComposeMessage, self - reminders)._compute_body()

    @api.onchange("reminder_level_id")
    def _onchange_reminder_level_id(self):
        if self.reminder_level_id and self.model == "account.move":
            self.template_id = self.reminder_level_id.mail_template_id

    @api.model
    def _get_reminder_action(self, level, record, invoices):
        """The composer of the reminder ``level`` on ``record``: an invoice, or its customer
        for one message listing ``invoices``."""
        if record._name == "account.move":
            defaults = {"default_template_id": level.mail_template_id.id}
        else:
            defaults = {"default_partner_ids": record.ids}
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": record._name,
                "default_res_ids": record.ids,
                "default_composition_mode": "comment",
                "default_reminder_level_id": level.id,
                "default_reminder_invoice_ids": [Command.set(invoices.ids)],
                **defaults,
            },
        }

    def _render_reminders(self, fname):
        """Render ``fname`` (subject or body) of the reminder composers: the preview of the
        level chosen, the customer's message listing its invoices, or the level's template
        rendered for that level (its templates read the level from the context).

        :return: the reminder composers
        """
        reminders = self.filtered(lambda composer: composer.reminder_level_id)
        delivery = self.env["invoice.classic.reminder.delivery"]
        for composer in reminders:
            level = composer.reminder_level_id
            if composer.model == "res.partner":
                subject, body = delivery._render_customer_message(
                    composer.reminder_invoice_ids, level
                )
                composer[fname] = subject if fname == "subject" else body
                continue
            parent = super(
                MailComposeMessage,
                composer.with_context(invoice_classic_reminder_level_id=level.id),
            )
            if fname == "subject":
                parent._compute_subject()
            else:
                parent._compute_body()
                invoice = composer.reminder_invoice_ids[:1]
                composer.body = invoice._add_pay_now_html(composer.body)
        return reminders

    def _action_send_mail(self, auto_commit=False):
        """A reminder previewed then sent from the composer is logged like the scheduled ones
        (and charges the level's penalties): on an invoice, or on a customer for several."""
        result_mails, result_messages = super()._action_send_mail(auto_commit=auto_commit)
        if self.reminder_level_id and self.reminder_invoice_ids and result_messages:
            self._log_reminder(result_messages)
        return result_mails, result_messages

    def _log_reminder(self, result_messages):
        if self.model == "res.partner":
            messages = dict.fromkeys(self.reminder_invoice_ids.ids, result_messages[:1].id)
        else:
            messages = {message.res_id: message.id for message in result_messages}
        self.env["invoice.classic.reminder.run"]._log_sent_by_hand(
            self.reminder_invoice_ids.filtered(lambda m: m.id in messages),
            self.reminder_level_id,
            fields.Date.context_today(self),
            messages,
            resend=self.reminder_resend,
        )
