from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCompanyLegalMentions(TransactionCase):
    """What French invoices and letters state of the seller (Code de commerce, R123-237)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {
                "name": "Studio Test",
                "currency_id": cls.env.ref("base.EUR").id,
                "company_registry": "851 234 567 00010",
                "vat": "FR39851234567",
                "legal_form": "SARL",
                "share_capital": 10000,
                "trade_register_city": "Lyon",
            }
        )

    def test_siren_from_siret_or_itself(self):
        self.assertEqual(self.company.company_siren, "851234567")
        self.company.company_registry = "851234567"
        self.assertEqual(self.company.company_siren, "851234567")
        self.company.company_registry = "HRB 12345"
        self.assertFalse(self.company.company_siren, "not a French number")

    def test_mentions(self):
        self.assertEqual(
            self.company._get_legal_mentions(),
            [
                "SARL with a share capital of 10,000.00\N{NO-BREAK SPACE}€",
                "RCS Lyon 851 234 567",
                "SIRET: 851 234 567 00010",
                "VAT: FR39851234567",
            ],
        )
        self.company.write(
            {"legal_form": False, "trade_register_city": False, "company_registry": "851234567"}
        )
        self.assertEqual(
            self.company._get_legal_mentions(),
            [
                "Share capital: 10,000.00\N{NO-BREAK SPACE}€",
                "SIREN: 851234567",
                "VAT: FR39851234567",
            ],
        )

    def test_mentions_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["invoice_classic"], ["fr_FR"])
        mentions = self.company.with_context(lang="fr_FR")._get_legal_mentions()
        self.assertEqual(
            mentions[0]
            .replace("\N{NO-BREAK SPACE}", " ")
            .replace("\N{NARROW NO-BREAK SPACE}", " "),
            "SARL au capital de 10 000,00 €",
        )
        self.assertEqual(mentions[1:3], ["RCS Lyon 851 234 567", "SIRET : 851 234 567 00010"])
