from odoo.tests import Form

from odoo.addons.invoice_classic.tests.common import InvoiceClassicCommon


class InvoiceClassicCrmCommon(InvoiceClassicCommon):
    """Invoice_classic's company, customer, chair (invoiced on delivery) and design
    (invoiced on order), and opportunities to hold their quotations and orders."""

    @classmethod
    def _create_opportunity(cls, orders=None, **values):
        """An opportunity of the customer; ``orders`` (sale.order) are linked to it."""
        lead = cls.env["crm.lead"].create(
            {
                "name": "Shop refit",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                **values,
            }
        )
        if orders:
            orders.opportunity_id = lead
        return lead

    def _new_quotation(self, lead, lines):
        """A quotation made from ``lead`` as its New Quotation button makes it:
        ``lines`` is a list of (product, quantity)."""
        with Form(
            self.env["sale.order"].with_context(**lead._prepare_opportunity_quotation_context())
        ) as form:
            for product, quantity in lines:
                with form.order_line.new() as line:
                    line.product_id = product
                    line.product_uom_qty = quantity
        return form.save()
