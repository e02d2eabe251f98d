from odoo import fields, models


class InvoiceClassicInvoicingJobLine(models.Model):
    """What became of one document of a background invoicing job: invoiced, or not and why.
    A document without a line is still to do; the database refuses a second line, so a
    document is handled once per job."""

    _name = "invoice.classic.invoicing.job.line"
    _description = "Background Invoicing Document"
    _order = "id"

    job_id = fields.Many2one(
        comodel_name="invoice.classic.invoicing.job",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    sale_order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Sales Order",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Transfer",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    state = fields.Selection(
        selection=[("invoiced", "Invoiced"), ("failed", "Not Invoiced")],
        required=True,
        readonly=True,
    )
    reason = fields.Text(readonly=True, help="Why the document was not invoiced.")

    _sql_constraints = [
        (
            "sale_order_once",
            "UNIQUE(job_id, sale_order_id)",
            "A sales order is handled once per invoicing job.",
        ),
        (
            "picking_once",
            "UNIQUE(job_id, picking_id)",
            "A transfer is handled once per invoicing job.",
        ),
    ]
