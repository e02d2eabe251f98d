from odoo import api, fields, models

from .account_move import CUSTOMER_MOVE_TYPES


class AccountMove(models.Model):
    """The payment modes the invoice accepts (stated on it), the company's by default."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    payment_mode_ids = fields.Many2many(
        comodel_name="invoice.classic.payment.mode",
        string="Accepted Payment Modes",
        compute="_compute_payment_mode_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    accepts_bank_transfer = fields.Boolean(compute="_compute_accepts_bank_transfer")

    @api.depends("company_id", "move_type")
    def _compute_payment_mode_ids(self):
        """The company's on a customer invoice or credit note; none on the other entries (a
        payment, a vendor bill...), which never state them."""
        for move in self:
            move.payment_mode_ids = (
                move.company_id.invoice_payment_mode_ids
                if move.move_type in CUSTOMER_MOVE_TYPES
                else False
            )

    @api.depends("payment_mode_ids")
    def _compute_accepts_bank_transfer(self):
        for move in self:
            move.accepts_bank_transfer = "transfer" in move.payment_mode_ids.mapped("code")
