from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.invoice_classic.models.sale_order import check_company_selected


class CrmLead(models.Model):
    _inherit = "crm.lead"

    invoiceable_order_count = fields.Integer(
        string="Quotations and Orders to Invoice",
        compute="_compute_invoiceable_order_count",
    )

    @api.depends("order_ids.state", "order_ids.invoice_status")
    def _compute_invoiceable_order_count(self):
        # order_ids and their states are read for all the leads at once (prefetch).
        domain = self._get_lead_invoiceable_order_domain()
        for lead in self:
            lead.invoiceable_order_count = len(lead.order_ids.filtered_domain(domain))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_invoice_orders(self):
        """Invoice each quotation and order of the opportunities on its own, through
        Classic Invoicing's one click (``sale.order.action_invoice_one_click``)."""
        return self._get_orders_to_invoice().action_invoice_one_click()

    def action_invoice_orders_grouped(self):
        """Invoice the quotations and orders of the opportunities together: one invoice
        for all (one per customer, as ``sale.order.action_invoice_one_click_grouped``)."""
        return self._get_orders_to_invoice().action_invoice_one_click_grouped()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_lead_invoiceable_order_domain(self):
        """The orders a click invoices: quotations (confirmed by the click) and confirmed
        orders with something to invoice, as Classic Invoicing's order form shows its
        button. Cancelled ones never are."""
        return ["|", ("state", "in", ("draft", "sent")), ("invoice_status", "=", "to invoice")]

    def _get_orders_to_invoice(self):
        """The quotations and orders of ``self`` to invoice; refuse, saying why, when
        there are none. Each order is then checked by Classic Invoicing itself."""
        for lead in self.filtered("company_id"):
            check_company_selected(lead)
        orders = self.order_ids.filtered(lambda order: order.state != "cancel")
        to_invoice = orders.filtered_domain(self._get_lead_invoiceable_order_domain())
        if to_invoice:
            return to_invoice
        opportunities = ", ".join(self.mapped("name"))
        if not orders:
            raise UserError(
                _(
                    "No quotation or sales order to invoice on %(opportunities)s: "
                    "create a quotation (New Quotation) first.",
                    opportunities=opportunities,
                )
            )
        raise UserError(
            _(
                "Nothing to invoice on %(opportunities)s:\n%(reasons)s",
                opportunities=opportunities,
                reasons=orders._nothing_to_invoice_error_message(),
            )
        )
