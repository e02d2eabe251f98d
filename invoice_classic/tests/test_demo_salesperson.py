import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

RUN_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run.sh"


@tagged("post_install", "-at_install")
class TestDemoSalesperson(TransactionCase):
    """What a newcomer sees in the demo: a real salesperson, not OdooBot; their own
    quotations in Odoo's default "My Quotations"; the interface in English and French."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("invoice_classic.company_studio_demo", raise_if_not_found=False)
        cls.camille = cls.env.ref("invoice_classic.user_camille_demo", raise_if_not_found=False)

    def test_demo_salesperson_is_a_real_user_with_an_email(self):
        self.assertTrue(self.company, "the demo data of invoice_classic is installed")
        self.assertTrue(self.camille, "the demo salesperson exists")
        self.assertEqual(self.camille.company_id, self.company)
        self.assertTrue(self.camille.email)
        customers = self.env.ref("invoice_classic.res_partner_boulangerie_demo") | self.env.ref(
            "invoice_classic.res_partner_durand_demo"
        )
        self.assertEqual(customers.user_id, self.camille)
        self.assertEqual(
            self.env.ref("invoice_classic.invoice_template_retainer_demo").user_id, self.camille
        )
        invoices = self.env["account.move"].search(
            [("company_id", "=", self.company.id), ("move_type", "=", "out_invoice")]
        )
        self.assertTrue(invoices)
        odoobot = self.env.ref("base.user_root")
        self.assertNotIn(odoobot, invoices.invoice_user_id, "no invoice is OdooBot's")
        self.assertIn(self.camille, invoices.invoice_user_id)
        for invoice in invoices:
            self.assertNotEqual(invoice._get_sending_author()["author_user_id"], odoobot.id)

    def test_admin_sees_quotations_in_my_quotations(self):
        """Odoo's quotation list opens on "My Quotations" (the user's own): the demo
        quotation waiting for a click is the administrator's."""
        admin = self.env.ref("base.user_admin")
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        self.assertTrue(safe_eval(action["context"]).get("search_default_my_quotation"))
        my_quotations = (
            self.env["sale.order"]
            .with_user(admin)
            .with_company(self.company)
            .search([("user_id", "=", admin.id), ("company_id", "=", self.company.id)])
        )
        self.assertIn(self.env.ref("invoice_classic.sale_order_quotation_demo"), my_quotations)
        self.assertIn("draft", my_quotations.mapped("state"))

    def test_run_script_starts_in_english_with_french_installed(self):
        """scripts/run.sh creates the database with English first (Odoo makes the first
        language the administrator's and new contacts') and French, as the README says."""
        match = re.search(r"--load-language=(\S+)", RUN_SCRIPT.read_text())
        self.assertTrue(match, "run.sh loads languages")
        languages = match.group(1).split(",")
        self.assertEqual(languages[0], "en_US", "the interface starts in English")
        self.assertIn("fr_FR", languages)
        readme = (RUN_SCRIPT.parents[1] / "README.md").read_text()
        self.assertIn("The interface starts in English", readme)
