from odoo import api, models


class PaymentToken(models.Model):
    _inherit = "payment.token"

    @api.model
    def _invoice_classic_chargeable(self, partners, companies):
        """The saved payment methods of ``partners`` (commercial partners, and their
        contacts) that can be charged from the backend in ``companies``: active, of a provider
        in use that captures the amount at once (those Odoo's Register Payment offers)."""
        if not partners or not companies:
            return self.browse()
        # sudo: billing users may read every token but not the providers' state.
        return self.sudo().search(
            [
                ("partner_id", "child_of", partners.ids),
                ("company_id", "in", companies.ids),
                ("provider_id.state", "in", ("enabled", "test")),
                ("provider_id.capture_manually", "=", False),
            ],
            order="id desc",
        )
