import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class InvoiceClassicPaymentDetailsMixin(models.AbstractModel):
    """What identifies a payment received outside the system: the mode and, per mode,
    the cheque number, the transfer reference, the card's brand and last 4 digits, a note."""

    _name = "invoice.classic.payment.details.mixin"
    _inherit = ["invoice.classic.card.number.mixin"]
    _description = "Details of a payment received by hand"

    PAYMENT_DETAIL_FIELDS = (
        "payment_mode_id",
        "transfer_reference",
        "card_last4",
        "card_brand",
        "cheque_number",
        "cheque_bank",
        "cheque_issuer",
        "cash_note",
    )

    payment_mode_id = fields.Many2one(
        comodel_name="invoice.classic.payment.mode", string="Received By"
    )
    payment_mode_code = fields.Selection(related="payment_mode_id.code", string="Mode Code")
    transfer_reference = fields.Char()
    card_last4 = fields.Char(string="Card (last 4 digits)")
    card_brand = fields.Char(help="E.g. Visa, Mastercard.")
    cheque_number = fields.Char()
    cheque_bank = fields.Char()
    cheque_issuer = fields.Char()
    cash_note = fields.Char()

    def _card_number_fields(self):
        return [
            *super()._card_number_fields(),
            "card_brand",
            "transfer_reference",
            "cash_note",
            "cheque_number",
            "cheque_bank",
            "cheque_issuer",
        ]

    @api.constrains(*PAYMENT_DETAIL_FIELDS)
    def _check_payment_details(self):
        for record in self:
            digits = record.card_last4 or ""
            if digits and not re.fullmatch(r"\d{4}", digits):
                raise ValidationError(_("Type the last 4 digits of the card, nothing more."))
            if record.payment_mode_code == "cheque" and not (record.cheque_number or "").strip():
                raise ValidationError(_("Type the number of the cheque."))

    @api.onchange("card_last4")
    def _onchange_card_last4(self):
        """A full card number pasted in the field is cut before it is ever saved."""
        digits = re.sub(r"\D", "", self.card_last4 or "")
        if len(digits) > 4:
            self.card_last4 = digits[-4:]

    def _payment_details_values(self):
        self.ensure_one()
        return {
            fname: (self[fname].id if fname == "payment_mode_id" else self[fname])
            for fname in self.PAYMENT_DETAIL_FIELDS
            if self[fname]
        }

    def _payment_details_text(self):
        """The details in words, e.g. "Cheque n° 1234567 (BNP, Martin SARL)"."""
        self.ensure_one()
        code = self.payment_mode_code
        if code == "cheque":
            extra = ", ".join(filter(None, [self.cheque_bank, self.cheque_issuer]))
            text = _("Cheque n° %(number)s", number=self.cheque_number)
            return f"{text} ({extra})" if extra else text
        if code == "transfer":
            return (
                _("Bank transfer, reference %(reference)s", reference=self.transfer_reference)
                if self.transfer_reference
                else _("Bank transfer")
            )
        if code == "card":
            if self.card_brand and self.card_last4:
                return _(
                    "Card %(brand)s ending in %(digits)s",
                    brand=self.card_brand,
                    digits=self.card_last4,
                )
            if self.card_brand:
                return _("Card %(brand)s", brand=self.card_brand)
            return (
                _("Card ending in %(digits)s", digits=self.card_last4)
                if self.card_last4
                else _("Card")
            )
        if code == "cash":
            return _("Cash: %(note)s", note=self.cash_note) if self.cash_note else _("Cash")
        return self.payment_mode_id.name or ""
