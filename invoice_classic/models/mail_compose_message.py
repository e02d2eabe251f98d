from odoo import fields, models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _action_send_mail(self, auto_commit=False):
        """A reminder previewed then sent from the composer is logged like the scheduled ones
        (and charges the level's penalties): on an invoice, or on a customer for several."""
        result_mails, result_messages = super()._action_send_mail(auto_commit=auto_commit)
        context = self.env.context
        level_id = context.get("invoice_classic_reminder_level_id")
        if not (level_id and context.get("invoice_classic_log_reminder") and result_messages):
            return result_mails, result_messages
        level = self.env["invoice.classic.reminder.level"].browse(level_id)
        self._log_reminder(level, result_messages)
        return result_mails, result_messages

    def _log_reminder(self, level, result_messages):
        context = self.env.context
        today = fields.Date.context_today(self)
        if self.model == "res.partner":
            invoices = self.env["account.move"].browse(
                context.get("invoice_classic_reminder_invoice_ids") or []
            )
            invoices._apply_reminder_level_by_hand(
                level, today, messages=dict.fromkeys(invoices.ids, result_messages[:1].id)
            )
        elif self.model == "account.move":
            invoices = self.env["account.move"].browse(result_messages.mapped("res_id"))
            for invoice in invoices:
                message = result_messages.filtered(lambda m, i=invoice: m.res_id == i.id)[:1]
                invoice._apply_reminder_level_by_hand(
                    level, today, messages={invoice.id: message.id}
                )
