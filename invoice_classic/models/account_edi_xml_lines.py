"""E-invoice lines (Factur-X CII and UBL BIS 3): every line named, every line in a VAT
category decided once (``account.move.line._get_einvoice_vat_category``), totals that
count every line."""

from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"  # pylint: disable=consider-merging-classes-inherited

    def _get_einvoice_vat_category(self):
        """The VAT category (UNTDID 5305) of this invoice line in an e-invoice.

        - a line with a tax: the category Odoo gives that tax (S at its rate, E, K, G...);
        - the tip without tax: E (not in the VAT base: a tip handed in full to the staff,
          BOI-TVA-BASE-10-10-10); not O, which EN 16931 forbids beside other categories;
        - the lines of a penalty invoice (and of its credit note): O, VATEX-EU-O
          (compensation, not a supply: outside the scope of VAT);
        - any other line without tax: not decidable, ``False``.

        :return: ``{"code": str, "reason_code": str|False, "reason": str|False}`` or ``False``
        """
        self.ensure_one()
        move = self.move_id
        taxes = self.tax_ids.filtered(lambda tax: tax.amount_type != "fixed")
        if taxes:
            codes = self.env["account.edi.common"]._get_tax_unece_codes(
                move.commercial_partner_id,
                move.company_id.partner_id.commercial_partner_id,
                taxes[0],
            )
            return {
                "code": codes["tax_category_code"],
                "reason_code": codes["tax_exemption_reason_code"] or False,
                "reason": codes["tax_exemption_reason"] or False,
            }
        if self.classic_line_type == "tip":
            return {
                "code": "E",
                "reason_code": False,
                "reason": self.env._("Tip handed in full to the staff, not in the VAT base"),
            }
        if (
            move.penalty_origin_id or move.reversed_entry_id.penalty_origin_id
        ) and not self.classic_line_type:
            return {
                "code": "O",
                "reason_code": "VATEX-EU-O",
                "reason": self.env._("Not subject to VAT: late-payment compensation"),
            }
        return False
