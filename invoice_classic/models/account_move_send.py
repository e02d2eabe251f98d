from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_pdf_report_id(self, move):
        """The layout chosen in "PDF", else the customer's (Odoo's own field), else the
        company's, else Odoo's."""
        if chosen := self.env.context.get("invoice_classic_pdf_report_id"):
            return self.env["ir.actions.report"].browse(chosen)
        partner_report = move.partner_id.with_company(
            move.company_id
        ).invoice_template_pdf_report_id
        return (
            partner_report
            or move.company_id.invoice_report_id
            or super()._get_default_pdf_report_id(move)
        )

    @api.model
    def _get_default_sending_method(self, move):
        """Queued by "send when validated" or "Send invoice by e-mail": by e-mail."""
        if move.sending_data and move.sending_data.get("invoice_classic_email"):
            return "email"
        return super()._get_default_sending_method(move)

    @api.model
    def _get_default_mail_body(self, move, mail_template, mail_lang):
        """While the invoice can be paid online, its "Pay now" link, below the message."""
        body = super()._get_default_mail_body(move, mail_template, mail_lang)
        return move._add_pay_now_html(body, lang=mail_lang)

    @api.model
    def _get_default_mail_subject(self, move, mail_template, mail_lang):
        """The invoice's title says what the e-mail is about."""
        subject = super()._get_default_mail_subject(move, mail_template, mail_lang)
        if move.invoice_title and move.invoice_title not in (subject or ""):
            subject = f"{subject} - {move.invoice_title}" if subject else move.invoice_title
        return subject

    @api.model
    def _get_default_mail_attachments_widget(self, move, mail_template, **kwargs):
        """The files chosen for the customer go with the invoice."""
        return super()._get_default_mail_attachments_widget(move, mail_template, **kwargs) + [
            {
                "id": attachment.id,
                "name": attachment.name,
                "mimetype": attachment.mimetype,
                "placeholder": False,
            }
            for attachment in move.invoice_attachment_ids
        ]
