import base64
from unittest.mock import patch

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestInvoiceTitle(InvoiceEditorCommon):
    def test_title_unique_trimmed_case_insensitive(self):
        first = self._create_invoice(invoice_title="  Refonte du site  ")
        self.assertEqual(first.invoice_title, "Refonte du site")
        first.action_post()
        with self.assertRaisesRegex(ValidationError, first.name), self.env.cr.savepoint():
            self._create_invoice(invoice_title="REFONTE DU SITE ")
        second = self._create_invoice(invoice_title="Refonte du site 2")
        with self.assertRaisesRegex(ValidationError, "already used"), self.env.cr.savepoint():
            second.invoice_title = "refonte du site"
        second.invalidate_recordset()
        self.assertEqual(second.invoice_title, "Refonte du site 2")
        # Special characters are not patterns.
        self._create_invoice(invoice_title="Refonte du sit_")

    def test_cancelled_invoices_and_other_companies_do_not_count(self):
        cancelled = self._create_invoice(invoice_title="Audit")
        cancelled.button_cancel()
        self._create_invoice(invoice_title="Audit")
        other = self.setup_other_company(name="Autre Société")["company"]
        partner = self.customer.with_company(other)
        move = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_title": "Audit",
                }
            )
        )
        self.assertEqual(move.invoice_title, "Audit")
        # Cancelling does not free a title taken again since: reset to draft is refused.
        with self.assertRaisesRegex(ValidationError, "already used"), self.env.cr.savepoint():
            cancelled.button_draft()

    def test_title_unique_in_the_database(self):
        """Two invoices saved at the same time: the Python check sees neither, the unique
        index refuses the second, in words; a cancelled invoice's title is free."""
        without_python_check = patch.object(
            type(self.env["account.move"]), "_raise_if_titles_used", lambda self, titles: None
        )
        with (
            without_python_check,
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation) as caught,
            self.env.cr.savepoint(),
        ):
            self._create_invoice(invoice_title="Race title")
            self._create_invoice(invoice_title="race  títle ")
            self.env.flush_all()
        self.assertEqual(caught.exception.diag.constraint_name, "account_move_invoice_title_uniq")
        self.assertIn(
            "This title is already used by another invoice of the company: give this invoice "
            "another title.",
            str(_as_validation_error(self.env, caught.exception)),
        )
        with without_python_check:
            cancelled = self._create_invoice(invoice_title="Race title")
            cancelled.button_cancel()
            again = self._create_invoice(invoice_title="race title ")
            # A credit note keeps its invoice's title.
            again.action_post()
            again._reverse_moves()
            self.env.flush_all()
        self.assertEqual(again.invoice_title, "race title")
        # The Python check compares the same way, and names the invoice.
        with self.assertRaisesRegex(ValidationError, "already used by invoice"):
            self._create_invoice(invoice_title="RACE  TITLE")
        # Two invoices of one batch.
        with self.assertRaisesRegex(ValidationError, "given to two invoices"):
            self.env["account.move"].create(
                [
                    {"move_type": "out_invoice", "partner_id": self.customer.id, "invoice_title": t}
                    for t in ("Lot", "lot ")
                ]
            )

    def test_title_on_copy_credit_note_search_and_pdf(self):
        invoice = self._create_invoice(invoice_title="Logo 2026")
        self.assertEqual(invoice.copy().invoice_title, "Logo 2026 (copy)")
        self.assertEqual(invoice.copy().invoice_title, "Logo 2026 (copy) (2)")
        invoice.action_post()
        credit_note = invoice._reverse_moves()
        self.assertEqual(credit_note.invoice_title, "Logo 2026")
        self.assertEqual(
            self.env["account.move"].search([("invoice_title", "ilike", "logo 20")]),
            invoice
            | credit_note
            | self.env["account.move"].search([("invoice_title", "like", "(copy")]),
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("Logo 2026", html)


@tagged("post_install", "-at_install")
class TestInvoiceDetails(InvoiceEditorCommon):
    def test_siren_operation_category_and_vat_on_debits(self):
        self.customer.company_registry = "732 829 320 00074"
        self.env.company.invoice_vat_on_debits = True
        invoice = self._create_invoice()
        self.assertEqual(invoice.customer_siren, "732829320")
        # no product (lines typed by hand): services, the category being a mandatory mention
        self.assertEqual(invoice.operation_type, "services")
        invoice.write(
            {
                "invoice_line_ids": [
                    Command.create({"product_id": self.design.id, "price_unit": 500.0})
                ]
            }
        )
        self.assertEqual(invoice.operation_type, "services")
        self.assertTrue(invoice.vat_on_debits)
        invoice.write(
            {"invoice_line_ids": [Command.create({"product_id": self.chair.id, "quantity": 1})]}
        )
        self.assertEqual(invoice.operation_type, "mixed")
        invoice.operation_type = "goods"  # editable
        self.assertEqual(invoice.operation_type, "goods")
        self.assertFalse(invoice.vat_on_debits, "VAT on debits concerns services")

        with self.assertRaisesRegex(ValidationError, "SIREN"), self.env.cr.savepoint():
            invoice.customer_siren = "123456789"
        self.customer.company_registry = "B 123 456"  # not a French number
        self.assertFalse(self._create_invoice().customer_siren)

    def test_delivery_address_from_order_and_delivery(self):
        site = self.env["res.partner"].create(
            {"name": "Chantier Lyon", "type": "delivery", "parent_id": self.customer.id}
        )
        order = self._create_order(confirm=False)
        order.partner_shipping_id = site
        order.action_confirm()
        delivery = self._deliver(order.picking_ids)
        invoice = self.env["account.move"].browse(delivery.action_invoice_one_click()["res_id"])
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.partner_shipping_id, site)
        self.assertTrue(invoice.show_delivery_address)
        # The other new fields follow the one-click invoice too.
        self.assertEqual(invoice.operation_type, "goods")
        self.assertEqual(invoice.payment_mode_ids, self.env.company.invoice_payment_mode_ids)
        self.assertEqual(invoice.penalty_type, self.env.company.penalty_type)

        # The delivery went elsewhere than the order said: the invoice says where.
        other_site = self.env["res.partner"].create(
            {"name": "Entrepôt Lille", "type": "delivery", "parent_id": self.customer.id}
        )
        order2 = self._create_order([(self.chair, 2.0)], confirm=True)
        order2.picking_ids.partner_id = other_site
        delivery2 = self._deliver(order2.picking_ids)
        delivery2.action_invoice_one_click()
        self.assertEqual(delivery2.invoice_ids.partner_shipping_id, other_site)

    def test_terms_and_conditions_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "en_US"
        self.env.company.with_context(lang="en_US").write(
            {"terms_type": "plain", "invoice_terms": "Payment in 30 days."}
        )
        self.env.company.update_field_translations(
            "invoice_terms", {"fr_FR": {"Payment in 30 days.": "Paiement à 30 jours."}}
        )
        invoice = self._create_invoice()
        self.assertIn("Payment in 30 days.", str(invoice.narration))
        self.customer.lang = "fr_FR"
        invoice = self._create_invoice()
        self.assertIn("Paiement à 30 jours.", str(invoice.narration))
        invoice.narration = "Conditions particulières"
        self.assertIn("particulières", str(invoice.narration))

    def test_payment_modes_default_and_bank_account(self):
        transfer = self.env.ref("invoice_classic.payment_mode_transfer")
        cheque = self.env.ref("invoice_classic.payment_mode_cheque")
        self.env.company.invoice_payment_mode_ids = transfer | cheque
        bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "FR7630006000011234567890189",
                "partner_id": self.env.company.partner_id.id,
            }
        )
        invoice = self._create_invoice(partner_bank_id=bank.id)
        self.assertEqual(invoice.payment_mode_ids, transfer | cheque)
        self.assertTrue(invoice.accepts_bank_transfer)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertIn("FR76 3000 6000 0112 3456 7890 189", html)
        self.assertIn("Cheque", html)
        invoice.payment_mode_ids = cheque
        self.assertFalse(invoice.accepts_bank_transfer)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertNotIn("IBAN", html)

    def test_pdf_states_discount_tip_schedule_and_penalties(self):
        self.env.company.write({"penalty_type": "percent", "penalty_rate": 1.5})
        invoice = self._create_invoice(
            global_discount_type="percent",
            global_discount_percent=10,
            tip_type="fixed",
            tip_fixed=20,
            installment_mode="equal",
            installment_count=2,
            customer_siren="732829320",
        )
        invoice.action_post()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        for text in (
            "Total before Discount",
            "Tip",
            "Installment Schedule",
            "732829320",
            "1.5 % of the remaining balance per month",
            "40",
        ):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestInvoiceAttachments(InvoiceEditorCommon):
    def _files(self, count, size=10):
        return self.env["ir.attachment"].create(
            [{"name": f"annexe-{index}.pdf", "raw": b"x" * size} for index in range(count)]
        )

    def test_limits_from_the_settings(self):
        invoice = self._create_invoice()
        invoice.invoice_attachment_ids = self._files(10)
        with self.assertRaisesRegex(ValidationError, "at most 10 files"), self.env.cr.savepoint():
            invoice.invoice_attachment_ids = [Command.link(self._files(1).id)]
        self.assertEqual(len(invoice.invoice_attachment_ids), 10)

        settings = self.env["res.config.settings"].create({})
        settings.invoice_attachment_max_count = 12
        settings.invoice_attachment_max_size = 1
        settings.execute()
        invoice.invoice_attachment_ids = [Command.link(self._files(1).id)]
        self.assertEqual(len(invoice.invoice_attachment_ids), 11)
        big = self._files(1, size=1024 * 1024)
        with self.assertRaisesRegex(ValidationError, "at most 1 MB"), self.env.cr.savepoint():
            invoice.invoice_attachment_ids = [Command.link(big.id)]
        self.assertEqual(len(invoice.invoice_attachment_ids), 11)

    def test_upload_from_the_form(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "devis-signé.pdf", "datas": base64.b64encode(b"%PDF-1.4 signed")}
        )
        with Form(self._create_invoice()) as form:
            form.invoice_attachment_ids.add(attachment)
        self.assertEqual(form.record.invoice_attachment_ids, attachment)


@tagged("post_install", "-at_install")
class TestInvoiceEmail(InvoiceEditorCommon):
    def test_title_in_the_subject_and_files_attached(self):
        invoice = self._create_invoice(invoice_title="Campagne d'affichage")
        brief = self.env["ir.attachment"].create({"name": "brief.pdf", "raw": b"%PDF-1.4 brief"})
        invoice.invoice_attachment_ids = brief
        invoice.action_post()
        self.customer.email = "client@example.com"
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"sending_methods": ["email"]})
        )
        self.assertIn("Campagne d'affichage", wizard.mail_subject)
        self.assertIn(brief.id, [data["id"] for data in wizard.mail_attachments_widget])
        wizard.action_send_and_print()
        message = invoice.message_ids.filtered("subject")[:1]
        self.assertIn("Campagne d'affichage", message.subject)
        self.assertIn("brief.pdf", message.attachment_ids.mapped("name"))


@tagged("post_install", "-at_install")
class TestInvoiceCardNumbers(InvoiceEditorCommon):
    def test_a_full_card_number_is_refused_in_the_invoice_texts(self):
        invoice = self._create_invoice()
        cases = [
            ("invoice_title", "Carte 4111 1111 1111 1111", "Title"),
            ("payment_reference", "4111-1111-1111-1111", "Payment Reference"),
            ("ref", "CB 4111111111111111", "Reference"),
            (
                "narration",
                "<p>Payé par carte 4111&nbsp;1111&nbsp;1111&nbsp;1111</p>",
                "Terms and Conditions",
            ),
        ]
        for fname, value, label in cases:
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(ValidationError, f"“{label}” contains a full card number"),
                self.env.cr.savepoint(),
                Form(invoice) as form,
            ):
                setattr(form, fname, value)
        with (
            self.assertRaisesRegex(ValidationError, "full card number"),
            self.env.cr.savepoint(),
        ):
            self._create_invoice(invoice_title="4111 1111 1111 1111")
        # Only the last 4 digits, a SIRET, an IBAN and other long numbers are fine.
        invoice.write(
            {
                "invoice_title": "Carte se terminant par 1111",
                "ref": "Commande 4111111111111112",
                "narration": (
                    "<p>SIRET 732 829 320 00074, IBAN FR76 3000 6000 0112 3456 7890 189</p>"
                ),
            }
        )
        self.assertIn("SIRET", str(invoice.narration))
        # A supplier's bill keeps the supplier's references.
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id, "ref": "4111111111111111"}
        )
        self.assertEqual(bill.ref, "4111111111111111")
