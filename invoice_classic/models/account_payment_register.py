from markupsafe import Markup

from odoo import _, api, fields, models


class AccountPaymentRegister(models.TransientModel):
    _name = "account.payment.register"
    _inherit = ["account.payment.register", "invoice.classic.payment.details.mixin"]

    send_receipt = fields.Boolean(
        string="Send a Receipt", help="E-mail the customer a receipt of this payment."
    )
    show_payment_method_line = fields.Boolean(
        compute="_compute_show_payment_method_line",
        help="Odoo's payment method is shown where it tells something: for a customer payment, "
        'only when the journal offers several (else it is always "Manual Payment", beside '
        "the mode the money was received by).",
    )

    @api.depends("payment_type", "available_payment_method_line_ids")
    def _compute_show_payment_method_line(self):
        for wizard in self:
            wizard.show_payment_method_line = (
                wizard.payment_type != "inbound"
                or len(wizard.available_payment_method_line_ids) > 1
            )

    def _card_number_fields(self):
        return [*super()._card_number_fields(), "communication", "writeoff_label"]

    def _card_number_fields_to_check(self):
        """A supplier's reference is the supplier's: only customer payments are checked."""
        fnames = super()._card_number_fields_to_check()
        if self.partner_type != "customer":
            fnames = [f for f in fnames if f not in ("communication", "writeoff_label")]
        return fnames

    @api.onchange("payment_mode_id")
    def _onchange_payment_mode_id(self):
        """Cash goes to a cash journal, the other modes to a bank journal. A cheque is
        issued by the customer, most of the time: its name is the issuer's."""
        wanted = "cash" if self.payment_mode_code == "cash" else "bank"
        if self.payment_mode_id and self.journal_id.type != wanted:
            journal = self.available_journal_ids.filtered(lambda j: j.type == wanted)[:1]
            if journal:
                self.journal_id = journal
        if self.payment_mode_code == "cheque" and not self.cheque_issuer:
            self.cheque_issuer = self.partner_id.commercial_partner_id.name

    def _create_payment_vals_from_wizard(self, batch_result):
        return {
            **super()._create_payment_vals_from_wizard(batch_result),
            **self._payment_details_values(),
        }

    def _create_payment_vals_from_batch(self, batch_result):
        return {
            **super()._create_payment_vals_from_batch(batch_result),
            **self._payment_details_values(),
        }

    def _create_payments(self):
        """The invoices say how they were paid, in their chatter: an internal note, which
        needs no sender address (message_post refuses a user without an e-mail)."""
        payments = super()._create_payments()
        for payment in payments.filtered("payment_mode_id"):
            body = Markup("%s<br/>%s") % (
                _(
                    "Payment %(payment)s of %(amount)s received.",
                    payment=payment.name,
                    amount=payment.currency_id.format(payment.amount),
                ),
                payment._payment_details_text(),
            )
            invoices = payment.reconciled_invoice_ids
            invoices._message_log_batch(bodies=dict.fromkeys(invoices.ids, body))
        if self.send_receipt:
            template = self.env.ref("invoice_classic.mail_template_payment_received")
            for payment in payments.filtered(lambda p: p.partner_id.email):
                payment.message_post_with_source(
                    template, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
        return payments
