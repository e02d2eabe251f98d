import glob
import logging
import os
import tempfile

from odoo import Command, tools
from odoo.exceptions import UserError
from odoo.tests import BaseCase, HttpCase, tagged

from ..models.ir_actions_report_wkhtmltopdf import PDF_PROCESSES_PARAM
from ..tools import facturx_pdf
from ..tools.wkhtmltopdf_pool import PdfDocument, WkhtmltopdfError, render_pdfs
from .einvoice_common import EInvoiceCommon
from .test_invoice_layouts import pdf_pages, pdf_text

LOGGER = "odoo.addons.invoice_classic.models.ir_actions_report_wkhtmltopdf"
CLASSIC = "invoice_classic.invoice_report_classic"


def leftover_files():
    """The working directories of the processes that are still in the temporary directory."""
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "report.parallel.tmp.*")))


def pages_and_texts(pdfs):
    return [(pdf_pages(pdf), pdf_text(pdf)) for pdf in pdfs]


@tagged("post_install", "-at_install")
class TestPdfParallel(EInvoiceCommon, HttpCase):
    """Several invoices' PDFs, or several documents of a report, are rendered by wkhtmltopdf
    processes running at once (one document each, Debian's wkhtmltopdf takes no more): the
    same PDFs, page for page, as rendered one after the other. HttpCase: wkhtmltopdf loads
    the style sheets from the test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"]
        cls.invoices = cls.env["account.move"].create(
            [
                cls._invoice_values(lines)
                for lines in (2, 60, 5)  # the second one runs over two pages at least
            ]
        )
        cls.invoices.action_post()

    @classmethod
    def _invoice_values(cls, lines):
        return {
            "move_type": "out_invoice",
            "partner_id": cls.customer.id,
            "invoice_date": "2026-01-15",
            "invoice_line_ids": [
                Command.create(
                    {"product_id": cls.design.id, "name": f"Design {number}", "price_unit": 50}
                )
                for number in range(1, lines + 1)
            ],
        }

    def _reports(self, processes):
        self.params.set_param(PDF_PROCESSES_PARAM, str(processes))
        return self.env["ir.actions.report"].with_context(force_report_rendering=True)

    def _invoice_pdfs(self, processes, report=CLASSIC):
        """The PDF of each invoice, as Send & Print gets them (one per invoice)."""
        streams, report_type = self._reports(processes)._pre_render_qweb_pdf(
            report, self.invoices.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertEqual(list(streams), self.invoices.ids)
        return [streams[invoice.id]["stream"].getvalue() for invoice in self.invoices]

    def test_invoices_at_once_as_one_by_one(self):
        one_by_one = pages_and_texts(self._invoice_pdfs(1))
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            at_once = pages_and_texts(self._invoice_pdfs(3))
        [message] = logs.output  # and no PDF rendered ahead left unused
        self.assertIn("3 PDFs rendered by up to 3 wkhtmltopdf processes at once", message)
        self.assertEqual(at_once, one_by_one)
        pages = [count for count, _text in at_once]
        self.assertEqual(pages[0], 1)
        self.assertGreaterEqual(pages[1], 2)
        for invoice, (_count, text) in zip(self.invoices, at_once, strict=True):
            self.assertIn(invoice.name, text)
            self.assertIn("Boulangerie Martin", text)
        merged = self._reports(3)._render_qweb_pdf(CLASSIC, self.invoices.ids)[0]
        self.assertEqual(pdf_pages(merged), sum(pages))

    def test_each_invoice_keeps_its_facturx(self):
        """Odoo embeds Factur-X into each invoice's PDF once rendered: the PDF rendered ahead
        gets it, its own XML."""
        # Odoo's test mode keeps the XML beside the PDF: as in production.
        self.patch(tools.config, "options", {**tools.config.options, "test_enable": False})
        for invoice, pdf in zip(self.invoices, self._invoice_pdfs(3), strict=True):
            xml = facturx_pdf.embedded_file(facturx_pdf.read_pdf(pdf))
            self.assertIn(invoice.name.encode(), xml)
            for other in self.invoices - invoice:
                self.assertNotIn(other.name.encode(), xml)

    def test_several_documents_of_a_report_at_once(self):
        """A report with several documents in one rendering (the same invoice twice, the
        statements of several customers): one process per document, at once, merged."""
        other = self.customer.copy({"name": "Garage Petit"})
        for report, res_ids in (
            ("account.account_invoices", self.invoices[:1].ids * 2),
            ("invoice_classic.report_overdue_statement", (self.customer | other).ids),
        ):
            with self.subTest(report=report):
                one_by_one = self._reports(1)._render_qweb_pdf(report, res_ids)[0]
                at_once = self._reports(2)._render_qweb_pdf(report, res_ids)[0]
                self.assertEqual(pdf_pages(at_once), pdf_pages(one_by_one))
                self.assertEqual(pdf_text(at_once), pdf_text(one_by_one))
                self.assertGreaterEqual(pdf_pages(at_once), 2)

    def test_a_failed_process_names_its_document(self):
        self.params.set_param("report.print_delay", "soon")  # wkhtmltopdf refuses it
        before = leftover_files()
        with self.assertRaises(UserError) as error:
            self._invoice_pdfs(3)
        for invoice in self.invoices:
            self.assertIn(f"The PDF of {invoice.name} could not be made", str(error.exception))
        self.assertIn("--javascript-delay", str(error.exception))
        with self.assertRaises(UserError) as error:
            self._reports(2)._render_qweb_pdf("account.account_invoices", self.invoices[:1].ids * 2)
        self.assertIn("part 2 of 2 could not be made", str(error.exception))
        self.assertEqual(leftover_files(), before, "no file left behind")

    def test_processes_one_per_core_unless_said(self):
        reports = self.env["ir.actions.report"]
        for value, expected in (("", os.cpu_count()), ("4", 4), ("0", 1), ("many", os.cpu_count())):
            with self.subTest(value=value):
                self.params.set_param(PDF_PROCESSES_PARAM, value)
                self.assertEqual(reports._invoice_classic_pdf_processes(), expected)


@tagged("post_install", "-at_install")
class TestWkhtmltopdfPool(BaseCase):
    """The processes alone, on plain HTML: PDFs in the order of the documents, the failure of
    one named while the others end, nothing left in the temporary directory."""

    def _document(self, name, words=1, args=("--quiet",)):
        body = f"<html><body><h1>{name}</h1>{'<p>word</p>' * words}</body></html>"
        return PdfDocument(name=name, args=args, body=body)

    def test_pdfs_in_the_order_of_the_documents(self):
        # The first one is the longest: it ends last.
        documents = [self._document("First", words=3000)] + [
            self._document(f"Document {number}") for number in range(2, 6)
        ]
        before = leftover_files()
        pdfs = render_pdfs(documents, max_processes=3)
        self.assertEqual(leftover_files(), before)
        self.assertGreater(pdf_pages(pdfs[0]), 1)
        for document, pdf in zip(documents, pdfs, strict=True):
            self.assertTrue(pdf_text(pdf).startswith(document.name))

    def test_the_failure_of_one_document(self):
        documents = [
            self._document("Good one"),
            self._document("Bad one", args=("--quiet", "--page-size", "Napkin")),
            self._document("Good two"),
        ]
        before = leftover_files()
        for processes in (1, 3):
            with self.subTest(processes=processes), self.assertRaises(WkhtmltopdfError) as error:
                render_pdfs(documents, max_processes=processes)
            self.assertEqual([failure.name for failure in error.exception.failures], ["Bad one"])
            self.assertTrue(error.exception.failures[0].message)
        self.assertEqual(leftover_files(), before)
