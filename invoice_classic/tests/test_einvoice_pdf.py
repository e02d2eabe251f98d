import io

from facturx import facturx
from lxml import etree

from odoo import tools
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from ..tools import facturx_pdf
from .einvoice_common import EInvoiceCommon

LAYOUTS = ("classic", "modern", "compact")
XMP_NAMESPACES = {
    "fx": "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def guideline(xml):
    """The profile a Factur-X XML declares."""
    return etree.fromstring(xml).xpath(
        "string(//*[local-name()='GuidelineSpecifiedDocumentContextParameter']"
        "/*[local-name()='ID'])"
    )


def read_facturx(pdf):
    """What a Factur-X reader finds in ``pdf``: the names of the embedded files, the names of
    the catalog's associated files (/AF), the content of factur-x.xml and the XMP metadata."""
    reader = OdooPdfFileReader(io.BytesIO(pdf), strict=False)
    root = reader.trailer["/Root"]
    names = root.get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    associated = root.get("/AF")
    metadata = root.get("/Metadata")
    return {
        "embedded": [str(name) for name in names[::2]],
        "associated": [str(spec.get_object()["/F"]) for spec in (associated or [])],
        "xml": facturx_pdf.embedded_file(reader),
        "xmp": etree.fromstring(metadata.get_object().get_data()) if metadata else None,
        "pdfa": "/OutputIntents" in root and "/ID" in reader.trailer,
        "header": pdf[:8],
    }


@tagged("post_install", "-at_install")
class TestEInvoicePdf(EInvoiceCommon, HttpCase):
    """Whichever way an invoice PDF is made (printed, downloaded, from the PDF wizard with each
    layout, e-mailed with or without the Factur-X format, sent in the background, Odoo's own
    report), it carries factur-x.xml once, as a PDF/A-3 whose XMP names the XML's profile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "compta@boulangerie-martin.example.com"
        # Odoo's Factur-X export asks for the seller's e-mail and phone.
        cls.company.write(
            {"email": "contact@atelier-dupont.example.com", "phone": "+33 4 78 00 00 00"}
        )
        cls.env.company.invoice_auto_send = False
        # Print asks for a document layout until the company has one.
        cls.env.company.external_report_layout_id = cls.env.ref("web.external_layout_standard")
        cls.send_cron = cls.env.ref("account.ir_cron_account_move_send")

    def setUp(self):
        super().setUp()
        # Odoo's test mode stores the XML beside the PDF instead of inside it and renders
        # reports as HTML: make the PDFs as in production.
        self.patch(tools.config, "options", {**tools.config.options, "test_enable": False})

    def _invoice(self):
        return self.init_invoice(
            "out_invoice", partner=self.customer, products=self.design, post=True
        )

    def _render(self, report_name, invoice):
        """The PDF /report/pdf/<report_name>/<id> answers (the web client's Print and
        Download of a report action); rendered here, not through HTTP: wkhtmltopdf fetches the
        style sheets from the test server, which serves one request at a time."""
        return self.env["ir.actions.report"]._render_qweb_pdf(report_name, invoice.ids)[0]

    def _download(self, invoice):
        """The PDF of Download (/account/download_invoice_documents/<id>/pdf)."""
        action = invoice.action_invoice_download_pdf()
        self.assertEqual(action["url"], f"/account/download_invoice_documents/{invoice.id}/pdf")
        return invoice._get_invoice_legal_documents("pdf", allow_fallback=True)["content"]

    def _send(self, invoice, report=None, sending_method="email"):
        """Send & Print, as a user does it (the PDF wizard's layout when ``report``)."""
        action = invoice.action_send_and_print()
        context = action["context"]
        if report:
            context = {**context, "invoice_classic_pdf_report_id": report.id}
        wizard = Form(self.env[action["res_model"]].with_context(**context))
        wizard.sending_method_checkboxes = {sending_method: {"checked": True}}
        with self.assertNoLogs("odoo.addons.account_edi_ubl_cii", "ERROR"):
            wizard.save().action_send_and_print()
        self.assertTrue(invoice.invoice_pdf_report_id, "the invoice keeps the PDF it sent")
        return invoice.invoice_pdf_report_id.raw

    def _mailed_pdf(self, invoice):
        """The PDF the customer received by e-mail."""
        message = self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id), ("subject", "!=", False)]
        )
        self.assertEqual(len(message), 1, "one e-mail")
        return message.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf").raw

    def assertFacturXPdf(self, pdf, invoice):
        found = read_facturx(pdf)
        self.assertEqual(found["embedded"], ["factur-x.xml"], "embedded once")
        self.assertEqual(found["associated"], ["factur-x.xml"], "one associated file (/AF)")
        exported = self._export_cii(invoice)
        self.assertEqual(guideline(found["xml"]), guideline(exported))
        self.assertIn(invoice.name.encode(), found["xml"])
        level = facturx.FACTURX_LEVEL2xmp[facturx.get_level(etree.fromstring(found["xml"]))]
        self.assertEqual(level, "EXTENDED")
        xmp = found["xmp"]
        self.assertIsNotNone(xmp, "XMP metadata")
        self.assertEqual(
            xmp.xpath("string(//fx:ConformanceLevel)", namespaces=XMP_NAMESPACES), level
        )
        self.assertEqual(
            xmp.xpath("string(//fx:DocumentFileName)", namespaces=XMP_NAMESPACES), "factur-x.xml"
        )
        self.assertEqual(xmp.xpath("string(//pdfaid:part)", namespaces=XMP_NAMESPACES), "3")
        self.assertTrue(found["pdfa"], "PDF/A: output intent and document ID")
        self.assertEqual(found["header"], b"%PDF-1.7")

    def test_print_and_download_from_the_invoice(self):
        """Print (Odoo's report) and Download, before and after the invoice was sent."""
        invoice = self._invoice()
        print_action = invoice.action_print_pdf()
        self.assertEqual(print_action["report_name"], "account.report_invoice_with_payments")
        self.assertFacturXPdf(self._render(print_action["report_name"], invoice), invoice)
        self.assertFacturXPdf(self._download(invoice), invoice)  # not sent: made now
        sent = self._send(invoice, sending_method="manual")
        self.assertFacturXPdf(sent, invoice)
        self.assertEqual(self._download(invoice), sent, "the PDF it was sent with")

    def test_pdf_wizard_with_each_layout(self):
        """Print, Download and Send by E-mail of the PDF wizard, with each layout."""
        for layout in LAYOUTS:
            with self.subTest(layout=layout):
                invoice = self._invoice()
                wizard = Form(
                    self.env["invoice.classic.pdf.wizard"].with_context(
                        active_model="account.move", active_ids=invoice.ids
                    )
                )
                wizard.report_id = self.env.ref(f"invoice_classic.invoice_report_{layout}")
                wizard = wizard.save()
                report_name = wizard.report_id.report_name
                self.assertEqual(
                    wizard.action_print()["url"], f"/report/pdf/{report_name}/{invoice.id}"
                )
                self.assertEqual(wizard.action_download()["report_name"], report_name)
                self.assertFacturXPdf(self._render(report_name, invoice), invoice)
                send = wizard.action_send()
                self.assertEqual(
                    send["context"]["invoice_classic_pdf_report_id"], wizard.report_id.id
                )
                pdf = self._send(invoice, report=wizard.report_id)
                self.assertFacturXPdf(pdf, invoice)
                self.assertEqual(self._mailed_pdf(invoice), pdf, "the e-mail has that PDF")

    def test_send_with_and_without_the_facturx_format(self):
        """Send & Print, the customer's e-invoice format Factur-X or none, with each layout and
        Odoo's own report: one factur-x.xml, a PDF/A-3, no error in the PDF/A conversion (it
        failed on the PDF of Debian's wkhtmltopdf, which has no outline)."""
        reports = [self.env.ref(f"invoice_classic.invoice_report_{layout}") for layout in LAYOUTS]
        reports.append(self.env.ref("account.account_invoices"))
        for edi_format in ("facturx", False):
            for report in reports:
                with self.subTest(edi_format=edi_format, report=report.report_name):
                    self.customer.invoice_edi_format = edi_format
                    invoice = self._invoice()
                    pdf = self._send(invoice, report=report)
                    self.assertFacturXPdf(pdf, invoice)
                    if edi_format:
                        # The XML sent beside the PDF is the one inside it.
                        self.assertEqual(read_facturx(pdf)["xml"], invoice.ubl_cii_xml_id.raw)

    def test_facturx_format_on_a_pdf_rewritten_without_outline(self):
        """Sending with the Factur-X format, Odoo converts the PDF to PDF/A itself, which failed
        (KeyError '/Outlines', logged) on a PDF without outline (Debian's wkhtmltopdf makes
        none) once Odoo's PDF writer had rewritten it, as the rendering's own Factur-X embedding
        did (the reported crash) or any module post-processing the report does: Odoo no longer
        takes its header for a PDF/A's."""
        invoice = self._invoice()
        rendered = (
            self.env["ir.actions.report"]
            .with_context(invoice_classic_sending_render=True)  # as the engine renders it
            ._render_qweb_pdf("invoice_classic.report_invoice_classic", invoice.ids)[0]
        )
        self.assertEqual(read_facturx(rendered)["embedded"], [], "the engine embeds it later")
        rewriter = OdooPdfFileWriter()
        rewriter.cloneReaderDocumentRoot(OdooPdfFileReader(io.BytesIO(rendered), strict=False))
        stream = io.BytesIO()
        rewriter.write(stream)
        odoo_writer = OdooPdfFileWriter()
        odoo_writer.cloneReaderDocumentRoot(OdooPdfFileReader(stream, strict=False))
        self.assertFalse(odoo_writer.is_pdfa or "/Outlines" in odoo_writer._root_object)
        invoice_data = {
            "invoice_edi_format": "facturx",
            "pdf_attachment_values": {"name": "invoice.pdf", "raw": stream.getvalue()},
        }
        sending = self.env["account.move.send"]
        sending._hook_invoice_document_before_pdf_report_render(invoice, invoice_data)
        with self.assertNoLogs("odoo.addons.account_edi_ubl_cii", "ERROR"):
            sending._hook_invoice_document_after_pdf_report_render(invoice, invoice_data)
        self.assertFacturXPdf(invoice_data["pdf_attachment_values"]["raw"], invoice)

    def test_automatic_sending(self):
        """Sent by e-mail when validated, in the background (Odoo's sending cron), with the
        company's layout."""
        self.env.company.invoice_auto_send = True
        invoice = self._invoice()
        self.assertTrue(invoice.sending_data, "queued when validated")
        with self.assertNoLogs("odoo.addons.account_edi_ubl_cii", "ERROR"):
            self.send_cron.method_direct_trigger()
        self.assertTrue(invoice.is_move_sent)
        self.assertEqual(
            invoice.invoice_pdf_report_id.res_field, "invoice_pdf_report_file", "the invoice's PDF"
        )
        self.assertFacturXPdf(invoice.invoice_pdf_report_id.raw, invoice)
        self.assertEqual(self._mailed_pdf(invoice), invoice.invoice_pdf_report_id.raw)

    def test_conformance_level_of_each_profile(self):
        """The XMP level names the profile the XML declares, as the Factur-X library reads it."""
        xml = self._export_cii(self._invoice())
        self.assertEqual(
            set(facturx_pdf.CONFORMANCE_LEVELS.values()), set(facturx.FACTURX_LEVEL2xmp.values())
        )
        for urn, xmp_level in facturx_pdf.CONFORMANCE_LEVELS.items():
            with self.subTest(profile=urn):
                profile_xml = xml.replace(guideline(xml).encode(), urn.encode())
                level = facturx.get_level(etree.fromstring(profile_xml))
                self.assertEqual(facturx.FACTURX_LEVEL2xmp[level], xmp_level)
                self.assertEqual(facturx_pdf.conformance_level(profile_xml), xmp_level)
        self.assertIsNone(facturx_pdf.conformance_level(xml.replace(guideline(xml).encode(), b"x")))
