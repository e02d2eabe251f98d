from babel.dates import format_date

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class InvoiceTemplate(models.Model):
    """An invoice to create again: by hand ("New Invoice") or on a schedule (recurring).

    The template keeps its settings and the next period due; the recurring engine
    (``invoice.classic.template.recurring``) makes the recurring invoices."""

    _name = "invoice.classic.template"
    _inherit = [
        "invoice.classic.penalty.terms.document.mixin",
        "invoice.classic.content.mixin",
    ]
    _description = "Invoice Template"
    _order = "name, id"
    _check_company_auto = True

    @api.model
    def _default_user_id(self):
        """Its creator; none when the system makes it (install, update, a scheduled job):
        OdooBot is nobody's salesperson."""
        return self.env["res.users"] if self.env.user._is_superuser() else self.env.user

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        default=lambda self: self._default_user_id(),
        domain="[('share', '=', False)]",
        help="The salesperson of its invoices: their e-mails come from this person, else from "
        "the company.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        check_company=True,
        help="Empty: choose the customer on each new invoice.",
    )
    title_pattern = fields.Char(
        string="Title",
        help="The title of the new invoices; {month}, {year} and {date} become those of the "
        "invoice, e.g. Retainer {month} {year}.",
    )
    line_ids = fields.One2many(
        comodel_name="invoice.classic.template.line",
        inverse_name="template_id",
        string="Lines",
        copy=True,
    )
    narration = fields.Html(string="Terms and Conditions")
    payment_mode_ids = fields.Many2many(
        comodel_name="invoice.classic.payment.mode",
        string="Accepted Payment Modes",
        default=lambda self: self.env.company.invoice_payment_mode_ids,
    )

    # --- recurring ---------------------------------------------------------------------------
    recurring = fields.Boolean()
    recurring_interval = fields.Integer(string="Repeat Every", default=1)
    recurring_unit = fields.Selection(
        selection=[("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        string="Repeat Unit",
        default="months",
    )
    recurring_start_date = fields.Date(string="Start Date", default=fields.Date.context_today)
    recurring_end_date = fields.Date(string="End Date")
    recurring_max_count = fields.Integer(
        string="Number of Invoices", help="Stop after this many invoices; 0: no limit."
    )
    recurring_action = fields.Selection(
        selection=[
            ("draft", "Create drafts"),
            ("post", "Create and validate"),
            ("send", "Create, validate and send"),
        ],
        string="Recurring Invoices",
        default="draft",
        required=True,
    )
    recurring_next_date = fields.Date(
        string="Next Invoice",
        compute="_compute_recurring_next_date",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="The period the next recurring invoice is for; the scheduled action moves it on.",
    )
    recurring_error = fields.Text(string="Last Error", copy=False, readonly=True)
    invoice_ids = fields.One2many(
        comodel_name="account.move", inverse_name="classic_template_id", string="Invoices"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")

    def _compute_invoice_count(self):
        counts = dict(
            self.env["account.move"]._read_group(
                [("classic_template_id", "in", self.ids)], ["classic_template_id"], ["__count"]
            )
        )
        for template in self:
            template.invoice_count = counts.get(template, 0)

    @api.depends("recurring_start_date")
    def _compute_recurring_next_date(self):
        """The start date, until the template made its first recurring invoice: from then on
        the recurring engine moves the next date on."""
        made = self._origin._count_recurring_invoices()
        for template in self:
            if template.recurring_start_date and not made.get(template._origin):
                template.recurring_next_date = template.recurring_start_date

    @api.constrains("recurring", "partner_id", "recurring_interval", "recurring_start_date")
    def _check_recurring(self):
        for template in self.filtered("recurring"):
            if not template.partner_id:
                raise ValidationError(_("A recurring template needs a customer."))
            if template.recurring_interval < 1:
                raise ValidationError(_("Invoices recur at least every 1 day, week or month."))
            if not template.recurring_start_date:
                raise ValidationError(_("A recurring template needs a start date."))

    def write(self, vals):
        if "recurring_error" not in vals:
            vals = {**vals, "recurring_error": False}  # edited: try again
        return super().write(vals)

    def _clear_recurring_error(self):
        """Edited: the scheduled action tries the template again."""
        self.filtered("recurring_error").write({"recurring_error": False})

    # --- actions -------------------------------------------------------------------------------

    def action_create_invoice(self):
        """A draft invoice from the template, dated today, opened."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        invoice = self.env["account.move"].create(self._prepare_invoice_vals(today))
        return invoice._get_open_invoices_action()

    def action_create_next_invoice(self):
        """The invoice of the next period, now, opened: made as the daily scheduled action
        makes it (one per period, the unique index says so), which it then skips as done:
        the next date moves on."""
        self.ensure_one()
        if not self.recurring or not self.recurring_next_date:
            raise UserError(_("Only a recurring template has a next invoice: make it recurring."))
        invoices = self.env["invoice.classic.template.recurring"]._create_next_invoice(self)
        if not invoices:
            raise UserError(
                _(
                    "%(template)s has no period left: its end date or number of invoices is "
                    "reached. Change them to create more invoices.",
                    template=self.display_name,
                )
            )
        return invoices._get_open_invoices_action()

    def action_view_invoices(self):
        self.ensure_one()
        action = self.invoice_ids._get_open_invoices_action()
        if len(self.invoice_ids) != 1:
            action["domain"] = [("classic_template_id", "=", self.id)]
        return action

    # --- business methods ------------------------------------------------------------------------

    def _render_title(self, invoice_date):
        self.ensure_one()
        if not self.title_pattern:
            return False
        lang = self.partner_id.lang or self.env.lang or "en_US"
        month = format_date(invoice_date, "MMMM", locale=lang)
        title = (
            self.title_pattern.replace("{month}", month)
            .replace("{year}", str(invoice_date.year))
            .replace("{date}", format_date(invoice_date, "short", locale=lang))
        )
        return self.env["account.move"].with_company(self.company_id)._get_free_title(title)

    def _invoice_fields(self):
        """The invoice fields a template carries, copied both ways as they are."""
        return ("narration", *self.CONTENT_FIELDS)

    def _prepare_invoice_vals(self, invoice_date, period_date=False):
        """The values of a new invoice of the template dated ``invoice_date``; a recurring
        invoice is for the period starting on ``period_date``."""
        self.ensure_one()
        vals = {
            "move_type": "out_invoice",
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_date": invoice_date,
            # The template's salesperson, not the user of the scheduled job.
            "invoice_user_id": self.user_id.id,
            "invoice_title": self._render_title(invoice_date),
            "payment_mode_ids": [Command.set(self.payment_mode_ids.ids)],
            "classic_template_id": self.id,
            "classic_period_date": period_date,
            "invoice_line_ids": [
                Command.create(line._prepare_invoice_line_vals()) for line in self.line_ids
            ],
            **{fname: self[fname] for fname in self._invoice_fields()},
            **self._penalty_terms_values(),
        }
        if self.partner_id:
            vals["partner_id"] = self.partner_id.id
        if not vals["narration"]:
            del vals["narration"]  # the company's terms
        return vals

    @api.model
    def _prepare_from_invoice(self, invoice):
        """The template values of ``invoice``."""
        return {
            "name": invoice.invoice_title or invoice.name or _("Invoice template"),
            "company_id": invoice.company_id.id,
            "currency_id": invoice.currency_id.id,
            "partner_id": invoice.partner_id.id,
            "user_id": (invoice._get_mail_author() or self._default_user_id()).id,
            "title_pattern": invoice.invoice_title,
            "payment_mode_ids": [Command.set(invoice.payment_mode_ids.ids)],
            "line_ids": [
                Command.create(
                    self.env["invoice.classic.template.line"]._prepare_from_invoice_line(line)
                )
                for line in invoice.invoice_line_ids
                if not line.classic_line_type
            ],
            **{fname: invoice[fname] for fname in self._invoice_fields()},
            **invoice._penalty_terms_values(),
        }

    def _count_recurring_invoices(self):
        """{template: how many recurring invoices it made}, in one query."""
        return dict(
            self.env["account.move"]._read_group(
                [("classic_template_id", "in", self.ids), ("classic_period_date", "!=", False)],
                ["classic_template_id"],
                ["__count"],
            )
        )

    @api.model
    def _cron_create_recurring_invoices(self, batch_size=50):
        """The daily scheduled action: the recurring invoices due, by the recurring engine,
        a batch of templates per call."""
        self.env["invoice.classic.template.recurring"]._cron_create_due_invoices(batch_size)
