from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import InvoiceClassicCommon


@tagged("post_install", "-at_install")
class TestInvoiceFromSaleOrder(InvoiceClassicCommon):
    def test_quotation_one_click_invoices_quoted_quantities(self):
        quotation = self._create_order()
        self.assertEqual(quotation.state, "draft")

        action = quotation.action_invoice_one_click()

        self.assertEqual(quotation.state, "sale", "the quotation is confirmed")
        invoice = quotation.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["res_id"], invoice.id)
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(invoice.state, "draft", "the user can still add a line")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.customer)
        lines = self._lines_by_product(invoice)
        # The chair is invoiced on delivered quantities, but the customer accepted the quote.
        self.assertEqual(lines[self.chair].quantity, 10.0)
        self.assertEqual(lines[self.design].quantity, 1.0)
        self.assertEqual(invoice.amount_untaxed, 1500.0)
        self.assertEqual(
            invoice.invoice_line_ids.sale_line_ids,
            quotation.order_line,
            "linked to the order lines",
        )
        self.assertEqual(quotation.order_line.mapped("qty_invoiced"), [10.0, 1.0])
        self.assertEqual(quotation.invoice_status, "invoiced")

    def test_quotation_invoice_accepts_an_extra_line(self):
        """The agency adds its travel expenses before validating."""
        quotation = self._create_order([(self.design, 2.0)])
        invoice = quotation._invoice_one_click()
        with Form(invoice) as invoice_form, invoice_form.invoice_line_ids.new() as line:
            line.name = "Travel expenses"
            line.quantity = 1
            line.price_unit = 80.0
            line.tax_ids.clear()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.amount_untaxed, 1080.0)
        self.assertEqual(quotation.order_line.qty_invoiced, 2.0)

    def test_sent_quotation_is_invoiced_too(self):
        quotation = self._create_order([(self.design, 1.0)])
        quotation.action_quotation_sent()
        self.assertEqual(quotation.state, "sent")
        invoice = quotation._invoice_one_click()
        self.assertEqual(invoice.amount_untaxed, 500.0)

    def test_order_one_click_follows_odoo_rules(self):
        """A confirmed order is invoiced for what is invoiceable now: the service
        (ordered quantities), not the undelivered chairs."""
        order = self._create_order(confirm=True)
        invoice = order._invoice_one_click()
        lines = self._lines_by_product(invoice)
        self.assertEqual(set(lines), {self.design})
        self.assertEqual(lines[self.design].quantity, 1.0)

        self._deliver(order.picking_ids, {self.chair: 4.0})
        second = order._invoice_one_click()
        self.assertEqual(self._lines_by_product(second)[self.chair].quantity, 4.0)
        self.assertEqual(second.invoice_line_ids.sale_line_ids.order_id, order)

    def test_order_one_click_deducts_down_payments(self):
        order = self._create_order([(self.design, 2.0)], confirm=True)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "fixed", "fixed_amount": 230.0})
        )
        wizard.create_invoices()
        down_payment = order.invoice_ids
        down_payment.action_post()

        invoice = order._invoice_one_click()

        self.assertNotEqual(invoice, down_payment)
        self.assertEqual(invoice.amount_total, 2 * 500.0 * 1.15 - 230.0)
        self.assertTrue(invoice.invoice_line_ids.filtered("is_downpayment"))

    def test_nothing_to_invoice_says_why(self):
        order = self._create_order([(self.chair, 5.0)], confirm=True)
        with self.assertRaisesRegex(UserError, "Chair.*delivered"):
            order._invoice_one_click()
        self.assertFalse(order.invoice_ids)

        service_order = self._create_order([(self.design, 1.0)], confirm=True)
        service_order._invoice_one_click()
        with self.assertRaisesRegex(UserError, "already fully invoiced"):
            service_order._invoice_one_click()

    def test_refusals_create_nothing(self):
        invoices_before = self.env["account.move"].search_count([])

        cancelled = self._create_order()
        cancelled._action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            cancelled._invoice_one_click()

        empty = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "no product line"):
            empty._invoice_one_click()

        only_a_note = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [Command.create({"display_type": "line_note", "name": "Hello"})],
            }
        )
        with self.assertRaisesRegex(UserError, "no product line"):
            only_a_note._invoice_one_click()

        archived_customer = self.env["res.partner"].create({"name": "Gone Ltd"})
        quotation = self._create_order(partner=archived_customer)
        archived_customer.action_archive()
        with self.assertRaisesRegex(UserError, "archived"):
            quotation._invoice_one_click()
        self.assertEqual(quotation.state, "draft", "a refusal changes nothing")

        # A batch with one bad document is refused as a whole.
        good = self._create_order()
        with self.assertRaisesRegex(UserError, "cancelled"):
            (good | cancelled)._invoice_one_click()
        self.assertEqual(good.state, "draft")

        self.assertEqual(self.env["account.move"].search_count([]), invoices_before)

    def test_other_company_is_refused(self):
        other_company = self.setup_other_company()["company"]
        order = (
            self.env["sale.order"]
            .with_company(other_company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.design.id})],
                }
            )
        )
        self.assertEqual(order.company_id, other_company)
        with self.assertRaisesRegex(UserError, "company_2"):
            order.with_context(allowed_company_ids=self.env.company.ids)._invoice_one_click()
        self.assertFalse(order.invoice_ids)

    def test_batch_one_invoice_per_order(self):
        other_customer = self.partner_b
        quotations = (
            self._create_order()
            | self._create_order([(self.design, 3.0)])
            | self._create_order(partner=other_customer)
        )
        confirmed = self._create_order([(self.design, 1.0)], confirm=True)
        orders = quotations | confirmed

        action = orders.action_invoice_one_click()

        invoices = orders.invoice_ids
        self.assertEqual(len(invoices), 4)
        self.assertEqual(set(action["domain"][0][2]), set(invoices.ids))
        for order in orders:
            self.assertEqual(len(order.invoice_ids), 1)
            self.assertEqual(order.invoice_ids.invoice_line_ids.sale_line_ids.order_id, order)
        self.assertEqual(quotations[1].invoice_ids.amount_untaxed, 1500.0)

    def test_batch_says_which_orders_were_not_invoiced(self):
        """An order already invoiced in a batch: the others are invoiced, and the user is
        told which was left out and why before the invoices open, with their origin."""
        invoiced = self._create_order([(self.design, 1.0)], confirm=True)
        invoiced._invoice_one_click()
        other = self._create_order([(self.design, 2.0)], confirm=True)

        action = (invoiced | other).action_invoice_one_click()

        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["title"], "Some orders were not invoiced")
        self.assertEqual(action["params"]["message"], f"{invoiced.name} is already fully invoiced.")
        following = action["params"]["next"]
        self.assertEqual(following["res_model"], "account.move")
        self.assertEqual(following["res_id"], other.invoice_ids.id)
        self.assertEqual(other.invoice_ids.invoice_origin, other.name)
        self.assertEqual(len(invoiced.invoice_ids), 1, "not invoiced twice")
        # The invoice list shows where each invoice comes from.
        arch = self.env["account.move"].get_views(
            [(self.env.ref("account.view_out_invoice_tree").id, "list")]
        )["views"]["list"]["arch"]
        self.assertRegex(arch, r'name="invoice_origin"[^>]*optional="show"')

    def test_batch_grouped_per_customer(self):
        first = self._create_order()
        second = self._create_order([(self.design, 3.0)])
        other = self._create_order(partner=self.partner_b)

        (first | second | other).action_invoice_one_click_grouped()

        self.assertEqual(first.invoice_ids, second.invoice_ids, "one invoice for the customer")
        self.assertEqual(len(first.invoice_ids), 1)
        self.assertEqual(first.invoice_ids.amount_untaxed, 1500.0 + 1500.0)
        self.assertEqual(len(other.invoice_ids), 1)
        self.assertNotEqual(other.invoice_ids, first.invoice_ids)

    def test_form_buttons(self):
        """The quotation form shows the one-click button, the order form too while
        something is to invoice."""
        quotation = self._create_order()
        arch = quotation.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_invoice_one_click"', arch)
        self.assertIn("Down Payment", arch)

    def test_refusal_is_translated_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["invoice_classic"], ["fr_FR"])
        empty = self.env["sale.order"].create({"partner_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "n'a aucune ligne de produit"):
            empty.with_context(lang="fr_FR")._invoice_one_click()
