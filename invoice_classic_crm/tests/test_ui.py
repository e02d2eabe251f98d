from odoo.tests import HttpCase, tagged

from .common import InvoiceClassicCrmCommon


@tagged("post_install", "-at_install")
class TestUi(InvoiceClassicCrmCommon, HttpCase):
    def test_opportunity_to_invoice_tour(self):
        """From the opportunity's form, one click: its quotation and its order in one
        draft invoice."""
        quotation = self._create_order()
        order = self._create_order([(self.design, 1.0)], confirm=True)
        lead = self._create_opportunity(orders=quotation | order)
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}",
            "invoice_classic_crm_opportunity_to_invoice",
            login=self.env.user.login,
        )
        invoice = quotation.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(order.invoice_ids, invoice)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(quotation.state, "sale")
