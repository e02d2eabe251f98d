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
