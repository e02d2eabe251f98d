import re

from odoo import models

# The payment methods (Odoo's codes) that move money from a bank account: their payments are
# received by transfer; those of the others (cards, wallets, Odoo's demo) by card.
TRANSFER_PAYMENT_METHOD_CODES = frozenset(
    {
        "bank_transfer",
        "sepa_direct_debit",
        "ach_direct_debit",
        "bacs_direct_debit",
        "becs_direct_debit",
        "bank_account",
        "open_banking",
    }
)


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _create_payment(self, **extra_create_values):
        """The payment of an online transaction says how it was received, as one recorded by
        hand: by card (its brand, its last 4 digits) or by transfer (the provider's
        reference)."""
        return super()._create_payment(
            **{**self._get_payment_details_values(), **extra_create_values}
        )

    def _get_payment_details_values(self):
        """The details (``invoice.classic.payment.details.mixin``) of the payment of this
        transaction: none for a refund."""
        self.ensure_one()
        if self.operation == "refund" or self.amount <= 0:
            return {}
        method = self.token_id.payment_method_id or self.payment_method_id
        code = (method.primary_payment_method_id or method).code
        mode_code = "transfer" if code in TRANSFER_PAYMENT_METHOD_CODES else "card"
        mode = self.env["invoice.classic.payment.mode"].search([("code", "=", mode_code)], limit=1)
        values = {"payment_mode_id": mode.id} if mode else {}
        if mode_code == "transfer":
            return {**values, "transfer_reference": self.provider_reference or self.reference}
        # The clear part the provider gives of the card, e.g. "4242"; only its last 4 digits
        # are kept (never a full number, whatever a test provider was given).
        digits = re.sub(r"\D", "", self.token_id.payment_details or "")
        return {
            **values,
            "card_brand": method.name,
            **({"card_last4": digits[-4:]} if len(digits) >= 4 else {}),
        }
