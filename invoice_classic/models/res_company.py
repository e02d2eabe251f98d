from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "invoice.classic.penalty.terms.mixin"]

    penalty_type = fields.Selection(default="none")  # a customer's empty type: the company's
    invoice_discount_account_id = fields.Many2one(
        comodel_name="account.account",
        check_company=True,
        help="Where invoice-level discounts are booked; empty: the sales journal's income account.",
    )
    invoice_tip_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Tip Account",
        check_company=True,
        help="Where tips added to customer invoices are booked.",
    )
    invoice_tip_tax_ids = fields.Many2many(
        comodel_name="account.tax",
        relation="res_company_invoice_tip_tax_rel",
        string="Tip Taxes",
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
        help="Taxes on tips; none by default.",
    )
    invoice_attachment_max_count = fields.Integer(
        string="Attachments per Invoice (max)", default=10
    )
    invoice_attachment_max_size = fields.Integer(
        string="Attachments Size per Invoice (MB, max)", default=20
    )
    invoice_payment_mode_ids = fields.Many2many(
        comodel_name="invoice.classic.payment.mode",
        string="Default Payment Modes",
        default=lambda self: self._default_invoice_payment_mode_ids(),
    )
    penalty_account_id = fields.Many2one(
        comodel_name="account.account",
        check_company=True,
        help="Where the late-payment penalties charged by the reminders are booked.",
    )
    penalty_journal_id = fields.Many2one(
        comodel_name="account.journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="The journal of penalty invoices; empty: the late invoice's.",
    )
    reminder_grouping = fields.Selection(
        selection=[
            ("invoice", "One message per invoice"),
            ("customer", "One message per customer"),
        ],
        string="Payment Reminders",
        default="invoice",
        required=True,
    )
    invoice_report_id = fields.Many2one(
        comodel_name="ir.actions.report",
        string="Invoice Layout",
        domain="[('is_invoice_report', '=', True), ('model', '=', 'account.move')]",
        default=lambda self: self._default_invoice_report_id(),
        help="The PDF layout of invoices; a customer may have its own.",
    )
    invoice_auto_send = fields.Boolean(
        string="Send Invoices When Validated",
        help="E-mail each customer invoice when it is validated (a customer may decide otherwise).",
    )
    invoice_vat_on_debits = fields.Boolean(
        string="VAT on Debits",
        help="The company opted to pay VAT on services when invoiced (option pour le paiement "
        "de la taxe d'après les débits); French invoices must say so.",
    )
    invoice_background_threshold = fields.Integer(
        string="Invoice in the Background Above",
        default=50,
        help="One-click invoicing of more documents than this (orders or transfers) runs in "
        "the background, in batches, and the user is notified when it is done; fewer are "
        "invoiced at once.",
    )

    @api.model
    def _default_invoice_payment_mode_ids(self):
        return self.env["invoice.classic.payment.mode"].search([("code", "=", "transfer")])

    @api.model
    def _default_invoice_report_id(self):
        """The Classic layout: the seller's identity in the page and a text layer with any
        wkhtmltopdf (Odoo's own report has them in a header Debian's does not print)."""
        return self.env.ref("invoice_classic.invoice_report_classic", raise_if_not_found=False)

    @api.constrains("invoice_background_threshold")
    def _check_invoice_background_threshold(self):
        if any(company.invoice_background_threshold < 0 for company in self):
            raise ValidationError(
                _("Invoice in the Background Above cannot be negative: set 0 documents or more.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["invoice.classic.reminder.level"].sudo()._create_default_levels(companies)
        return companies

    @api.model
    def _invoice_classic_install_defaults(self):
        """At install: existing companies accept bank transfers, get the reminder levels and,
        on the French chart, the accounts of the addon's lines, like new ones."""
        self.search(
            [("invoice_payment_mode_ids", "=", False)]
        ).invoice_payment_mode_ids = self._default_invoice_payment_mode_ids()
        companies = self.with_context(active_test=False).search([])
        self.env["invoice.classic.reminder.level"].sudo()._create_default_levels(companies)
        self.env["account.chart.template"]._invoice_classic_fill_accounts(companies)

    @api.model
    def _invoice_classic_install_default_layout(self):
        """At install, once the layouts exist: existing companies print with the Classic
        layout, like new ones."""
        self.with_context(active_test=False).search(
            [("invoice_report_id", "=", False)]
        ).invoice_report_id = self._default_invoice_report_id()
