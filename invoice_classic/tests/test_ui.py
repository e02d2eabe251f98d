from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import InvoiceClassicCommon, InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestUi(InvoiceClassicCommon, HttpCase):
    def test_quotation_to_draft_invoice_tour(self):
        quotation = self._create_order()
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{quotation.id}",
            "invoice_classic_quotation_to_invoice",
            login=self.env.user.login,
        )
        invoice = quotation.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(quotation.state, "sale")


@tagged("post_install", "-at_install")
class TestEditorUi(InvoiceEditorCommon, HttpCase):
    def test_invoice_editor_tour(self):
        invoice = self._create_invoice()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_editor",
            login=self.env.user.login,
        )
        self.assertEqual(invoice.invoice_title, "Refonte du site")
        self.assertEqual(invoice.amount_untaxed, 1080.0)
        self.assertEqual(len(invoice.installment_line_ids), 3)

    def test_send_reminder_now_tour(self):
        """10 days late: the first reminder opens in the composer, goes, and is logged."""
        self.customer.email = "compta@client.example.com"
        due = fields.Date.context_today(self.env["account.move"]) - timedelta(days=10)
        invoice = self._create_invoice(
            invoice_date=due, invoice_date_due=due, invoice_payment_term_id=False
        )
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_reminder_now",
            login=self.env.user.login,
        )
        self.assertEqual(invoice.reminder_log_ids.level_id.days, 7)
        self.assertIn(invoice.name, invoice.reminder_log_ids.message_id.body)

    def test_pdf_layout_then_send_tour(self):
        """PDF, the modern layout, Send by E-mail: Odoo's sending wizard opens with that layout
        (checked in the tour), which makes the PDF and marks the invoice sent."""
        self.customer.email = "compta@client.example.com"
        invoice = self._create_invoice()
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_pdf_send",
            login=self.env.user.login,
        )
        self.env.invalidate_all()
        self.assertTrue(invoice.is_move_sent)
        self.assertTrue(invoice.invoice_pdf_report_id, "the PDF was made and kept")
