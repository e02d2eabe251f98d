from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InvoiceClassicCommon


@tagged("post_install", "-at_install")
class TestInvoiceFromPicking(InvoiceClassicCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table = cls._create_product(
            name="Table", is_storable=True, invoice_policy="delivery", lst_price=300.0
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.table, cls.warehouse.lot_stock_id, 1000.0
        )

    def test_partial_delivery_then_backorder(self):
        order = self._create_order([(self.chair, 10.0), (self.table, 2.0)], confirm=True)
        delivery = self._deliver(order.picking_ids, {self.chair: 4.0, self.table: 2.0})
        backorder = order.picking_ids - delivery
        self.assertEqual(backorder.backorder_id, delivery)

        action = delivery.action_invoice_one_click()

        invoice = delivery.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(action["res_id"], invoice.id)
        lines = self._lines_by_product(invoice)
        self.assertEqual(lines[self.chair].quantity, 4.0)
        self.assertEqual(lines[self.table].quantity, 2.0)
        self.assertEqual(lines[self.chair].price_unit, 100.0, "the order's price")
        self.assertEqual(lines[self.chair].tax_ids, order.order_line[0].tax_id)
        self.assertEqual(invoice.fiscal_position_id, order.fiscal_position_id)
        self.assertEqual(invoice.picking_ids, delivery)
        self.assertEqual(invoice.invoice_line_ids.sale_line_ids, order.order_line)
        self.assertNotIn(self.design, lines, "the service was not on the order")
        self.assertTrue(delivery.is_invoiced)
        self.assertEqual(delivery.invoice_count, 1)
        self.assertEqual(order.order_line[0].qty_invoiced, 4.0)

        self._deliver(backorder)
        backorder_invoice = backorder._invoice_one_click()
        lines = self._lines_by_product(backorder_invoice)
        self.assertEqual(set(lines), {self.chair}, "only what the backorder moved")
        self.assertEqual(lines[self.chair].quantity, 6.0)
        self.assertEqual(backorder_invoice.picking_ids, backorder)
        self.assertEqual(order.invoice_status, "invoiced")

    def test_backorder_delivered_first_is_invoiced_on_its_own(self):
        """Each transfer is invoiced for what it moved, whatever the order of events."""
        order = self._create_order([(self.chair, 10.0)], confirm=True)
        delivery = self._deliver(order.picking_ids, {self.chair: 3.0})
        backorder = self._deliver(order.picking_ids - delivery)

        backorder_invoice = backorder._invoice_one_click()
        self.assertEqual(backorder_invoice.invoice_line_ids.quantity, 7.0)
        delivery_invoice = delivery._invoice_one_click()
        self.assertEqual(delivery_invoice.invoice_line_ids.quantity, 3.0)

    def test_cannot_invoice_twice(self):
        order = self._create_order([(self.chair, 5.0)], confirm=True)
        delivery = self._deliver(order.picking_ids)
        invoice = delivery._invoice_one_click()
        with self.assertRaisesRegex(UserError, "already invoiced"):
            delivery._invoice_one_click()
        self.assertEqual(order.invoice_ids, invoice)
        Picking = self.env["stock.picking"]
        self.assertIn(delivery, Picking.search([("is_invoiced", "=", True)]), "Invoiced")
        self.assertNotIn(delivery, Picking.search([("is_invoiced", "=", False)]), "To Invoice")

        # Once its invoice is cancelled, the transfer can be invoiced again.
        invoice.button_cancel()
        self.assertFalse(delivery.is_invoiced)
        self.assertIn(delivery, Picking.search([("is_invoiced", "!=", True)]))
        self.assertNotIn(delivery, Picking.search([("is_invoiced", "=", True)]))
        again = delivery._invoice_one_click()
        self.assertEqual(again.invoice_line_ids.quantity, 5.0)

    def test_goods_invoiced_from_the_quotation_are_not_invoiced_again(self):
        quotation = self._create_order([(self.chair, 5.0)])
        quotation._invoice_one_click()
        delivery = self._deliver(quotation.picking_ids)
        with self.assertRaisesRegex(UserError, "Nothing is left to invoice"):
            delivery._invoice_one_click()

    def test_return_gets_a_credit_note(self):
        order = self._create_order([(self.chair, 10.0), (self.table, 2.0)], confirm=True)
        delivery = self._deliver(order.picking_ids)
        invoice = delivery._invoice_one_click()
        invoice.action_post()

        return_picking = self._return(delivery, {self.chair: 3.0})
        self.assertTrue(return_picking.is_return)
        credit_note = return_picking._invoice_one_click()

        self.assertEqual(credit_note.move_type, "out_refund")
        lines = self._lines_by_product(credit_note)
        self.assertEqual(set(lines), {self.chair})
        self.assertEqual(lines[self.chair].quantity, 3.0)
        self.assertEqual(credit_note.amount_untaxed, 300.0)
        self.assertEqual(credit_note.picking_ids, return_picking)
        self.assertEqual(order.order_line[0].qty_invoiced, 7.0)
        self.assertEqual(order.order_line[0].qty_delivered, 7.0)

    def test_return_credit_note_reverses_the_delivery_invoice(self):
        order = self._create_order([(self.chair, 10.0)], confirm=True)
        delivery = self._deliver(order.picking_ids)
        invoice = delivery._invoice_one_click()
        invoice.action_post()

        credit_note = self._return(delivery, {self.chair: 3.0})._invoice_one_click()

        self.assertEqual(credit_note.reversed_entry_id, invoice, "Reversal of the invoice")
        self.assertEqual(invoice.reversal_move_ids, credit_note)
        credit_note.action_post()
        self.assertEqual(credit_note.payment_state, "paid", "reconciled with the invoice")
        self.assertEqual(invoice.amount_residual, invoice.amount_total - credit_note.amount_total)

    def test_return_credit_note_of_an_order_invoiced_twice(self):
        """Goods of an order invoiced on two invoices, not from the transfer: the credit
        note cannot tell which one it corrects and is left unlinked."""
        order = self._create_order([(self.chair, 10.0)], confirm=True)
        delivery = self._deliver(order.picking_ids, {self.chair: 4.0})
        order._invoice_one_click().action_post()
        self._deliver(order.picking_ids - delivery)
        order._invoice_one_click().action_post()
        self.assertEqual(len(order.invoice_ids), 2)
        self.assertFalse(delivery.invoice_ids)

        credit_note = self._return(delivery, {self.chair: 1.0})._invoice_one_click()
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertFalse(credit_note.reversed_entry_id)

        # One invoice only: it is the one corrected, found through the order.
        other = self._create_order([(self.chair, 5.0)], confirm=True)
        other_delivery = self._deliver(other.picking_ids)
        other_invoice = other._invoice_one_click()
        other_invoice.action_post()
        credit_note = self._return(other_delivery, {self.chair: 2.0})._invoice_one_click()
        self.assertEqual(credit_note.reversed_entry_id, other_invoice)

    def test_refusals_create_nothing(self):
        moves_before = self.env["account.move"].search_count([])
        order = self._create_order([(self.chair, 5.0)], confirm=True)
        picking = order.picking_ids
        with self.assertRaisesRegex(UserError, "not done"):
            picking._invoice_one_click()

        receipt_type = self.warehouse.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Chairs",
                            "product_id": self.chair.id,
                            "product_uom_qty": 2.0,
                            "product_uom": self.chair.uom_id.id,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        self._deliver(receipt)
        with self.assertRaisesRegex(UserError, "does not come from a sales order"):
            receipt._invoice_one_click()

        self._deliver(picking)
        order.partner_id.action_archive()
        with self.assertRaisesRegex(UserError, "archived"):
            picking._invoice_one_click()
        order.partner_id.action_unarchive()

        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertFalse(picking.invoice_ids)

    def _four_deliveries(self):
        """A delivery of 4 chairs and its backorder of 6, a delivery of a table: one
        customer, two orders; a delivery of a chair to another customer."""
        first = self._create_order([(self.chair, 10.0)], confirm=True)
        first_delivery = self._deliver(first.picking_ids, {self.chair: 4.0})
        first_backorder = self._deliver(first.picking_ids - first_delivery)
        second = self._create_order([(self.table, 1.0)], confirm=True)
        second_delivery = self._deliver(second.picking_ids)
        other = self._create_order([(self.chair, 1.0)], partner=self.partner_b, confirm=True)
        other_delivery = self._deliver(other.picking_ids)
        return first_delivery, first_backorder, second_delivery, other_delivery

    def test_batch_per_transfer(self):
        first_delivery, first_backorder, second_delivery, other_delivery = self._four_deliveries()
        pickings = first_delivery | first_backorder | second_delivery | other_delivery

        action = pickings.action_invoice_one_click()

        invoices = pickings.invoice_ids
        self.assertEqual(len(invoices), 4, "one invoice per transfer")
        self.assertEqual(set(action["domain"][0][2]), set(invoices.ids))
        for picking, quantity in (
            (first_delivery, 4.0),
            (first_backorder, 6.0),
            (second_delivery, 1.0),
            (other_delivery, 1.0),
        ):
            self.assertEqual(picking.invoice_ids.picking_ids, picking)
            self.assertEqual(picking.invoice_ids.invoice_line_ids.quantity, quantity)

    def test_batch_grouped_per_customer(self):
        first_delivery, first_backorder, second_delivery, other_delivery = self._four_deliveries()

        (first_delivery | first_backorder | second_delivery | other_delivery)._invoice_one_click(
            grouped=False
        )

        customer_invoice = first_delivery.invoice_ids
        self.assertEqual(len(customer_invoice), 1)
        self.assertEqual(customer_invoice, first_backorder.invoice_ids)
        self.assertEqual(customer_invoice, second_delivery.invoice_ids)
        self.assertEqual(
            customer_invoice.picking_ids, first_delivery | first_backorder | second_delivery
        )
        self.assertEqual(customer_invoice.amount_untaxed, 1000.0 + 300.0)
        self.assertEqual(other_delivery.invoice_ids.picking_ids, other_delivery)
