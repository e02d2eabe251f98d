import re

from stdnum.fr import siren, siret

from odoo import _, api, models

from odoo.addons.account_edi_ubl_cii.models.account_edi_common import EAS_MAPPING

# "France FRCTC Electronic Address": the addresses of the French e-invoicing directory
FRCTC_EAS = "0225"
# BR-FR-23 and BR-FR-25: letters, digits, + - _ . ; 125 characters at most
FRCTC_ADDRESS = re.compile(r"[A-Za-z0-9+\-_.]{1,125}")


class ResPartner(models.Model):
    """The electronic invoicing address of a French company (BT-34 of the seller, BT-49 of
    the buyer) is Odoo's own e-address, ``peppol_eas`` / ``peppol_endpoint``. A French
    company with a SIREN starts from the address the French rules expect: scheme 0225 and
    its SIREN (BR-FR-21), unless another address was chosen for it by hand."""

    _inherit = "res.partner"

    def _get_registry_siren(self):
        """The SIREN of the partner: its Company ID (9 digits, or the first 9 of a SIRET),
        else the SIRET field of Odoo's French localisation; False for anything else (a
        foreign registry)."""
        self.ensure_one()
        for value in (self.company_registry, self.siret):
            number = siret.compact(value or "")
            if len(number) == 14 and number.isdigit():
                return siret.to_siren(number)
            if len(number) == 9 and number.isdigit():
                return number
        return False

    def _get_frctc_siren(self):
        """The valid SIREN of a French partner, the root of its French e-invoicing address."""
        self.ensure_one()
        if self._deduce_country_code() != "FR":
            return False
        number = self._get_registry_siren()
        return number if number and siren.is_valid(number) else False

    def _is_derived_peppol_address(self, eas, endpoint):
        """Whether (``eas``, ``endpoint``) is an address Odoo set by itself for a French
        partner: no address yet, or a French scheme whose endpoint is the partner's own VAT
        or SIRET (Odoo's EAS_MAPPING), not one typed by hand."""
        self.ensure_one()
        if not eas or eas == FRCTC_EAS:
            return True
        french_schemes = EAS_MAPPING["FR"]
        if eas not in french_schemes:
            return False
        field_name = french_schemes[eas]
        derived = self[field_name] if field_name and field_name in self._fields else False
        return not endpoint or endpoint == derived

    @api.depends(lambda self: self._peppol_eas_endpoint_depends())
    def _compute_peppol_eas(self):
        endpoint_field = self._fields["peppol_endpoint"]
        pending = self.env.records_to_compute(endpoint_field) & self
        previous = {partner: (partner.peppol_eas, partner.peppol_endpoint) for partner in self}
        # reading the endpoint computed it from the EAS as it was: again from the new one
        self.env.add_to_compute(endpoint_field, pending)
        res = super()._compute_peppol_eas()
        for partner in self:
            french = partner._deduce_country_code() == "FR"
            if (french and previous[partner][0] == FRCTC_EAS) or (
                partner._get_frctc_siren()
                and partner._is_derived_peppol_address(*previous[partner])
            ):
                # a French address stays one: its SIREN may come back, or the e-invoice
                # check tells the user to give it (Odoo would switch it to SIRET, 0009,
                # with the SIREN left as an endpoint it refuses)
                partner.peppol_eas = FRCTC_EAS
        return res

    @api.depends(lambda self: [*self._peppol_eas_endpoint_depends(), "peppol_eas"])
    def _compute_peppol_endpoint(self):
        """A 0225 address starts with the partner's SIREN: its SIREN alone by default; an
        address of its own (SIREN_SIRET, SIREN_suffix) is kept while the SIREN stays."""
        res = super()._compute_peppol_endpoint()
        for partner in self.filtered(lambda p: p.peppol_eas == FRCTC_EAS):
            company_siren = partner._get_frctc_siren()
            if company_siren and not (partner.peppol_endpoint or "").startswith(company_siren):
                partner.peppol_endpoint = company_siren
        return res

    def _build_error_peppol_endpoint(self, eas, endpoint):
        error = super()._build_error_peppol_endpoint(eas, endpoint)
        if not error and eas == FRCTC_EAS and not FRCTC_ADDRESS.fullmatch(endpoint):
            return _(
                "The French electronic invoicing address %(address)s is not valid: it has at "
                "most 125 letters, digits and the characters + - _ . (no spaces), and starts "
                "with the SIREN, e.g. 732829320.",
                address=endpoint,
            )
        return error
