from datetime import date

from lxml import etree

from odoo import Command
from odoo.tests import Form, tagged

from .einvoice_common import EInvoiceCommon
from .einvoice_validators import CII_NS

UBL_NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


@tagged("post_install", "-at_install")
class TestEInvoiceLines(EInvoiceCommon):
    """Every invoice the addon makes gives a Factur-X and a UBL whose lines, VAT
    categories and totals pass EN 16931 and the French BR-FR rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's Factur-X export also asks for the seller's phone and e-mail (BR-DE-6/7).
        cls.company.write(
            {
                "phone": "+33 4 72 00 00 00",
                "email": "compta@atelier-dupont.example.com",
                "penalty_type": "percent",
                "penalty_rate": 1.5,
                "penalty_rate_basis": "monthly",
                "penalty_recovery_indemnity": True,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def assertEInvoiceValid(self, invoice):
        """Valid for the validators, and Odoo's own export constraints refuse nothing."""
        result = super().assertEInvoiceValid(invoice)
        self.assertFalse(self._export_refusals(invoice), "Odoo's exports refuse nothing")
        return result

    def _export_refusals(self, invoice):
        return (
            self.env["account.edi.xml.cii"]._export_invoice(invoice)[1]
            | self.env["account.edi.xml.ubl_bis3"]._export_invoice(invoice)[1]
        )

    def _invoice(self, lines=None, **values):
        """A posted customer invoice; ``lines``: [(label, price, taxes)], by default 1000
        at 20 % and 200 at 5.5 %."""
        lines = lines or [("Conseil", 1000.0, self.tax_20), ("Livres", 200.0, self.tax_55)]
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "price_unit": price,
                            "quantity": 1.0,
                            "tax_ids": [Command.set(taxes.ids)],
                        }
                    )
                    for label, price, taxes in lines
                ],
                **values,
            }
        )
        invoice.action_post()
        return invoice

    def _credit_note(self, invoice):
        """The credit note of ``invoice`` through Odoo's reversal wizard, posted."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Erreur de facturation"})
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        credit_note.action_post()
        return credit_note

    def _cii_line(self, invoice, line):
        """The Factur-X line of ``line`` (by its item name)."""
        root = etree.fromstring(self._export_cii(invoice))
        nodes = root.xpath(
            "//ram:IncludedSupplyChainTradeLineItem[ram:SpecifiedTradeProduct/ram:Name=$name]",
            namespaces=CII_NS,
            name=line._get_einvoice_item_name(),
        )
        self.assertEqual(len(nodes), 1, line.name)
        return nodes[0]

    def _cii_vat_breakdown(self, invoice):
        """{(category, rate or None): (basis, reason, reason code)} of the Factur-X."""
        root = etree.fromstring(self._export_cii(invoice))
        return {
            (
                node.findtext("ram:CategoryCode", namespaces=CII_NS),
                node.findtext("ram:RateApplicablePercent", namespaces=CII_NS),
            ): (
                node.findtext("ram:BasisAmount", namespaces=CII_NS),
                node.findtext("ram:ExemptionReason", namespaces=CII_NS),
                node.findtext("ram:ExemptionReasonCode", namespaces=CII_NS),
            )
            for node in root.xpath(
                "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", namespaces=CII_NS
            )
        }

    def _ubl_line_category(self, invoice, line):
        root = etree.fromstring(self._export_ubl(invoice))
        categories = root.xpath(
            "//*[self::cac:InvoiceLine or self::cac:CreditNoteLine]"
            "[cac:Item/cbc:Name=$name]/cac:Item/cac:ClassifiedTaxCategory",
            namespaces=UBL_NS,
            name=line._get_einvoice_item_name(),
        )
        self.assertEqual(len(categories), 1, line.name)
        return (
            categories[0].findtext("cbc:ID", namespaces=UBL_NS),
            categories[0].findtext("cbc:Percent", namespaces=UBL_NS),
        )

    def _ubl_vat_breakdown(self, invoice):
        root = etree.fromstring(self._export_ubl(invoice))
        return {
            (
                node.findtext("cac:TaxCategory/cbc:ID", namespaces=UBL_NS),
                node.findtext("cac:TaxCategory/cbc:Percent", namespaces=UBL_NS),
            ): (
                node.findtext("cbc:TaxableAmount", namespaces=UBL_NS),
                node.findtext("cac:TaxCategory/cbc:TaxExemptionReason", namespaces=UBL_NS),
                node.findtext("cac:TaxCategory/cbc:TaxExemptionReasonCode", namespaces=UBL_NS),
            )
            for node in root.xpath("/*/cac:TaxTotal/cac:TaxSubtotal", namespaces=UBL_NS)
        }

    def _tip_invoice(self):
        """A 50 EUR tip on 1000 at 20 % and 200 at 5.5 %, entered in the form."""
        with Form(self.env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.customer
            form.invoice_date = date(2026, 1, 15)
            for label, price, tax in (
                ("Conseil", 1000.0, self.tax_20),
                ("Livres", 200.0, self.tax_55),
            ):
                with form.invoice_line_ids.new() as line:
                    line.name = label
                    line.price_unit = price
                    line.tax_ids.clear()
                    line.tax_ids.add(tax)
            form.tip_type = "fixed"
            form.tip_fixed = 50
        invoice = form.record
        invoice.action_post()
        return invoice

    def _penalty_invoice(self):
        """The penalties the reminders charge on 1200 (VAT included) due on January 31 and unpaid on
        March 5: 1.5 % a month and the 40 EUR recovery indemnity."""
        late = self._invoice(
            [("Conseil", 1000.0, self.tax_20)],
            invoice_date="2026-01-01",
            invoice_date_due="2026-01-31",
            invoice_payment_term_id=False,
        )
        self.env["invoice.classic.reminder.penalty"]._charge_penalty(late, date(2026, 3, 5))
        penalty = late.penalty_move_ids
        self.assertEqual(penalty.state, "posted")
        self.assertEqual(len(penalty.invoice_line_ids), 2, "interest and indemnity")
        self.assertFalse(penalty.invoice_line_ids.tax_ids)
        return penalty

    # ------------------------------------------------------------------
    # Odoo's own invoices and the one-click ones
    # ------------------------------------------------------------------
    def test_plain_odoo_invoice(self):
        invoice = self.init_invoice(
            "out_invoice", partner=self.customer, products=self.design, post=True
        )
        self.assertEInvoiceValid(invoice)
        self.assertEInvoiceValid(self._credit_note(invoice))

    def test_product_less_lines_are_named(self):
        """[BR-25] and the Factur-X XSD: a line without product has its label as item name."""
        invoice = self._invoice([("Conseil\nen agencement", 300.0, self.tax_20)])
        item = self._cii_line(invoice, invoice.invoice_line_ids).find(
            "ram:SpecifiedTradeProduct", namespaces=CII_NS
        )
        self.assertEqual(item.findtext("ram:Name", namespaces=CII_NS), "Conseil en agencement")
        self.assertEqual(
            item.findtext("ram:Description", namespaces=CII_NS), "Conseil\nen agencement"
        )
        self.assertEInvoiceValid(invoice)

    def test_one_click_invoice_from_a_sales_order(self):
        order = self._create_order()
        order.action_invoice_one_click()
        invoice = order.invoice_ids
        invoice.action_post()
        self.assertEInvoiceValid(invoice)

    def test_one_click_invoice_from_a_delivery_and_credit_note_from_its_return(self):
        order = self._create_order([(self.chair, 10.0)], confirm=True)
        delivery = self._deliver(order.picking_ids)
        delivery.action_invoice_one_click()
        invoice = delivery.invoice_ids
        invoice.action_post()
        self.assertEInvoiceValid(invoice)

        return_picking = self._return(delivery, {self.chair: 3.0})
        return_picking.action_invoice_one_click()
        credit_note = return_picking.invoice_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        credit_note.action_post()
        self.assertEInvoiceValid(credit_note)

    # ------------------------------------------------------------------
    # Invoice discount
    # ------------------------------------------------------------------
    def test_percent_discount_lines_carry_the_discounted_vat(self):
        invoice = self._invoice(global_discount_type="percent", global_discount_percent=10)
        self.assertEqual(invoice.amount_total, 1269.9)
        discounts = invoice.invoice_line_ids.filtered(lambda l: l.classic_line_type == "discount")
        self.assertEqual(len(discounts), 2)
        for discount in discounts:
            node = self._cii_line(invoice, discount)
            rate = node.findtext(
                ".//ram:ApplicableTradeTax/ram:RateApplicablePercent", namespaces=CII_NS
            )
            self.assertEqual(float(rate), discount.tax_ids.amount)
            self.assertEqual(self._ubl_line_category(invoice, discount)[0], "S")
        self.assertEqual(
            self._cii_vat_breakdown(invoice),
            {("S", "20.0"): ("900.00", None, None), ("S", "5.5"): ("180.00", None, None)},
        )
        self.assertEInvoiceValid(invoice)
        self.assertEInvoiceValid(self._credit_note(invoice))

    def test_fixed_discount(self):
        invoice = self._invoice(global_discount_type="fixed", global_discount_fixed=120)
        self.assertEqual(invoice.amount_untaxed, 1080.0)
        self.assertEInvoiceValid(invoice)
        self.assertEInvoiceValid(self._credit_note(invoice))

    # ------------------------------------------------------------------
    # Tip
    # ------------------------------------------------------------------
    def test_tip_without_tax_is_exempt_with_its_reason(self):
        invoice = self._tip_invoice()
        self.assertEqual(invoice.amount_total, 1461.0)
        tip = invoice.invoice_line_ids.filtered(lambda l: l.classic_line_type == "tip")
        self.assertFalse(tip.tax_ids)
        self.assertEqual(tip._get_einvoice_vat_category()["code"], "E")

        node = self._cii_line(invoice, tip)
        tax = node.find(".//ram:ApplicableTradeTax", namespaces=CII_NS)
        self.assertEqual(tax.findtext("ram:CategoryCode", namespaces=CII_NS), "E")
        self.assertEqual(tax.findtext("ram:RateApplicablePercent", namespaces=CII_NS), "0.0")
        reason = "Tip handed in full to the staff: not part of the VAT base"
        self.assertEqual(self._cii_vat_breakdown(invoice)[("E", "0.0")], ("50.00", reason, None))
        root = etree.fromstring(self._export_cii(invoice))
        summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
        self.assertEqual(
            root.xpath(summation + "TaxBasisTotalAmount/text()", namespaces=CII_NS), ["1250.00"]
        )
        self.assertEqual(
            root.xpath(summation + "GrandTotalAmount/text()", namespaces=CII_NS), ["1461.00"]
        )

        self.assertEqual(self._ubl_line_category(invoice, tip), ("E", "0.0"))
        self.assertEqual(self._ubl_vat_breakdown(invoice)[("E", "0.0")], ("50.00", reason, None))
        self.assertEInvoiceValid(invoice)
        self.assertEInvoiceValid(self._credit_note(invoice))

    def test_tip_with_the_tax_of_the_settings(self):
        self.company.invoice_tip_tax_ids = self.tax_20
        invoice = self._tip_invoice()
        tip = invoice.invoice_line_ids.filtered(lambda l: l.classic_line_type == "tip")
        self.assertEqual(tip.tax_ids, self.tax_20)
        tax = self._cii_line(invoice, tip).find(".//ram:ApplicableTradeTax", namespaces=CII_NS)
        self.assertEqual(tax.findtext("ram:CategoryCode", namespaces=CII_NS), "S")
        self.assertEqual(tax.findtext("ram:RateApplicablePercent", namespaces=CII_NS), "20.0")
        self.assertEqual(self._ubl_line_category(invoice, tip), ("S", "20.0"))
        self.assertNotIn("E", {code for code, _rate in self._cii_vat_breakdown(invoice)})
        self.assertEInvoiceValid(invoice)
        self.assertEInvoiceValid(self._credit_note(invoice))

    # ------------------------------------------------------------------
    # Penalty invoice of the reminders
    # ------------------------------------------------------------------
    def test_penalty_invoice_is_outside_the_scope_of_vat(self):
        penalty = self._penalty_invoice()
        self.assertEqual(penalty.amount_total, 76.0, "2 months of 1.5 % on 1200, and 40")
        for line in penalty.invoice_line_ids:
            self.assertEqual(line._get_einvoice_vat_category()["code"], "O")
            tax = self._cii_line(penalty, line).find(".//ram:ApplicableTradeTax", namespaces=CII_NS)
            self.assertEqual(tax.findtext("ram:CategoryCode", namespaces=CII_NS), "O")
            self.assertIsNone(tax.find("ram:RateApplicablePercent", namespaces=CII_NS), "BR-O-05")
            self.assertEqual(self._ubl_line_category(penalty, line), ("O", None))
        reason = "Outside the scope of VAT: compensation for late payment"
        self.assertEqual(
            self._cii_vat_breakdown(penalty), {("O", None): ("76.00", reason, "VATEX-EU-O")}
        )
        self.assertEqual(
            self._ubl_vat_breakdown(penalty), {("O", None): ("76.00", reason, "VATEX-EU-O")}
        )
        # [BR-O-02] (EN 16931, UBL): no VAT identifier beside a line not subject to VAT.
        ubl = etree.fromstring(self._export_ubl(penalty))
        self.assertFalse(ubl.xpath("//cac:PartyTaxScheme", namespaces=UBL_NS))
        # The Factur-X EXTENDED rules (and the French EXTENDED-CTC-FR ones) have no BR-O-02:
        # the seller's VAT number, a French mandatory mention, stays.
        cii = etree.fromstring(self._export_cii(penalty))
        self.assertEqual(
            cii.xpath(
                "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID/text()",
                namespaces=CII_NS,
            ),
            ["FR44732829320"],
        )
        self.assertEInvoiceValid(penalty)

        credit_note = self._credit_note(penalty)
        self.assertEqual(
            credit_note.invoice_line_ids.mapped(lambda l: l._get_einvoice_vat_category()["code"]),
            ["O", "O"],
        )
        self.assertEInvoiceValid(credit_note)

    # ------------------------------------------------------------------
    # Undecidable
    # ------------------------------------------------------------------
    def test_other_line_without_tax_is_not_decided(self):
        """A line without tax on an ordinary invoice: no category can be guessed, and
        Odoo's exports still refuse it."""
        invoice = self._invoice([("Conseil", 1000.0, self.tax_20), ("Frais", 30.0, self.tax_20)])
        invoice.button_draft()
        invoice.invoice_line_ids[1].tax_ids = False
        invoice.action_post()
        self.assertFalse(invoice.invoice_line_ids[1]._get_einvoice_vat_category())
        self.assertEqual(
            invoice.invoice_line_ids[0]._get_einvoice_vat_category(),
            {"code": "S", "reason_code": False, "reason": False},
        )
        self.assertTrue(self._export_refusals(invoice))
