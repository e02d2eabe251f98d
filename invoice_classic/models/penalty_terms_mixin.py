from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import RARELY_READ


class PenaltyTermsMixin(models.AbstractModel):
    """Late-payment penalty terms: set on the company (the default), the customer (its own,
    when its penalty type is set) and each invoice or invoice template (what applies).

    The defaults of new terms are here, once: charged once, every 1 month, a monthly rate,
    the 40 € recovery indemnity. The company adds "no penalty"; a customer has no type
    until it gets terms of its own. The models define ``currency_id``."""

    _name = "invoice.classic.penalty.terms.mixin"
    _description = "Late-payment penalty terms"

    PENALTY_FIELDS = (
        "penalty_type",
        "penalty_fixed_amount",
        "penalty_recurrence",
        "penalty_interval",
        "penalty_interval_unit",
        "penalty_rate",
        "penalty_rate_basis",
        "penalty_grace_days",
        "penalty_recovery_indemnity",
    )

    penalty_currency_id = fields.Many2one(
        comodel_name="res.currency", compute="_compute_penalty_currency_id"
    )
    penalty_type = fields.Selection(
        selection=[
            ("none", "No penalty"),
            ("fixed", "Fixed amount"),
            ("percent", "Percentage of the remaining balance"),
        ],
        string="Late-Payment Penalty",
    )
    penalty_fixed_amount = fields.Monetary(
        string="Penalty Amount", currency_field="penalty_currency_id"
    )
    penalty_recurrence = fields.Selection(
        selection=[("once", "Once"), ("recurring", "Every period")],
        string="Penalty Applied",
        default="once",
    )
    penalty_interval = fields.Integer(string="Penalty Every", default=1)
    penalty_interval_unit = fields.Selection(
        selection=[("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        string="Penalty Period",
        default="months",
    )
    penalty_rate = fields.Float(string="Penalty Rate (%)", digits=(16, 4))
    penalty_rate_basis = fields.Selection(
        selection=[
            ("monthly", "Per month overdue"),
            ("annual", "Per year, counted per day overdue"),
        ],
        string="Rate Basis",
        default="monthly",
    )
    penalty_grace_days = fields.Integer(
        string="Grace Days", help="Days after the due date before penalties start."
    )
    penalty_recovery_indemnity = fields.Boolean(
        string="Recovery Indemnity (40 €)",
        default=True,
        help="The fixed indemnity for recovery costs French law sets at 40 € per late invoice "
        "(business customers, art. L441-10 and D441-5 of the Code de commerce).",
    )

    def _compute_penalty_currency_id(self):
        for record in self:
            record.penalty_currency_id = record.currency_id

    @api.constrains(
        "penalty_fixed_amount", "penalty_rate", "penalty_interval", "penalty_grace_days"
    )
    def _check_penalty_terms(self):
        for record in self:
            if record.penalty_fixed_amount < 0:
                raise ValidationError(_("The late-payment penalty amount cannot be negative."))
            if record.penalty_rate < 0 or record.penalty_rate > 100:
                raise ValidationError(
                    _("The late-payment penalty rate must be between 0 and 100 %.")
                )
            if record.penalty_interval <= 0:
                raise ValidationError(
                    _("The late-payment penalty period must be at least 1 day, week or month.")
                )
            if record.penalty_grace_days < 0:
                raise ValidationError(_("The grace days cannot be negative."))

    def _penalty_terms_values(self):
        """The penalty fields of ``self``, to default another record's."""
        self.ensure_one()
        return {fname: self[fname] for fname in self.PENALTY_FIELDS}


# A document's terms are computed from its customer and company (no default of their own),
# stored, and editable.
FOLLOW_CUSTOMER = {
    "compute": "_compute_penalty_terms",
    "store": True,
    "readonly": False,
    "precompute": True,
    "default": None,
    # Read by the documents and the reminders only (see RARELY_READ).
    "prefetch": RARELY_READ,
}


class PenaltyTermsDocumentMixin(models.AbstractModel):
    """A document with penalty terms of its own (an invoice, an invoice template): they
    start from those of a new invoice to its customer, follow the customer when it changes,
    and stay editable. The models define ``partner_id`` and ``company_id``."""

    _name = "invoice.classic.penalty.terms.document.mixin"
    _inherit = "invoice.classic.penalty.terms.mixin"
    _description = "Document with late-payment penalty terms"

    penalty_type = fields.Selection(**FOLLOW_CUSTOMER)
    penalty_fixed_amount = fields.Monetary(**FOLLOW_CUSTOMER)
    penalty_recurrence = fields.Selection(**FOLLOW_CUSTOMER)
    penalty_interval = fields.Integer(**FOLLOW_CUSTOMER)
    penalty_interval_unit = fields.Selection(**FOLLOW_CUSTOMER)
    penalty_rate = fields.Float(**FOLLOW_CUSTOMER)
    penalty_rate_basis = fields.Selection(**FOLLOW_CUSTOMER)
    penalty_grace_days = fields.Integer(**FOLLOW_CUSTOMER)
    penalty_recovery_indemnity = fields.Boolean(**FOLLOW_CUSTOMER)

    @api.depends("partner_id", "company_id")
    def _compute_penalty_terms(self):
        for record in self:
            record.update(record._get_default_penalty_terms())

    def _get_default_penalty_terms(self):
        """The penalty terms a new document starts from: its customer's when it has its own,
        else its company's; the 40 € recovery indemnity only for a business customer (no
        customer chosen yet: as the company set it)."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        values = (customer if customer.penalty_type else self.company_id)._penalty_terms_values()
        if customer:
            values["penalty_recovery_indemnity"] &= bool(customer.is_company)
        return values
