from odoo import api, fields, models
from odoo.tools import frozendict


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    classic_line_type = fields.Selection(
        selection=[("discount", "Invoice discount"), ("tip", "Tip")],
        string="Classic Line",
        readonly=True,
        help="Set on the lines the invoice discount and the tip are booked on; "
        "they follow the invoice while it is a draft.",
    )
    classic_discount_key = fields.Binary(compute="_compute_classic_keys", exportable=False)
    classic_tip_key = fields.Binary(compute="_compute_classic_keys", exportable=False)

    @api.depends("classic_line_type", "sequence", "move_id")
    def _compute_classic_keys(self):
        for line in self:
            key = line.classic_line_type and frozendict(
                {
                    "move_id": line.move_id.id,
                    "classic_line_type": line.classic_line_type,
                    "sequence": line.sequence,
                }
            )
            line.classic_discount_key = key if line.classic_line_type == "discount" else False
            line.classic_tip_key = key if line.classic_line_type == "tip" else False

    def check_field_access_rights(self, operation, field_names):
        result = super().check_field_access_rights(operation, field_names)
        if not field_names:
            internal = ("classic_discount_key", "classic_tip_key")
            result = [fname for fname in result if fname not in internal]
        return result
