from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from ..tools import PenaltyTerms, penalty_due
from .common import InvoiceEditorCommon

DUE = date(2026, 1, 31)


@tagged("post_install", "-at_install")
class TestPenaltyFunction(TransactionCase):
    """The pure penalty function, on worked examples."""

    def due(self, terms, on_date, payments=(), amount=1000.0, rounding=0.01):
        return penalty_due(terms, [(DUE, amount, payments)], on_date, rounding)

    def test_nothing_before_the_first_late_day(self):
        terms = PenaltyTerms(kind="fixed", fixed_amount=10.0)
        self.assertEqual(self.due(terms, DUE).total, 0.0)
        self.assertEqual(self.due(terms, date(2026, 2, 1)).total, 10.0)

    def test_fixed_every_30_days(self):
        terms = PenaltyTerms(
            kind="fixed",
            fixed_amount=10.0,
            recurrence="recurring",
            interval=30,
            interval_unit="days",
        )
        self.assertEqual(self.due(terms, date(2026, 3, 2)).total, 10.0)  # Feb 1
        self.assertEqual(self.due(terms, date(2026, 3, 3)).total, 20.0)  # + Mar 3
        self.assertEqual(self.due(terms, date(2026, 4, 2)).total, 30.0)  # + Apr 2
        # Paid on March 1: no charge on March 3.
        self.assertEqual(
            self.due(terms, date(2026, 6, 1), payments=[(date(2026, 3, 1), 1000.0)]).total, 10.0
        )

    def test_fixed_once(self):
        terms = PenaltyTerms(kind="fixed", fixed_amount=25.0, recurrence="once")
        self.assertEqual(self.due(terms, date(2026, 12, 31)).total, 25.0)

    def test_monthly_rate_on_the_remaining_balance(self):
        """1.5 % a month; 400 paid on February 10."""
        terms = PenaltyTerms(kind="percent", rate=1.5, rate_basis="monthly")
        payments = [(date(2026, 2, 10), 400.0)]
        self.assertEqual(self.due(terms, date(2026, 2, 28), payments).total, 15.0)  # Feb 1: 1000
        self.assertEqual(self.due(terms, date(2026, 3, 1), payments).total, 24.0)  # Mar 1: 600
        self.assertEqual(self.due(terms, date(2026, 4, 15), payments).total, 33.0)  # Apr 1: 600

    def test_annual_rate_per_day(self):
        """12 % a year on 1000: 30 days late, then with 500 paid half way."""
        terms = PenaltyTerms(kind="percent", rate=12.0, rate_basis="annual")
        self.assertEqual(self.due(terms, date(2026, 3, 2)).total, 9.86)  # 1000 * .12 * 30 / 365
        payments = [(date(2026, 2, 15), 500.0)]
        # Feb 1-15 on 1000 (a payment counts from the next day), Feb 16 - Mar 2 on 500.
        self.assertEqual(self.due(terms, date(2026, 3, 2), payments).interest, 7.40)

    def test_grace_days(self):
        terms = PenaltyTerms(kind="fixed", fixed_amount=50.0, grace_days=10)
        self.assertEqual(self.due(terms, date(2026, 2, 10)).total, 0.0)
        self.assertEqual(self.due(terms, date(2026, 2, 11)).total, 50.0)
        paid_in_grace = [(date(2026, 2, 9), 1000.0)]
        self.assertEqual(self.due(terms, date(2026, 5, 1), paid_in_grace).total, 0.0)

    def test_recovery_indemnity_once(self):
        terms = PenaltyTerms(kind="none", recovery_indemnity=40.0)
        self.assertEqual(self.due(terms, DUE).total, 0.0)
        self.assertEqual(self.due(terms, date(2026, 2, 1)), (0.0, 40.0, 40.0))
        self.assertEqual(self.due(terms, date(2026, 12, 1)).total, 40.0)
        both = PenaltyTerms(kind="percent", rate=1.5, recovery_indemnity=40.0)
        self.assertEqual(self.due(both, date(2026, 2, 1)), (15.0, 40.0, 55.0))

    def test_partial_payments_and_paid_invoice(self):
        terms = PenaltyTerms(kind="percent", rate=2.0, rate_basis="monthly")
        payments = [(date(2026, 1, 20), 300.0), (date(2026, 1, 25), 700.0)]
        self.assertEqual(self.due(terms, date(2026, 6, 1), payments).total, 0.0)
        late_part = [(date(2026, 1, 20), 300.0)]
        self.assertEqual(self.due(terms, date(2026, 2, 1), late_part).total, 14.0)

    def test_each_installment_from_its_own_due_date(self):
        """900 in three installments due Jan 31, Feb 28 and Mar 31, 1.5 % a month: on March 3,
        the first is charged on Feb 1 and Mar 1, the second on Mar 1, the third nothing yet;
        the 40 EUR indemnity once for the invoice."""
        terms = PenaltyTerms(kind="percent", rate=1.5, recovery_indemnity=40.0)
        schedule = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
        installments = [(due, 300.0, []) for due in schedule]
        self.assertEqual(penalty_due(terms, installments, date(2026, 3, 3)), (13.5, 40.0, 53.5))
        # The first paid on time: only the second is late, on its own amount.
        installments[0] = (schedule[0], 300.0, [(date(2026, 1, 30), 300.0)])
        self.assertEqual(penalty_due(terms, installments, date(2026, 3, 3)), (4.5, 40.0, 44.5))
        # Nothing is late before the first installment's first late day.
        self.assertEqual(penalty_due(terms, installments, date(2026, 2, 28)).total, 0.0)
        fixed = PenaltyTerms(kind="fixed", fixed_amount=10.0)
        late = [(due, 300.0, []) for due in schedule]
        self.assertEqual(penalty_due(fixed, late, date(2026, 4, 1)).interest, 30.0)

    def test_currency_rounding(self):
        terms = PenaltyTerms(kind="percent", rate=12.0, rate_basis="annual")
        self.assertEqual(self.due(terms, date(2026, 3, 2), rounding=1.0).total, 10.0)
        terms = PenaltyTerms(kind="percent", rate=1.333, rate_basis="monthly")
        self.assertEqual(self.due(terms, date(2026, 2, 1), amount=999.99).total, 13.33)


@tagged("post_install", "-at_install")
class TestPenaltyTerms(InvoiceEditorCommon):
    """Penalty terms on the company, the customer and the invoice."""

    def test_invoice_takes_the_company_terms_then_the_customer_terms(self):
        self.env.company.write(
            {"penalty_type": "percent", "penalty_rate": 1.5, "penalty_rate_basis": "monthly"}
        )
        invoice = self._create_invoice()
        self.assertRecordValues(
            invoice,
            [{"penalty_type": "percent", "penalty_rate": 1.5, "penalty_recovery_indemnity": True}],
        )
        self.customer.write(
            {
                "penalty_type": "fixed",
                "penalty_fixed_amount": 15.0,
                "penalty_recurrence": "recurring",
                "penalty_interval": 2,
                "penalty_interval_unit": "weeks",
                "penalty_grace_days": 5,
            }
        )
        invoice = self._create_invoice()
        self.assertRecordValues(
            invoice,
            [
                {
                    "penalty_type": "fixed",
                    "penalty_fixed_amount": 15.0,
                    "penalty_interval": 2,
                    "penalty_interval_unit": "weeks",
                    "penalty_grace_days": 5,
                }
            ],
        )
        self.assertIn("every 2 weeks", invoice.penalty_terms_text)
        self.assertIn("40", invoice.penalty_terms_text)
        # Changing the customer's terms later leaves the invoice as it was issued.
        self.customer.penalty_fixed_amount = 99.0
        self.assertEqual(invoice.penalty_fixed_amount, 15.0)

    def test_no_recovery_indemnity_for_an_individual(self):
        person = self.env["res.partner"].create({"name": "Jeanne Martin", "is_company": False})
        invoice = self._create_invoice(partner_id=person.id)
        self.assertFalse(invoice.penalty_recovery_indemnity)

    def test_terms_in_words_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.write(
            {
                "lang": "fr_FR",
                "penalty_type": "percent",
                "penalty_rate": 10.0,
                "penalty_rate_basis": "annual",
            }
        )
        self.env["ir.module.module"]._load_module_terms(["invoice_classic"], ["fr_FR"])
        invoice = self._create_invoice()
        self.assertIn("taux annuel de 10 %", invoice.penalty_terms_text)
        self.assertIn("indemnité forfaitaire", invoice.penalty_terms_text)

    def test_penalty_due_on_a_posted_invoice_with_a_partial_payment(self):
        invoice = self._create_invoice(
            [(1000.0, self.env["account.tax"])],
            penalty_type="percent",
            penalty_rate=1.5,
            penalty_rate_basis="monthly",
            penalty_recovery_indemnity=False,
            invoice_date_due="2026-01-31",
        )
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 400.0, "payment_date": "2026-02-10"})._create_payments()
        self.assertEqual(invoice._get_penalty_due(date(2026, 4, 15)).total, 33.0)

    def test_penalty_due_on_an_invoice_in_installments(self):
        """Each installment (a receivable journal item) from its own due date, on its own
        amount and its own payments."""
        invoice = self._create_invoice(
            [(900.0, self.env["account.tax"])],
            penalty_type="percent",
            penalty_rate=1.5,
            penalty_rate_basis="monthly",
            penalty_recovery_indemnity=True,
            invoice_date="2026-01-31",
            invoice_payment_term_id=False,
            installment_mode="equal",
            installment_count=3,
        )
        invoice.action_post()
        self.assertEqual(invoice._get_penalty_due(date(2026, 3, 3)), (13.5, 40.0, 53.5))
        # 300 paid on February 10 pays the first installment: late from Feb 1 to Feb 10.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 300.0, "payment_date": "2026-02-10"})._create_payments()
        self.assertEqual(invoice._get_penalty_due(date(2026, 3, 3)), (9.0, 40.0, 49.0))

    def test_refusals(self):
        refusals = [
            {"penalty_fixed_amount": -1.0},
            {"penalty_rate": 100.5},
            {"penalty_rate": -1.0},
            {"penalty_interval": 0},
            {"penalty_grace_days": -2},
        ]
        invoice = self._create_invoice()
        for record in (self.env.company, self.customer, invoice):
            for values in refusals:
                with (
                    self.subTest(model=record._name, values=values),
                    self.assertRaises(ValidationError),
                    self.env.cr.savepoint(),
                ):
                    record.write(values)
                record.invalidate_recordset()
                self.assertEqual(record.penalty_fixed_amount, 0.0)
                self.assertEqual(record.penalty_rate, 0.0)
                self.assertEqual(record.penalty_interval, 1)
