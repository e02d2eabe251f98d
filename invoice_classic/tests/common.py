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


class InvoiceEditorCommon(InvoiceClassicCommon):
    """Two French VAT rates, a discount account, a tip account, a business customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat20 = cls.env["account.tax"].create(
            {"name": "TVA 20 %", "amount": 20.0, "type_tax_use": "sale"}
        )
        cls.vat55 = cls.env["account.tax"].create(
            {"name": "TVA 5,5 %", "amount": 5.5, "type_tax_use": "sale"}
        )
        cls.discount_account = cls.env["account.account"].create(
            {"name": "Rabais accordés", "code": "709100", "account_type": "income"}
        )
        cls.tip_account = cls.env["account.account"].create(
            {"name": "Pourboires", "code": "758100", "account_type": "income_other"}
        )
        cls.env.company.write(
            {
                "invoice_discount_account_id": cls.discount_account.id,
                "invoice_tip_account_id": cls.tip_account.id,
            }
        )
        cls.customer.is_company = True

    @classmethod
    def _create_invoice(cls, amounts=None, **values):
        """A draft customer invoice; ``amounts``: [(price, taxes)], by default
        1000 at 20 % and 200 at 5.5 %."""
        amounts = amounts or [(1000.0, cls.vat20), (200.0, cls.vat55)]
        return cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": "2026-01-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Line {index}",
                            "price_unit": price,
                            "quantity": 1.0,
                            "tax_ids": [Command.set(taxes.ids)],
                        }
                    )
                    for index, (price, taxes) in enumerate(amounts)
                ],
                **values,
            }
        )

    def _items(self, move, display_type=None, classic=None):
        """The journal items of ``move``, filtered, as (account code, balance, tax names)."""
        lines = move.line_ids.filtered(
            lambda line: (
                (display_type is None or line.display_type == display_type)
                and (classic is None or line.classic_line_type == classic)
            )
        )
        return sorted(
            (line.account_id.code, line.balance, tuple(line.tax_ids.mapped("name")))
            for line in lines
        )
