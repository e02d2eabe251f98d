import functools
import subprocess

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

CLASSIC_REPORTS = (
    "invoice_classic.report_invoice_classic",
    "invoice_classic.report_invoice_modern",
    "invoice_classic.report_invoice_compact",
)

# System fonts: the wkhtmltopdf Debian ships (unpatched Qt) draws the text of web fonts
# as shapes, leaving a PDF nobody can search, copy from or read aloud.
SYSTEM_FONTS = "font-family: 'Liberation Sans', Arial, 'DejaVu Sans', sans-serif;"


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

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Our layouts render one invoice per wkhtmltopdf call, then Odoo merges them: the
        wkhtmltopdf Debian ships fails on several documents at once."""
        report = self._get_report(report_ref)
        if report.report_name not in CLASSIC_REPORTS or not res_ids or len(res_ids) < 2:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        streams = {}
        for res_id in res_ids:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=[res_id])
            )
        return streams

    def _get_rendering_context(self, report, docids, data):
        values = super()._get_rendering_context(report, docids, data)
        if report.report_name in CLASSIC_REPORTS and values.get("report_type") == "pdf":
            if wkhtmltopdf_has_patched_qt():
                values["odoo_header_footer"] = True  # the company's own header and footer
            else:
                values["pdf_font_style"] = SYSTEM_FONTS
        return values

    def _prepare_html(self, html, report_model=False):
        bodies, res_ids, header, footer, paperformat_args = super()._prepare_html(
            html, report_model=report_model
        )
        if self.report_name in CLASSIC_REPORTS and not wkhtmltopdf_has_patched_qt():
            # Neither header nor footer is printed: the page may use the room the paper
            # format keeps for them (a short invoice fits one page, A4 or Letter).
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
        """Odoo embeds Factur-X into the custom invoice layouts this parameter names."""
        params = self.env["ir.config_parameter"].sudo()
        names = [
            name.strip()
            for name in (params.get_param("account.custom_templates_facturx_list") or "").split(",")
            if name.strip()
        ]
        names += [name for name in CLASSIC_REPORTS if name not in names]
        params.set_param("account.custom_templates_facturx_list", ",".join(names))
