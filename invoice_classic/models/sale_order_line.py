from odoo import api, fields, models

from .sale_order import QUANTITIES_KEY


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    invoiced_as_quoted = fields.Boolean(
        copy=False,
        readonly=True,
        help="The quotation was invoiced in one click: the line is invoiced on its "
        "ordered quantity, whatever the product's invoicing policy.",
    )

    @api.depends("invoiced_as_quoted")
    def _compute_qty_to_invoice(self):
        res = super()._compute_qty_to_invoice()
        for line in self:
            if (
                line.invoiced_as_quoted
                and line.state == "sale"
                and not line.display_type
                and line.product_id.type != "combo"
            ):
                line.qty_to_invoice = line.product_uom_qty - line.qty_invoiced
        return res

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        quantities = self.env.context.get(QUANTITIES_KEY) or {}
        if self.id in quantities:
            values["quantity"] = quantities[self.id]
        return values
