import functools
import subprocess

from markupsafe import Markup

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

CLASSIC_REPORTS = (
    "invoice_classic.report_invoice_classic",
    "invoice_classic.report_invoice_modern",
    "invoice_classic.report_invoice_compact",
)
# Odoo's own reports the addon prints (invoices: Print, and Send when the company chose
# Odoo's; payment receipts): the seller is in their header, which Debian's wkhtmltopdf
# does not print.
ODOO_REPORTS = (
    "account.report_invoice_with_payments",
    "account.report_invoice",
    "account.report_payment_receipt",
)
# Invoice reports whose PDF carries Factur-X (account_edi_ubl_cii embeds it into the reports
# named in account.custom_templates_facturx_list): ours, and Odoo's printed from the invoice.
FACTURX_REPORTS = CLASSIC_REPORTS + (
    "account.report_invoice_with_payments",
    "account.report_invoice",
)
# Reports whose page body holds the company's identity when no header is printed.
COMPANY_IN_BODY_REPORTS = CLASSIC_REPORTS + ODOO_REPORTS
# Every report the addon renders.
SYSTEM_FONT_REPORTS = COMPANY_IN_BODY_REPORTS + (
    "invoice_classic.report_overdue_statement_document",
)

# System fonts: the wkhtmltopdf Debian ships (unpatched Qt) draws the text of web fonts
# as shapes, leaving a PDF nobody can search, copy from or read aloud.
SYSTEM_FONTS = "font-family: 'Liberation Sans', Arial, 'DejaVu Sans', sans-serif;"
# The same for a whole document, whatever its own style sheets say (icons keep theirs).
SYSTEM_FONTS_STYLE = Markup(
    "<style>body, .article, .article *:not(.fa) {"
    "font-family: 'Liberation Sans', Arial, 'DejaVu Sans', sans-serif !important;}</style>"
)


@functools.cache
def wkhtmltopdf_has_patched_qt():
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, check=False, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in version


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        values = super()._get_rendering_context(report, docids, data)
        if values.get("report_type") != "pdf":
            return values
        if report.report_name in CLASSIC_REPORTS:
            if wkhtmltopdf_has_patched_qt():
                values["odoo_header_footer"] = True  # the company's own header and footer
            else:
                values["pdf_font_style"] = SYSTEM_FONTS
        elif report.report_name in ODOO_REPORTS and not wkhtmltopdf_has_patched_qt():
            # Its header, the seller's identity, is not printed: the page shows it.
            values["invoice_classic_company_in_body"] = True
        return values

    def _prepare_html(self, html, report_model=False):
        bodies, res_ids, header, footer, paperformat_args = super()._prepare_html(
            html, report_model=report_model
        )
        if wkhtmltopdf_has_patched_qt():
            return bodies, res_ids, header, footer, paperformat_args
        if self.report_name in SYSTEM_FONT_REPORTS:
            bodies = [
                Markup(str(body).replace("</head>", f"{SYSTEM_FONTS_STYLE}</head>", 1))
                for body in bodies
            ]
        if self.report_name in COMPANY_IN_BODY_REPORTS:
            # Neither header nor footer is printed, the company is in the page body: the
            # page may use the room the paper format keeps for them (a short invoice fits
            # one page, A4 or Letter).
            paperformat_args.update(
                {
                    "data-report-margin-top": "12",
                    "data-report-header-spacing": "0",
                    "data-report-margin-bottom": "12",
                }
            )
        return bodies, res_ids, header, footer, paperformat_args

    @api.model
    def _invoice_classic_enable_facturx(self):
        """Odoo embeds Factur-X into the invoice reports this parameter names when they are
        printed: ours, and its own (Print on an invoice). Run at each update; the names an
        administrator added stay."""
        params = self.env["ir.config_parameter"].sudo()
        names = [
            name.strip()
            for name in (params.get_param("account.custom_templates_facturx_list") or "").split(",")
            if name.strip()
        ]
        names += [name for name in FACTURX_REPORTS if name not in names]
        params.set_param("account.custom_templates_facturx_list", ",".join(names))
