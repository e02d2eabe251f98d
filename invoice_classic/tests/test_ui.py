from odoo.tests import HttpCase, tagged

from .common import InvoiceClassicCommon


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
