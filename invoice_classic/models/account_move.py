from odoo import fields, models
from odoo.tools import formatLang

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class AccountMove(models.Model):
    """What the concerns of an invoice share. Each concern has a file of its own:
    ``account_move_title`` (the title), ``account_move_legal`` (French legal mentions),
    ``account_move_discount_tip``, ``account_move_installment``, ``account_move_penalty``
    (the invoice's side of the late-payment terms), ``account_move_attachment``,
    ``account_move_payment_mode``, ``account_move_sending``, ``account_move_template``
    (recurring invoices)."""

    _name = "account.move"
    _inherit = [
        "account.move",
        "invoice.classic.content.mixin",
        "invoice.classic.card.number.mixin",
        "invoice.classic.internal.fields.mixin",
    ]

    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        relation="account_move_stock_picking_rel",
        column1="move_id",
        column2="picking_id",
        string="Transfers",
        copy=False,
        readonly=True,
        help="The deliveries or returns this invoice or credit note was created from.",
    )

    def _card_number_fields(self):
        return [
            *super()._card_number_fields(),
            "invoice_title",
            "payment_reference",
            "ref",
            "narration",
        ]

    def _card_number_fields_to_check(self):
        """A vendor bill carries the supplier's references: only customer documents are
        checked."""
        if not self.is_sale_document(include_receipts=True):
            return []
        return super()._card_number_fields_to_check()

    def action_duplicate_dated_today(self):
        """New drafts like these invoices, dated today; the originals stay as they are."""
        today = fields.Date.context_today(self)
        copies = self.browse()
        for move in self:
            copies |= move.copy({"invoice_date": today, "date": today})
        return copies._get_open_invoices_action()

    def _get_open_invoices_action(self):
        """Open ``self``: the form of a single invoice, else the list of them."""
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["context"] = {"default_move_type": "out_invoice"}
        if len(self) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=self.id)
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    def _with_customer_lang(self):
        """``self`` in its customer's language, for what the customer reads."""
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang or self.env.lang)

    def _format_amount(self, amount):
        """``amount`` in the invoice's currency, in the user's language."""
        return formatLang(self.env, amount, currency_obj=self.currency_id)
