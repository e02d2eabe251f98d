from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from .sale_order import QUANTITIES_KEY, check_company_selected


def _bound_to_open_quantity(quantity, open_quantity):
    """``quantity`` moved, bounded by the ``open_quantity`` of its order line: what it
    delivered and has not invoiced yet (a return: what it invoiced and has not credited)."""
    if quantity > 0:
        return min(quantity, max(open_quantity, 0.0))
    return max(quantity, min(open_quantity, 0.0))


class StockPicking(models.Model):
    _inherit = "stock.picking"

    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_move_stock_picking_rel",
        column1="picking_id",
        column2="move_id",
        string="Invoices",
        copy=False,
        readonly=True,
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    # Not stored: a stored flag would have every validation or cancellation of an invoice
    # look for its transfers; the filters search it (``_search_is_invoiced``).
    is_invoiced = fields.Boolean(
        string="Invoiced",
        compute="_compute_is_invoiced",
        search="_search_is_invoiced",
        help="An invoice or credit note that is not cancelled was created from this transfer.",
    )
    is_return = fields.Boolean(compute="_compute_is_return")

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for picking in self:
            picking.invoice_count = len(picking.invoice_ids)

    @api.depends("invoice_ids.state")
    def _compute_is_invoiced(self):
        for picking in self:
            picking.is_invoiced = any(move.state != "cancel" for move in picking.invoice_ids)

    def _search_is_invoiced(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search transfers on whether they are invoiced or not."))
        invoiced = ("invoice_ids", "any", [("state", "!=", "cancel")])
        return [invoiced] if (operator == "=") == value else ["!", invoiced]

    @api.depends("picking_type_code", "return_id")
    def _compute_is_return(self):
        for picking in self:
            picking.is_return = picking.picking_type_code == "incoming" and bool(picking.return_id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_invoice_one_click(self):
        """Invoice each selected transfer on its own, then open the result; more than the
        company invoices at once are invoiced in the background."""
        queued = self.env["invoice.classic.invoicing.job"]._queue_if_many(self)
        return queued or self._invoice_one_click()._get_open_invoices_action()

    def action_invoice_one_click_grouped(self):
        """Invoice the selected transfers, one invoice per customer; more than the company
        invoices at once are invoiced in the background."""
        queued = self.env["invoice.classic.invoicing.job"]._queue_if_many(self, per_customer=True)
        return queued or self._invoice_one_click(grouped=False)._get_open_invoices_action()

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_open_invoices_action()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _invoice_one_click(self, grouped=True):
        """Invoice exactly what each transfer moved, at its order's conditions.

        A delivery gives an invoice, a return of a delivery a credit note.

        :param bool grouped: one invoice per transfer when True, else per customer
        :return: the created invoices and credit notes (``account.move``)
        """
        self._check_invoice_one_click()
        quantities = self._get_quantities_to_invoice()
        invoices = self.env["account.move"]
        for pickings in self._split_per_order() if grouped else [self]:
            round_quantities = defaultdict(float)
            for picking in pickings:
                for line_id, quantity in quantities[picking].items():
                    round_quantities[line_id] += quantity
            new_invoices = pickings.sale_id.with_context(
                **{QUANTITIES_KEY: dict(round_quantities)}
            )._create_invoices_one_click(grouped=grouped)
            pickings._link_invoices(new_invoices)
            pickings._link_reversed_invoices(new_invoices)
            invoices |= new_invoices
        return invoices

    def _split_per_order(self):
        """Cut ``self`` in rounds holding at most one transfer of each order, so
        that ``_create_invoices(grouped=True)`` gives one invoice per transfer."""
        per_order = list(self.grouped("sale_id").values())
        depth = max(len(pickings) for pickings in per_order)
        return [
            self.browse([pickings[index].id for pickings in per_order if len(pickings) > index])
            for index in range(depth)
        ]

    def _link_invoices(self, invoices):
        """Link each invoice to its transfers; the address they went to is its delivery address."""
        for invoice in invoices:
            orders = invoice.invoice_line_ids.sale_line_ids.order_id
            pickings = self.filtered(lambda picking, orders=orders: picking.sale_id in orders)
            vals = {"picking_ids": [Command.set(pickings.ids)]}
            if len(pickings.partner_id) == 1 and pickings.partner_id != invoice.partner_shipping_id:
                vals["partner_shipping_id"] = pickings.partner_id.id
            invoice.write(vals)

    def _link_reversed_invoices(self, invoices):
        """Link each credit note of a return to the invoice it corrects (``reversed_entry_id``,
        Odoo's "Reversal of"; posting the credit note then reconciles it with that invoice).

        The invoice corrected is the posted customer invoice of the returned deliveries: the one
        linked to them (invoiced from the transfer), else the one of their order lines. When
        several invoices match (a return of goods invoiced on several invoices, or returns of
        several deliveries on one credit note) none is chosen: the credit note stays unlinked,
        as Odoo leaves it, and is matched by hand.
        """
        for credit_note in invoices.filtered(lambda move: move.move_type == "out_refund"):

            def corrects(move, note=credit_note):
                return (
                    move.move_type == "out_invoice"
                    and move.state == "posted"
                    and move.company_id == note.company_id
                    and move.commercial_partner_id == note.commercial_partner_id
                )

            returns = self.filtered(lambda picking, note=credit_note: picking in note.picking_ids)
            returned_moves = returns.move_ids.origin_returned_move_id
            deliveries = returns.return_id | returned_moves.picking_id
            corrected = deliveries.invoice_ids.filtered(corrects) or (
                returned_moves.sale_line_id.invoice_lines.move_id.filtered(corrects)
            )
            if len(corrected) == 1:
                credit_note.reversed_entry_id = corrected

    def _get_quantities_to_invoice(self):
        """Signed quantity to invoice per transfer and sale order line id: what each transfer
        moved (``_get_moved_quantities``), bounded by what the order line has delivered and
        not yet invoiced: goods invoiced in advance (from the quotation, say) are not invoiced
        again.

        :return: ``{picking: {sale_line_id: quantity}}``
        :raise UserError: when a transfer leaves nothing to invoice
        """
        precision = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        moves = self.move_ids.filtered(lambda move: move.state == "done" and move.sale_line_id)
        open_quantities = {
            line: line.qty_delivered - line.qty_invoiced for line in moves.sale_line_id
        }
        quantities = {}
        for picking, moved in self._get_moved_quantities(moves).items():
            quantities[picking] = {}
            for sale_line, moved_quantity in moved.items():
                quantity = _bound_to_open_quantity(moved_quantity, open_quantities[sale_line])
                if not float_is_zero(quantity, precision_digits=precision):
                    quantities[picking][sale_line.id] = quantity
                    open_quantities[sale_line] -= quantity
            if not quantities[picking]:
                raise UserError(
                    _(
                        "Nothing is left to invoice for %(picking)s: what it moved is "
                        "already invoiced on %(order)s, or it is a return made without "
                        "updating the order's quantities.",
                        picking=picking.name,
                        order=picking.sale_id.name,
                    )
                )
        return quantities

    def _get_moved_quantities(self, moves):
        """Signed quantity each transfer of ``self`` moved per sale order line, in the order
        line's unit, counted like Odoo counts delivered quantities (deliveries add, returns
        to refund subtract), from its done ``moves``.

        :return: ``{picking: {sale_line: quantity}}``, in the order of ``self``
        """
        signs = {}
        for sale_line in moves.sale_line_id:
            outgoing, incoming = sale_line._get_outgoing_incoming_moves()
            signs.update(dict.fromkeys(outgoing.ids, 1))
            signs.update(dict.fromkeys(incoming.ids, -1))
        moved = {picking: defaultdict(float) for picking in self}
        for move in moves:
            moved[move.picking_id][move.sale_line_id] += signs.get(
                move.id, 0
            ) * move.product_uom._compute_quantity(
                move.quantity, move.sale_line_id.product_uom, rounding_method="HALF-UP"
            )
        return moved

    def _check_invoice_one_click(self):
        """Refuse, with a message that says what to change, what cannot be invoiced."""
        if not self:
            raise UserError(_("Select at least one transfer to invoice."))
        for picking in self:
            check_company_selected(picking)
            if not picking.sale_id:
                raise UserError(
                    _(
                        "%(picking)s does not come from a sales order: only deliveries "
                        "of sales orders and their returns can be invoiced.",
                        picking=picking.name,
                    )
                )
            if picking.picking_type_code != "outgoing" and not picking.is_return:
                raise UserError(
                    _(
                        "%(picking)s is neither a delivery nor the return of a delivery: "
                        "it cannot be invoiced.",
                        picking=picking.name,
                    )
                )
            if picking.state != "done":
                raise UserError(
                    _(
                        "%(picking)s is not done yet: validate it before invoicing it.",
                        picking=picking.name,
                    )
                )
            if picking.is_invoiced:
                raise UserError(
                    _(
                        "%(picking)s is already invoiced on %(invoices)s.",
                        picking=picking.name,
                        invoices=", ".join(
                            picking.invoice_ids.filtered(
                                lambda move: move.state != "cancel"
                            ).mapped("display_name")
                        ),
                    )
                )
            picking.sale_id._check_company_and_customer_invoiceable()
