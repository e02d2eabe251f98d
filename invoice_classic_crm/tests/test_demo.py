from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    def test_demo_opportunity(self):
        """An opportunity of the demo company, Studio Lumière, with a quotation and an order
        to invoice: the administrator's (CRM opens on "My Pipeline")."""
        lead = self.env.ref(
            "invoice_classic_crm.crm_lead_rebranding_demo", raise_if_not_found=False
        )
        self.assertTrue(lead, "the demo data of invoice_classic_crm is installed")
        self.assertEqual(lead.company_id, self.env.ref("invoice_classic.company_studio_demo"))
        self.assertEqual(lead.user_id, self.env.ref("base.user_admin"))
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.order_ids.company_id, lead.company_id)
        self.assertEqual(lead.quotation_count, 1)
        self.assertEqual(lead.sale_order_count, 1)
        self.assertEqual(lead.invoiceable_order_count, 2)
