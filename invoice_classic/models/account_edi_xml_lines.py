"""E-invoice lines (Factur-X CII and UBL BIS 3): every line named, every line in a VAT
category decided in one place (``account.move.line._get_einvoice_vat_category``), and
totals and VAT breakdown that count the lines Odoo leaves out because they carry no tax
(a tip, the lines of a penalty invoice)."""

from odoo import models
from odoo.tools import frozendict


class AccountMoveLine(models.Model):
    # One file per concern (STYLE.md): the e-invoice side of the lines lives here.
    _inherit = "account.move.line"  # pylint: disable=consider-merging-classes-inherited

    def _get_einvoice_vat_category(self):
        """The VAT category (UNTDID 5305) of this invoice line in an e-invoice.

        - a line with a tax: the category Odoo gives that tax (S at its rate, E, K, G...);
          the invoice discount lines carry the taxes of the lines they discount, so they
          are in the same categories;
        - the tip without tax: E, with the reason. A tip handed in full to the staff is
          not part of the VAT base (BOI-TVA-BASE-10-10-10), i.e. outside the scope of VAT,
          but EN 16931 forbids O beside any other category on an invoice (BR-O-11 to
          BR-O-14) and a tip always sits beside taxed lines: E with the reason in words
          is the category the platforms accept for an amount without VAT;
        - the lines of a penalty invoice made by the reminders (late-payment interest,
          the 40 EUR recovery indemnity) and of its credit note: O, VATEX-EU-O. They
          compensate a loss, they pay for no supply: outside the scope of VAT; such an
          invoice holds nothing else, so O is allowed;
        - any other line without tax: not decidable, ``False`` (the e-invoice check
          reports it).

        :return: ``{"code": str, "reason_code": str|False, "reason": str|False}`` or ``False``
        """
        self.ensure_one()
        return self._get_einvoice_vat_categories()[self]

    def _get_einvoice_vat_categories(self):
        """``_get_einvoice_vat_category`` of every line of ``self`` at once: Odoo's category
        of a tax is asked once per tax, customer and seller, not once per line.

        :return: ``{line: category or False}``
        """
        unece_codes = {}
        categories = {}
        for line in self:
            move = line.move_id
            taxes = line.tax_ids.flatten_taxes_hierarchy()
            taxes = taxes.filtered(lambda tax: tax.amount_type != "fixed") or taxes
            if taxes:
                customer = move.commercial_partner_id
                supplier = move.company_id.partner_id.commercial_partner_id
                key = (customer, supplier, taxes[0])
                if key not in unece_codes:
                    unece_codes[key] = self.env["account.edi.common"]._get_tax_unece_codes(*key)
                codes = unece_codes[key]
                categories[line] = {
                    "code": codes["tax_category_code"],
                    "reason_code": codes["tax_exemption_reason_code"] or False,
                    "reason": codes["tax_exemption_reason"] or False,
                }
            elif line.classic_line_type == "tip":
                categories[line] = {
                    "code": "E",
                    "reason_code": False,
                    "reason": self.env._(
                        "Tip handed in full to the staff: not part of the VAT base"
                    ),
                }
            elif (
                move.penalty_origin_id or move.reversed_entry_id.penalty_origin_id
            ) and not line.classic_line_type:
                categories[line] = {
                    "code": "O",
                    "reason_code": "VATEX-EU-O",
                    "reason": self.env._("Outside the scope of VAT: compensation for late payment"),
                }
            else:
                categories[line] = False
        return categories

    def _get_einvoice_item_name(self):
        """The item name (BT-153) of this line: its product, else its label, else its
        account (a line always has one)."""
        self.ensure_one()
        label = " ".join((self.name or "").split())
        return self.product_id.name or label or self.account_id.name


class AccountEdiCommon(models.AbstractModel):
    _inherit = "account.edi.common"

    def _get_einvoice_untaxed_lines(self, invoice):
        """The invoice lines an e-invoice lists that carry no tax at all."""
        return invoice.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product"
                and not line.tax_ids
                and line._check_edi_line_tax_required()
            )
        )

    def _get_einvoice_untaxed_groups(self, invoice):
        """The lines without tax whose VAT category is decided, grouped by category code
        (their rate is 0 or none, so the code is the whole VAT breakdown key).

        :return: ``{code: {"category": dict, "lines": account.move.line,
                 "base_amount_currency": float, "base_amount": float}}``
        """
        groups = {}
        sign = 1 if invoice.is_inbound() else -1
        for line in self._get_einvoice_untaxed_lines(invoice):
            category = line._get_einvoice_vat_category()
            if not category:
                continue
            group = groups.setdefault(
                category["code"],
                {
                    "category": category,
                    "lines": line.browse(),
                    "base_amount_currency": 0.0,
                    "base_amount": 0.0,
                },
            )
            group["lines"] |= line
            group["base_amount_currency"] += line.price_subtotal
            group["base_amount"] -= sign * line.balance
        return groups

    def _invoice_constraints_common(self, invoice):
        """Lines without tax are fine when their VAT category is decided."""
        constraints = super()._invoice_constraints_common(invoice)
        if constraints.get("tax_on_line") and all(
            line._get_einvoice_vat_category() for line in self._get_einvoice_untaxed_lines(invoice)
        ):
            del constraints["tax_on_line"]
        return constraints


class AccountEdiXmlCii(models.AbstractModel):
    _inherit = "account.edi.xml.cii"

    def _export_invoice_vals(self, invoice):
        """Item names for the lines without product, and the lines without tax in the VAT
        breakdown and the totals."""
        vals = super()._export_invoice_vals(invoice)
        for line_vals in vals["invoice_line_vals_list"]:
            line_vals["einvoice_item_name"] = line_vals["line"]._get_einvoice_item_name()
        tax_details = vals["tax_details"]
        for code, group in self._get_einvoice_untaxed_groups(invoice).items():
            key = self._get_einvoice_untaxed_group_key(tax_details, code, group["category"])
            header = tax_details["tax_details"].setdefault(
                key,
                {
                    **key,
                    "base_amount_currency": 0.0,
                    "base_amount": 0.0,
                    "tax_amount_currency": 0.0,
                    "tax_amount": 0.0,
                    "calculated_amount": 0.0,
                },
            )
            header["base_amount_currency"] += group["base_amount_currency"]
            header["base_amount"] += group["base_amount"]
            tax_details["base_amount_currency"] += group["base_amount_currency"]
            tax_details["base_amount"] += group["base_amount"]
            vals["tax_basis_total_amount"] += group["base_amount_currency"]
            for line in group["lines"]:
                tax_details["tax_details_per_record"][line]["tax_details"][key] = {
                    **key,
                    "base_amount_currency": line.price_subtotal,
                    "tax_amount_currency": 0.0,
                }
        return vals

    def _get_einvoice_untaxed_group_key(self, tax_details, code, category):
        """The VAT breakdown key the lines without tax of ``category`` go in: Odoo's own
        group of that category at 0 % when there is one (EN 16931 wants one group per
        category and rate), else a new one; no rate for O (BR-O-05)."""
        for key in tax_details["tax_details"]:
            if (
                key["tax_category_code"] == code
                and key["amount_type"] == "percent"
                and not key["amount"]
            ):
                return key
        return frozendict(
            {
                "tax_category_code": code,
                "tax_exemption_reason_code": category["reason_code"] or None,
                "tax_exemption_reason": category["reason"] or None,
                "amount": None if code == "O" else 0.0,
                "amount_type": "percent",
            }
        )


class AccountEdiXmlUblBis3(models.AbstractModel):
    _inherit = "account.edi.xml.ubl_bis3"

    def _export_invoice_vals(self, invoice):
        """[BR-O-02] An invoice with lines not subject to VAT shows no VAT identifier."""
        vals = super()._export_invoice_vals(invoice)
        if "O" in self._get_einvoice_untaxed_groups(invoice):
            for role in ("supplier", "customer"):
                party_vals = vals["vals"][f"accounting_{role}_party_vals"]["party_vals"]
                party_vals["party_tax_scheme_vals"] = [
                    scheme
                    for scheme in party_vals["party_tax_scheme_vals"]
                    if scheme["tax_scheme_vals"].get("id") != "VAT"
                ]
        return vals

    def _get_einvoice_tax_category_vals(self, category):
        return {
            "id": category["code"],
            "percent": False if category["code"] == "O" else 0.0,  # BR-O-05: no rate
            "tax_scheme_vals": {"id": "VAT"},
            "tax_exemption_reason_code": category["reason_code"] or None,
            "tax_exemption_reason": category["reason"] or None,
        }

    def _get_invoice_line_item_vals(self, line, taxes_vals):
        """Every line named (BR-25) and, without tax, in its decided VAT category."""
        vals = super()._get_invoice_line_item_vals(line, taxes_vals)
        vals["name"] = vals["name"] or line._get_einvoice_item_name()
        category = not line.tax_ids and line._get_einvoice_vat_category()
        if category and not vals["classified_tax_category_vals"]:
            category_vals = self._get_einvoice_tax_category_vals(category)
            # [UBL-CR-600/601] the reason only in the VAT breakdown
            category_vals.pop("tax_exemption_reason_code")
            category_vals.pop("tax_exemption_reason")
            vals["classified_tax_category_vals"] = [category_vals]
        return vals

    def _get_invoice_tax_totals_vals_list(self, invoice, taxes_vals):
        """The lines without tax in the VAT breakdown, in Odoo's group of their category
        at 0 % when there is one (one group per category and rate, BR-E-08)."""
        vals_list = super()._get_invoice_tax_totals_vals_list(invoice, taxes_vals)
        if taxes_vals.get("invoice_line"):
            return vals_list
        for tax_totals in vals_list:
            subtotals = tax_totals["tax_subtotal_vals"]
            for code, group in self._get_einvoice_untaxed_groups(invoice).items():
                subtotal = next(
                    (
                        subtotal
                        for subtotal in subtotals
                        if subtotal["tax_category_vals"]["id"] == code
                        and not subtotal["tax_category_vals"].get("percent")
                    ),
                    None,
                )
                if subtotal:
                    subtotal["taxable_amount"] += group["base_amount_currency"]
                    continue
                subtotals.append(
                    {
                        "currency": invoice.currency_id,
                        "currency_dp": tax_totals["currency_dp"],
                        "taxable_amount": group["base_amount_currency"],
                        "tax_amount": 0.0,
                        "tax_category_vals": self._get_einvoice_tax_category_vals(
                            group["category"]
                        ),
                    }
                )
        return vals_list

    def _get_invoice_monetary_total_vals(
        self,
        invoice,
        taxes_vals,
        line_extension_amount,
        allowance_total_amount,
        charge_total_amount,
    ):
        """The total without VAT counts the lines without tax (BR-CO-13, BR-CO-15)."""
        vals = super()._get_invoice_monetary_total_vals(
            invoice, taxes_vals, line_extension_amount, allowance_total_amount, charge_total_amount
        )
        vals["tax_exclusive_amount"] += sum(
            group["base_amount_currency"]
            for group in self._get_einvoice_untaxed_groups(invoice).values()
        )
        return vals

    def _invoice_constraints_cen_en16931_ubl(self, invoice, vals):
        """[UBL-SR-48] is met when every line has one VAT category, decided or from its tax."""
        constraints = super()._invoice_constraints_cen_en16931_ubl(invoice, vals)
        if constraints.get("cen_en16931_tax_line") and all(
            len(line_vals["item_vals"]["classified_tax_category_vals"]) == 1
            for line_vals in vals["vals"]["line_vals"]
        ):
            del constraints["cen_en16931_tax_line"]
        return constraints
