from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

# Context key holding {sale.order.line id: quantity to invoice}. Lines listed there
# are invoiced for that quantity instead of Odoo's ``qty_to_invoice``; orders with
# no listed line keep Odoo's own rules.
QUANTITIES_KEY = "invoice_classic_quantities"


def check_company_selected(document):
    """Refuse to invoice a document of a company the user is not working in."""
    if document.company_id not in document.env.companies:
        raise UserError(
            _(
                "%(document)s belongs to the company %(company)s, which is not "
                "selected in the company switcher: select it to invoice this document.",
                document=document.name,
                company=document.company_id.name,
            )
        )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_invoice_one_click(self):
        """Invoice each selected quotation or order on its own, then open the result; more
        than the company invoices at once are invoiced in the background."""
        queued = self.env["invoice.classic.invoicing.job"]._queue_if_many(self)
        return queued or self._get_invoice_one_click_action(self._invoice_one_click())

    def action_invoice_one_click_grouped(self):
        """Invoice the selected quotations and orders, one invoice per customer; more than
        the company invoices at once are invoiced in the background."""
        queued = self.env["invoice.classic.invoicing.job"]._queue_if_many(self, per_customer=True)
        return queued or self._get_invoice_one_click_action(self._invoice_one_click(grouped=False))

    def _get_invoice_one_click_action(self, invoices):
        """Open ``invoices``; first say which of the selected orders gave none, and why:
        Odoo's ``_create_invoices()`` leaves out, without a word, an order with nothing
        to invoice when others have something."""
        action = invoices._get_open_invoices_action()
        skipped = self - invoices.invoice_line_ids.sale_line_ids.order_id
        if not skipped:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": _("Some orders were not invoiced"),
                "message": skipped._nothing_to_invoice_error_message(),
                "next": action,
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _invoice_one_click(self, grouped=True):
        """Create the invoices of ``self`` without the down payment wizard.

        Quotations are confirmed and their lines invoiced for the quoted quantities
        from now on (the customer accepted the quote, see ``invoiced_as_quoted``);
        confirmed orders are invoiced with Odoo's own rules (invoicing policy, down
        payments deducted).

        :param bool grouped: one invoice per order when True, else per customer
        :return: the created invoices (``account.move``)
        """
        self._check_invoice_one_click()
        quotations = self.filtered(lambda order: order.state in ("draft", "sent"))
        if quotations:
            quotations.order_line.write({"invoiced_as_quoted": True})
            quotations.action_confirm()
        return self._create_invoices_one_click(grouped=grouped)

    def _create_invoices_one_click(self, grouped=True):
        """Odoo's ``_create_invoices()`` as every one-click entry point calls it:
        down payments deducted and negative totals turned into credit notes."""
        # Odoo's _create_invoices() links each invoice to its orders in the chatter:
        # the generic "created" log would only repeat it (and costs a query each).
        invoices = self.with_context(mail_create_nolog=True)._create_invoices(
            grouped=grouped, final=True
        )
        return invoices.with_env(self.env)

    def _check_invoice_one_click(self):
        """Refuse, with a message that says what to change, what cannot be invoiced."""
        if not self:
            raise UserError(_("Select at least one quotation or sales order to invoice."))
        for order in self:
            order._check_company_and_customer_invoiceable()
            if order.state == "cancel":
                raise UserError(
                    _("%(order)s is cancelled: it cannot be invoiced.", order=order.name)
                )
            if order.state in ("draft", "sent") and not order.order_line.filtered(
                lambda line: not line.display_type
            ):
                raise UserError(
                    _(
                        "Quotation %(order)s has no product line: add what you sold "
                        "before invoicing it.",
                        order=order.name,
                    )
                )

    def _check_company_and_customer_invoiceable(self):
        """Shared by every one-click entry point (orders and transfers)."""
        self.ensure_one()
        check_company_selected(self)
        archived = (self.partner_id | self.partner_invoice_id).filtered(
            lambda partner: not partner.active
        )
        if archived:
            raise UserError(
                _(
                    "The customer %(customer)s of %(document)s is archived: "
                    "restore it before invoicing.",
                    customer=archived[0].display_name,
                    document=self.name,
                )
            )

    # ------------------------------------------------------------------
    # Hooks of sale.order._create_invoices()
    # ------------------------------------------------------------------
    def _get_invoiceable_lines(self, final=False):
        quantities = self.env.context.get(QUANTITIES_KEY) or {}
        if not quantities or not set(self.order_line.ids) & quantities.keys():
            return super()._get_invoiceable_lines(final=final)
        # Listed lines, with the sections and notes that introduce them.
        invoiceable = self.env["sale.order.line"]
        pending_section = self.env["sale.order.line"]
        for line in self.order_line:
            if line.display_type == "line_section":
                pending_section = line
            elif line.display_type == "line_note" or line.id in quantities:
                invoiceable |= pending_section | line
                pending_section = self.env["sale.order.line"]
        return invoiceable

    def _nothing_to_invoice_error_message(self):
        """Say why, order by order, before Odoo's general advice."""
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        reasons = []
        for order in self:
            lines = order.order_line.filtered(
                lambda line: not line.display_type and not line.is_downpayment
            )
            if lines and all(
                float_is_zero(line.product_uom_qty - line.qty_invoiced, precision_digits=precision)
                for line in lines
            ):
                reasons.append(_("%(order)s is already fully invoiced.", order=order.name))
                continue
            waiting = lines.filtered(
                lambda line: (
                    line.product_id.invoice_policy == "delivery"
                    and line.qty_delivered <= line.qty_invoiced
                    and line.qty_invoiced < line.product_uom_qty
                )
            )
            if waiting:
                reasons.append(
                    _(
                        "%(order)s: %(products)s are invoiced on delivered quantities "
                        "and nothing more has been delivered yet.",
                        order=order.name,
                        products=", ".join(waiting.product_id.mapped("display_name")),
                    )
                )
        if not reasons:
            return super()._nothing_to_invoice_error_message()
        return "\n".join(reasons)
