from odoo import models

from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("fr", "res.company")
    def _get_fr_invoice_classic_res_company(self):
        """The accounts of the French chart (PCG) a French accountant books the
        addon's lines on, set when a company loads that chart."""
        return {
            self.env.company.id: {
                # Rabais, remises et ristournes accordés sur prestations de services
                "invoice_discount_account_id": "pcg_7096",
                # Personnel - autres charges à payer: a tip belongs to the staff it is handed to
                "invoice_tip_account_id": "pcg_4286",
                # Revenus des créances commerciales: interest on late trade receivables
                "penalty_account_id": "pcg_7631",
            },
        }

    def _invoice_classic_fill_accounts(self, companies):
        """Companies already on the French chart when the addon is installed get the
        same accounts as those that load it later, where they have none yet."""
        for company in companies.filtered(lambda c: c.chart_template == "fr"):
            chart = self.with_company(company)
            defaults = chart._get_fr_invoice_classic_res_company()[company.id]
            values = {}
            for field_name, xmlid in defaults.items():
                account = chart.ref(xmlid, raise_if_not_found=False)
                if account and not company[field_name]:
                    values[field_name] = account.id
            company.write(values)
