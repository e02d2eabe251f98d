from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class InvoiceClassicCommon(AccountTestInvoicingCommon):
    """A company with a warehouse, a customer, a stocked product invoiced on
    delivered quantities and a service invoiced on ordered quantities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref("sales_team.group_sale_manager") | cls.env.ref(
            "stock.group_stock_manager"
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.customer = cls.partner_a
        cls.chair = cls._create_product(
            name="Chair",
            is_storable=True,
            invoice_policy="delivery",
            lst_price=100.0,
        )
        cls.design = cls._create_product(
            name="Logo design",
            type="service",
            invoice_policy="order",
            lst_price=500.0,
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.chair, cls.warehouse.lot_stock_id, 1000.0
        )

    @classmethod
    def _create_order(cls, lines=None, partner=None, confirm=False):
        """``lines``: list of (product, quantity); by default 10 chairs and 1 design."""
        lines = lines or [(cls.chair, 10.0), (cls.design, 1.0)]
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                    for product, quantity in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _deliver(cls, picking, quantities=None):
        """Validate ``picking`` for ``quantities`` ({product: qty}, all by default);
        what is left goes to a backorder."""
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        return picking

    @classmethod
    def _return(cls, picking, quantities):
        """Return ``quantities`` ({product: qty}) of a done ``picking``, validated."""
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        return_picking = wizard._create_return()
        return cls._deliver(return_picking)

    def _lines_by_product(self, invoice):
        return {line.product_id: line for line in invoice.invoice_line_ids if line.product_id}
