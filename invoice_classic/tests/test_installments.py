from datetime import date

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestInstallments(InvoiceEditorCommon):
    def _schedule(self, invoice):
        return [
            (line.date_maturity, line.balance, line.amount_residual, line.reconciled)
            for line in invoice.installment_line_ids
        ]

    def _pay(self, invoice, amount, pay_date="2026-01-20"):
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": pay_date})
            ._create_payments()
        )

    def test_three_monthly_installments_with_a_partial_payment(self):
        invoice = self._create_invoice(
            [(1000.0, self.vat20)],
            installment_mode="equal",
            installment_count=3,
            installment_interval=1,
            installment_interval_unit="months",
        )
        invoice.action_post()

        receivable = self.customer.property_account_receivable_id
        self.assertEqual(invoice.installment_line_ids.account_id, receivable)
        self.assertEqual(
            self._schedule(invoice),
            [
                (date(2026, 1, 15), 400.0, 400.0, False),
                (date(2026, 2, 15), 400.0, 400.0, False),
                (date(2026, 3, 15), 400.0, 400.0, False),
            ],
        )
        self.assertEqual(invoice.invoice_date_due, date(2026, 3, 15))

        self._pay(invoice, 500.0)
        self.assertEqual(
            self._schedule(invoice),
            [
                (date(2026, 1, 15), 400.0, 0.0, True),
                (date(2026, 2, 15), 400.0, 300.0, False),
                (date(2026, 3, 15), 400.0, 400.0, False),
            ],
            "the earliest installment is settled first",
        )
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 700.0)

    def test_percentages_every_30_days_from_a_first_date(self):
        invoice = self._create_invoice(
            [(1000.0, self.vat20)],
            installment_mode="percent",
            installment_percentages="50; 30; 20",
            installment_interval=30,
            installment_interval_unit="days",
            installment_first_date="2026-02-01",
        )
        self.assertEqual(
            [(d, b) for d, b, _r, _p in self._schedule(invoice)],
            [
                (date(2026, 2, 1), 600.0),
                (date(2026, 3, 3), 360.0),
                (date(2026, 4, 2), 240.0),
            ],
        )

    def test_rounding_goes_to_the_last_installment(self):
        invoice = self._create_invoice(
            [(100.0, self.env["account.tax"])], installment_mode="equal", installment_count=3
        )
        self.assertEqual([b for _d, b, _r, _p in self._schedule(invoice)], [33.33, 33.33, 33.34])
        # Removing the schedule gives back one due date.
        invoice.installment_mode = False
        self.assertEqual(len(invoice.installment_line_ids), 1)
        self.assertEqual(invoice.installment_line_ids.balance, 100.0)

    def test_schedule_in_the_form(self):
        with Form(self.env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.customer
            form.invoice_date = date(2026, 5, 10)
            with form.invoice_line_ids.new() as line:
                line.name = "Accompagnement"
                line.price_unit = 900.0
                line.tax_ids.clear()
            form.installment_mode = "equal"
            form.installment_count = 2
        invoice = form.record
        self.assertEqual(
            [(d, b) for d, b, _r, _p in self._schedule(invoice)],
            [(date(2026, 5, 10), 450.0), (date(2026, 6, 10), 450.0)],
        )

    def test_schedule_follows_the_form_before_saving(self):
        """The schedule shown in the form follows the installment fields as they change,
        like the totals, before the invoice is saved."""
        invoice = self._create_invoice([(1000.0, self.vat20)])
        with Form(invoice) as form:
            form.installment_mode = "equal"
            form.installment_count = 3

            def shown():
                return [
                    (fields.Date.to_date(row["date_maturity"]), row["amount_currency"])
                    for row in form.installment_line_ids._records
                ]

            self.assertEqual(
                shown(),
                [
                    (date(2026, 1, 15), 400.0),
                    (date(2026, 2, 15), 400.0),
                    (date(2026, 3, 15), 400.0),
                ],
            )
            form.installment_count = 2
            form.installment_first_date = date(2026, 2, 1)
            self.assertEqual(shown(), [(date(2026, 2, 1), 600.0), (date(2026, 3, 1), 600.0)])
            form.installment_mode = False
            self.assertEqual(shown(), [(date(2026, 1, 15), 1200.0)], "a single term again")

    def test_refusals(self):
        invoice = self._create_invoice()
        refusals = [
            {"installment_mode": "equal", "installment_count": 1},
            {"installment_mode": "percent", "installment_percentages": "50; 40"},
            {"installment_mode": "percent", "installment_percentages": "100"},
            {"installment_mode": "percent", "installment_percentages": "120; -20"},
            {"installment_mode": "percent", "installment_percentages": "half; half"},
            {"installment_mode": "equal", "installment_interval": 0},
        ]
        before = self._schedule(invoice)
        for values in refusals:
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                invoice.write(values)
            invoice.invalidate_recordset()
            self.assertFalse(invoice.installment_mode)
            self.assertEqual(self._schedule(invoice), before)
