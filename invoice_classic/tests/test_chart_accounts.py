from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChartAccounts(TransactionCase):
    """The addon's accounts on Odoo's French chart (PCG)."""

    def _codes(self, company):
        company = company.with_company(company)  # an account's code is per company
        return (
            company.invoice_discount_account_id.code,
            company.invoice_tip_account_id.code,
            company.penalty_account_id.code,
        )

    def test_demo_company_on_the_french_chart(self):
        company = self.env.ref("invoice_classic.company_studio_demo")
        self.assertEqual(company.chart_template, "fr")
        self.assertEqual(self._codes(company), ("709600", "428600", "763100"))
        self.assertEqual(company.account_sale_tax_id.amount, 20.0)
        self.assertEqual(company.account_fiscal_country_id, self.env.ref("base.fr"))

    def test_new_company_loading_the_french_chart(self):
        company = self.env["res.company"].create(
            {"name": "Conseil Moreau", "country_id": self.env.ref("base.fr").id}
        )
        self.env["account.chart.template"].try_loading("fr", company, install_demo=False)
        self.assertEqual(self._codes(company), ("709600", "428600", "763100"))

    def test_company_already_on_the_french_chart_at_install(self):
        company = self.env["res.company"].create(
            {"name": "Boutique Petit", "country_id": self.env.ref("base.fr").id}
        )
        self.env["account.chart.template"].try_loading("fr", company, install_demo=False)
        own_tip_account = self.env["account.chart.template"].with_company(company).ref("pcg_7588")
        company.write(
            {
                "invoice_discount_account_id": False,
                "invoice_tip_account_id": own_tip_account.id,
                "penalty_account_id": False,
            }
        )
        self.env["res.company"]._invoice_classic_install_defaults()
        # what was empty is filled, what the company chose is kept
        self.assertEqual(self._codes(company), ("709600", "758800", "763100"))

    def test_other_country_keeps_its_chart(self):
        company = self.env["res.company"].create(
            {"name": "Atelier Bruxelles", "country_id": self.env.ref("base.be").id}
        )
        self.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        self.env["res.company"]._invoice_classic_install_defaults()
        self.assertEqual(company.chart_template, "generic_coa")
        self.assertEqual(self._codes(company), (False, False, False))
