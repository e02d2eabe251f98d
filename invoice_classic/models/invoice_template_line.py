from odoo import Command, api, fields, models

SECTION_TYPES = ("line_section", "line_note")

# What a template line and an invoice line have in common, copied as it is from one to the
# other, both ways: a section or a note is only its label and place. Taxes are not in it:
# each direction has its rule (the customer's fiscal position maps the product's taxes).
SECTION_FIELDS = ("display_type", "sequence", "name")
PRODUCT_LINE_FIELDS = (
    "sequence",
    "name",
    "product_id",
    "product_uom_id",
    "quantity",
    "price_unit",
    "discount",
)


def copy_line_values(line):
    """The values of ``line``, a template line or an invoice line, to create a line of the
    other kind with. An empty value is left out: the new line computes it (the product's
    label and unit of measure)."""
    fnames = SECTION_FIELDS if line.display_type in SECTION_TYPES else PRODUCT_LINE_FIELDS
    values = line._convert_to_write({fname: line[fname] for fname in fnames})
    return {fname: value for fname, value in values.items() if value is not False}


class InvoiceTemplateLine(models.Model):
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
        for line in self._get_product_lines():
            # As on an invoice line: the product's name and sales description, in the
            # customer's language; a label written by hand is kept.
            if not line.name or line._origin.name == line._origin._get_product_label():
                line.name = line._get_product_label()

    @api.depends("product_id", "product_uom_id")
    def _compute_price_unit(self):
        today = fields.Date.context_today(self)
        for line in self._get_product_lines():
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
        for line in self._get_product_lines():
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

    def _get_product_lines(self):
        """The lines of a product (not a section, a note or a line typed by hand)."""
        return self.filtered(lambda line: line.product_id and not line.display_type)

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
        vals = copy_line_values(self)
        if not self.display_type and (
            not self.product_id or self.tax_ids != self._get_product_taxes()
        ):
            vals["tax_ids"] = [Command.set(self.tax_ids.ids)]
        return vals

    @api.model
    def _prepare_from_invoice_line(self, line):
        """The template line of invoice line ``line``. Taxes the invoice's fiscal position
        mapped from the product's are kept as the product's: the fiscal position of each
        new invoice maps them again."""
        vals = copy_line_values(line)
        if line.display_type in SECTION_TYPES:
            return vals
        taxes = line.tax_ids
        if line.product_id:
            product_taxes = line.product_id.taxes_id._filter_taxes_by_company(line.company_id)
            if taxes == line.move_id.fiscal_position_id.map_tax(product_taxes):
                taxes = product_taxes
        vals["tax_ids"] = [Command.set(taxes.ids)]
        return vals
