from odoo import api, fields, models


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
    online = fields.Boolean(
        string="Paid Online",
        compute="_compute_online",
        store=True,
        readonly=False,
        help="Paid through the payment providers: the e-mails, PDF and reminders of the "
        'invoices accepting this mode carry their "Pay now" link. Card, by default.',
    )

    @api.depends("code")
    def _compute_online(self):
        # Stored and computed once: the modes existing when the field comes get it too.
        for mode in self:
            mode.online = mode.code == "card"
