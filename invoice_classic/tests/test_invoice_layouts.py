import subprocess
import tempfile
from pathlib import Path
from unittest.mock import patch

from lxml import etree

from odoo import tools
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import InvoiceEditorCommon

LAYOUTS = ("classic", "modern", "compact")


def ink_ratio(pdf):
    """Share of non-white pixels of the first page, rendered by pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/doc.pdf"
        with open(path, "wb") as file:
            file.write(pdf)
        subprocess.run(
            ["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", path, f"{folder}/page"],
            check=True,
        )
        with open(next(Path(folder).glob("page*.pgm")), "rb") as image:
            pixels = image.read().split(b"\n", 3)[3]
    return sum(1 for pixel in pixels if pixel < 200) / len(pixels)


def pdf_text(pdf):
    """What pdftotext reads in the PDF: what a person (or a search) finds in it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(
            ["pdftotext", file.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def pdf_pages(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(
            ["pdfinfo", file.name], check=True, capture_output=True, text=True
        ).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@tagged("post_install", "-at_install")
class TestInvoiceLayouts(InvoiceEditorCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "company_registry": "55210055400013",
                "legal_form": "SAS",
                "share_capital": 50000,
                "trade_register_city": "Lyon",
                "penalty_type": "percent",
                "penalty_rate": 1.5,
            }
        )
        cls.customer.write({"company_registry": "732829320", "name": "Cabinet Durand"})
        cls.bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": cls.env.company.partner_id.id,
            }
        )

    def _rich_invoice(self, title="Refonte du site"):
        invoice = self._create_invoice(
            invoice_title=title,
            global_discount_type="percent",
            global_discount_percent=10,
            tip_type="fixed",
            tip_fixed=20,
            installment_mode="equal",
            installment_count=3,
            partner_bank_id=self.bank.id,
        )
        invoice.action_post()
        return invoice

    def _render(self, layout, invoices):
        return (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(f"invoice_classic.invoice_report_{layout}", invoices.ids)[0]
        )

    def test_each_layout_shows_what_a_person_must_read(self):
        invoice = self._rich_invoice()
        for layout in LAYOUTS:
            with self.subTest(layout=layout):
                # Read from the real PDF: it has a text layer, even with Debian's wkhtmltopdf.
                text = " ".join(pdf_text(self._render(layout, invoice)).split())
                for expected in (
                    invoice.name,
                    "Refonte du site",
                    self.env.company.name,
                    # the company's legal identity (R123-237), in the page body
                    "SAS with a share capital of $ 50,000.00",
                    "RCS Lyon 552 100 554",
                    "SIRET: 552 100 554 00013",
                    "Cabinet Durand",
                    "732829320",
                    "Total before Discount",
                    "Tip",
                    "TVA 20 %",
                    "TVA 5,5 %",
                    "Installment Schedule",
                    "FR76 3000 6000 0112 3456 7890 189",  # base_iban prints it in groups
                    "Bank transfer",
                    "1.5 % of the remaining balance per month",
                    "recovery costs",
                ):
                    self.assertIn(expected, text)

    def test_real_pdf_of_each_layout(self):
        """One page, A4 or US Letter: the room Odoo's paper formats keep for a header and a
        footer Debian's wkhtmltopdf does not print is given to the invoice."""
        invoice = self._rich_invoice()
        for paperformat in ("base.paperformat_euro", "base.paperformat_us"):
            self.env.company.paperformat_id = self.env.ref(paperformat)
            for layout in LAYOUTS:
                with self.subTest(layout=layout, paperformat=paperformat):
                    pdf = self._render(layout, invoice)
                    self.assertTrue(pdf.startswith(b"%PDF"))
                    self.assertEqual(pdf_pages(pdf), 1)
                    self.assertGreater(ink_ratio(pdf), 0.01, "the page is not blank")

    def test_no_room_kept_for_what_is_not_printed(self):
        """Debian's wkhtmltopdf prints no header or footer HTML: our layouts and Odoo's own
        invoice report (the company in the page body) take the page's room; with a patched
        one, the paper format's margins stay."""
        invoice = self._rich_invoice()
        reports = self.env["ir.actions.report"]
        target = "odoo.addons.invoice_classic.models.ir_actions_report.wkhtmltopdf_has_patched_qt"
        for report_name, patched, expected in (
            ("invoice_classic.report_invoice_classic", False, "12"),
            ("invoice_classic.report_invoice_classic", True, None),
            ("account.report_invoice_with_payments", False, "12"),
            ("account.report_invoice_with_payments", True, None),
        ):
            with (
                self.subTest(report=report_name, patched=patched),
                patch(target, return_value=patched),
            ):
                report = reports._get_report(report_name)
                html = report._render_qweb_html(report, invoice.ids)[0]
                args = report._prepare_html(html, report_model=report.model)[4]
                self.assertEqual(args.get("data-report-margin-bottom"), expected)
                self.assertEqual(args.get("data-report-margin-top"), expected)

    def test_facturx_in_our_layouts(self):
        """Odoo's Factur-X (account_edi_ubl_cii) goes into the PDF of our layouts too."""
        self.env["ir.actions.report"]._invoice_classic_enable_facturx()
        invoice = self._rich_invoice()
        # Odoo's test mode stores the XML beside the PDF instead of inside it: render as in
        # production to see it embedded.
        with patch.dict(tools.config.options, {"test_enable": False}):
            pdf = self._render("modern", invoice)
        # The name is PDF-escaped (factur\055x\056xml): look for the embedded XML itself.
        self.assertTrue(b"/EmbeddedFile" in pdf and b"rsm:CrossIndustryInvoice" in pdf)
        self.assertTrue(invoice.name.encode() in pdf)
        self.assertEqual(pdf_pages(pdf), 1)

    def test_patched_wkhtmltopdf_gets_odoo_header_and_footer(self):
        invoice = self._rich_invoice()
        reports = self.env["ir.actions.report"]
        target = "odoo.addons.invoice_classic.models.ir_actions_report.wkhtmltopdf_has_patched_qt"
        for patched in (True, False):
            with self.subTest(patched=patched), patch(target, return_value=patched):
                html = reports._render_qweb_html(
                    "invoice_classic.invoice_report_modern",
                    invoice.ids,
                    data={"report_type": "pdf"},
                )[0].decode()
                self.assertIn(invoice.name, html)
                self.assertIn("Installment Schedule", html)
                self.assertEqual('class="header' in html, patched, "Odoo's header")
                self.assertEqual('name="invoice_classic_company"' in html, not patched)
                self.assertEqual("DejaVu Sans" in html, not patched, "system fonts, else web fonts")

    def test_logo_stacked_above_the_company_without_flexbox(self):
        """Modern and compact put the logo above the company's details in a narrow column:
        as blocks, not a column flexbox, which Debian's wkhtmltopdf lays over the next
        lines (the logo overlapped the company's name)."""
        self.env.company.logo = self.env.company.partner_id.avatar_128
        invoice = self._rich_invoice()
        for layout, stacked in (("classic", False), ("modern", True), ("compact", True)):
            with self.subTest(layout=layout):
                html = self.env["ir.actions.report"]._render_qweb_html(
                    f"invoice_classic.invoice_report_{layout}",
                    invoice.ids,
                    data={"report_type": "pdf"},
                )[0]
                block = etree.fromstring(html, etree.HTMLParser()).xpath(
                    "//div[@name='invoice_classic_company']"
                )[0]
                self.assertEqual("d-flex" not in block.get("class"), stacked)
                self.assertNotIn("flex-column", block.get("class"))
                self.assertTrue(block.xpath(".//img"), "the logo")
                self.assertIn(self.env.company.name, "".join(block.itertext()))

    def test_several_invoices_in_one_pdf(self):
        """Printing 3 invoices at once gives one PDF of 3 pages (Odoo's own report fails
        there with Debian's wkhtmltopdf)."""
        invoices = self._rich_invoice("A") | self._rich_invoice("B") | self._rich_invoice("C")
        pdf = self._render("compact", invoices)
        self.assertEqual(pdf_pages(pdf), 3)
        text = pdf_text(pdf)
        pages = text.split("\f")
        for page, invoice in zip(pages, invoices, strict=False):
            self.assertIn(invoice.name, page)
            self.assertIn(invoice.invoice_title, page)
        self.assertEqual(len(set(invoices.mapped("name"))), 3)

    def test_layout_chosen_by_the_company_then_the_customer(self):
        invoice = self._rich_invoice()
        send = self.env["account.move.send"]
        self.assertEqual(
            send._get_default_pdf_report_id(invoice),
            self.env.ref("invoice_classic.invoice_report_classic"),
        )
        self.env.company.invoice_report_id = self.env.ref("invoice_classic.invoice_report_modern")
        self.assertEqual(
            send._get_default_pdf_report_id(invoice),
            self.env.ref("invoice_classic.invoice_report_modern"),
        )
        self.customer.invoice_template_pdf_report_id = self.env.ref(
            "invoice_classic.invoice_report_compact"
        )
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        self.assertEqual(
            wizard.pdf_report_id, self.env.ref("invoice_classic.invoice_report_compact")
        )
        self.assertIn(
            self.env.ref("invoice_classic.invoice_report_classic"),
            self.env["ir.actions.report"].search([("is_invoice_report", "=", True)]),
        )


@tagged("post_install", "-at_install")
class TestInvoicePdfWizard(InvoiceEditorCommon):
    def _wizard(self, invoices):
        return (
            self.env["invoice.classic.pdf.wizard"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create({})
        )

    def test_choose_a_layout_then_preview_print_download_or_send(self):
        invoice = self._create_invoice(invoice_title="Audit")
        invoice.action_post()
        modern = self.env.ref("invoice_classic.invoice_report_modern")
        self.env.company.invoice_report_id = modern
        wizard = self._wizard(invoice)
        self.assertEqual(wizard.report_id, modern, "the company's layout by default")
        wizard.report_id = self.env.ref("invoice_classic.invoice_report_compact")

        self.assertEqual(
            wizard.action_preview()["url"],
            f"/report/html/invoice_classic.report_invoice_compact/{invoice.id}",
        )
        self.assertEqual(
            wizard.action_print()["url"],
            f"/report/pdf/invoice_classic.report_invoice_compact/{invoice.id}",
        )
        download = wizard.action_download()
        self.assertEqual(download["report_name"], "invoice_classic.report_invoice_compact")

        action = wizard.action_send()
        send = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"sending_methods": ["email"]})
        )
        self.assertEqual(send.pdf_report_id, wizard.report_id)
        self.customer.email = "client@example.com"
        send.action_send_and_print()
        self.assertTrue(invoice.is_move_sent)
        self.assertEqual(invoice.invoice_pdf_report_id.res_id, invoice.id)

    def test_several_invoices_and_refusal(self):
        first, second = self._create_invoice(), self._create_invoice()
        wizard = self._wizard(first | second)
        self.assertIn(f"{first.id},{second.id}", wizard.action_print()["url"])
        entry = self.env["account.move"].create({"move_type": "entry"})
        with self.assertRaisesRegex(UserError, "Only invoices"):
            self._wizard(entry)
