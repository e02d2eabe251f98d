import logging

from odoo import api, fields, models
from odoo.tools.date_utils import get_timedelta

from ..tools import lock_rows

_logger = logging.getLogger(__name__)


class InvoiceTemplateRecurring(models.AbstractModel):
    """The recurring invoices of the invoice templates: the periods due, one invoice each,
    validated and sent as the template says, and the template's next date moved on.

    Called by the template's daily scheduled action and its *Create Next Invoice Now*
    button; the template keeps its settings, its next date and its last error. One invoice
    per period whatever happens: the caller locks the template, and the unique index on
    (template, period) of ``account.move`` refuses a second invoice for a period."""

    _name = "invoice.classic.template.recurring"
    _description = "Recurring invoices of the invoice templates"

    @api.model
    def _get_due_templates_domain(self, today):
        """The recurring templates with a period due on ``today``, not set aside for an error."""
        return [
            ("recurring", "=", True),
            ("recurring_next_date", "<=", today),
            ("recurring_error", "=", False),
        ]

    @api.model
    def _get_next_period(self, template, period):
        # The units of the template are Odoo's granularities in the plural.
        unit = template.recurring_unit.removesuffix("s")
        return period + get_timedelta(template.recurring_interval, unit)

    @api.model
    def _get_due_periods(self, template, today, created):
        """The periods of ``template`` due on ``today`` and not created yet, given the number
        of recurring invoices it ``created`` already, and the period after them."""
        periods, period = [], template.recurring_next_date
        while period and period <= today:
            if template.recurring_end_date and period > template.recurring_end_date:
                break
            if (
                template.recurring_max_count
                and created + len(periods) >= template.recurring_max_count
            ):
                break
            periods.append(period)
            period = self._get_next_period(template, period)
        return periods, period

    @api.model
    def _hook_invoices_created(self, template, invoices):
        """Validate the new invoices, and queue them for Odoo's background sending (each
        customer's own sending method), as the template says; from the template's
        salesperson, else the company, not the job's user."""
        if template.recurring_action in ("post", "send"):
            invoices.action_post()
        if template.recurring_action == "send":
            invoices._queue_for_sending()

    @api.model
    def _create_due_invoices(self, template, today, created=None):
        """Create the invoices of ``template`` due on ``today``, one per missed period, and move
        its next date on; a template past its end date or number of invoices stops recurring.
        The caller holds a lock on the template.

        :param int created: the number of recurring invoices the template made, when known
        :return: the invoices created (``account.move``)
        """
        if created is None:
            created = template._count_recurring_invoices().get(template, 0)
        periods, next_period = self._get_due_periods(template, today, created)
        if not periods:
            if template.recurring_next_date and template.recurring_next_date <= today:
                template.recurring = False
            return self.env["account.move"]
        invoices = self.env["account.move"].create(
            [template._prepare_invoice_vals(period, period) for period in periods]
        )
        self._hook_invoices_created(template, invoices)
        template.recurring_next_date = next_period
        return invoices

    @api.model
    def _create_next_invoice(self, template):
        """The invoice of the next period of ``template``, now, whatever the date (none when
        the template has no period left). A run of the scheduled action on the template is
        waited for, then its next date read again."""
        lock_rows(template, skip_locked=False)
        template.invalidate_recordset()
        template = template.with_company(template.company_id)
        return self._create_due_invoices(template, template.recurring_next_date)

    @api.model
    def _create_invoices_of_templates(self, templates, today):
        """The invoices due of ``templates`` (locked by the caller); a template that fails is
        set aside with its error until someone edits it, and the others go on."""
        created = templates._count_recurring_invoices()
        for template in templates:
            try:
                with self.env.cr.savepoint():
                    self._create_due_invoices(
                        template.with_company(template.company_id),
                        today,
                        created.get(template, 0),
                    )
            except Exception as error:  # noqa: BLE001 - one bad template must not stop the run
                _logger.warning("Recurring invoice template %s failed: %s", template.id, error)
                template.recurring_error = str(error)

    @api.model
    def _cron_create_due_invoices(self, batch_size=50):
        """A batch of the templates due today. The templates another worker holds are left
        to it. Odoo's cron commits after each call and calls again while some remain
        (``_notify_progress``): a run killed later resumes after the batches done."""
        today = fields.Date.context_today(self)
        domain = self._get_due_templates_domain(today)
        found = self.env["invoice.classic.template"].search(
            domain, limit=batch_size, order="recurring_next_date, id"
        )
        templates = lock_rows(found, skip_locked=True)
        self._create_invoices_of_templates(templates, today)
        remaining = (
            self.env["invoice.classic.template"].search_count(domain)
            if len(found) == batch_size
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(templates), remaining=remaining)
