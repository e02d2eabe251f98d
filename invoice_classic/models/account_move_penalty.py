from odoo import _, api, fields, models

from ..tools import PenaltyTerms, penalty_due

RECOVERY_INDEMNITY_EUR = 40.0


class AccountMove(models.Model):
    """The invoice's side of the late-payment terms (the terms themselves, from the
    customer else the company: ``invoice.classic.penalty.terms.document.mixin``): stated in
    words on the invoice as French law asks B2B invoices to, and what they owe on a date
    (``tools.penalty_due``) for the reminders."""

    _name = "account.move"
    _inherit = [  # pylint: disable=consider-merging-classes-inherited
        "account.move",
        "invoice.classic.penalty.terms.document.mixin",
    ]

    penalty_terms_text = fields.Text(
        string="Late-Payment Terms", compute="_compute_penalty_terms_text"
    )

    def _compute_penalty_currency_id(self):
        for move in self:
            move.penalty_currency_id = move.currency_id

    # --- the terms in words ------------------------------------------------------------------

    @api.depends(lambda self: (*self.PENALTY_FIELDS, "partner_id.lang", "invoice_payment_term_id"))
    def _compute_penalty_terms_text(self):
        for move in self:
            move.penalty_terms_text = (
                move._with_customer_lang()._get_penalty_terms_sentences()
                if move.is_sale_document(include_receipts=True)
                else False
            )

    def _get_penalty_terms_sentences(self):
        """The late-payment terms in words, as French law asks B2B invoices to state them:
        the penalties, the recovery indemnity, the early-payment discount (or its absence)."""
        self.ensure_one()
        sentences = [
            self._get_late_penalty_sentence(),
            self._get_recovery_indemnity_sentence(),
            self._get_early_discount_sentence(),
        ]
        return "\n".join(sentence for sentence in sentences if sentence)

    def _get_late_penalty_sentence(self):
        """The late-payment penalties of the invoice in words."""
        self.ensure_one()
        if self.penalty_type == "fixed" and self.penalty_recurrence == "recurring":
            return self._get_recurring_penalty_sentence()
        if self.penalty_type == "fixed":
            return self._get_one_penalty_sentence()
        if self.penalty_type == "percent":
            return self._get_rate_penalty_sentence()
        return _("No late-payment penalty.")

    def _get_one_penalty_sentence(self):
        """A fixed penalty charged once, in words."""
        values = {
            "amount": self._format_amount(self.penalty_fixed_amount),
            "days": self.penalty_grace_days,
        }
        if self.penalty_grace_days:
            return _(
                "Late payment: a penalty of %(amount)s is charged once from %(days)s days after "
                "the due date.",
                **values,
            )
        return _("Late payment: a penalty of %(amount)s is charged once.", **values)

    def _get_recurring_penalty_sentence(self):
        """A fixed penalty charged every period, in words: a whole sentence for each period
        unit, with and without grace days, for the translations."""
        values = {
            "amount": self._format_amount(self.penalty_fixed_amount),
            "days": self.penalty_grace_days,
            "interval": self.penalty_interval,
        }
        unit, grace = self.penalty_interval_unit, bool(self.penalty_grace_days)
        if unit == "days" and grace:
            return _(
                "Late payment: a penalty of %(amount)s is charged from %(days)s days after the "
                "due date, then again every %(interval)s days while the invoice remains unpaid.",
                **values,
            )
        if unit == "days":
            return _(
                "Late payment: a penalty of %(amount)s is charged, then again every "
                "%(interval)s days while the invoice remains unpaid.",
                **values,
            )
        if unit == "weeks" and grace:
            return _(
                "Late payment: a penalty of %(amount)s is charged from %(days)s days after the "
                "due date, then again every %(interval)s weeks while the invoice remains unpaid.",
                **values,
            )
        if unit == "weeks":
            return _(
                "Late payment: a penalty of %(amount)s is charged, then again every "
                "%(interval)s weeks while the invoice remains unpaid.",
                **values,
            )
        if grace:
            return _(
                "Late payment: a penalty of %(amount)s is charged from %(days)s days after the "
                "due date, then again every %(interval)s months while the invoice remains "
                "unpaid.",
                **values,
            )
        return _(
            "Late payment: a penalty of %(amount)s is charged, then again every %(interval)s "
            "months while the invoice remains unpaid.",
            **values,
        )

    def _get_rate_penalty_sentence(self):
        """Penalties at a rate of the remaining balance, in words."""
        values = {"rate": self._format_number(self.penalty_rate), "days": self.penalty_grace_days}
        annual = self.penalty_rate_basis == "annual"
        if annual and self.penalty_grace_days:
            return _(
                "Late payment: penalties at the annual rate of %(rate)s %% of the remaining "
                "balance, counted per day overdue from %(days)s days after the due date.",
                **values,
            )
        if annual:
            return _(
                "Late payment: penalties at the annual rate of %(rate)s %% of the remaining "
                "balance, counted per day overdue.",
                **values,
            )
        if self.penalty_grace_days:
            return _(
                "Late payment: penalties of %(rate)s %% of the remaining balance per month "
                "overdue from %(days)s days after the due date.",
                **values,
            )
        return _(
            "Late payment: penalties of %(rate)s %% of the remaining balance per month overdue.",
            **values,
        )

    def _get_recovery_indemnity_sentence(self):
        """The fixed recovery indemnity in words, when the invoice's terms charge it."""
        self.ensure_one()
        if not self.penalty_recovery_indemnity:
            return ""
        return _(
            "A fixed indemnity of %(amount)s for recovery costs is due for any late "
            "payment (art. L441-10 and D441-5 of the French Commercial Code).",
            amount=self._format_amount(self._get_recovery_indemnity()),
        )

    def _get_early_discount_sentence(self):
        """The absence of early-payment discount in words; an invoice whose payment terms
        grant one states it with them (Odoo's payment terms)."""
        self.ensure_one()
        if self.invoice_payment_term_id.early_discount:
            return ""
        return _("No discount for early payment.")

    def _get_recovery_indemnity(self):
        """40 EUR, in the invoice's currency."""
        self.ensure_one()
        euro = self.env.ref("base.EUR")
        return euro._convert(
            RECOVERY_INDEMNITY_EUR,
            self.currency_id,
            self.company_id,
            self.invoice_date or fields.Date.context_today(self),
        )

    # --- what the terms owe --------------------------------------------------------------------

    def _get_penalty_terms(self):
        """The invoice's penalty terms, for :func:`..tools.penalty_due`."""
        self.ensure_one()
        return PenaltyTerms(
            kind=self.penalty_type or "none",
            fixed_amount=self.penalty_fixed_amount,
            recurrence=self.penalty_recurrence or "once",
            interval=self.penalty_interval or 1,
            interval_unit=self.penalty_interval_unit or "months",
            rate=self.penalty_rate,
            rate_basis=self.penalty_rate_basis or "monthly",
            grace_days=self.penalty_grace_days,
            recovery_indemnity=self._get_recovery_indemnity()
            if self.penalty_recovery_indemnity
            else 0.0,
        )

    def _get_penalty_installments(self):
        """(due date, amount, [(date, amount paid)]) of each installment of the invoice, its
        receivable journal items, in the invoice currency: each counts from its own date."""
        self.ensure_one()
        terms = self.line_ids.filtered(
            lambda line: line.display_type == "payment_term" and line.amount_currency > 0
        )
        return [
            (
                line.date_maturity,
                line.amount_currency,
                [
                    (partial.credit_move_id.date, partial.debit_amount_currency)
                    for partial in line.matched_credit_ids
                ],
            )
            for line in terms.sorted(lambda line: (line.date_maturity, line.id))
        ]

    def _get_penalty_due(self, on_date):
        """What the late-payment terms of the invoice owe on ``on_date``."""
        self.ensure_one()
        return penalty_due(
            self._get_penalty_terms(),
            installments=self._get_penalty_installments(),
            on_date=on_date,
            rounding=self.currency_id.rounding,
        )
