from odoo import api, models


class ReportOverdueStatement(models.AbstractModel):
    """The statement of a customer's overdue invoices: printed from the customer (all of
    them), or the letter of a reminder level (``data``: the level, the invoices it is
    about)."""

    _name = "report.invoice_classic.report_overdue_statement_document"
    _description = "Statement of Overdue Invoices"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        moves = self.env["account.move"]
        named = moves.browse(data.get("invoice_ids") or []).sorted(
            lambda m: (m.reminder_due_date, m.id)
        )
        invoices = named or partners._get_overdue_invoices()
        by_customer = invoices.grouped("commercial_partner_id")
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "invoices_by_partner": {
                partner.id: by_customer.get(partner.commercial_partner_id, moves)
                for partner in partners
            },
            "level": self.env["invoice.classic.reminder.level"].browse(data.get("level_id")),
        }
