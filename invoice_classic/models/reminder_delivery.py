"""Payment reminders: the delivery of a level's message, by the level's channel."""

from dataclasses import dataclass, field

from odoo import _, api, models


@dataclass(frozen=True)
class Delivered:
    """What the delivery of one message did for the invoices it is about."""

    messages: dict = field(default_factory=dict)  # {invoice id: id of the mail.message}
    note: str = ""  # why the invoices without a message got none
    error: str = ""  # why the message could not be sent (nothing was)

    def log_values(self, invoice_id):
        """What the reminder log of one invoice says of this delivery."""
        if self.error:
            return {"state": "failed", "note": self.error}
        if invoice_id in self.messages:
            return {"message_id": self.messages[invoice_id]}
        return {"note": self.note} if self.note else {}


class InvoiceClassicReminderDelivery(models.AbstractModel):
    """Sends the message of a reminder level, by its channel (e-mail, SMS, letter), and
    says what it did; it never logs, charges or decides anything (the run does)."""

    _name = "invoice.classic.reminder.delivery"
    _description = "Payment Reminder Delivery"

    @api.model
    def _deliver(self, invoices, level):
        """The message of ``level`` about ``invoices`` (one, or several of one customer for
        one message), by the level's channel.

        :rtype: Delivered
        """
        if level.channel == "sms":
            return self._send_sms(invoices, level)
        if level.channel == "letter":
            return self._send_letter(invoices, level)
        return self._send_emails([(level, invoices)])[0]

    @api.model
    def _send_sms(self, invoices, level):
        """A text to each invoice's contact that has a phone number."""
        messages = {}
        for invoice in invoices.filtered(lambda m: m.partner_id.mobile or m.partner_id.phone):
            partner = invoice.partner_id
            body = self.with_context(lang=partner.lang or self.env.lang)._get_sms_body(
                invoice, level
            )
            messages[invoice.id] = invoice._message_sms(body, partner_ids=partner.ids).id
        return Delivered(messages=messages, note=_("No mobile number: nothing sent."))

    @api.model
    def _get_sms_body(self, invoice, level):
        """The level's SMS for ``invoice``: the SMS template
        ``invoice_classic.sms_template_payment_reminder`` (users may edit it), in the
        customer's language."""
        template = self.env.ref("invoice_classic.sms_template_payment_reminder").with_context(
            invoice_classic_reminder_level_id=level.id
        )
        return template._render_field("body", invoice.ids, compute_lang=True)[invoice.id]

    @api.model
    def _send_letter(self, invoices, level):
        """The level's letter, to print and post: the statement of these overdue invoices
        as a PDF, kept in the chatter (the customer's, for several invoices)."""
        partner = invoices.commercial_partner_id[:1]
        pdf, _report_type = (
            self.env["ir.actions.report"]
            .with_context(lang=partner.lang or self.env.lang)
            ._render_qweb_pdf(
                "invoice_classic.report_overdue_statement",
                partner.ids,
                data={"level_id": level.id, "invoice_ids": invoices.ids},
            )
        )
        filename = f"{level.name} - {partner.name}.pdf".replace("/", "-")
        # no_new_invoice: the letter is not a document to update the invoice from
        target = partner if len(invoices) > 1 else invoices.with_context(no_new_invoice=True)
        message = target.message_post(
            body=_("%(level)s: a letter to print and post.", level=level.name),
            attachments=[(filename, pdf)],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return Delivered(messages=dict.fromkeys(invoices.ids, message.id))
