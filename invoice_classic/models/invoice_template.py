import logging
import threading

from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

RECURRING_STEPS = {
    "days": lambda n: relativedelta(days=n),
    "weeks": lambda n: relativedelta(weeks=n),
    "months": lambda n: relativedelta(months=n),
}


class InvoiceClassicTemplate(models.Model):
    """An invoice to create again: by hand ("New Invoice") or on a schedule (recurring)."""

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

    # The invoice fields a template carries, copied both ways as they are.
    def _invoice_fields(self):
        """The invoice fields a template carries, copied both ways as they are."""
        return ("narration", *self.CONTENT_FIELDS)

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

    def _compute_penalty_currency_id(self):
        for template in self:
            template.penalty_currency_id = template.currency_id

    @api.constrains("recurring", "partner_id", "recurring_interval", "recurring_start_date")
    def _check_recurring(self):
        for template in self.filtered("recurring"):
            if not template.partner_id:
                raise ValidationError(_("A recurring template needs a customer."))
            if template.recurring_interval < 1:
                raise ValidationError(_("Invoices recur at least every 1 day, week or month."))
            if not template.recurring_start_date:
                raise ValidationError(_("A recurring template needs a start date."))

    @api.onchange("recurring_start_date")
    def _onchange_recurring_start_date(self):
        if not self.invoice_ids.filtered("classic_period_date"):
            self.recurring_next_date = self.recurring_start_date

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("recurring_next_date"):
                vals["recurring_next_date"] = vals.get(
                    "recurring_start_date", fields.Date.context_today(self)
                )
        return super().create(vals_list)

    def write(self, vals):
        if "recurring_error" not in vals:
            vals = {**vals, "recurring_error": False}  # edited: try again
        res = super().write(vals)
        if vals.get("recurring_start_date") and "recurring_next_date" not in vals:
            for template in self.filtered(
                lambda t: not t.invoice_ids.filtered("classic_period_date")
            ):
                template.recurring_next_date = template.recurring_start_date
        return res

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
        # Wait for a run of the scheduled action on this template, then read its next date.
        self.env.cr.execute(
            "SELECT id FROM invoice_classic_template WHERE id = %s FOR UPDATE", [self.id]
        )
        self.invalidate_recordset()
        template = self.with_company(self.company_id)
        invoices = template._create_recurring_invoices(template.recurring_next_date)
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

    def _prepare_invoice_vals(self, invoice_date, period_date=False):
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
                Command.create(self.env["invoice.classic.template.line"]._prepare_from_line(line))
                for line in invoice.invoice_line_ids
                if not line.classic_line_type
            ],
            **{fname: invoice[fname] for fname in self._invoice_fields()},
            **invoice._penalty_terms_values(),
        }

    def _next_period(self, date):
        self.ensure_one()
        return date + RECURRING_STEPS[self.recurring_unit](self.recurring_interval)

    def _count_recurring_invoices(self):
        """{template: how many recurring invoices it made}, in one query."""
        return dict(
            self.env["account.move"]._read_group(
                [("classic_template_id", "in", self.ids), ("classic_period_date", "!=", False)],
                ["classic_template_id"],
                ["__count"],
            )
        )

    def _due_periods(self, today, created):
        """The periods of this template due on ``today`` and not created yet, given the
        number of recurring invoices it ``created`` already."""
        self.ensure_one()
        periods, period = [], self.recurring_next_date
        while period and period <= today:
            if self.recurring_end_date and period > self.recurring_end_date:
                break
            if self.recurring_max_count and created + len(periods) >= self.recurring_max_count:
                break
            periods.append(period)
            period = self._next_period(period)
        return periods, period

    def _create_recurring_invoices(self, today, created=None):
        """Create the invoices due, one per missed period, and move the next date on.

        The caller holds a lock on the template; the unique index on
        (template, period) refuses a second invoice for a period whatever happens."""
        self.ensure_one()
        if created is None:
            created = self._count_recurring_invoices().get(self, 0)
        periods, next_period = self._due_periods(today, created)
        if not periods:
            if self.recurring_next_date and self.recurring_next_date <= today:
                self.recurring = False  # ended (end date or count reached)
            return self.env["account.move"]
        invoices = self.env["account.move"].create(
            [self._prepare_invoice_vals(period, period) for period in periods]
        )
        if self.recurring_action in ("post", "send"):
            invoices.action_post()
        if self.recurring_action == "send":
            # Odoo's own background sending (the one of "Send" on several invoices).
            # From the template's salesperson (else the company), not the job's user.
            invoices._queue_for_sending()
        self.recurring_next_date = next_period
        return invoices

    @api.model
    def _cron_create_recurring_invoices(self, batch_size=50):
        """Daily: the recurring invoices due, a batch of templates per call; Odoo calls it
        again while some remain (``_notify_progress``). A template that fails is set aside
        with its error until someone edits it."""
        today = fields.Date.context_today(self)
        domain = [
            ("recurring", "=", True),
            ("recurring_next_date", "<=", today),
            ("recurring_error", "=", False),
        ]
        found = self.search(domain, limit=batch_size, order="recurring_next_date, id")
        templates = self.browse()
        if found:
            # Those another worker holds are left to it.
            self.env.cr.execute(
                "SELECT id FROM invoice_classic_template WHERE id IN %s FOR UPDATE SKIP LOCKED",
                [tuple(found.ids)],
            )
            locked = {row[0] for row in self.env.cr.fetchall()}
            templates = found.filtered(lambda t: t.id in locked)
        created = templates._count_recurring_invoices()
        for template in templates:
            try:
                with self.env.cr.savepoint():
                    template.with_company(template.company_id)._create_recurring_invoices(
                        today, created.get(template, 0)
                    )
            except Exception as error:  # noqa: BLE001 - one bad template must not stop the run
                _logger.warning("Recurring invoice template %s failed: %s", template.id, error)
                template.recurring_error = str(error)
        done = len(templates)
        remaining = self.search_count(domain) if len(found) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if not getattr(threading.current_thread(), "testing", False):
            # A batch is done: a run killed later resumes after it.
            self.env.cr.commit()  # pylint: disable=invalid-commit


class InvoiceClassicTemplateLine(models.Model):
    """A line of an invoice template. Like an invoice line, it takes its label, unit, price
    and taxes from its product (all editable); the invoice line made from it lets Odoo
    compute what the template does not set (account, taxes mapped through the customer's
    fiscal position)."""

    _name = "invoice.classic.template.line"
    _description = "Invoice Template Line"
    _order = "template_id, sequence, id"
    _check_company_auto = True

    template_id = fields.Many2one(
        comodel_name="invoice.classic.template", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="template_id.company_id", store=True)
    currency_id = fields.Many2one(related="template_id.currency_id")
    sequence = fields.Integer(default=10)
    display_type = fields.Selection(
        selection=[("line_section", "Section"), ("line_note", "Note")], default=False
    )
    product_id = fields.Many2one(comodel_name="product.product", check_company=True)
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    product_uom_id = fields.Many2one(
        comodel_name="uom.uom",
        string="Unit of Measure",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    name = fields.Text(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(
        string="Unit Price",
        digits="Product Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    discount = fields.Float(string="Discount (%)", digits="Discount")
    tax_ids = fields.Many2many(
        comodel_name="account.tax",
        string="Taxes",
        check_company=True,
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self.filtered("product_id"):
            line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.display_type or not line.product_id:
                continue
            # As on an invoice line: the product's name and sales description, in the
            # customer's language; a label written by hand is kept.
            if not line.name or line._origin.name == line._origin._get_product_label():
                line.name = line._get_product_label()

    @api.depends("product_id", "product_uom_id")
    def _compute_price_unit(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line.display_type or not line.product_id:
                continue
            company = line.company_id or self.env.company
            line.price_unit = line.product_id._get_tax_included_unit_price(
                company,
                line.currency_id or company.currency_id,
                today,
                "sale",
                product_uom=line.product_uom_id,
            )

    @api.depends("product_id")
    def _compute_tax_ids(self):
        for line in self:
            if line.display_type or not line.product_id:
                continue
            line.tax_ids = line._get_product_taxes()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.template_id._clear_recurring_error()
        return lines

    def write(self, vals):
        res = super().write(vals)
        self.template_id._clear_recurring_error()
        return res

    def _get_product_label(self):
        """The label of the product on an invoice line: its name and sales description
        (none for no line or no product)."""
        product = self.product_id
        if not product:
            return False
        if self.template_id.partner_id.lang:
            product = product.with_context(lang=self.template_id.partner_id.lang)
        return "\n".join(filter(None, [product.display_name, product.description_sale]))

    def _get_product_taxes(self):
        """The sales taxes of the product in the template's company (before any fiscal
        position: the invoice's maps them)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return self.product_id.taxes_id._filter_taxes_by_company(company)

    def _prepare_invoice_line_vals(self):
        """The invoice line of this template line. Odoo computes what is not given: the
        account from the product, and the product's taxes mapped through the fiscal position
        of the invoice's customer when the template keeps the product's taxes; taxes chosen
        on the template are kept as they are, as Odoo keeps taxes set by hand on a line."""
        self.ensure_one()
        if self.display_type:
            return {"display_type": self.display_type, "name": self.name, "sequence": self.sequence}
        vals = {
            "sequence": self.sequence,
            "product_id": self.product_id.id,
            "quantity": self.quantity,
            "price_unit": self.price_unit,
            "discount": self.discount,
        }
        if self.name:
            vals["name"] = self.name
        if self.product_uom_id:
            vals["product_uom_id"] = self.product_uom_id.id
        if not self.product_id or self.tax_ids != self._get_product_taxes():
            vals["tax_ids"] = [Command.set(self.tax_ids.ids)]
        return vals

    @api.model
    def _prepare_from_line(self, line):
        """The template line of invoice line ``line``. Taxes the invoice's fiscal position
        mapped from the product's are kept as the product's: the fiscal position of each
        new invoice maps them again."""
        if line.display_type in ("line_section", "line_note"):
            return {"display_type": line.display_type, "name": line.name, "sequence": line.sequence}
        taxes = line.tax_ids
        if line.product_id:
            product_taxes = line.product_id.taxes_id._filter_taxes_by_company(line.company_id)
            if taxes == line.move_id.fiscal_position_id.map_tax(product_taxes):
                taxes = product_taxes
        return {
            "sequence": line.sequence,
            "product_id": line.product_id.id,
            "product_uom_id": line.product_uom_id.id,
            "name": line.name,
            "quantity": line.quantity,
            "price_unit": line.price_unit,
            "discount": line.discount,
            "tax_ids": [Command.set(taxes.ids)],
        }
