"""Late-payment penalties, as a pure function of the terms, the dates and the payments.

No database here: the invoice builds a :class:`PenaltyTerms` from its fields
(``account.move._get_penalty_terms``) and the dunning asks :func:`penalty_due` what is
owed on a date, then books the difference with what it already charged.

Rules, all in whole days:

* the penalty clock starts at ``due_date + grace_days``; the first day late is the day after;
* an amount counts as unpaid on a day when the payments made *before* that day do not cover it
  (a payment on the first day late is a day late);
* a fixed amount, or a monthly rate of the balance, is charged on the first day late and, when
  recurring, again at the start of each new period, each time only if a balance is still unpaid
  that day; each charge is rounded to the currency;
* an annual rate accrues day by day on the balance unpaid that day (rate / 365 a day), rounded once;
* an invoice in installments: each installment counts from its own due date, on its own amount
  and the payments made on it (French commercial code, L441-10), and the sum is owed;
* the recovery indemnity is due once per invoice, as soon as one installment is late.
"""

import itertools
from collections import namedtuple
from dataclasses import dataclass
from datetime import timedelta

from odoo.tools.date_utils import get_timedelta
from odoo.tools.float_utils import float_round

PenaltyAmounts = namedtuple("PenaltyAmounts", "interest indemnity total")


@dataclass(frozen=True)
class PenaltyTerms:
    kind: str = "none"  # none | fixed | percent
    fixed_amount: float = 0.0
    recurrence: str = "once"  # once | recurring  (fixed amounts)
    interval: int = 1
    interval_unit: str = "months"  # days | weeks | months
    rate: float = 0.0  # percent
    rate_basis: str = "monthly"  # monthly | annual (applied per day overdue)
    grace_days: int = 0
    recovery_indemnity: float = 0.0  # in the invoice currency; 0 when not due


def _balance_before(day, amount_due, payments):
    """What is still unpaid on ``day``: the payments dated before it are deducted."""
    return amount_due - sum(amount for pay_date, amount in payments if pay_date < day)


def _charge_days(terms, first_late_day, on_date):
    """The days a periodic charge falls on, up to ``on_date`` included."""
    recurring = terms.kind == "percent" or terms.recurrence == "recurring"
    if terms.kind == "percent":
        step = get_timedelta(1, "month")
    else:
        # The units of the terms are Odoo's granularities in the plural.
        step = get_timedelta(terms.interval, terms.interval_unit.removesuffix("s"))
    k = 0
    while True:
        day = first_late_day + step * k
        if day > on_date:
            return
        yield day
        if not recurring:
            return
        k += 1


def _daily_interest(terms, first_late_day, on_date, amount_due, payments):
    """Annual rate, per day overdue, on the balance unpaid each day (by segments)."""
    daily_rate = terms.rate / 100.0 / 365.0
    cuts = sorted({d + timedelta(days=1) for d, _a in payments if first_late_day <= d < on_date})
    bounds = [first_late_day, *cuts, on_date + timedelta(days=1)]
    interest = 0.0
    for start, stop in itertools.pairwise(bounds):
        balance = _balance_before(start, amount_due, payments)
        if balance > 0:
            interest += balance * daily_rate * (stop - start).days
    return interest


def penalty_due(terms, installments, on_date, rounding=0.01):
    """The late-payment penalty owed on ``on_date`` (included).

    :param PenaltyTerms terms: the invoice's penalty terms
    :param installments: iterable of ``(due date, amount, payments)``, one per installment
        (a single one for an invoice without installments): the date it was due, the amount
        the penalties apply to (positive), and the ``(date, amount)`` paid on it
    :param date on_date: the day the penalty is computed for
    :param float rounding: the currency's rounding
    :return: :class:`PenaltyAmounts` (interest, indemnity, total), each rounded
    """

    def rnd(value):
        return float_round(value, precision_rounding=rounding)

    interest, late = 0.0, False
    for due_date, amount_due, payments in installments:
        owed = _installment_interest(terms, due_date, amount_due, payments, on_date, rnd)
        if owed is not None:
            late = True
            interest += owed
    indemnity = rnd(terms.recovery_indemnity) if late else 0.0
    interest = rnd(interest)
    return PenaltyAmounts(interest, indemnity, rnd(interest + indemnity))


def _installment_interest(terms, due_date, amount_due, payments, on_date, rnd):
    """The interest one installment owes on ``on_date``, or None when it is not late."""
    payments = [(pay_date, amount) for pay_date, amount in payments if amount]
    first_late_day = due_date + timedelta(days=(terms.grace_days or 0) + 1)
    if on_date < first_late_day or _balance_before(first_late_day, amount_due, payments) <= 0:
        return None
    if terms.kind == "fixed":
        return sum(
            rnd(terms.fixed_amount)
            for day in _charge_days(terms, first_late_day, on_date)
            if _balance_before(day, amount_due, payments) > 0
        )
    if terms.kind == "percent" and terms.rate_basis == "monthly":
        return sum(
            rnd(_balance_before(day, amount_due, payments) * terms.rate / 100.0)
            for day in _charge_days(terms, first_late_day, on_date)
            if _balance_before(day, amount_due, payments) > 0
        )
    if terms.kind == "percent":
        return rnd(_daily_interest(terms, first_late_day, on_date, amount_due, payments))
    return 0.0
