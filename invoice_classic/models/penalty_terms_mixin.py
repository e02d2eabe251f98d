from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class InvoiceClassicPenaltyTermsMixin(models.AbstractModel):
    """Late-payment penalty terms: set on the company (default), the customer
    (overrides it) and each invoice (what applies)."""

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
    )
    penalty_interval = fields.Integer(string="Penalty Every")
    penalty_interval_unit = fields.Selection(
        selection=[("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        string="Penalty Period",
    )
    penalty_rate = fields.Float(string="Penalty Rate (%)", digits=(16, 4))
    penalty_rate_basis = fields.Selection(
        selection=[
            ("monthly", "Per month overdue"),
            ("annual", "Per year, counted per day overdue"),
        ],
        string="Rate Basis",
    )
    penalty_grace_days = fields.Integer(
        string="Grace Days", help="Days after the due date before penalties start."
    )
    penalty_recovery_indemnity = fields.Boolean(
        string="Recovery Indemnity (40 €)",
        help="The fixed indemnity for recovery costs French law sets at 40 € per late invoice "
        "(business customers, art. L441-10 and D441-5 of the Code de commerce).",
    )

    def _compute_penalty_currency_id(self):
        for record in self:
            record.penalty_currency_id = self.env.company.currency_id

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


class InvoiceClassicPenaltyTermsDocumentMixin(models.AbstractModel):
    """A document with penalty terms of its own (an invoice, an invoice template): they
    start from those of a new invoice to its customer (``res.company._get_default_penalty_terms``),
    follow the customer when it changes, and stay editable. The models define
    ``partner_id`` and ``company_id``."""

    _name = "invoice.classic.penalty.terms.document.mixin"
    _inherit = "invoice.classic.penalty.terms.mixin"
    _description = "Document with late-payment penalty terms"

    penalty_type = fields.Selection(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_fixed_amount = fields.Monetary(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_recurrence = fields.Selection(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_interval = fields.Integer(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_interval_unit = fields.Selection(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_rate = fields.Float(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_rate_basis = fields.Selection(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_grace_days = fields.Integer(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )
    penalty_recovery_indemnity = fields.Boolean(
        compute="_compute_penalty_terms", store=True, readonly=False, precompute=True
    )

    @api.depends("partner_id", "company_id")
    def _compute_penalty_terms(self):
        for record in self:
            record.update(record.company_id._get_default_penalty_terms(record.partner_id))
