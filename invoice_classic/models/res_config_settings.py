from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    invoice_discount_account_id = fields.Many2one(
        related="company_id.invoice_discount_account_id", readonly=False
    )
    invoice_tip_account_id = fields.Many2one(
        related="company_id.invoice_tip_account_id", readonly=False
    )
    invoice_tip_tax_ids = fields.Many2many(related="company_id.invoice_tip_tax_ids", readonly=False)
    invoice_attachment_max_count = fields.Integer(
        related="company_id.invoice_attachment_max_count", readonly=False
    )
    invoice_attachment_max_size = fields.Integer(
        related="company_id.invoice_attachment_max_size", readonly=False
    )
    invoice_payment_mode_ids = fields.Many2many(
        related="company_id.invoice_payment_mode_ids", readonly=False
    )
    penalty_account_id = fields.Many2one(related="company_id.penalty_account_id", readonly=False)
    penalty_journal_id = fields.Many2one(related="company_id.penalty_journal_id", readonly=False)
    reminder_grouping = fields.Selection(related="company_id.reminder_grouping", readonly=False)
    invoice_report_id = fields.Many2one(related="company_id.invoice_report_id", readonly=False)
    invoice_auto_send = fields.Boolean(related="company_id.invoice_auto_send", readonly=False)
    invoice_vat_on_debits = fields.Boolean(
        related="company_id.invoice_vat_on_debits", readonly=False
    )
    invoice_background_threshold = fields.Integer(
        related="company_id.invoice_background_threshold", readonly=False
    )
    penalty_type = fields.Selection(related="company_id.penalty_type", readonly=False)
    penalty_fixed_amount = fields.Monetary(
        related="company_id.penalty_fixed_amount", readonly=False
    )
    penalty_recurrence = fields.Selection(related="company_id.penalty_recurrence", readonly=False)
    penalty_interval = fields.Integer(related="company_id.penalty_interval", readonly=False)
    penalty_interval_unit = fields.Selection(
        related="company_id.penalty_interval_unit", readonly=False
    )
    penalty_rate = fields.Float(related="company_id.penalty_rate", readonly=False)
    penalty_rate_basis = fields.Selection(related="company_id.penalty_rate_basis", readonly=False)
    penalty_grace_days = fields.Integer(related="company_id.penalty_grace_days", readonly=False)
    penalty_recovery_indemnity = fields.Boolean(
        related="company_id.penalty_recovery_indemnity", readonly=False
    )
