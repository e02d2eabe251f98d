from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestInvoiceDiscountTip(InvoiceEditorCommon):
    def test_percent_discount_split_across_vat_rates(self):
        """10 % off 1000 at 20 % and 200 at 5.5 %: both VAT bases go down."""
        invoice = self._create_invoice(global_discount_type="percent", global_discount_percent=10)
        invoice.action_post()

        self.assertEqual(
            self._items(invoice, classic="discount"),
            [("709100", 20.0, ("TVA 5,5 %",)), ("709100", 100.0, ("TVA 20 %",))],
        )
        # Odoo books the tax of a negative line apart (refund repartition): sum per tax.
        taxes = {}
        for line in invoice.line_ids.filtered("tax_line_id"):
            taxes[line.tax_line_id] = round(taxes.get(line.tax_line_id, 0.0) + line.balance, 2)
        self.assertEqual(taxes, {self.vat20: -180.0, self.vat55: -9.9})
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(receivable.balance, 1269.9)
        self.assertEqual(receivable.account_id, self.customer.property_account_receivable_id)
        self.assertRecordValues(
            invoice,
            [
                {
                    "amount_untaxed": 1080.0,
                    "amount_tax": 189.9,
                    "amount_total": 1269.9,
                    "amount_global_discount": -120.0,
                }
            ],
        )
        totals = invoice.tax_totals
        self.assertEqual(totals["classic_gross_amount_currency"], 1200.0)
        self.assertEqual(totals["classic_discount_amount_currency"], -120.0)
        self.assertEqual(totals["subtotals"][0]["base_amount_currency"], 1080.0)

    def test_fixed_discount_is_split_in_proportion(self):
        invoice = self._create_invoice(global_discount_type="fixed", global_discount_fixed=120)
        self.assertEqual(
            sorted(invoice.invoice_line_ids.filtered("classic_line_type").mapped("price_unit")),
            [-100.0, -20.0],
        )
        self.assertEqual(invoice.amount_untaxed, 1080.0)
        self.assertEqual(invoice.amount_tax, 189.9)

    def test_single_rate_discount_has_one_line_and_label(self):
        invoice = self._create_invoice(
            [(300.0, self.vat20), (100.0, self.vat20)],
            global_discount_type="percent",
            global_discount_percent=25,
        )
        discount = invoice.invoice_line_ids.filtered("classic_line_type")
        self.assertEqual(len(discount), 1)
        self.assertEqual(discount.name, "Discount 25 %")
        self.assertEqual(discount.price_unit, -100.0)
        self.assertEqual(invoice.amount_total, 360.0)

    def test_discount_follows_the_draft(self):
        invoice = self._create_invoice(global_discount_type="percent", global_discount_percent=10)
        invoice.invoice_line_ids.filtered(lambda line: line.price_unit == 1000).price_unit = 2000
        self.assertEqual(
            sorted(invoice.invoice_line_ids.filtered("classic_line_type").mapped("price_unit")),
            [-200.0, -20.0],
        )
        invoice.global_discount_percent = 50
        self.assertEqual(invoice.amount_untaxed, 1100.0)
        # A draft again after posting: still followed.
        invoice.action_post()
        invoice.button_draft()
        invoice.global_discount_type = False
        self.assertFalse(invoice.invoice_line_ids.filtered("classic_line_type"))
        self.assertEqual(invoice.amount_untaxed, 2200.0)
        self.assertEqual(invoice.amount_tax, 411.0)

    def test_discount_in_the_form(self):
        with Form(self.env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = self.customer
            with form.invoice_line_ids.new() as line:
                line.name = "Conseil"
                line.price_unit = 500.0
                line.tax_ids.clear()
                line.tax_ids.add(self.vat20)
            form.global_discount_type = "percent"
            form.global_discount_percent = 10
            # Shown before saving.
            self.assertEqual(form.tax_totals["classic_discount_amount_currency"], -50.0)
            self.assertEqual(form.tax_totals["total_amount_currency"], 540.0)
            form.tip_type = "fixed"
            form.tip_fixed = 20
            self.assertEqual(form.tax_totals["total_amount_currency"], 560.0)
            form.tip_type = False
            form.global_discount_percent = 20
            self.assertEqual(form.tax_totals["total_amount_currency"], 480.0)
            form.global_discount_percent = 10
        invoice = form.record
        self.assertEqual(len(invoice.invoice_line_ids), 2, "one product line, one discount line")
        self.assertEqual(invoice.amount_untaxed, 450.0)
        self.assertEqual(invoice.amount_total, 540.0)
        self.assertEqual(invoice.tax_totals["classic_discount_amount_currency"], -50.0)

    def test_discount_refusals_change_nothing(self):
        invoice = self._create_invoice(global_discount_type="percent", global_discount_percent=10)
        before = self._items(invoice)
        refusals = [
            {"global_discount_percent": 0},
            {"global_discount_percent": 100.5},
            {"global_discount_percent": -5},
            {"global_discount_type": "fixed", "global_discount_fixed": -1},
            {"global_discount_type": "fixed", "global_discount_fixed": 1200.01},
        ]
        for values in refusals:
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                invoice.write(values)
            invoice.invalidate_recordset()
            self.assertEqual(self._items(invoice), before)
            self.assertEqual(invoice.global_discount_percent, 10)
        # The whole untaxed total may be taken off, not more.
        invoice.write({"global_discount_type": "fixed", "global_discount_fixed": 1200})
        self.assertEqual(invoice.amount_total, 0.0)

    def test_discount_bound_checked_when_lines_shrink(self):
        invoice = self._create_invoice(global_discount_type="fixed", global_discount_fixed=1100)
        first_line = invoice.invoice_line_ids[0]
        with (
            self.assertRaisesRegex(ValidationError, "above the untaxed total"),
            self.env.cr.savepoint(),
        ):
            invoice.write({"invoice_line_ids": [Command.delete(first_line.id)]})
        self.assertEqual(len(invoice.invoice_line_ids), 4)

    def test_fixed_tip_on_its_account_without_tax(self):
        invoice = self._create_invoice(tip_type="fixed", tip_fixed=50)
        invoice.action_post()
        self.assertEqual(self._items(invoice, classic="tip"), [("758100", -50.0, ())])
        self.assertEqual(invoice.amount_total, 1461.0)  # 1200 + 200 + 11 + 50
        self.assertEqual(invoice.amount_tax, 211.0)
        self.assertEqual(invoice.amount_tip, 50.0)
        totals = invoice.tax_totals
        self.assertEqual(totals["classic_tip_amount_currency"], 50.0)
        self.assertEqual(totals["subtotals"][0]["base_amount_currency"], 1200.0)
        self.assertNotIn("classic_discount_amount_currency", totals)

    def test_percent_tip_after_discount(self):
        invoice = self._create_invoice(
            global_discount_type="percent",
            global_discount_percent=10,
            tip_type="percent",
            tip_percent=10,
        )
        self.assertEqual(invoice.amount_tip, 126.99)  # 10 % of 1269.90
        self.assertEqual(invoice.amount_total, 1396.89)
        invoice.global_discount_type = False
        self.assertEqual(invoice.amount_tip, 141.1)  # 10 % of 1411.00

    def test_tip_refusals(self):
        invoice = self._create_invoice()
        with self.assertRaisesRegex(ValidationError, "negative"), self.env.cr.savepoint():
            invoice.write({"tip_type": "fixed", "tip_fixed": -5})
        self.env.company.invoice_tip_account_id = False
        with self.assertRaisesRegex(ValidationError, "account tips"), self.env.cr.savepoint():
            invoice.write({"tip_type": "fixed", "tip_fixed": 5})
        invoice.invalidate_recordset()
        self.assertFalse(invoice.tip_type)
        self.assertEqual(invoice.amount_total, 1411.0)

    def test_credit_note_and_duplicate_carry_discount_and_tip(self):
        invoice = self._create_invoice(
            global_discount_type="percent",
            global_discount_percent=10,
            tip_type="fixed",
            tip_fixed=30,
        )
        invoice.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "retour"})
        )
        credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.amount_total, invoice.amount_total)
        self.assertEqual(credit_note.amount_global_discount, -120.0)
        self.assertEqual(credit_note.amount_tip, 30.0)
        self.assertEqual(
            self._items(credit_note, classic="discount"),
            [("709100", -100.0, ("TVA 20 %",)), ("709100", -20.0, ("TVA 5,5 %",))],
        )
        self.assertEqual(self._items(credit_note, classic="tip"), [("758100", 30.0, ())])

        duplicate = invoice.copy()
        self.assertEqual(duplicate.global_discount_percent, 10)
        self.assertEqual(duplicate.amount_total, invoice.amount_total)
        self.assertEqual(len(duplicate.invoice_line_ids.filtered("classic_line_type")), 3)

    def _discount_change_queries(self, line_count):
        invoice = self._create_invoice(
            [(10.0 + i, self.vat20 if i % 2 else self.vat55) for i in range(line_count)],
            global_discount_type="percent",
            global_discount_percent=5,
        )
        self.assertTrue(invoice.tax_totals)  # a form reads it
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        invoice.global_discount_percent = 10
        self.assertTrue(invoice.tax_totals)
        self.env.flush_all()
        self.assertAlmostEqual(
            invoice.amount_untaxed, 0.9 * sum(10.0 + i for i in range(line_count)), places=2
        )
        return self.cr.sql_log_count - start

    def test_discount_change_query_count_on_50_lines(self):
        """Changing the discount of a 50-line draft: a fixed number of queries, the
        same as on a 5-line draft (nothing per line)."""
        invoice = self._create_invoice(
            [(10.0 + i, self.vat20 if i % 2 else self.vat55) for i in range(50)],
            global_discount_type="percent",
            global_discount_percent=5,
        )
        self.assertTrue(invoice.tax_totals)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(70):
            invoice.global_discount_percent = 10
            self.assertTrue(invoice.tax_totals)
            self.env.flush_all()
        self.assertEqual(self._discount_change_queries(50), self._discount_change_queries(5))
