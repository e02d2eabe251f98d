import logging
from datetime import datetime, timezone

from odoo import api, models

from ..tools import facturx_pdf

_logger = logging.getLogger(__name__)

# Set while the sending engine renders invoice PDFs: it embeds Factur-X itself once they are
# rendered (its own call of the hook below), the rendering must not.
SENDING_RENDER_KEY = "invoice_classic_sending_render"
XMP_TEMPLATE = "account_edi_ubl_cii.account_invoice_pdfa_3_facturx_metadata"


class AccountMoveSend(models.AbstractModel):
    """Factur-X goes into an invoice's PDF once, whichever way the PDF is made.

    Odoo embeds it through ``_hook_invoice_document_after_pdf_report_render``, called from two
    places: the rendering of a report named in ``account.custom_templates_facturx_list`` (our
    layouts and Odoo's invoice report are: Print, Download, our PDF wizard) with
    ``custom_template_facturx`` in the context, and the sending engine once it has rendered the
    PDF (Send & Print, e-mail, background sending). Sending with such a report used to go through
    both: two ``factur-x.xml``. This hook is the one place that decides: the rendering's call is
    ignored when the engine renders, and every PDF that gets the XML becomes a PDF/A-3 whose XMP
    names the XML's own profile."""

    # One file per concern (the defaults of sending are in account_move_send.py).
    _inherit = "account.move.send"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        return super(
            AccountMoveSend, self.with_context(**{SENDING_RENDER_KEY: True})
        )._prepare_invoice_pdf_report(invoices_data)

    @api.model
    def _prepare_invoice_proforma_pdf_report(self, invoice, invoice_data):
        return super(
            AccountMoveSend, self.with_context(**{SENDING_RENDER_KEY: True})
        )._prepare_invoice_proforma_pdf_report(invoice, invoice_data)

    @api.model
    def _hook_invoice_document_after_pdf_report_render(self, invoice, invoice_data):
        if self.env.context.get("custom_template_facturx") and self.env.context.get(
            SENDING_RENDER_KEY
        ):
            return  # the engine calls this hook itself on the rendered PDF
        pdf_values = self._get_facturx_pdf_values(invoice, invoice_data)
        if pdf_values and self._is_facturx_format(invoice_data):
            pdf_values["raw"] = facturx_pdf.with_outline_for_odoo_pdfa(pdf_values["raw"])
        rendered = pdf_values and pdf_values["raw"]
        super()._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        # Odoo wrote the XML into the PDF: unchanged, it did not (its test mode stores the XML
        # beside the report, then an HTML rendering).
        if pdf_values and pdf_values["raw"] != rendered:
            pdf_values["raw"] = self._make_facturx_pdfa(invoice, pdf_values["raw"])

    @api.model
    def _get_facturx_pdf_values(self, invoice, invoice_data):
        """The PDF Odoo's hook (account_edi_ubl_cii) embedded the XML into, by its own rule."""
        return (
            (not self.env.context.get("custom_template_facturx") and invoice.invoice_pdf_report_id)
            or invoice_data.get("pdf_attachment_values")
            or invoice_data.get("proforma_pdf_attachment_values")
        )

    @api.model
    def _is_facturx_format(self, invoice_data):
        """Sent with the Factur-X format: Odoo converts the PDF to PDF/A itself."""
        return invoice_data.get("ubl_cii_xml_options", {}).get("ubl_cii_format") == "facturx"

    @api.model
    def _make_facturx_pdfa(self, invoice, pdf):
        """``pdf`` as a Factur-X PDF/A-3 when it carries ``factur-x.xml``, else as it is."""
        reader = facturx_pdf.read_pdf(pdf)
        xml = facturx_pdf.embedded_file(reader)
        if xml is None:
            return pdf
        now = datetime.now(timezone.utc).replace(microsecond=0)
        values = self._get_facturx_metadata_values(invoice, xml, now)
        xmp = self.env["ir.qweb"]._render(XMP_TEMPLATE, values)
        info = {  # what the XMP says, as Odoo's conversion sets /Creator and /Producer
            "/Creator": "Odoo",
            "/Producer": "Odoo",
            "/Title": values["title"],
            "/CreationDate": facturx_pdf.pdf_date(now),
            "/ModDate": facturx_pdf.pdf_date(now),
        }
        try:
            return facturx_pdf.write_facturx_pdfa(reader, xmp.encode(), info)
        except (KeyError, ValueError, TypeError):
            # A PDF Odoo's PDF/A conversion does not know how to read (its font pass, with
            # fontTools, expects every page to have fonts): keep the PDF with its XML.
            _logger.warning("%s: PDF/A-3 conversion failed", invoice.display_name, exc_info=True)
            return pdf

    @api.model
    def _get_facturx_metadata_values(self, invoice, xml, now):
        """The values of Odoo's Factur-X XMP template: its own (title, date) and the
        conformance level of the profile the embedded XML declares."""
        return {
            "title": invoice.name,
            "date": now.isoformat(),
            "facturx_conformance_level": facturx_pdf.conformance_level(xml),
        }
