"""Background invoicing: the one-click invoices of many orders or transfers, made by a
scheduled action in batches (``invoice.classic.invoicing.job.run``) instead of in the
user's request, which would exceed its time limit and, killed, roll everything back."""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

ACTIVE_STATES = ("queued", "running")

# The documents a job invoices, per kind: (model, field of the job, field of its lines).
DOCUMENT_FIELDS = {
    "orders": ("sale.order", "sale_order_ids", "sale_order_id"),
    "pickings": ("stock.picking", "picking_ids", "picking_id"),
}
KIND_OF_MODEL = {model: kind for kind, (model, _field, _line_field) in DOCUMENT_FIELDS.items()}


class InvoiceClassicInvoicingJob(models.Model):
    """One click of "Create Invoices" on more documents than the company invoices at once:
    the documents, what became of each (``line_ids``: invoiced, or not and why) and the
    invoices made. The scheduled action does the work; the user is notified at the end."""

    _name = "invoice.classic.invoicing.job"
    _inherit = ["mail.thread"]
    _description = "Background Invoicing"
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Requested By",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    company_ids = fields.Many2many(
        comodel_name="res.company",
        relation="invoice_classic_invoicing_job_company_rel",
        column1="job_id",
        column2="company_id",
        string="Selected Companies",
        readonly=True,
        default=lambda self: self.env.companies,
        help="The companies selected when the job was queued: the documents are invoiced "
        "with them, as they would have been at once.",
    )
    kind = fields.Selection(
        selection=[("orders", "Sales Orders"), ("pickings", "Transfers")],
        string="Document Type",
        required=True,
        readonly=True,
    )
    per_customer = fields.Boolean(
        string="One Invoice per Customer",
        readonly=True,
        help="One invoice per customer for all its documents, else one per document.",
    )
    sale_order_ids = fields.Many2many(
        comodel_name="sale.order",
        relation="invoice_classic_invoicing_job_sale_order_rel",
        column1="job_id",
        column2="order_id",
        string="Sales Orders",
        readonly=True,
    )
    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        relation="invoice_classic_invoicing_job_picking_rel",
        column1="job_id",
        column2="picking_id",
        string="Transfers",
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        string="Status",
        default="queued",
        required=True,
        readonly=True,
        index=True,
        help="Done: every document was handled, the invoices made and those not invoiced "
        "listed with their reason. Failed: none could be invoiced.",
    )
    line_ids = fields.One2many(
        comodel_name="invoice.classic.invoicing.job.line",
        inverse_name="job_id",
        string="Documents Handled",
        readonly=True,
    )
    failure_ids = fields.One2many(
        comodel_name="invoice.classic.invoicing.job.line",
        inverse_name="job_id",
        string="Not Invoiced",
        domain=[("state", "=", "failed")],
        readonly=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="invoice_classic_invoicing_job_account_move_rel",
        column1="job_id",
        column2="move_id",
        string="Invoices",
        readonly=True,
    )
    date_done = fields.Datetime(string="Finished On", readonly=True)
    document_count = fields.Integer(string="Documents", compute="_compute_document_count")
    done_count = fields.Integer(string="Handled", compute="_compute_line_counts")
    failure_count = fields.Integer(string="Documents Not Invoiced", compute="_compute_line_counts")
    invoice_count = fields.Integer(string="Invoices Created", compute="_compute_invoice_count")
    progress = fields.Float(compute="_compute_progress")

    @api.depends_context("lang")
    def _compute_display_name(self):
        for job in self:
            job.display_name = _("Invoicing #%(number)s", number=job.id or "")

    @api.depends("kind", "sale_order_ids", "picking_ids")
    def _compute_document_count(self):
        for job in self:
            job.document_count = len(job._get_documents())

    @api.depends("line_ids.state")
    def _compute_line_counts(self):
        counts = {
            (job, state): count
            for job, state, count in self.env["invoice.classic.invoicing.job.line"]._read_group(
                [("job_id", "in", self.ids)], ["job_id", "state"], ["__count"]
            )
        }
        for job in self:
            failed = counts.get((job, "failed"), 0)
            job.done_count = counts.get((job, "invoiced"), 0) + failed
            job.failure_count = failed

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for job in self:
            job.invoice_count = len(job.invoice_ids)

    @api.depends("document_count", "done_count")
    def _compute_progress(self):
        for job in self:
            total = job.document_count
            job.progress = 100.0 * job.done_count / total if total else 100.0

    def _creation_message(self):
        # Not Odoo's "<model> created", whose French cannot agree with the model's name
        # ("Facturation en arrière-plan créé").
        self.ensure_one()
        return _(
            "%(count)s documents queued for invoicing in the background",
            count=self.document_count,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active(self):
        if any(job.state in ACTIVE_STATES for job in self):
            raise UserError(
                _("A queued or running invoicing job cannot be deleted: wait until it is done.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_open_invoices_action()

    def action_view_documents(self):
        self.ensure_one()
        documents = self._get_documents()
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["kind"]._description_selection(self.env))[self.kind],
            "res_model": documents._name,
            "domain": [("id", "in", documents.ids)],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _queue_if_many(self, documents, per_customer=False):
        """The one-click entry points of orders and transfers call this first.

        Above the company's threshold, queues ``documents`` in a job, wakes the scheduled
        action up and returns the action telling the user so; refuses documents a queued or
        running job holds already (a second click). At most the threshold, returns False:
        the caller invoices them at once, as before, even those a job holds; the job then
        lists them as already invoiced (Odoo's invoiced quantities, the transfers' invoices)
        and, should both run at the same moment, their row locks keep one of them waiting.

        :param documents: ``sale.order`` or ``stock.picking`` records
        :param bool per_customer: one invoice per customer, else one per document
        """
        # Safe: the threshold of the user's own company, a setting all its users apply.
        if len(documents) <= self.env.company.sudo().invoice_background_threshold:
            return False
        self._check_not_queued(documents)
        kind = KIND_OF_MODEL[documents._name]
        job = self.create(
            {
                "kind": kind,
                "per_customer": per_customer,
                DOCUMENT_FIELDS[kind][1]: [fields.Command.set(documents.ids)],
            }
        )
        self.env.ref("invoice_classic.ir_cron_invoicing_jobs")._trigger()
        return job._get_queued_action()

    @api.model
    def _check_not_queued(self, documents):
        """Refuse ``documents`` a queued or running job will invoice."""
        if not documents:
            return
        field_name = DOCUMENT_FIELDS[KIND_OF_MODEL[documents._name]][1]
        # The jobs of every user and company: a document must not be invoiced twice, whoever
        # queued it. Safe: sudo only finds which jobs hold the documents, for their names.
        jobs = self.sudo().search(
            [("state", "in", ACTIVE_STATES), (field_name, "in", documents.ids)]
        )
        if not jobs:
            return
        queued = documents & jobs[field_name]
        names = queued[:10].mapped("display_name") + (["…"] if len(queued) > 10 else [])
        raise UserError(
            _(
                "%(documents)s: already queued for invoicing in the background (%(jobs)s). "
                "Unselect them, or wait until the job is done.",
                documents=", ".join(names),
                jobs=", ".join(jobs.mapped("display_name")),
            )
        )

    def _get_documents(self):
        """The orders or the transfers of the job."""
        self.ensure_one()
        if not self.kind:
            return self.sale_order_ids
        return self[DOCUMENT_FIELDS[self.kind][1]]

    def _get_pending_documents(self):
        """The documents not handled yet, oldest first."""
        self.ensure_one()
        handled = self.line_ids[DOCUMENT_FIELDS[self.kind][2]]
        return (self._get_documents() - handled).sorted("id")

    def _get_queued_action(self):
        """Tell the user the documents are queued, then open the job."""
        self.ensure_one()
        if self.kind == "orders":
            message = _(
                "%(count)s sales orders are queued for invoicing in the background: you will "
                "be notified when they are invoiced.",
                count=self.document_count,
            )
        else:
            message = _(
                "%(count)s transfers are queued for invoicing in the background: you will "
                "be notified when they are invoiced.",
                count=self.document_count,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Invoicing in the background"),
                "message": message,
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": self._name,
                    "res_id": self.id,
                    "views": [(False, "form")],
                },
            },
        }
