from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    """Files for the customer, e-mailed with the invoice (``account.move.send``), within
    the number and the size the company allows."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    invoice_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="account_move_invoice_classic_attachment_rel",
        column1="move_id",
        column2="attachment_id",
        string="Files for the Customer",
        help="Sent with the invoice when it is e-mailed.",
    )

    @api.constrains("invoice_attachment_ids", "company_id")
    def _check_invoice_attachments(self):
        for move in self.filtered("invoice_attachment_ids"):
            company = move.company_id
            count = len(move.invoice_attachment_ids)
            if count > company.invoice_attachment_max_count:
                raise ValidationError(
                    _(
                        "An invoice carries at most %(max)s files (this one has %(count)s).",
                        max=company.invoice_attachment_max_count,
                        count=count,
                    )
                )
            size = sum(move.invoice_attachment_ids.mapped("file_size"))
            if size > company.invoice_attachment_max_size * 1024 * 1024:
                raise ValidationError(
                    _(
                        "The files of an invoice weigh at most %(max)s MB in total "
                        "(these weigh %(size)s MB).",
                        max=company.invoice_attachment_max_size,
                        size=move._format_number(size / 1024 / 1024, digits=1),
                    )
                )
