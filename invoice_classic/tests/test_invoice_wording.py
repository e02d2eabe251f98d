from odoo.tests import tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestInvoiceWording(InvoiceEditorCommon):
    """What the invoice says in words: each sentence whole, as translators see it."""

    def test_labels_of_a_discount_split_per_taxes(self):
        no_tax = self.env["account.tax"]
        invoice = self._create_invoice(
            [(1000.0, self.vat20), (200.0, no_tax)],
            global_discount_type="percent",
            global_discount_percent=10,
        )
        self.assertEqual(
            sorted(invoice.invoice_line_ids.filtered("classic_line_type").mapped("name")),
            [
                "Discount 10 % - On products with the following taxes: TVA 20 %",
                "Discount 10 % - On products without taxes",
            ],
        )
        invoice.write({"global_discount_type": "fixed", "global_discount_fixed": 120.0})
        self.assertEqual(
            sorted(invoice.invoice_line_ids.filtered("classic_line_type").mapped("name")),
            [
                "Discount - On products with the following taxes: TVA 20 %",
                "Discount - On products without taxes",
            ],
        )

    def test_recurring_penalty_in_words_for_each_period(self):
        invoice = self._create_invoice(
            penalty_type="fixed",
            penalty_recurrence="recurring",
            penalty_fixed_amount=15.0,
            penalty_interval=2,
            penalty_recovery_indemnity=False,
        )
        amount = invoice._format_amount(15.0)
        for unit in ("days", "weeks", "months"):
            with self.subTest(unit=unit):
                invoice.write({"penalty_interval_unit": unit, "penalty_grace_days": 0})
                self.assertEqual(
                    invoice.penalty_terms_text.splitlines()[0],
                    f"Late payment: a penalty of {amount} is charged, then again every 2 {unit} "
                    "while the invoice remains unpaid.",
                )
                invoice.penalty_grace_days = 5
                self.assertEqual(
                    invoice.penalty_terms_text.splitlines()[0],
                    f"Late payment: a penalty of {amount} is charged from 5 days after the due "
                    f"date, then again every 2 {unit} while the invoice remains unpaid.",
                )

    def test_penalty_rate_and_once_in_words_with_grace_days(self):
        invoice = self._create_invoice(
            penalty_type="percent",
            penalty_rate=1.5,
            penalty_rate_basis="monthly",
            penalty_grace_days=10,
        )
        self.assertEqual(
            invoice.penalty_terms_text.splitlines()[0],
            "Late payment: penalties of 1.5 % of the remaining balance per month overdue from "
            "10 days after the due date.",
        )
        invoice.write({"penalty_type": "fixed", "penalty_recurrence": "once"})
        self.assertEqual(
            invoice.penalty_terms_text.splitlines()[0],
            f"Late payment: a penalty of {invoice._format_amount(invoice.penalty_fixed_amount)} "
            "is charged once from 10 days after the due date.",
        )

    def test_reads_of_all_fields_leave_the_dynamic_line_keys_out(self):
        invoice = self._create_invoice(global_discount_type="percent", global_discount_percent=10)
        values = invoice.read()[0]
        self.assertIn("amount_global_discount", values)
        self.assertNotIn("needed_discount_lines", values)
        self.assertNotIn("needed_tip_lines", values)
        line_values = invoice.invoice_line_ids.filtered("classic_line_type")[:1].read()[0]
        self.assertEqual(line_values["classic_line_type"], "discount")
        self.assertNotIn("classic_discount_key", line_values)
        self.assertNotIn("classic_tip_key", line_values)


@tagged("post_install", "-at_install")
class TestInvoiceSmsTemplate(InvoiceEditorCommon, SMSCase):
    """The text of an invoice sent by SMS is an SMS template users may edit."""

    def test_the_sms_says_what_its_template_says(self):
        self.customer.mobile = "+33612345678"
        invoice = self._create_invoice([(100.0, self.env["account.tax"])])
        invoice.action_post()
        with self.mockSMSGateway():
            invoice.action_send_sms()
        amount = invoice._format_amount(100.0)
        self.assertSMSIapSent(
            ["+33612345678"],
            content=f"{invoice.company_id.name}: invoice {invoice.name} of {amount}, due ",
        )
        template = self.env.ref("invoice_classic.sms_template_invoice")
        self.assertEqual(template.model, "account.move")
        template.body = "Invoice {{ object.name }}: pay online at {{ object.get_portal_url() }}"
        with self.mockSMSGateway():
            invoice.action_send_sms()
        self.assertSMSIapSent(
            ["+33612345678"], content=f"Invoice {invoice.name}: pay online at /my/invoices/"
        )
