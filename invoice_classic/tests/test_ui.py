from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import InvoiceClassicCommon, InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestUi(InvoiceClassicCommon, HttpCase):
    def test_quotation_to_draft_invoice_tour(self):
        quotation = self._create_order()
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{quotation.id}",
            "invoice_classic_quotation_to_invoice",
            login=self.env.user.login,
        )
        invoice = quotation.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(quotation.state, "sale")

    def test_delivery_to_invoice_tour(self):
        """A partial delivery invoiced in one click from its form: what it moved, posted."""
        order = self._create_order(lines=[(self.chair, 10.0)], confirm=True)
        delivery = order.picking_ids
        self._deliver(delivery, {self.chair: 4.0})
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{delivery.id}",
            "invoice_classic_delivery_to_invoice",
            login=self.env.user.login,
        )
        invoice = delivery.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.quantity, 4.0)
        self.assertEqual(order.order_line.qty_invoiced, 4.0)

    def test_customer_new_invoice_tour(self):
        customer = self.env["res.partner"].create(
            {"name": "Client Tour", "property_payment_term_id": self.pay_terms_a.id}
        )
        self.start_tour(
            f"/odoo/action-account.res_partner_action_customer/{customer.id}",
            "invoice_classic_customer_new_invoice",
            login=self.env.user.login,
        )
        invoice = self.env["account.move"].search([("partner_id", "=", customer.id)])
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.invoice_payment_term_id, self.pay_terms_a)
        self.assertEqual(invoice.invoice_line_ids.product_id, self.design)
        self.assertEqual(invoice.amount_untaxed, 500.0)


@tagged("post_install", "-at_install")
class TestEditorUi(InvoiceEditorCommon, HttpCase):
    def test_invoice_editor_tour(self):
        invoice = self._create_invoice()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_editor",
            login=self.env.user.login,
        )
        self.assertEqual(invoice.invoice_title, "Refonte du site")
        self.assertEqual(invoice.amount_untaxed, 1080.0)
        self.assertEqual(len(invoice.installment_line_ids), 4)

    def test_customer_files_tour(self):
        """A file for the customer, attached in the form, is kept for the customer: Odoo does
        not try to import the invoice from it (no "not updated from the attachment" note)."""
        invoice = self._create_invoice()
        messages_before = invoice.message_ids
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_customer_files",
            login=self.env.user.login,
        )
        self.assertEqual(invoice.invoice_attachment_ids.mapped("name"), ["conditions.txt"])
        self.assertEqual(invoice.invoice_attachment_ids.res_model, "account.move")
        self.assertEqual(invoice.invoice_attachment_ids.res_id, invoice.id)
        self.assertEqual(len(invoice.invoice_line_ids), 2, "the invoice is as it was")
        self.assertFalse(
            [body for body in (invoice.message_ids - messages_before).mapped("body") if body],
            "nothing posted about the file",
        )

    def test_send_reminder_now_tour(self):
        """10 days late: the first reminder opens in the composer, goes, and is logged; Send
        Reminder Now again sends it again (a re-send), or another level chosen there."""
        self.customer.email = "compta@client.example.com"
        due = fields.Date.context_today(self.env["account.move"]) - timedelta(days=10)
        invoice = self._create_invoice(
            invoice_date=due, invoice_date_due=due, invoice_payment_term_id=False
        )
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_reminder_now",
            login=self.env.user.login,
        )
        logs = invoice.reminder_log_ids.sorted("id")
        self.assertEqual(
            [(log.level_id.days, log.state) for log in logs],
            [(7, "done"), (7, "resent"), (15, "done")],
        )
        self.assertIn(invoice.name, logs[0].message_id.body)
        self.assertIn("Second reminder", logs[2].message_id.subject)

    def test_cheque_payment_tour(self):
        """Pay, received by cheque with its number and bank: the payment carries them."""
        invoice = self._create_invoice()
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_cheque_payment",
            login=self.env.user.login,
        )
        payment = invoice._get_reconciled_payments()
        self.assertRecordValues(
            payment,
            [
                {
                    "payment_mode_id": self.env.ref("invoice_classic.payment_mode_cheque").id,
                    "cheque_number": "0004521",
                    "cheque_bank": "Crédit Lyonnais",
                    "amount": invoice.amount_total,
                }
            ],
        )
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def test_pdf_layout_then_send_tour(self):
        """PDF, the modern layout, Send by E-mail: Odoo's sending wizard opens with that layout
        (checked in the tour), which makes the PDF and marks the invoice sent."""
        self.customer.email = "compta@client.example.com"
        invoice = self._create_invoice()
        invoice.action_post()
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_pdf_send",
            login=self.env.user.login,
        )
        self.env.invalidate_all()
        self.assertTrue(invoice.is_move_sent)
        self.assertTrue(invoice.invoice_pdf_report_id, "the PDF was made and kept")
