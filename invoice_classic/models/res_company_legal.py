from stdnum.fr import siret

from odoo import _, api, fields, models
from odoo.tools import formatLang


class ResCompany(models.Model):
    """The seller's legal identity French invoices and letters must state (Code de commerce,
    R123-237): legal form, share capital, RCS registration with its city, SIREN and SIRET."""

    _inherit = "res.company"

    legal_form = fields.Char(help="The company's legal form, e.g. SARL, SAS, EURL, SA.")
    share_capital = fields.Monetary(
        currency_field="currency_id", help="The share capital stated on invoices and letters."
    )
    trade_register_city = fields.Char(
        string="RCS City",
        help="The city of the trade and companies register (RCS) the company is registered "
        "with, e.g. Lyon.",
    )
    company_siren = fields.Char(
        string="SIREN",
        compute="_compute_company_siren",
        help="The 9 digits of the company: its Company ID, or the first 9 of its SIRET.",
    )

    @api.depends("company_registry", "partner_id.siret")
    def _compute_company_siren(self):
        for company in self:
            company.company_siren = company._get_siren()

    def _get_siren(self):
        """The SIREN of the company's Company ID: itself (9 digits) or the first 9 digits
        of a SIRET (14); False for anything else (a foreign registry)."""
        self.ensure_one()
        return self.partner_id._get_registry_siren()

    def _get_siret(self):
        """The company's SIRET (14 digits): its Company ID if it is one, else the SIRET field
        of Odoo's French localisation; False otherwise."""
        self.ensure_one()
        for value in (self.company_registry, self.siret):
            number = siret.compact(value or "")
            if len(number) == 14 and number.isdigit():
                return number
        return False

    def _get_legal_mentions(self):
        """The lines of legal identity printed under the company's name on invoices and
        letters, in the document's language: legal form and capital, RCS, SIRET, VAT."""
        self.ensure_one()
        mentions = []
        capital = (
            formatLang(self.env, self.share_capital, currency_obj=self.currency_id)
            if self.share_capital
            else False
        )
        if self.legal_form and capital:
            mentions.append(
                _(
                    "%(legal_form)s with a share capital of %(capital)s",
                    legal_form=self.legal_form,
                    capital=capital,
                )
            )
        elif self.legal_form:
            mentions.append(self.legal_form)
        elif capital:
            mentions.append(_("Share capital: %(capital)s", capital=capital))
        company_siren = self._get_siren()
        if company_siren and self.trade_register_city:
            spaced = " ".join((company_siren[:3], company_siren[3:6], company_siren[6:]))
            mentions.append(
                _("RCS %(city)s %(siren)s", city=self.trade_register_city, siren=spaced)
            )
        company_siret = self._get_siret()
        if company_siret:
            mentions.append(_("SIRET: %(siret)s", siret=siret.format(company_siret)))
        elif company_siren:
            mentions.append(_("SIREN: %(siren)s", siren=company_siren))
        elif self.company_registry:
            mentions.append(_("Company ID: %(number)s", number=self.company_registry))
        if self.vat:
            mentions.append(_("VAT: %(vat)s", vat=self.vat))
        return mentions
