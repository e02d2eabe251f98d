from odoo import models
from odoo.tools import float_is_zero

from .sale_order import QUANTITIES_KEY


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _get_invoice_classic_ordered_quantities(self):
        """What a quotation accepted as it is leaves to invoice, per line id."""
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        quantities = {}
        for line in self:
            if line.display_type or line.is_downpayment:
                continue
            quantity = line.product_uom_qty - line.qty_invoiced
            if not float_is_zero(quantity, precision_digits=precision):
                quantities[line.id] = quantity
        return quantities

    def _prepare_invoice_line(self, **optional_values):
        values = super()._prepare_invoice_line(**optional_values)
        quantities = self.env.context.get(QUANTITIES_KEY) or {}
        if self.id in quantities:
            values["quantity"] = quantities[self.id]
        return values
