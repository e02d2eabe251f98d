from odoo import api, fields, models
from odoo.tools import frozendict

# The discount and tip lines Odoo's ``_sync_dynamic_line`` keeps, by line type: the key
# field of the line, and the fields of the move with the lines it needs.
DISCOUNT_TIP_LINES = {
    "discount": ("classic_discount_key", "needed_discount_lines", "needed_discount_lines_dirty"),
    "tip": ("classic_tip_key", "needed_tip_lines", "needed_tip_lines_dirty"),
}


def discount_tip_line_key(move_id, line_type, sequence):
    """The key of a discount or tip line, on the line and in the move's needed lines."""
    return frozendict({"move_id": move_id, "classic_line_type": line_type, "sequence": sequence})


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "invoice.classic.internal.fields.mixin"]

    classic_line_type = fields.Selection(
        selection=[("discount", "Invoice discount"), ("tip", "Tip")],
        string="Classic Line",
        readonly=True,
        help="Set on the lines the invoice discount and the tip are booked on; "
        "they follow the invoice while it is a draft.",
    )
    classic_discount_key = fields.Binary(compute="_compute_discount_tip_keys", exportable=False)
    classic_tip_key = fields.Binary(compute="_compute_discount_tip_keys", exportable=False)

    @api.depends("classic_line_type", "sequence", "move_id")
    def _compute_discount_tip_keys(self):
        for line in self:
            for line_type, (key_fname, _needed, _dirty) in DISCOUNT_TIP_LINES.items():
                line[key_fname] = line.classic_line_type == line_type and discount_tip_line_key(
                    line.move_id.id, line_type, line.sequence
                )

    def _get_internal_fields(self):
        return [
            *super()._get_internal_fields(),
            *(key_fname for key_fname, _needed, _dirty in DISCOUNT_TIP_LINES.values()),
        ]
