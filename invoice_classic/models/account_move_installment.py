from datetime import date

from odoo import api, fields, models
from odoo.tools import frozendict
from odoo.tools.date_utils import get_timedelta

# What the installments of an invoice are made of (the rule itself is in
# ``invoice.classic.content.mixin``; the first date is the invoice's own).
INSTALLMENT_FIELDS = (
    "installment_mode",
    "installment_count",
    "installment_percentages",
    "installment_interval",
    "installment_interval_unit",
    "installment_first_date",
)


class AccountMove(models.Model):
    """Installments (their rule and its checks: ``invoice.classic.content.mixin``): the
    total due split on the dates of the schedule, each installment a receivable journal
    item of its own (reconciliation, aged receivables and follow-ups see them), through
    Odoo's own payment-term lines (``_compute_needed_terms``)."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    installment_first_date = fields.Date(
        string="First Installment", help="Empty: the invoice date."
    )
    installment_line_ids = fields.One2many(
        comodel_name="account.move.line",
        compute="_compute_installment_line_ids",
        string="Installment Schedule",
    )

    @api.depends(*INSTALLMENT_FIELDS)
    def _compute_needed_terms(self):
        """Odoo's total due, split on the dates of our schedule."""
        res = super()._compute_needed_terms()
        for move in self:
            shares = move._get_installment_shares()
            if shares and move.needed_terms:
                move.needed_terms = move._split_needed_terms(shares)
        return res

    def _split_needed_terms(self, shares):
        """Odoo's ``needed_terms`` as one term per installment, ``shares`` of the total;
        the last one takes what the rounding of the others left."""
        self.ensure_one()
        balance = sum(values["balance"] for values in self.needed_terms.values())
        amount_currency = sum(values["amount_currency"] for values in self.needed_terms.values())
        left_balance, left_amount_currency = balance, amount_currency
        needed_terms = {}
        for index, (share, due_date) in enumerate(
            zip(shares, self._get_installment_dates(), strict=True)
        ):
            if index == len(shares) - 1:
                term_balance, term_amount_currency = left_balance, left_amount_currency
            else:
                term_balance = self.company_id.currency_id.round(balance * share)
                term_amount_currency = self.currency_id.round(amount_currency * share)
            left_balance -= term_balance
            left_amount_currency -= term_amount_currency
            key = frozendict(
                {"move_id": self.id, "date_maturity": due_date, "discount_date": False}
            )
            needed_terms[key] = {
                "balance": term_balance,
                "amount_currency": term_amount_currency,
                "discount_date": False,
                "discount_balance": 0.0,
                "discount_amount_currency": 0.0,
            }
        return needed_terms

    def _get_installment_shares(self):
        """The share of the total each installment takes, or [] without installments."""
        self.ensure_one()
        if self.move_type != "out_invoice" or not self.installment_mode:
            return []
        if self.installment_mode == "equal":
            count = self.installment_count
            return [1.0 / count] * count if count >= 2 else []
        percentages = self._parse_installment_percentages()
        return [percent / 100.0 for percent in percentages] if len(percentages) >= 2 else []

    def _get_installment_dates(self):
        """The due date of each installment: the first date, then one every interval."""
        self.ensure_one()
        first = (
            self.installment_first_date
            or self.invoice_date
            or self.date
            or fields.Date.context_today(self)
        )
        unit = (self.installment_interval_unit or "months").removesuffix("s")  # "day", "month"
        count = len(self._get_installment_shares())
        return [
            first + get_timedelta(self.installment_interval * index, unit) for index in range(count)
        ]

    @api.depends(
        "line_ids.date_maturity",
        "line_ids.display_type",
        # The preview of a draft being edited (below) follows what its terms follow. Not
        # ``needed_terms`` itself: through the totals it depends on the state, the payments
        # and the reconciliation, and a relational field depending on these would have Odoo
        # look for the invoices to refresh before every payment or validation is written.
        *INSTALLMENT_FIELDS,
        "invoice_date",
        "invoice_payment_term_id",
        "currency_id",
        "invoice_line_ids.price_total",
    )
    def _compute_installment_line_ids(self):
        """The payment-term lines. While a draft is edited in the form, its lines are synced
        only on save: the schedule shown is then the one its terms give (``needed_terms``,
        as Odoo's due date), so it follows the installment fields like the totals."""
        for move in self:
            if move.state == "draft" and move.id != move._origin.id and move.needed_terms:
                move.installment_line_ids = move._get_installment_preview_lines()
                continue
            move.installment_line_ids = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).sorted(lambda line: (line.date_maturity or fields.Date.today(), line.id))

    def _get_installment_preview_lines(self):
        """Unsaved payment-term lines, one per term the draft needs, not linked to the
        move (its journal items stay as they are until it is saved)."""
        self.ensure_one()
        lines = self.env["account.move.line"]
        for key, values in sorted(
            self.needed_terms.items(), key=lambda item: item[0].get("date_maturity") or date.min
        ):
            lines |= lines.new(
                {
                    "display_type": "payment_term",
                    "date_maturity": key.get("date_maturity"),
                    "currency_id": self.currency_id.id,
                    "company_id": self.company_id.id,
                    "balance": values["balance"],
                    "amount_currency": values["amount_currency"],
                    "amount_residual": values["balance"],
                    "amount_residual_currency": values["amount_currency"],
                    "reconciled": False,
                }
            )
        return lines
