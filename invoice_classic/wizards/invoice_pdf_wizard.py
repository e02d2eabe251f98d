from odoo import _, api, fields, models
from odoo.exceptions import UserError


class InvoiceClassicPdfWizard(models.TransientModel):
    """ "PDF" on invoices: choose the layout, then preview, print, download or send."""

    _name = "invoice.classic.pdf.wizard"
    _description = "Invoice PDF"

    move_ids = fields.Many2many(comodel_name="account.move", string="Invoices", required=True)
    report_id = fields.Many2one(
        comodel_name="ir.actions.report",
        string="Layout",
        required=True,
        domain="[('is_invoice_report', '=', True), ('model', '=', 'account.move')]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        moves = self.env["account.move"].browse(self.env.context.get("active_ids", []))
        if moves.filtered(lambda m: not m.is_invoice(include_receipts=True)):
            raise UserError(_("Only invoices and credit notes have a PDF layout."))
        values["move_ids"] = [fields.Command.set(moves.ids)]
        if moves and "report_id" in fields_list:
            values["report_id"] = (
                self.env["account.move.send"]._get_default_pdf_report_id(moves[0]).id
            )
        return values

    def _report_url(self, kind):
        ids = ",".join(map(str, self.move_ids.ids))
        return {
            "type": "ir.actions.act_url",
            "url": f"/report/{kind}/{self.report_id.report_name}/{ids}",
            "target": "new",
        }

    def action_preview(self):
        """What the customer will see, in the browser."""
        self.ensure_one()
        return self._report_url("html")

    def action_print(self):
        """The PDF in the browser's viewer, to print it."""
        self.ensure_one()
        return self._report_url("pdf")

    def action_download(self):
        self.ensure_one()
        return self.report_id.report_action(self.move_ids, config=False)

    def action_send(self):
        """Odoo's sending wizard, with this layout's PDF and the invoice's files."""
        self.ensure_one()
        action = self.move_ids.action_send_and_print()
        action["context"] = {
            **action.get("context", {}),
            "invoice_classic_pdf_report_id": self.report_id.id,
        }
        return action
