from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools.mail import html_to_inner_content

from ..tools import find_card_number


class InvoiceClassicCardNumberMixin(models.AbstractModel):
    """Free-text fields where a full card number is refused: only its last 4 digits may
    be kept (the rule is ``tools.find_card_number``)."""

    _name = "invoice.classic.card.number.mixin"
    _description = "Free-text fields refusing full card numbers"

    def _card_number_fields(self):
        """Hook: the free-text fields (Char, Text, Html) of the model to check."""
        return []

    def _card_number_fields_to_check(self):
        """Hook: of ``_card_number_fields``, those checked on this record."""
        self.ensure_one()
        return self._card_number_fields()

    @api.constrains(lambda self: self._card_number_fields())
    def _check_card_number(self):
        for record in self:
            for fname in record._card_number_fields_to_check():
                field = record._fields[fname]
                text = record[fname] or ""
                if field.type == "html":
                    text = html_to_inner_content(text)
                if find_card_number(text):
                    raise ValidationError(
                        _(
                            "The field “%(field)s” contains a full card number: never keep "
                            "one, type only its last 4 digits.",
                            field=field._description_string(self.env),
                        )
                    )
