import base64
import io
import subprocess
import tempfile

from PIL import Image

from odoo.tests import HttpCase, tagged

from .common import InvoiceEditorCommon
from .test_invoice_layouts import pdf_pages, pdf_text

ODOO_INVOICE_REPORTS = ("account.account_invoices", "account.account_invoices_without_payment")


def red_logo():
    """A PNG logo, as the company's logo field holds it."""
    stream = io.BytesIO()
    Image.new("RGB", (120, 40), "red").save(stream, format="PNG")
    return base64.b64encode(stream.getvalue())


def pdf_images(pdf):
    """How many images pdfimages finds in the PDF."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        listing = subprocess.run(
            ["pdfimages", "-list", file.name], check=True, capture_output=True, text=True
        ).stdout
    return len(listing.splitlines()) - 2  # two header lines


@tagged("post_install", "-at_install")
class TestReportRendering(InvoiceEditorCommon, HttpCase):
    """Whatever the report and the number of records, with Debian's wkhtmltopdf (unpatched
    Qt: no header or footer printed, one document per call, web fonts drawn as shapes) the
    PDF is made, keeps a text layer and shows who sells."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "name": "Atelier Lumière",
                "company_registry": "55210055400013",
                "vat": "FR40303265045",
                "logo": red_logo(),
            }
        )
        cls.customer.write({"name": "Cabinet Durand", "email": "compta@durand.example.com"})

    def _posted_invoices(self, count, **values):
        invoices = self.env["account.move"].browse(
            [self._create_invoice(**values).id for _index in range(count)]
        )
        invoices.action_post()
        return invoices

    def _render(self, report_ref, res_ids):
        return (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, res_ids)[0]
        )

    def assertSellerIdentity(self, text):
        text = " ".join(text.split())
        for expected in ("Atelier Lumière", "552 100 554 00013", "FR40303265045"):
            self.assertIn(expected, text)

    def test_odoo_invoice_report_shows_the_seller_in_a_text_layer(self):
        """Odoo's own report, whose header Debian's wkhtmltopdf does not print, shows the
        seller's name, address, SIRET, VAT number and logo in the page, in text."""
        self.env.company.partner_id.write({"street": "12 rue des Lilas", "city": "Lyon"})
        invoice = self._posted_invoices(1)
        for report in ODOO_INVOICE_REPORTS:
            with self.subTest(report=report):
                pdf = self._render(report, invoice.ids)
                text = pdf_text(pdf)
                self.assertIn(invoice.name, text)
                self.assertIn("Cabinet Durand", text)
                self.assertSellerIdentity(text)
                self.assertIn("12 rue des Lilas", text)
                self.assertGreaterEqual(pdf_images(pdf), 1, "the company's logo")

    def test_several_records_with_any_report(self):
        """Debian's wkhtmltopdf takes one document per call: several invoices with Odoo's
        report, several customers' statements, several receipts, and the same invoice twice
        all give one PDF, one document after the other."""
        invoices = self._posted_invoices(3)
        for report in (*ODOO_INVOICE_REPORTS, "invoice_classic.invoice_report_modern"):
            with self.subTest(report=report):
                text = pdf_text(self._render(report, invoices.ids))
                for invoice in invoices:
                    self.assertIn(invoice.name, text)
                self.assertSellerIdentity(text)
        with self.subTest(duplicated=True):
            pdf = self._render("account.account_invoices", invoices[:1].ids * 2)
            self.assertEqual(pdf_pages(pdf), 2)
            self.assertEqual(pdf_text(pdf).count(f"Invoice {invoices[0].name}"), 2)

        other = self.customer.copy({"name": "Garage Petit"})
        statement = pdf_text(
            self._render("invoice_classic.report_overdue_statement", (self.customer | other).ids)
        )
        self.assertIn("Cabinet Durand", statement)
        self.assertIn("Garage Petit", statement)
        self.assertEqual(statement.count("Statement of Overdue Invoices"), 2)

        payments = self.env["account.payment"]
        for invoice in invoices[:2]:
            payments |= (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({})
                ._create_payments()
            )
        receipts = pdf_text(self._render("account.action_report_payment_receipt", payments.ids))
        for payment in payments:
            self.assertIn(payment.name, receipts)
        self.assertSellerIdentity(receipts)

    def test_sending_several_invoices_with_any_report(self):
        """The send wizard renders and attaches one PDF per invoice, whatever the report."""
        for report in ("account.account_invoices", "invoice_classic.invoice_report_classic"):
            with self.subTest(report=report):
                invoices = self._posted_invoices(2)
                self.env["account.move.send"].with_context(
                    force_report_rendering=True
                )._generate_and_send_invoices(
                    invoices, pdf_report=self.env.ref(report), sending_methods=["email"]
                )
                for invoice in invoices:
                    self.assertTrue(invoice.is_move_sent)
                    text = pdf_text(invoice.invoice_pdf_report_id.raw)
                    self.assertIn(invoice.name, text)
                    self.assertNotIn((invoices - invoice).name, text)
                    self.assertSellerIdentity(text)

    def test_background_sending_of_several_invoices(self):
        """Invoices queued for sending are all sent by Odoo's background job (it failed on
        every run with Odoo's report, and left them queued for ever)."""
        for report in ("account.account_invoices", "invoice_classic.invoice_report_compact"):
            with self.subTest(report=report):
                self.env.company.invoice_report_id = self.env.ref(report)
                invoices = self._posted_invoices(2)
                invoices.action_queue_invoice_email()
                self.assertTrue(all(invoices.mapped("sending_data")))
                # The cron's own method: its record (method_direct_trigger) drops the context
                # that makes Odoo's test mode render real PDFs.
                self.env["account.move"].with_context(
                    force_report_rendering=True
                )._cron_account_move_send(job_count=20)
                self.assertFalse(any(invoices.mapped("sending_data")), "none left queued")
                for invoice in invoices:
                    self.assertTrue(invoice.is_move_sent)
                    self.assertIn(
                        invoice.invoice_pdf_report_id.name,
                        invoice.message_ids.filtered("subject").attachment_ids.mapped("name"),
                        "sent by e-mail with its PDF",
                    )
                    text = pdf_text(invoice.invoice_pdf_report_id.raw)
                    self.assertIn(invoice.name, text)
                    self.assertSellerIdentity(text)

    def test_classic_layout_by_default(self):
        """New companies, and at install the companies that chose none, print with the
        Classic layout; a company's own choice stays."""
        classic = self.env.ref("invoice_classic.invoice_report_classic")
        company = self.env["res.company"].create({"name": "Nouvelle Société"})
        self.assertEqual(company.invoice_report_id, classic)
        invoice = self._posted_invoices(1)
        self.assertEqual(self.env["account.move.send"]._get_default_pdf_report_id(invoice), classic)

        modern = self.env.ref("invoice_classic.invoice_report_modern")
        company.invoice_report_id = False
        self.env.company.invoice_report_id = modern
        self.env["res.company"]._invoice_classic_install_default_layout()
        self.assertEqual(company.invoice_report_id, classic)
        self.assertEqual(self.env.company.invoice_report_id, modern)
