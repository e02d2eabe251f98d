import base64
import io
import subprocess
import tempfile
from datetime import timedelta

import zxingcpp
from freezegun import freeze_time
from lxml import html as lxml_html
from PIL import Image

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.sms.tests.common import SMSCase

from .online_payment_common import OnlinePaymentCommon
from .test_invoice_layouts import pdf_text


def read_qr_codes(image):
    """What a phone reads in the QR codes of ``image`` (PIL)."""
    return [result.text for result in zxingcpp.read_barcodes(image)]


def pdf_first_page_image(pdf):
    """The first page of ``pdf`` as printed (150 dpi), as a PIL image."""
    with tempfile.TemporaryDirectory() as folder:
        with open(f"{folder}/doc.pdf", "wb") as file:
            file.write(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "150",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                f"{folder}/doc.pdf",
                f"{folder}/page",
            ],
            check=True,
        )
        return Image.open(f"{folder}/page.png").copy()


INVOICE_REPORTS = (
    "invoice_classic.invoice_report_classic",
    "invoice_classic.invoice_report_modern",
    "invoice_classic.invoice_report_compact",
    "account.account_invoices",  # Odoo's own layout
)


@tagged("post_install", "-at_install")
class TestPayNowLink(OnlinePaymentCommon):
    """The "Pay now" link: while the invoice can be paid online, in its e-mail, its PDF and its
    reminders; never for a paid invoice, nor one accepting no mode paid online."""

    def test_the_link_opens_the_portal_payment_form(self):
        invoice = self._late_invoice()
        self.assertEqual(
            invoice.pay_now_url,
            f"{invoice.get_base_url()}/my/invoices/{invoice.id}"
            f"?access_token={invoice.access_token}&payment=True#portal_pay",
        )

    def test_the_link_opens_the_portal_in_the_customer_language(self):
        """The e-mail, the PDF and the SMS are in the customer's language: the page of the link
        too, when it is not the portal's default one (which Odoo's portal speaks otherwise, or
        the one the visitor last chose)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.default"].set("res.partner", "lang", "en_US")
        path = "/my/invoices/{id}?access_token={token}&payment=True#portal_pay"
        self.customer.lang = "fr_FR"
        invoice = self._late_invoice()
        link = invoice.pay_now_url
        expected = path.format(id=invoice.id, token=invoice.access_token)
        self.assertEqual(link, f"{invoice.get_base_url()}/fr{expected}")
        self.customer.lang = "en_US"
        self.assertEqual(invoice.pay_now_url, f"{invoice.get_base_url()}{expected}")
        # A French portal: the English customer's link says so.
        self.env["ir.default"].set("res.partner", "lang", "fr_FR")
        invoice.invalidate_recordset(["pay_now_url"])
        self.assertEqual(invoice.pay_now_url, f"{invoice.get_base_url()}/en{expected}")

    def test_no_link_when_it_cannot_be_paid_online(self):
        card_only_modes = self._late_invoice()
        no_online_mode = self._late_invoice(modes=self.transfer)
        draft = self._create_invoice()
        credit_note = card_only_modes._reverse_moves(cancel=True)  # settles card_only_modes
        self.assertFalse(no_online_mode.pay_now_url)
        self.assertFalse(draft.pay_now_url)
        self.assertFalse(credit_note.pay_now_url)
        self.assertEqual(card_only_modes.payment_state, "reversed")
        self.assertFalse(card_only_modes.pay_now_url, "paid")
        # A provider the customers do not see: no link either.
        invoice = self._late_invoice()
        self.assertTrue(invoice.pay_now_url)
        self.provider.is_published = False
        invoice.invalidate_recordset(["pay_now_url"])
        self.assertFalse(invoice.pay_now_url)

    def test_transfer_paid_online_when_the_company_says_so(self):
        """Card is the mode paid online by default; a company whose provider takes transfers
        switches transfer on."""
        self.assertEqual(
            self.env["invoice.classic.payment.mode"].search([("online", "=", True)]), self.card
        )
        invoice = self._late_invoice(modes=self.transfer)
        self.assertFalse(invoice.pay_now_url)
        self.transfer.online = True
        self.assertTrue(invoice.pay_now_url)

    def test_invoice_email_carries_the_link(self):
        with_card = self._late_invoice()
        without = self._late_invoice(modes=self.transfer)
        (with_card | without).action_queue_invoice_email()
        self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()
        body = self._last_email(with_card).body
        self.assertIn("Pay now", body)
        self.assertEqual(self._links(body), [with_card.pay_now_url])
        self.assertNotIn("Pay now", self._last_email(without).body)
        self.assertFalse(self._links(self._last_email(without).body))

    def test_invoice_email_link_in_the_customer_language(self):
        """Sent with Odoo's Send, the e-mail (to edit before it goes) has the link, in the
        language of the e-mail."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        self.env.ref("invoice_classic.invoice_pay_now_email").update_field_translations(
            "arch_db", {"fr_FR": {"Pay now": "Payer maintenant"}}
        )
        invoice = self._late_invoice()
        wizard = (
            self.env["account.move.send.wizard"].with_context(active_ids=invoice.ids).create({})
        )
        self.assertEqual(wizard.mail_lang, "fr_FR")
        self.assertEqual(self._links(wizard.mail_body), [invoice.pay_now_url])
        self.assertIn("Payer maintenant", wizard.mail_body)

    def test_reminder_email_carries_the_link_and_none_once_paid(self):
        reminded = self._late_invoice()
        paid = self._late_invoice()
        self._pay_online(paid)
        no_online_mode = self._late_invoice(modes=self.transfer)
        self._run_reminders(fields.Date.context_today(self.env["account.move"]))
        body = reminded.reminder_log_ids.message_id.body
        self.assertIn("Pay now", body)
        self.assertEqual(self._links(body), [reminded.pay_now_url])
        self.assertFalse(paid.reminder_log_ids)
        self.assertFalse(self._links(no_online_mode.reminder_log_ids.message_id.body))

    def test_one_reminder_for_a_customer_links_each_invoice(self):
        self.env.company.reminder_grouping = "customer"
        first, second = self._late_invoice(), self._late_invoice(amount=500.0)
        third = self._late_invoice(modes=self.transfer)
        self._run_reminders(fields.Date.context_today(self.env["account.move"]))
        message = (first | second | third).reminder_log_ids.message_id
        self.assertEqual(len(message), 1)
        self.assertEqual(
            sorted(self._links(message.body)), sorted([first.pay_now_url, second.pay_now_url])
        )

    def test_reminder_previewed_in_the_composer_carries_the_link(self):
        invoice = self._late_invoice()
        action = invoice.action_preview_reminder()
        composer = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(self._links(composer.body), [invoice.pay_now_url])

    def test_pdf_of_every_layout_carries_the_link_and_its_qr_code(self):
        invoice = self._late_invoice()
        without = self._late_invoice(modes=self.transfer)
        for report_name in INVOICE_REPORTS:
            with self.subTest(report=report_name):
                html = self.env["ir.actions.report"]._render_qweb_html(
                    report_name, (invoice | without).ids
                )[0]
                blocks = lxml_html.fromstring(html).xpath("//*[@name='invoice_classic_pay_now']")
                self.assertEqual(len(blocks), 1, "one block, for the invoice accepting cards")
                self.assertIn("Pay now, online", blocks[0].text_content())
                self.assertEqual(blocks[0].xpath(".//a/@href"), [invoice.pay_now_url])
                [src] = blocks[0].xpath(".//img/@src")
                qr_code = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
                self.assertEqual(read_qr_codes(qr_code), [invoice.pay_now_url])

    def test_live_preview_shows_the_link_of_the_saved_invoice(self):
        invoice = self._late_invoice()
        html = self.env["account.move"].get_invoice_preview_html(
            invoice.id, {"invoice_title": "Affiches"}
        )["html"]
        blocks = lxml_html.fromstring(html).xpath("//*[@name='invoice_classic_pay_now']")
        self.assertEqual(blocks[0].xpath(".//a/@href"), [invoice.pay_now_url])
        draft = self.env["account.move"].get_invoice_preview_html(
            False, {"move_type": "out_invoice", "partner_id": self.customer.id}
        )["html"]
        self.assertNotIn("invoice_classic_pay_now", draft)

    def test_queries_grow_with_batches_not_with_invoices(self):
        """The links of a batch of reminders take the same queries for 2 invoices or 12."""
        today = fields.Date.context_today(self.env["account.move"])
        counts = []
        for customers in (2, 12):
            partners = self.env["res.partner"].create(
                [
                    {"name": f"Client {index}", "email": f"c{index}@example.com"}
                    for index in range(customers)
                ]
            )
            invoices = self.env["account.move"].browse()
            for partner in partners:
                invoices |= self._late_invoice(partner_id=partner.id)
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(today):
                before = self.env.cr.sql_log_count
                self.env["invoice.classic.reminder.run"]._cron_send_payment_reminders()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
            for invoice in invoices:
                self.assertEqual(
                    self._links(invoice.reminder_log_ids.message_id.body), [invoice.pay_now_url]
                )
        self.assertLessEqual(counts[1], counts[0] + 3, counts)

    def _run_reminders(self, day):
        self.env.invalidate_all()
        with freeze_time(day):
            for _round in range(3):
                self.reminder_cron.method_direct_trigger()

    def _last_email(self, invoice):
        return invoice.message_ids.filtered(lambda m: m.message_type == "comment" and m.subject)[:1]

    def _links(self, body):
        """The "Pay now" links of an e-mail body."""
        return [
            href
            for href in lxml_html.fromstring(f"<div>{body}</div>").xpath("//a/@href")
            if "payment=True" in href
        ]


@tagged("post_install", "-at_install")
class TestPayNowSms(OnlinePaymentCommon, SMSCase):
    def test_reminder_sms_carries_the_link(self):
        level = self.env["invoice.classic.reminder.level"].search(
            [("company_id", "=", self.env.company.id), ("days", "=", 7)]
        )
        level.channel = "sms"
        invoice = self._late_invoice()
        without = self._late_invoice(partner_id=self.partner_b.id, modes=self.transfer)
        self.partner_b.mobile = "+33698765432"
        with self.mockSMSGateway():
            self.reminder_cron.method_direct_trigger()
        self.assertSMSIapSent(["+33612345678"], content=invoice.pay_now_url)
        # Without a mode paid online, the invoice's page (to read it), not its payment form.
        self.assertSMSIapSent(["+33698765432"], content=without.get_portal_url())
        self.assertNotIn("payment=True", self._find_sms_sent(None, "+33698765432")["body"])

    def test_invoice_sms_carries_the_link(self):
        invoice = self._late_invoice()
        with self.mockSMSGateway():
            invoice.action_send_sms()
        self.assertSMSIapSent(["+33612345678"], content=invoice.pay_now_url)


@tagged("post_install", "-at_install")
class TestPaidOnline(OnlinePaymentCommon):
    """Paid on the portal through a provider: the payment recorded with its details, the
    invoice reconciled, the reminders stopped."""

    def test_paid_online_reconciled_with_its_details_and_no_more_reminders(self):
        invoice = self._late_invoice()
        other = self._late_invoice(partner_id=self.partner_b.id)
        self.partner_b.email = "compta@b.example.com"
        transaction = self._pay_online(invoice, details="4242 4242 4242 4242")
        payment = transaction.payment_id
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice._get_reconciled_payments(), payment)
        self.assertTrue(
            invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").reconciled
        )
        self.assertRecordValues(
            payment,
            [
                {
                    "amount": 1000.0,
                    "payment_mode_id": self.card.id,
                    "card_last4": "4242",
                    "card_brand": "Demo",
                    "payment_token_id": transaction.token_id.id,
                }
            ],
        )
        self.assertEqual(payment._payment_details_text(), "Card Demo ending in 4242")
        self.assertFalse(invoice.pay_now_url)
        # The next day's reminders: the other late invoice, not the one paid.
        tomorrow = fields.Date.context_today(invoice) + timedelta(days=1)
        self.env.invalidate_all()
        with freeze_time(tomorrow):
            self.reminder_cron.method_direct_trigger()
        self.assertTrue(other.reminder_log_ids.message_id)
        self.assertFalse(invoice.reminder_log_ids)
        self.assertFalse(
            invoice.message_ids.filtered(lambda m: m.message_type == "comment" and m.subject)
        )

    def test_paid_without_saving_the_card(self):
        """No token: the provider gave no digits; the card and its brand are known."""
        invoice = self._late_invoice()
        payment = self._pay_online(invoice, tokenize=False).payment_id
        self.assertRecordValues(
            payment, [{"payment_mode_id": self.card.id, "card_brand": "Demo", "card_last4": False}]
        )

    def test_a_transaction_not_done_records_nothing(self):
        invoice = self._late_invoice()
        transaction = self._pay_online(invoice, state="error")
        self.assertFalse(transaction.payment_id)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertTrue(invoice.pay_now_url, "it can still be paid")


@tagged("post_install", "-at_install")
class TestChargeSavedCard(OnlinePaymentCommon):
    """ "Charge Saved Card": the amount due charged to a payment method the customer saved."""

    def _charge(self, invoice, token=None):
        action = invoice.action_charge_saved_payment_token()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        if token:
            wizard.token_id = token
        return wizard.save()

    def test_button_only_for_a_customer_with_saved_cards(self):
        invoice = self._late_invoice()
        self.assertFalse(invoice.has_saved_payment_tokens)
        # Another customer's card, a card saved with another company's provider: not these.
        self._token(partner=self.partner_b)
        other_company = self.env["res.company"].create({"name": "Other Company"})
        other_provider = self.provider.copy({"company_id": other_company.id, "state": "test"})
        self._token(provider=other_provider)
        invoice.invalidate_recordset(["has_saved_payment_tokens"])
        self.assertFalse(invoice.has_saved_payment_tokens)
        # A contact of the customer saved one: the customer has.
        contact = self.env["res.partner"].create({"name": "Compta", "parent_id": self.customer.id})
        self._token(partner=contact)
        invoice.invalidate_recordset(["has_saved_payment_tokens"])
        self.assertTrue(invoice.has_saved_payment_tokens)

    def test_charge_pays_the_invoice(self):
        invoice = self._late_invoice()
        older = self._token(details="1111")
        token = self._token(details="5678")
        wizard = self._charge(invoice)
        self.assertEqual(wizard.token_id, token, "the latest saved")
        self.assertEqual(wizard.available_token_ids, token | older)
        self.assertEqual(wizard.amount, 1000.0)
        wizard.action_charge()
        transaction = invoice.transaction_ids
        self.assertRecordValues(
            transaction, [{"operation": "offline", "state": "done", "token_id": token.id}]
        )
        self.assertEqual(invoice.payment_state, "paid")
        self.assertRecordValues(
            transaction.payment_id,
            [{"payment_mode_id": self.card.id, "card_last4": "5678", "card_brand": "Demo"}],
        )
        with self.assertRaisesRegex(UserError, "nothing to charge"):
            invoice.action_charge_saved_payment_token()

    def test_charge_refused_records_nothing(self):
        invoice = self._late_invoice()
        for state, message in (
            ("error", "refused the payment of .* demo payment status: error"),
            ("cancel", "canceled the payment of"),
        ):
            with self.subTest(state=state):
                wizard = self._charge(invoice, self._token(state=state))
                # As a request does, the error undoes the transaction and what came with it.
                with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
                    wizard.action_charge()
                invoice.invalidate_recordset()
                self.assertFalse(invoice.transaction_ids)
                self.assertFalse(invoice._get_reconciled_payments())
                self.assertEqual(invoice.payment_state, "not_paid")

    def test_charge_pending_waits_for_the_provider(self):
        invoice = self._late_invoice()
        result = self._charge(invoice, self._token(state="pending")).action_charge()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("not confirmed the payment", result["params"]["message"])
        self.assertEqual(invoice.transaction_ids.state, "pending")
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(invoice.pay_now_url, "a payment is pending")

    def test_charge_by_a_billing_user(self):
        """An invoicing user, who may not read the payment providers, charges a card."""
        user = self.env["res.users"].create(
            {
                "name": "Billing",
                "login": "billing_pay",
                "company_id": self.env.company.id,
                "company_ids": [Command.set(self.env.company.ids)],
                "groups_id": [Command.set(self.env.ref("account.group_account_invoice").ids)],
            }
        )
        invoice = self._late_invoice()
        token = self._token()
        invoice = invoice.with_user(user)
        self.assertTrue(invoice.has_saved_payment_tokens)
        self._charge(invoice).action_charge()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.transaction_ids.token_id, token)


@tagged("post_install", "-at_install")
class TestPayOnlineUi(OnlinePaymentCommon, HttpCase):
    def test_customer_pays_a_late_invoice_on_the_portal_tour(self):
        """The customer opens the "Pay now" link of a late invoice, pays with the Demo
        provider and saves the card: the invoice is paid and reconciled, the payment says
        how, and the next day's reminders leave it alone."""
        invoice = self._late_invoice()
        self.env["res.users"].create(
            {
                "name": "Client Portail",
                "login": "portal_pay",
                "password": "portal_pay",
                "partner_id": self.customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.start_tour(
            invoice.get_portal_url(anchor="portal_pay", query_string="&payment=True"),
            "invoice_classic_portal_pay_now",
            login="portal_pay",
        )
        self.assertEqual(invoice.payment_state, "paid")
        transaction = invoice.transaction_ids
        payment = transaction.payment_id
        self.assertEqual(invoice._get_reconciled_payments(), payment)
        self.assertRecordValues(
            payment,
            [
                {
                    "amount": 1000.0,
                    "payment_mode_id": self.card.id,
                    "card_last4": "4242",
                    "card_brand": "Demo",
                }
            ],
        )
        self.assertEqual(transaction.token_id.partner_id, self.customer)
        self.assertTrue(invoice.has_saved_payment_tokens, "Charge Saved Card, next time")
        tomorrow = fields.Date.context_today(invoice) + timedelta(days=1)
        self.env.invalidate_all()
        with freeze_time(tomorrow):
            self.reminder_cron.method_direct_trigger()
        self.assertFalse(invoice.reminder_log_ids)
        self.assertEqual(invoice.reminder_checked_date, False, "not even a candidate")

    def test_pdf_carries_the_link(self):
        """In the PDF itself: the link in its text, and in a QR code a phone reads."""
        invoice = self._late_invoice()
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("invoice_classic.invoice_report_classic", invoice.ids)[0]
        )
        text = " ".join(pdf_text(pdf).split())
        self.assertIn("Pay now, online", text)
        self.assertIn(f"/my/invoices/{invoice.id}?access_token=", text)
        self.assertEqual(read_qr_codes(pdf_first_page_image(pdf)), [invoice.pay_now_url])
