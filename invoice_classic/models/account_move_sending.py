from odoo import _, models
from odoo.exceptions import UserError

from .account_move import CUSTOMER_MOVE_TYPES


class AccountMove(models.Model):
    """Sending the invoice: by e-mail when validated (the customer's choice, else the
    company's), through Odoo's own background sending (``account.move.send`` and its
    scheduled action); by SMS with its portal link; or marked as sent outside the
    system."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda move: move._wants_auto_send()).action_queue_invoice_email()
        return posted

    def _wants_auto_send(self):
        """Sent by e-mail when validated: the customer's choice, else the company's; once."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.is_move_sent:
            return False
        choice = self.partner_id.invoice_auto_send or self.commercial_partner_id.invoice_auto_send
        return choice == "always" if choice else self.company_id.invoice_auto_send

    # --- e-mail --------------------------------------------------------------------------------

    def action_queue_invoice_email(self):
        """Send the posted customer invoices by e-mail in the background, through Odoo's own
        sending (PDF, mail queue); once: those sent or already queued are left alone. A
        customer without an e-mail address gets an activity for the salesperson instead."""
        invoices = self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type in CUSTOMER_MOVE_TYPES
                and not m.is_move_sent
                and not m.sending_data
            )
        )
        without_email = invoices.filtered(lambda m: not m.partner_id.email)
        for invoice in without_email:
            invoice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Send the invoice: the customer has no e-mail address"),
                user_id=(invoice.invoice_user_id or self.env.user).id,
            )
        (invoices - without_email)._queue_for_sending(by_email=True)
        return True

    def _queue_for_sending(self, by_email=False):
        """Queue these posted invoices for Odoo's background sending (``sending_data``, read
        by the scheduled action ``account.ir_cron_account_move_send``, the one of "Send" on
        several invoices), from their salesperson, else the company, not from the user or
        job that queued them. ``by_email``: by e-mail, whatever the customer's sending
        method (``account.move.send._get_default_sending_method``)."""
        # One write per author (the salesperson, else the company).
        for group in self.grouped(lambda m: (m._get_mail_author(), m.company_id)).values():
            sending_data = group[:1]._get_sending_author()
            if by_email:
                sending_data["invoice_classic_email"] = True
            group.sending_data = sending_data
        if self:
            self.env.ref("account.ir_cron_account_move_send")._trigger()

    def _get_mail_author(self):
        """The user e-mails about these invoices (of one company) come from: their
        salesperson when they have one, else none: the company. Never OdooBot, the user of
        scheduled jobs and of the install, salesperson of what they made."""
        salesperson = self.invoice_user_id.filtered(lambda user: not user._is_superuser())
        return salesperson if len(salesperson) == 1 else self.env["res.users"]

    def _get_sending_author(self):
        """The author of the e-mail of this invoice sent in the background (Odoo's
        ``sending_data``): its salesperson, else the company; the user to tell of the result,
        the salesperson else the one who queued it."""
        self.ensure_one()
        salesperson = self._get_mail_author()
        return {
            "author_user_id": (salesperson or self.env.user).id,
            "author_partner_id": (salesperson.partner_id or self.company_id.partner_id).id,
        }

    # --- SMS -----------------------------------------------------------------------------------

    def action_send_sms(self):
        """A short text with the invoice's portal link, through Odoo's sms module; its text
        is the SMS template ``invoice_classic.sms_template_invoice``, which users may edit."""
        invoices = self.filtered(lambda m: m.state == "posted" and m.is_sale_document())
        if invoices != self:
            raise UserError(_("Only posted customer invoices and credit notes can be sent by SMS."))
        without_number = invoices.filtered(
            lambda m: not (m.partner_id.mobile or m.partner_id.phone)
        )
        if without_number:
            raise UserError(
                _(
                    "These customers have no mobile number: %(names)s.",
                    names=", ".join(without_number.partner_id.mapped("display_name")),
                )
            )
        template = self.env.ref("invoice_classic.sms_template_invoice")
        for invoice in invoices:
            invoice._message_sms_with_template(
                template=template, partner_ids=invoice.partner_id.ids
            )
        return True

    # --- sent outside the system ---------------------------------------------------------------

    def action_mark_as_sent(self):
        """Sent outside the system (by post, by hand): Odoo stops offering to send it."""
        if self.filtered(lambda m: m.state != "posted" or not m.is_sale_document()):
            raise UserError(
                _("Only posted customer invoices and credit notes can be marked as sent.")
            )
        for invoice in self.filtered(lambda m: m.state == "posted" and not m.is_move_sent):
            invoice.is_move_sent = True
            invoice.message_post(body=_("Marked as sent (outside the system)."))
        return True
