from datetime import date

from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .einvoice_common import EInvoiceCommon

CII_NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
UBL_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"


@tagged("post_install", "-at_install")
class TestEInvoiceMentions(EInvoiceCommon):
    """The French mentions of the PDF in the Factur-X (CII) and UBL of an invoice: SIREN,
    billing framework, coded notes, electronic addresses, VAT point, preceding invoice,
    delivery address, installments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.invoice_vat_on_debits = False
        cls.customer.write(
            {
                "lang": "en_US",
                "penalty_type": "percent",
                "penalty_rate": 12.0,
                "penalty_rate_basis": "annual",
                "penalty_recovery_indemnity": True,
            }
        )

    def _create_invoice(self, products=None, post=True, **values):
        """An invoice of ``products`` (by default the design service) to the customer,
        each line taxed at 20 %."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": product.id, "quantity": 1, "tax_ids": self.tax_20.ids}
                    )
                    for product in (products or self.design)
                ],
                **values,
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def _refund(self, invoice):
        refund = invoice._reverse_moves([{"invoice_date": "2026-01-20"}])
        refund.action_post()
        return refund

    def _cii(self, invoice):
        return etree.fromstring(self._export_cii(invoice))

    def _ubl(self, invoice):
        return etree.fromstring(self._export_ubl(invoice))

    def _cii_values(self, invoice, xpath):
        return [
            node if isinstance(node, str) else node.text
            for node in self._cii(invoice).xpath(xpath, namespaces=CII_NS)
        ]

    def _ubl_values(self, invoice, xpath):
        return [
            node if isinstance(node, str) else node.text
            for node in self._ubl(invoice).xpath(xpath, namespaces=UBL_NS)
        ]

    def _cii_notes(self, invoice):
        """{subject code or None: [contents]} of the invoice's CII notes (BG-1)."""
        notes = {}
        for note in self._cii(invoice).xpath(
            "rsm:ExchangedDocument/ram:IncludedNote", namespaces=CII_NS
        ):
            code = note.findtext("ram:SubjectCode", namespaces=CII_NS)
            notes.setdefault(code, []).append(note.findtext("ram:Content", namespaces=CII_NS))
        return notes

    # --- validity ---------------------------------------------------------------------------------

    def test_plain_invoice_and_its_credit_note_are_valid(self):
        invoice = self._create_invoice(self.chair | self.design)
        self.assertEInvoiceValid(invoice)
        self.assertEInvoiceValid(self._refund(invoice))

    # --- SIREN (BT-30, BT-47) ---------------------------------------------------------------------

    def test_siren_of_seller_and_buyer_from_their_siret(self):
        invoice = self._create_invoice()
        for party, siren in (("SellerTradeParty", "732829320"), ("BuyerTradeParty", "552081317")):
            self.assertEqual(
                self._cii_values(
                    invoice, f"{AGREEMENT}/ram:{party}/ram:SpecifiedLegalOrganization/ram:ID"
                ),
                [siren],
            )
            self.assertEqual(
                self._cii_values(
                    invoice,
                    f"{AGREEMENT}/ram:{party}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID",
                ),
                ["0002"],
            )
        for party, siren in (
            ("AccountingSupplierParty", "732829320"),
            ("AccountingCustomerParty", "552081317"),
        ):
            self.assertEqual(
                self._ubl_values(
                    invoice,
                    f"cac:{party}/cac:Party/cac:PartyLegalEntity/cbc:CompanyID[@schemeID='0002']",
                ),
                [siren],
            )

    def test_siren_from_odoos_siret_field(self):
        """The SIRET typed in the field of Odoo's French localisation (not in Company ID)
        gives the SIREN too, of the seller and of the buyer: one rule for both fields."""
        self.company.write({"company_registry": False, "siret": "73282932000009"})
        self.customer.write({"company_registry": False, "siret": "55208131700000"})
        invoice = self.init_invoice("out_invoice", partner=self.customer, products=self.design)
        self.assertEqual(self.company._get_siren(), "732829320")
        self.assertEqual(self.company._get_siret(), "73282932000009")
        self.assertEqual(invoice.customer_siren, "552081317")
        invoice.action_post()
        self.assertEInvoiceValid(invoice)

    def test_siren_edited_on_the_invoice_is_the_buyers(self):
        invoice = self._create_invoice(post=False)
        with Form(invoice) as form:
            form.customer_siren = "443061841"
        invoice.action_post()
        self.assertEqual(
            self._cii_values(
                invoice, f"{AGREEMENT}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
            ),
            ["443061841"],
        )
        self.assertEqual(
            self._ubl_values(
                invoice, "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID"
            ),
            ["443061841"],
        )

    # --- billing framework (BT-23) ----------------------------------------------------------------

    def test_billing_framework_from_the_operation_category(self):
        for products, code in (
            (self.chair, "B1"),
            (self.design, "S1"),
            (self.chair | self.design, "M1"),
        ):
            with self.subTest(code=code):
                invoice = self._create_invoice(products)
                self.assertEqual(
                    self._cii_values(
                        invoice,
                        "rsm:ExchangedDocumentContext/"
                        "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
                    ),
                    [code],
                )
                self.assertEqual(self._ubl_values(invoice, "cbc:ProfileID"), [code])

    def test_foreign_customer_keeps_peppols_process_and_gets_no_siren(self):
        self.partner_b.write(
            {
                "is_company": True,
                "country_id": self.env.ref("base.be").id,
                "vat": "BE0477472701",
                "company_registry": "0477472701",
            }
        )
        invoice = self._create_invoice(partner_id=self.partner_b.id)
        self.assertFalse(invoice.customer_siren)
        self.assertFalse(
            self._cii_values(
                invoice,
                "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter",
            )
        )
        self.assertEqual(
            self._ubl_values(invoice, "cbc:ProfileID"),
            ["urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"],
        )
        self.assertFalse(
            self._cii_values(
                invoice, f"{AGREEMENT}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization"
            )
        )
        self.assertEqual(
            self._cii_values(
                invoice, f"{AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
            ),
            ["732829320"],
        )
        self.assertEqual(
            sorted(code for code in self._cii_notes(invoice) if code), ["AAB", "PMD", "PMT"]
        )

    # --- notes (BG-1) -----------------------------------------------------------------------------

    def test_penalty_indemnity_and_discount_notes(self):
        invoice = self._create_invoice(
            invoice_title="Logo 2026", narration="<p>Thank you for your trust.</p>"
        )
        penalty = (
            "Late payment: penalties at the annual rate of 12 % of the remaining balance, "
            "counted per day overdue."
        )
        no_discount = "No discount for early payment."
        notes = self._cii_notes(invoice)
        self.assertEqual(notes["PMD"], [penalty])
        self.assertEqual(len(notes["PMT"]), 1)
        self.assertIn("fixed indemnity of 40.00", notes["PMT"][0])
        self.assertIn("L441-10", notes["PMT"][0])
        self.assertEqual(notes["AAB"], [no_discount])
        self.assertNotIn("TXD", notes)
        self.assertEqual(notes[None], ["Thank you for your trust.", "Logo 2026"])
        self.assertEqual(notes["PMT"][0], invoice._get_recovery_indemnity_sentence())

        ubl_notes = self._ubl_values(invoice, "cbc:Note")
        self.assertEqual(
            ubl_notes,
            [
                "Thank you for your trust.",
                "Logo 2026",
                f"#PMD#{penalty}",
                f"#PMT#{notes['PMT'][0]}",
                f"#AAB#{no_discount}",
            ],
        )

    def test_notes_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        invoice = self._create_invoice()
        self.assertEqual(
            self._cii_notes(invoice)["AAB"], ["Pas d'escompte pour paiement anticipé."]
        )
        self.assertIn(
            "#AAB#Pas d'escompte pour paiement anticipé.", self._ubl_values(invoice, "cbc:Note")
        )

    def test_early_payment_discount_note(self):
        early_terms = self.env["account.payment.term"].create(
            {
                "name": "2 % at 10 days, net 30",
                "early_discount": True,
                "discount_percentage": 2.0,
                "discount_days": 10,
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30})
                ],
            }
        )
        invoice = self._create_invoice(invoice_payment_term_id=early_terms.id)
        self.assertEqual(
            self._cii_notes(invoice)["AAB"],
            ["Discount for early payment: 2 % if paid by 01/25/2026."],
        )

    # --- electronic addresses (BT-34, BT-49) ------------------------------------------------------

    def test_electronic_addresses_of_seller_and_buyer(self):
        invoice = self._create_invoice()
        for party, siren in (("SellerTradeParty", "732829320"), ("BuyerTradeParty", "552081317")):
            uri = f"{AGREEMENT}/ram:{party}/ram:URIUniversalCommunication/ram:URIID"
            self.assertEqual(self._cii_values(invoice, uri), [siren])
            self.assertEqual(self._cii_values(invoice, f"{uri}/@schemeID"), ["0225"])
        for party, siren in (
            ("AccountingSupplierParty", "732829320"),
            ("AccountingCustomerParty", "552081317"),
        ):
            endpoint = f"cac:{party}/cac:Party/cbc:EndpointID"
            self.assertEqual(self._ubl_values(invoice, endpoint), [siren])
            self.assertEqual(self._ubl_values(invoice, f"{endpoint}/@schemeID"), ["0225"])

        # an address chosen for the customer: its SIRET (0009)
        self.customer.write({"peppol_eas": "0009", "peppol_endpoint": "55208131700000"})
        uri = f"{AGREEMENT}/ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID"
        self.assertEqual(self._cii_values(invoice, uri), ["55208131700000"])
        self.assertEqual(self._cii_values(invoice, f"{uri}/@schemeID"), ["0009"])

    def test_default_electronic_address_of_a_french_company(self):
        with Form(self.env["res.partner"]) as form:
            form.company_type = "company"
            form.name = "Imprimerie Rivière"
            form.country_id = self.env.ref("base.fr")
            form.vat = "FR82542065479"
            form.company_registry = "54206547900016"
        partner = form.record
        self.assertEqual((partner.peppol_eas, partner.peppol_endpoint), ("0225", "542065479"))

        # an address of its own under the SIREN, typed on the partner form, is kept; a new
        # SIREN starts it again
        with Form(partner) as form:
            form.peppol_endpoint = "542065479_COMPTA"
        partner.vat = False
        self.assertEqual(partner.peppol_endpoint, "542065479_COMPTA")
        partner.company_registry = "383474814"
        self.assertEqual((partner.peppol_eas, partner.peppol_endpoint), ("0225", "383474814"))

        # another scheme chosen by hand stays
        partner.write({"peppol_eas": "0009", "peppol_endpoint": "38347481400019"})
        partner.company_registry = "38347481400027"
        self.assertEqual(partner.peppol_eas, "0009")

        with self.assertRaises(ValidationError):
            partner.write({"peppol_eas": "0225", "peppol_endpoint": "383 474 814"})

    def test_clearing_the_company_id_keeps_the_french_address(self):
        """Saving a French customer without Company ID works: its address stays a French one
        (not Odoo's SIRET scheme with a SIREN it refuses); the e-invoice check asks for it."""
        with Form(self.customer) as form:
            form.company_registry = False
        self.assertEqual(self.customer.peppol_eas, "0225")

    # --- VAT point (BT-8) -------------------------------------------------------------------------

    def test_vat_point_code_and_vat_on_debits_mention(self):
        tax_point = f"{SETTLEMENT}/ram:ApplicableTradeTax/ram:DueDateTypeCode"
        for products, cii_code, ubl_code in ((self.design, "72", "432"), (self.chair, "29", "35")):
            with self.subTest(cii_code=cii_code):
                invoice = self._create_invoice(products)
                self.assertEqual(self._cii_values(invoice, tax_point), [cii_code])
                self.assertEqual(
                    self._ubl_values(invoice, "cac:InvoicePeriod/cbc:DescriptionCode"), [ubl_code]
                )

        self.company.invoice_vat_on_debits = True
        invoice = self._create_invoice(self.design)
        self.assertTrue(invoice.vat_on_debits)
        self.assertEqual(self._cii_values(invoice, tax_point), ["5"])
        self.assertEqual(self._ubl_values(invoice, "cac:InvoicePeriod/cbc:DescriptionCode"), ["3"])
        self.assertEqual(
            self._cii_notes(invoice)["TXD"], ["Option for the payment of VAT on debits."]
        )
        self.assertIn(
            "#TXD#Option for the payment of VAT on debits.", self._ubl_values(invoice, "cbc:Note")
        )
        self.assertEInvoiceValid(invoice)

    # --- credit note (BT-25, BT-26) ---------------------------------------------------------------

    def test_credit_note_refers_to_its_invoice(self):
        invoice = self._create_invoice()
        refund = self._refund(invoice)
        reference = f"{SETTLEMENT}/ram:InvoiceReferencedDocument"
        self.assertEqual(
            self._cii_values(refund, f"{reference}/ram:IssuerAssignedID"), [invoice.name]
        )
        self.assertEqual(
            self._cii_values(refund, f"{reference}/ram:FormattedIssueDateTime/qdt:DateTimeString"),
            ["20260115"],
        )
        self.assertEqual(
            self._ubl_values(refund, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
            [invoice.name],
        )
        self.assertEqual(
            self._ubl_values(
                refund, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate"
            ),
            ["2026-01-15"],
        )
        self.assertFalse(self._cii_values(invoice, reference), "an invoice refers to none")

    # --- delivery address (BG-13) -----------------------------------------------------------------

    def test_delivery_address_other_than_the_customers(self):
        warehouse = self.env["res.partner"].create(
            {
                "name": "Entrepôt Martin",
                "type": "delivery",
                "parent_id": self.customer.id,
                "street": "ZI des Chanteraines",
                "zip": "92390",
                "city": "Villeneuve-la-Garenne",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        invoice = self._create_invoice(self.chair, partner_shipping_id=warehouse.id)
        self.assertTrue(invoice.show_delivery_address)
        ship_to = (
            "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty"
        )
        self.assertEqual(self._cii_values(invoice, f"{ship_to}/ram:Name"), [warehouse.display_name])
        self.assertEqual(
            self._cii_values(invoice, f"{ship_to}/ram:PostalTradeAddress/ram:CityName"),
            ["Villeneuve-la-Garenne"],
        )
        self.assertEqual(
            self._ubl_values(invoice, "cac:Delivery/cac:DeliveryLocation/cac:Address/cbc:CityName"),
            ["Villeneuve-la-Garenne"],
        )
        self.assertEInvoiceValid(invoice)

    # --- installments -----------------------------------------------------------------------------

    def test_installments_each_with_its_due_date_and_amount(self):
        invoice = self._create_invoice(
            installment_mode="equal",
            installment_count=3,
            installment_interval=1,
            installment_interval_unit="months",
        )
        terms = self._cii(invoice).xpath(
            f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms", namespaces=CII_NS
        )
        self.assertEqual(
            [
                (
                    term.findtext("ram:DueDateDateTime/udt:DateTimeString", namespaces=CII_NS),
                    term.findtext("ram:PartialPaymentAmount", namespaces=CII_NS),
                )
                for term in terms
            ],
            [("20260115", "200.00"), ("20260215", "200.00"), ("20260315", "200.00")],
        )
        self.assertEqual(
            invoice.installment_line_ids.mapped("date_maturity")[-1], date(2026, 3, 15)
        )
        note = self._ubl_values(invoice, "cac:PaymentTerms/cbc:Note")
        self.assertEqual(len(note), 1)
        for line in (
            "Installment 1: 200.00\xa0€ due on 01/15/2026.",
            "Installment 2: 200.00\xa0€ due on 02/15/2026.",
            "Installment 3: 200.00\xa0€ due on 03/15/2026.",
        ):
            self.assertIn(line, note[0].splitlines())
        self.assertEInvoiceValid(invoice)
