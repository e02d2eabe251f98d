from odoo import fields, models


class InvoicePaymentMode(models.Model):
    """A way the customer may pay an invoice (bank transfer, card, cash, cheque)."""

    _name = "invoice.classic.payment.mode"
    _description = "Accepted Payment Mode"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_unique", "unique(code)", "A payment mode with this code already exists."),
    ]

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        selection=[
            ("transfer", "Bank transfer"),
            ("card", "Card"),
            ("cash", "Cash"),
            ("cheque", "Cheque"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
