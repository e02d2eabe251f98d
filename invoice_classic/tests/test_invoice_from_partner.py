from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import InvoiceClassicCommon


@tagged("post_install", "-at_install")
class TestInvoiceFromPartner(InvoiceClassicCommon):
    def test_new_invoice_is_set_for_the_customer(self):
        salesperson = self.env["res.users"].create({"name": "Sophie", "login": "sophie.ic"})
        self.customer.write(
            {
                "user_id": salesperson.id,
                "property_payment_term_id": self.pay_terms_a.id,
                "property_account_position_id": self.fiscal_pos_a.id,
            }
        )
        delivery_address = self.env["res.partner"].create(
            {"name": "Warehouse", "type": "delivery", "parent_id": self.customer.id}
        )
        action = self.customer.action_new_customer_invoice()
        self.assertEqual(action["res_model"], "account.move")

        with Form(self.env["account.move"].with_context(**action["context"])) as invoice_form:
            self.assertEqual(invoice_form.move_type, "out_invoice")
            self.assertEqual(invoice_form.partner_id, self.customer)
            self.assertEqual(invoice_form.invoice_payment_term_id, self.pay_terms_a)
            self.assertEqual(invoice_form.fiscal_position_id, self.fiscal_pos_a)
            self.assertEqual(invoice_form.invoice_user_id, salesperson)
            with invoice_form.invoice_line_ids.new() as line:
                line.product_id = self.design
        invoice = invoice_form.record
        self.assertEqual(invoice.partner_shipping_id, delivery_address)
        self.assertEqual(invoice.amount_untaxed, 500.0)

    def test_invoice_count_and_list(self):
        contact = self.env["res.partner"].create({"name": "Paul", "parent_id": self.customer.id})
        self.init_invoice("out_invoice", partner=self.customer, amounts=[100.0])
        self.init_invoice("out_invoice", partner=contact, amounts=[50.0], post=True)
        self.init_invoice("out_refund", partner=self.customer, amounts=[10.0], post=True)
        self.init_invoice("in_invoice", partner=self.customer, amounts=[10.0], post=True)

        (self.customer | contact | self.partner_b).invalidate_recordset(["customer_invoice_count"])
        self.assertEqual(self.customer.customer_invoice_count, 3, "with its contacts, no bills")
        self.assertEqual(contact.customer_invoice_count, 1)
        self.assertEqual(self.partner_b.customer_invoice_count, 0)

        action = self.customer.action_view_customer_invoices()
        self.assertEqual(self.env["account.move"].search_count(action["domain"]), 3)
        self.assertFalse(action["context"].get("search_default_unpaid"))

    def test_archived_customer_is_refused(self):
        self.customer.action_archive()
        with self.assertRaisesRegex(UserError, "archived"):
            self.customer.action_new_customer_invoice()
