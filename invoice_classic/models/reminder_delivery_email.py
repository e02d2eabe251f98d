"""Payment reminders: their e-mails, one message or a whole batch at once."""

from collections import defaultdict
from dataclasses import dataclass

from odoo import Command, _, api, models
from odoo.tools import email_normalize_all

from .reminder_delivery import Delivered

# What a level's template renders for an e-mail of its own (Odoo's names).
TEMPLATE_FIELDS = (
    "subject",
    "body_html",
    "email_from",
    "partner_to",
    "attachment_ids",
    "report_template_ids",
)


@dataclass(frozen=True)
class ReminderEmail:
    """One reminder e-mail, rendered, not sent yet: on ``record``, the invoice, or its
    customer for one message about several invoices."""

    record: models.BaseModel
    company: models.BaseModel
    subject: str
    body: str
    recipients: models.BaseModel
    author: models.BaseModel  # res.users; none: the company
    email_from: str = ""
    attachment_ids: tuple = ()  # the template's own files
    attachments: tuple = ()  # (name, base64 content) of the reports the template prints


class InvoiceClassicReminderDelivery(models.AbstractModel):
    """The e-mail channel: the same mail values (``_prepare_mail_values``) for a message
    sent alone (a level with penalties, a template with files, a user's Send Reminder Now)
    and for the e-mails of a whole batch of the daily run."""

    _inherit = "invoice.classic.reminder.delivery"

    @api.model
    def _send_emails(self, items):
        """The e-mails of ``items``, one or a whole batch, in a few statements: rendered
        (the level's template for all the invoices sent alone, the customer message for
        several), then created as mail.mail with their chatter messages in one create. A
        group with an invalid address gets an error, one without an address a note.

        :param list items: [(level, invoices of one message)]
        :return: [Delivered], in the order of ``items``
        """
        self._prefetch_addresses(items)
        results = [self._check_email(invoices, level) for level, invoices in items]
        to_send = [
            (index, level, invoices)
            for index, ((level, invoices), result) in enumerate(zip(items, results, strict=True))
            if result is None
        ]
        emails = self._render_emails(to_send)
        mails = self._create_mails([emails[index] for index, _level, _invoices in to_send])
        for (index, _level, invoices), mail in zip(to_send, mails, strict=True):
            results[index] = Delivered(
                messages=dict.fromkeys(invoices.ids, mail.mail_message_id.id)
            )
        return results

    @api.model
    def _prefetch_addresses(self, items):
        """The addresses of all the customers at once (each group prefetches only itself)."""
        every = self.env["account.move"].browse(
            [invoice_id for _level, invoices in items for invoice_id in invoices.ids]
        )
        (every.partner_id | every.commercial_partner_id).mapped("email")

    @api.model
    def _get_email(self, invoices):
        """The address reminders about ``invoices`` (of one customer) go to."""
        return invoices.partner_id[:1].email or invoices.commercial_partner_id[:1].email

    @api.model
    def _check_email(self, invoices, level):
        """Why no e-mail can go about ``invoices``, or None."""
        email = self._get_email(invoices)
        if email and not email_normalize_all(email):
            return Delivered(
                error=_(
                    "The e-mail address %(email)s of %(customer)s is not valid: correct it "
                    "so that the reminder can be sent.",
                    email=email,
                    customer=invoices.commercial_partner_id[:1].display_name,
                )
            )
        if not email or (len(invoices) == 1 and not level.mail_template_id):
            return Delivered(note=_("No e-mail address: nothing sent."))
        return None

    @api.model
    def _render_emails(self, to_send):
        """:param list to_send: [(index, level, invoices of one message)]
        :return: {index: ReminderEmail}"""
        emails, singles = {}, defaultdict(list)
        for index, level, invoices in to_send:
            if len(invoices) == 1:
                singles[level].append((index, invoices))
            else:
                emails[index] = self._prepare_customer_email(invoices, level)
        for level, pairs in singles.items():
            emails.update(self._prepare_template_emails(level, pairs))
        return emails

    @api.model
    def _prepare_customer_email(self, invoices, level):
        """One e-mail to the customer listing ``invoices``, on the customer."""
        partner = invoices.commercial_partner_id[:1]
        subject, body = self._render_customer_message(invoices, level)
        return ReminderEmail(
            record=partner,
            company=level.company_id,
            subject=subject,
            body=body,
            recipients=partner,
            author=invoices._get_mail_author(),
        )

    @api.model
    def _prepare_template_emails(self, level, pairs):
        """The e-mails of the level's template, each on its invoice, rendered at once.

        :param list pairs: [(index, invoice)]
        :return: {index: ReminderEmail}
        """
        invoices = self.env["account.move"].browse([group.id for _index, group in pairs])
        # The template reads the level being sent from reminder_message_level_id.
        rendered = level.mail_template_id.with_context(
            invoice_classic_reminder_level_id=level.id
        )._generate_template(invoices.ids, TEMPLATE_FIELDS)
        emails = {}
        # The invoices of the whole batch, read together (each group prefetches only itself).
        for (index, _group), invoice in zip(pairs, invoices, strict=True):
            values = rendered[invoice.id]
            emails[index] = ReminderEmail(
                record=invoice,
                company=level.company_id,
                subject=values["subject"],
                body=invoice._add_pay_now_html(values["body_html"]),
                recipients=self.env["res.partner"].browse(values.get("partner_ids") or []),
                author=invoice._get_mail_author(),
                email_from=values.get("email_from") or "",
                attachment_ids=tuple(values.get("attachment_ids") or ()),
                attachments=tuple(values.get("attachments") or ()),
            )
        return emails

    @api.model
    def _render_customer_message(self, invoices, level):
        """Subject and body of one message to the customer listing ``invoices``, its
        invoices at ``level`` (sent by the run, or previewed in the composer)."""
        partner = invoices.commercial_partner_id[:1]
        body = self.env["mail.render.mixin"]._render_template_qweb_view(
            "invoice_classic.reminder_customer_message",
            "res.partner",
            partner.ids,
            add_context={"invoices": invoices, "level": level},
        )[partner.id]
        subject = _("%(company)s - %(level)s", company=level.company_id.name, level=level.name)
        return subject, body

    @api.model
    def _create_mails(self, emails):
        """The mail.mail of ``emails``, with their chatter messages, in one create; sent
        after the commit, unless the context asks for the mail queue (Odoo's
        ``mail_notify_force_send``, as the daily run does)."""
        values_list = [self._prepare_mail_values(email) for email in emails]
        self._set_reply_to(values_list)
        # sudo: billing users may not create mail.mail; the values are the engine's, from
        # the invoices the user or the daily run acts on.
        mails = self.env["mail.mail"].sudo().create(values_list)
        self._attach_reports(emails, mails)
        if mails and self.env.context.get("mail_notify_force_send", True):
            mails.send_after_commit()
        return mails

    @api.model
    def _prepare_mail_values(self, email):
        """A queued e-mail on its record (an invoice or a customer), in its chatter too.
        From its author (the salesperson), else the company: not from the user the
        scheduled action runs as. The one place the values of a reminder e-mail are made,
        sent alone or in bulk."""
        company, recipients = email.company, email.recipients
        values = {
            "model": email.record._name,
            "res_id": email.record.id,
            "subject": email.subject,
            "body": email.body,
            "body_html": self._render_layout(email),
            "message_type": "comment",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
            "author_id": (email.author.partner_id or company.partner_id).id,
            "email_from": email.email_from
            or email.author.email_formatted
            or company.email_formatted,
            "partner_ids": [Command.set(recipients.ids)],
            "recipient_ids": [Command.set(recipients.ids)],
            "auto_delete": False,
        }
        if email.attachment_ids:
            values["attachment_ids"] = [Command.set(list(email.attachment_ids))]
        return values

    @api.model
    def _render_layout(self, email):
        """The e-mail in Odoo's light layout (company logo and details), as Odoo's own batch
        mails (website_slides) do, in the recipient's language."""
        lang = email.recipients[:1].lang or email.company.partner_id.lang
        record = email.record.with_context(lang=lang)
        render = self.env["mail.render.mixin"].with_context(lang=lang)
        return render._render_encapsulate(
            "mail.mail_notification_light",
            email.body,
            add_context={
                "message": self.env["mail.message"]
                .sudo()
                .new({"body": email.body, "record_name": record.display_name}),
                "model_description": record.type_name
                if record._name == "account.move"
                else render.env._("Payment Reminder"),
                "company": email.company,
            },
            context_record=record,
        )

    @api.model
    def _set_reply_to(self, values_list):
        """Reply-to addresses of all the records at once (mail.message would find them one
        by one)."""
        by_model = defaultdict(list)
        for values in values_list:
            by_model[values["model"]].append(values["res_id"])
        reply_to = {
            model: self.env[model].browse(ids)._notify_get_reply_to(default=None)
            for model, ids in by_model.items()
        }
        for values in values_list:
            values["reply_to"] = (
                reply_to[values["model"]].get(values["res_id"]) or values["email_from"]
            )

    @api.model
    def _attach_reports(self, emails, mails):
        """The reports a template prints, as files of the record and of its e-mail."""
        for email, mail in zip(emails, mails, strict=True):
            if email.attachments:
                mail.with_context(default_type=None).write(
                    {
                        "attachment_ids": [
                            Command.create(
                                {
                                    "name": name,
                                    "datas": datas,
                                    "type": "binary",
                                    "res_model": email.record._name,
                                    "res_id": email.record.id,
                                }
                            )
                            for name, datas in email.attachments
                        ]
                    }
                )
