from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

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

    def _get_invoice_classic_action(self):
        """Open ``self``: the form of a single invoice, else the list of them."""
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["context"] = {"default_move_type": "out_invoice"}
        if len(self) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=self.id)
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action
