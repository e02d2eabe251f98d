import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, formatLang

# The invoice discount and tip, as the user sets them
DISCOUNT_TIP_FIELDS = (
    "global_discount_type",
    "global_discount_percent",
    "global_discount_fixed",
    "tip_type",
    "tip_percent",
    "tip_fixed",
)


class InvoiceContentMixin(models.AbstractModel):
    """What an invoice and an invoice template both carry: the invoice-level discount, the
    tip and the installment rule, with the checks that need nothing else."""

    _name = "invoice.classic.content.mixin"
    _description = "Invoice discount, tip and installments"

    CONTENT_FIELDS = (
        *DISCOUNT_TIP_FIELDS,
        "installment_mode",
        "installment_count",
        "installment_percentages",
        "installment_interval",
        "installment_interval_unit",
    )

    currency_id = fields.Many2one(comodel_name="res.currency")  # defined by the models
    global_discount_type = fields.Selection(
        selection=[("percent", "Percentage"), ("fixed", "Fixed amount")],
        string="Invoice Discount",
    )
    global_discount_percent = fields.Float(string="Discount (%)", digits="Discount")
    global_discount_fixed = fields.Monetary(string="Discount Amount")
    tip_type = fields.Selection(
        selection=[("percent", "Percentage of the total"), ("fixed", "Fixed amount")],
        string="Tip",
    )
    tip_percent = fields.Float(string="Tip (%)", digits="Discount")
    tip_fixed = fields.Monetary(string="Tip Amount")
    installment_mode = fields.Selection(
        selection=[("equal", "Equal installments"), ("percent", "By percentages")],
        string="Installments",
    )
    installment_count = fields.Integer(string="Number of Installments", default=3)
    installment_percentages = fields.Char(
        string="Percentages", help="One percentage per installment, e.g. 30, 30, 40."
    )
    installment_interval = fields.Integer(string="Every", default=1)
    installment_interval_unit = fields.Selection(
        selection=[("days", "Days"), ("months", "Months")],
        string="Installment Period",
        default="months",
    )

    @api.constrains("global_discount_type", "global_discount_percent", "global_discount_fixed")
    def _check_discount_values(self):
        for record in self:
            if record.global_discount_type == "percent" and not (
                0 < record.global_discount_percent <= 100
            ):
                raise ValidationError(
                    _("The invoice discount percentage must be above 0 and at most 100.")
                )
            if record.global_discount_type == "fixed" and record.global_discount_fixed < 0:
                raise ValidationError(_("The invoice discount cannot be negative."))

    @api.constrains("tip_type", "tip_percent", "tip_fixed")
    def _check_tip_values(self):
        for record in self.filtered("tip_type"):
            if record.tip_fixed < 0 or record.tip_percent < 0:
                raise ValidationError(_("The tip cannot be negative."))

    @api.constrains(
        "installment_mode",
        "installment_count",
        "installment_percentages",
        "installment_interval",
    )
    def _check_installments(self):
        for record in self.filtered("installment_mode"):
            if record.installment_interval < 1:
                raise ValidationError(_("Installments are at least 1 day or 1 month apart."))
            if record.installment_mode == "equal":
                if record.installment_count < 2:
                    raise ValidationError(_("A schedule has at least 2 installments."))
                continue
            percentages = record._parse_installment_percentages()
            if len(percentages) < 2:
                raise ValidationError(_("A schedule has at least 2 installments."))
            if any(percent <= 0 for percent in percentages):
                raise ValidationError(_("Each installment percentage must be above 0."))
            if float_compare(sum(percentages), 100.0, precision_digits=4):
                raise ValidationError(
                    _(
                        "The installment percentages must sum to 100 (they sum to %(total)s).",
                        total=record._format_number(sum(percentages)),
                    )
                )

    def _parse_installment_percentages(self):
        self.ensure_one()
        try:
            return [
                float(part.replace(",", ".").strip().rstrip("%"))
                for part in re.split(r"[;\s]+|,\s+|/", (self.installment_percentages or "").strip())
                if part.strip()
            ]
        except ValueError as error:
            raise ValidationError(
                _(
                    "Write the installment percentages as numbers separated by semicolons, "
                    "e.g. 30; 30; 40 (you wrote %(value)s).",
                    value=self.installment_percentages,
                )
            ) from error

    def _format_number(self, value, digits=4):
        """``value`` in the user's language, without trailing zeros: 1.5 → "1,5" in French."""
        text = formatLang(self.env, value, digits=digits)
        decimal_point = self.env["res.lang"]._get_data(code=self.env.lang or "en_US").decimal_point
        if decimal_point in text:
            text = text.rstrip("0").rstrip(decimal_point)
        return text
