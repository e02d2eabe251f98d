"""What the PDF of an invoice states, its e-invoice carries too (Factur-X CII and UBL).

The French e-invoicing rules (BR-FR, Flux 2) reject an invoice of a French seller whose
XML misses: the seller's SIREN (BT-30) and the buyer's (BT-47) with scheme 0002; the
billing framework (BT-23: B1 goods, S1 services, M1 both); the notes of the late-payment
penalties (PMD), of the recovery indemnity (PMT) and of the early-payment discount or its
absence (AAB); the electronic addresses of seller and buyer (BT-34, BT-49); the invoice a
credit note corrects (BT-25, BT-26). The XML also says when the VAT becomes due (BT-8,
with the mention of the option for VAT on debits), and the installment schedule.

The invoice says what (``account.move._get_einvoice_*``); each format says where.
"""

from odoo import fields, models
from odoo.tools import format_date, formatLang

# BT-23, the French "cadre de facturation" of an invoice to be paid
BILLING_MODES = {"goods": "B1", "services": "S1", "mixed": "M1"}
# BT-8, when the VAT becomes due: UNTDID 2475 in CII, UNTDID 2005 in UBL
CII_VAT_POINT_CODES = {"invoice": "5", "delivery": "29", "payment": "72"}
UBL_VAT_POINT_CODES = {"invoice": "3", "delivery": "35", "payment": "432"}
SIREN_SCHEME = "0002"


class AccountMove(models.Model):
    # one file per concern (the e-invoice mentions), beside account_move.py and others
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    def _is_french_einvoice(self):
        """An invoice of a French seller: its e-invoice carries the French mentions."""
        self.ensure_one()
        return self.l10n_fr_is_company_french

    def _is_french_b2b_einvoice(self):
        """An invoice between two French companies, under the French e-invoicing rules."""
        self.ensure_one()
        return self._is_french_einvoice() and (
            self.commercial_partner_id.country_code in self.company_id._get_france_country_codes()
        )

    def _get_einvoice_seller_siren(self):
        """The seller's SIREN (BT-30): from its Company ID, else from Odoo's SIRET field."""
        self.ensure_one()
        return self.company_id._get_siren()

    def _get_einvoice_billing_mode(self):
        """BT-23, the billing framework of an invoice between French companies, from its
        operation category; False when the category is not set."""
        self.ensure_one()
        if not self._is_french_b2b_einvoice():
            return False
        return BILLING_MODES.get(self.operation_type, False)

    def _get_einvoice_vat_point(self):
        """When the VAT of a French seller's invoice becomes due (BT-8): on the invoice date
        with the option for VAT on debits, else on delivery for goods and on payment for
        services (and goods with services); False for a foreign seller or no category."""
        self.ensure_one()
        if not self._is_french_einvoice():
            return False
        if self.vat_on_debits:
            return "invoice"
        return {"goods": "delivery", "services": "payment", "mixed": "payment"}.get(
            self.operation_type, False
        )

    def _get_einvoice_notes(self):
        """(subject code, text) of the notes the e-invoice adds to Odoo's, in the customer's
        language: the invoice title (no code) and, for a French seller, the late-payment
        penalties (PMD), the recovery indemnity (PMT), the early-payment discount or its
        absence (AAB) and the option for VAT on debits (TXD), as the PDF states them."""
        self.ensure_one()
        move = self.with_context(lang=self.partner_id.lang or self.env.lang)
        notes = [(False, move.invoice_title)] if move.invoice_title else []
        if not move._is_french_einvoice():
            return notes
        notes += [
            ("PMD", move._get_late_penalty_sentence()),
            (
                "PMT",
                move._get_recovery_indemnity_sentence()
                or move.env._("No fixed indemnity for recovery costs is charged."),
            ),
            ("AAB", move._get_early_discount_sentence() or move._get_early_discount_terms()),
        ]
        if move.vat_on_debits:
            notes.append(("TXD", move.env._("Option for the payment of VAT on debits.")))
        return notes

    def _get_early_discount_terms(self):
        """The early-payment discount the invoice's payment terms grant, in words."""
        self.ensure_one()
        terms = self.invoice_payment_term_id
        return self.env._(
            "Discount for early payment: %(percent)s %% if paid by %(date)s.",
            percent=self._format_number(terms.discount_percentage),
            date=terms._get_last_discount_date_formatted(
                self.invoice_date or fields.Date.context_today(self)
            ),
        )

    def _get_einvoice_preceding_invoice(self):
        """The invoice a credit note corrects (BT-25 and its date BT-26)."""
        self.ensure_one()
        if self.move_type != "out_refund":
            return self.browse()
        return self.reversed_entry_id

    def _get_einvoice_installments(self):
        """(due date, amount) of each installment of the schedule the PDF shows."""
        self.ensure_one()
        if not self.installment_mode or len(self.installment_line_ids) < 2:
            return []
        return [
            (line.date_maturity, abs(line.amount_currency)) for line in self.installment_line_ids
        ]

    def _get_einvoice_installment_sentences(self):
        """The installment schedule in words, one sentence per installment."""
        self.ensure_one()
        move = self.with_context(lang=self.partner_id.lang or self.env.lang)
        return [
            move.env._(
                "Installment %(number)s: %(amount)s due on %(date)s.",
                number=number,
                amount=formatLang(move.env, amount, currency_obj=move.currency_id),
                date=format_date(move.env, due_date),
            )
            for number, (due_date, amount) in enumerate(move._get_einvoice_installments(), 1)
        ]


class AccountEdiXmlCII(models.AbstractModel):
    _inherit = "account.edi.xml.cii"  # pylint: disable=consider-merging-classes-inherited

    def _export_invoice_vals(self, invoice):
        """The mentions, for the template data/account_edi_cii_mentions_templates.xml."""
        vals = super()._export_invoice_vals(invoice)
        vals.update(
            {
                "billing_mode": invoice._get_einvoice_billing_mode(),
                "subject_notes": [
                    {"subject_code": code, "content": text}
                    for code, text in invoice._get_einvoice_notes()
                ],
                "seller_address_partner": self._get_electronic_address_partner(
                    invoice.company_id.partner_id
                ),
                "buyer_address_partner": self._get_electronic_address_partner(invoice.partner_id),
                "vat_point_date_code": CII_VAT_POINT_CODES.get(invoice._get_einvoice_vat_point()),
                "preceding_invoice": invoice._get_einvoice_preceding_invoice(),
                "installment_terms": [
                    {"due_date": due_date, "amount": amount}
                    for due_date, amount in invoice._get_einvoice_installments()
                ],
            }
        )
        if invoice._is_french_einvoice():
            # 9 digits with scheme 0002 (BR-FR-10, BR-FR-32); the buyer's is the invoice's
            vals["seller_specified_legal_organization"] = invoice._get_einvoice_seller_siren()
            vals["buyer_specified_legal_organization"] = invoice.customer_siren
        return vals

    def _get_electronic_address_partner(self, partner):
        """The commercial partner whose e-address (``peppol_eas``, ``peppol_endpoint``) is
        the party's electronic address, or an empty recordset without one."""
        commercial = partner.commercial_partner_id
        return commercial.filtered(lambda p: p.peppol_eas and p.peppol_endpoint)


class AccountEdiXmlUBLBIS3(models.AbstractModel):
    _inherit = "account.edi.xml.ubl_bis3"  # pylint: disable=consider-merging-classes-inherited

    def _export_invoice_vals(self, invoice):
        vals = super()._export_invoice_vals(invoice)
        document = vals["vals"]
        billing_mode = invoice._get_einvoice_billing_mode()
        if billing_mode:
            # BR-FR-08 reads BT-23 in ProfileID, where Peppol has its own process
            document["profile_id"] = billing_mode
        if invoice._is_french_einvoice():
            self._set_party_siren(
                document["accounting_supplier_party_vals"], invoice._get_einvoice_seller_siren()
            )
            self._set_party_siren(
                document["accounting_customer_party_vals"], invoice.customer_siren
            )
        preceding = invoice._get_einvoice_preceding_invoice()
        if preceding:
            document["billing_reference_vals"] = {
                "id": preceding.name,
                "issue_date": preceding.invoice_date,
            }
        return vals

    def _set_party_siren(self, party_vals, siren):
        """The party's legal registration identifier (BT-30, BT-47): its SIREN."""
        if not siren:
            return
        for legal_entity_vals in party_vals["party_vals"]["party_legal_entity_vals"]:
            legal_entity_vals["company_id"] = siren
            legal_entity_vals["company_id_attrs"] = {"schemeID": SIREN_SCHEME}

    def _get_note_vals_list(self, invoice):
        """Odoo's note and the invoice's; a coded one as #CODE#text (what BR-FR-05 reads)."""
        notes = super()._get_note_vals_list(invoice)
        for code, text in invoice._get_einvoice_notes():
            notes.append({"note": f"#{code}#{text}" if code else text})
        return notes

    def _get_invoice_period_vals_list(self, invoice):
        """BT-8, when the VAT becomes due, in the invoice period (BG-14)."""
        vals_list = super()._get_invoice_period_vals_list(invoice)
        code = UBL_VAT_POINT_CODES.get(invoice._get_einvoice_vat_point())
        if not code:
            return vals_list
        if not vals_list:
            return [{"description_code": code}]
        return [{**vals_list[0], "description_code": code}, *vals_list[1:]]

    def _get_invoice_payment_terms_vals_list(self, invoice):
        """The installment schedule in the payment terms' note (BT-20): UBL has no
        structured installments in EN 16931."""
        vals_list = super()._get_invoice_payment_terms_vals_list(invoice)
        sentences = invoice._get_einvoice_installment_sentences()
        if not sentences:
            return vals_list
        notes = [
            note_vals["note"]
            for vals in vals_list
            for note_vals in vals.get("note_vals", [])
            if note_vals.get("note")
        ]
        return [{"note_vals": [{"note": "\n".join([*notes, *sentences])}]}]
