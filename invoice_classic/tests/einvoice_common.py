from odoo import Command

from .common import InvoiceClassicCommon
from .einvoice_validators import cii_errors, ubl_errors


class EInvoiceCommon(InvoiceClassicCommon):
    """A French company on Odoo's French chart selling to a French business, and the
    validators of the field run on Odoo's real exports (Factur-X CII and UBL BIS 3)."""

    @classmethod
    @InvoiceClassicCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        fr = cls.env.ref("base.fr")
        cls.company = cls.env.company
        cls.company.write(
            {
                "name": "Atelier Dupont",
                "street": "12 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": fr.id,
                "vat": "FR44732829320",
                "company_registry": "73282932000009",
                "legal_form": "SARL",
                "share_capital": 10000.0,
                "trade_register_city": "Lyon",
            }
        )
        cls.company.partner_id.bank_ids = [
            Command.create({"acc_number": "FR7630006000011234567890189"})
        ]
        cls.customer.write(
            {
                "name": "Boulangerie Martin",
                "is_company": True,
                "street": "3 place Bellecour",
                "zip": "69002",
                "city": "Lyon",
                "country_id": fr.id,
                "vat": "FR03552081317",
                "company_registry": "55208131700000",
                "invoice_edi_format": "facturx",
            }
        )
        ChartTemplate = cls.env["account.chart.template"]
        cls.tax_20 = ChartTemplate.ref("tva_normale")
        cls.tax_55 = ChartTemplate.ref("tva_reduite")
        (cls.tax_20 | cls.tax_55).active = True
        (cls.chair | cls.design).taxes_id = cls.tax_20

    def _export_cii(self, invoice):
        return self.env["account.edi.xml.cii"]._export_invoice(invoice)[0]

    def _export_ubl(self, invoice):
        return self.env["account.edi.xml.ubl_bis3"]._export_invoice(invoice)[0]

    def assertEInvoiceValid(self, invoice):
        """The invoice's Factur-X and UBL pass the XSDs, EN 16931 and the French BR-FR rules."""
        errors = [f"CII {error}" for error in cii_errors(self._export_cii(invoice))]
        errors += [f"UBL {error}" for error in ubl_errors(self._export_ubl(invoice))]
        self.assertFalse(errors, f"{invoice.display_name}:\n" + "\n".join(errors))
