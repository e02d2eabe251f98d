from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError


class InvoiceClassicChargeToken(models.TransientModel):
    """ "Charge Saved Card" on an invoice: the amount due, charged to a payment method its
    customer saved with a payment provider, as Odoo charges tokens (an ``offline``
    transaction); the provider's answer pays the invoice, or nothing is recorded."""

    _name = "invoice.classic.charge.token"
    _description = "Charge a Saved Payment Method"

    invoice_id = fields.Many2one(comodel_name="account.move", required=True, readonly=True)
    company_id = fields.Many2one(related="invoice_id.company_id")
    partner_id = fields.Many2one(related="invoice_id.commercial_partner_id", string="Customer")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    amount = fields.Monetary(
        string="Amount to Charge",
        related="invoice_id.amount_residual",
        help="The amount due on the invoice, charged at once.",
    )
    available_token_ids = fields.Many2many(
        comodel_name="payment.token", compute="_compute_available_token_ids"
    )
    token_id = fields.Many2one(
        comodel_name="payment.token",
        string="Saved Payment Method",
        required=True,
        compute="_compute_token_id",
        store=True,
        readonly=False,
        domain="[('id', 'in', available_token_ids)]",
    )
    token_method_id = fields.Many2one(related="token_id.payment_method_id", string="Payment Method")

    @api.depends("invoice_id")
    def _compute_available_token_ids(self):
        for wizard in self:
            wizard.available_token_ids = self.env["payment.token"]._invoice_classic_chargeable(
                wizard.partner_id, wizard.company_id
            )

    @api.depends("available_token_ids")
    def _compute_token_id(self):
        """The latest one saved."""
        for wizard in self:
            if wizard.token_id not in wizard.available_token_ids:
                wizard.token_id = wizard.available_token_ids[:1]

    def action_charge(self):
        self.ensure_one()
        invoice = self.invoice_id
        invoice._check_chargeable()
        if self.token_id not in self.available_token_ids:
            raise UserError(
                _(
                    "%(token)s cannot be charged for %(customer)s: choose one of the customer's "
                    "saved payment methods.",
                    token=self.token_id.display_name,
                    customer=self.partner_id.display_name,
                )
            )
        # sudo: billing users may create transactions but not read their provider; the token
        # is one of the invoice's customer, the amount the invoice's own.
        transaction = self.env["payment.transaction"].sudo().create(self._prepare_transaction())
        transaction._send_payment_request()
        if transaction.state in ("error", "cancel"):
            # Raised: the transaction, and anything done with it, is rolled back.
            raise UserError(self._refusal_message(transaction))
        if transaction.state == "done":
            # As Odoo's payments by token: the payment posted and the invoice reconciled now.
            transaction._post_process()
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": _(
                    "The payment provider has not confirmed the payment of %(amount)s yet: the "
                    "invoice is paid once it does (transaction %(reference)s).",
                    amount=self.currency_id.format(transaction.amount),
                    reference=transaction.reference,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _prepare_transaction(self):
        """The values of the ``offline`` transaction (a payment by token without the
        customer), the reference made from the invoice's number."""
        token = self.token_id.sudo()
        return {
            "provider_id": token.provider_id.id,
            "payment_method_id": token.payment_method_id.id,
            "token_id": token.id,
            "partner_id": token.partner_id.id,
            "amount": self.invoice_id.amount_residual,
            "currency_id": self.currency_id.id,
            "operation": "offline",
            "invoice_ids": [Command.set(self.invoice_id.ids)],
        }

    def _refusal_message(self, transaction):
        if transaction.state == "cancel":
            return _(
                "The payment provider canceled the payment of %(amount)s with %(token)s: nothing "
                "is recorded. Choose another saved payment method, or ask the customer to pay "
                "online.",
                amount=self.currency_id.format(transaction.amount),
                token=self.token_id.display_name,
            )
        return _(
            "The payment provider refused the payment of %(amount)s with %(token)s: nothing is "
            "recorded. Its answer: %(reason)s",
            amount=self.currency_id.format(transaction.amount),
            token=self.token_id.display_name,
            reason=transaction.state_message or "-",
        )
