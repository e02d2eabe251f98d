"""Payment reminders: the late-payment penalties a level charges."""

from odoo import Command, _, api, models
from odoo.exceptions import UserError


class InvoiceClassicReminderPenalty(models.AbstractModel):
    """Charges the late-payment penalties an invoice owes by its terms (``tools/penalty.py``
    says how much) as a customer invoice of their own, for the reminder run."""

    _name = "invoice.classic.reminder.penalty"
    _description = "Payment Reminder Penalties"

    @api.model
    def _charge(self, invoices, level, today):
        """The penalties ``level`` asks for, charged for each of ``invoices``.

        :return: {invoice id: the log values of the penalties charged}"""
        if not level.apply_penalty:
            return {}
        return {invoice.id: self._charge_penalty(invoice, today) for invoice in invoices}

    @api.model
    def _charge_penalty(self, invoice, today):
        """The penalties owed today by the invoice's terms, minus those already charged,
        as a customer invoice of their own (the 40 EUR indemnity at most once).

        :return: the log values of what was charged
        """
        due = invoice._get_penalty_due(today)
        charged = invoice._reminder_done_logs()
        interest = invoice.currency_id.round(due.interest - sum(charged.mapped("penalty_interest")))
        indemnity = 0.0 if sum(charged.mapped("penalty_indemnity")) else due.indemnity
        if interest <= 0 and indemnity <= 0:
            return {}
        if not invoice.company_id.penalty_account_id:
            raise UserError(
                _("Choose the account late-payment penalties are booked on in the settings.")
            )
        lines = []
        if interest > 0:
            lines.append(
                (_("Late-payment interest on %(invoice)s", invoice=invoice.name), interest)
            )
        if indemnity > 0:
            lines.append((_("Fixed indemnity for recovery costs"), indemnity))
        penalty = invoice.create(self._prepare_penalty_invoice_values(invoice, lines, today))
        penalty.action_post()
        return {
            "penalty_interest": max(interest, 0.0),
            "penalty_indemnity": indemnity,
            "penalty_move_id": penalty.id,
        }

    @api.model
    def _prepare_penalty_invoice_values(self, invoice, lines, today):
        """The customer invoice charging the penalties of ``invoice``.

        :param list lines: [(label, amount)]
        """
        company = invoice.company_id
        return {
            "move_type": "out_invoice",
            "partner_id": invoice.partner_id.id,
            "company_id": company.id,
            "currency_id": invoice.currency_id.id,
            "invoice_date": today,
            "journal_id": (company.penalty_journal_id or invoice.journal_id).id,
            "penalty_origin_id": invoice.id,
            "invoice_user_id": invoice.invoice_user_id.id,  # not the scheduled job's user
            "penalty_type": "none",
            "penalty_recovery_indemnity": False,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": name,
                        "quantity": 1.0,
                        "price_unit": amount,
                        "account_id": company.penalty_account_id.id,
                        "tax_ids": [Command.clear()],
                    }
                )
                for name, amount in lines
            ],
        }
