"""The practical case of the product manual ("Cas pratique" of classic invoicing), end to end,
in Chromium and in French, as the agency's administrator and its customer do it:

    "Une agence de communication crée des devis personnalisés pour chacun de ses projets
    clients. Une fois le devis accepté, l'équipe le transforme en facture en un clic, ajoute
    des frais de déplacement manuellement, et envoie la facture par e-mail au format PDF.
    Le suivi de la facture se fait ensuite automatiquement grâce aux rappels de paiement."

The screens are driven by tours (static/src/tests/tours/practical_case_tour.js); between
them, the records are checked here, and the days pass here: the daily reminders run as their
scheduled action, on the days that matter."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import InvoiceClassicCommon
from .online_payment_common import publish_demo_provider
from .test_invoice_layouts import pdf_text


def html_text(html):
    """The text of an e-mail as its reader sees it: words separated by single spaces."""
    return " ".join(lxml_html.fromstring(html).text_content().split())


def pay_now_links(html):
    """The links of the "Payer maintenant" buttons of an e-mail."""
    return lxml_html.fromstring(html).xpath("//*[@name='invoice_classic_pay_now']//a/@href")


@tagged("post_install", "-at_install")
class TestPracticalCase(InvoiceClassicCommon, HttpCase):
    """A French communication agency that accepts bank transfers and cards (Odoo's Demo
    provider); its customer, a bookshop billed in French at 30 days, with an account on the
    customer portal; a quotation of two services the bookshop accepted; the shipped reminder
    levels (-3, +7, +15 and +30 days)."""

    @classmethod
    def setup_independent_user(cls):
        # The tours of the agency log in as the administrator: the same person checks the
        # records here.
        return cls.env.ref("base.user_admin")

    @classmethod
    @InvoiceClassicCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls._set_up_french()
        cls.env.company.write(
            {
                "name": "Agence Horizon",
                "email": "contact@agence-horizon.example.com",
                "street": "8 quai Saint-Vincent",
                "zip": "69001",
                "city": "Lyon",
                "vat": "FR44732829320",
                "company_registry": "73282932000009",
                # Sent from "PDF" by the agency's team, not when validated.
                "invoice_auto_send": False,
            }
        )
        publish_demo_provider(cls.company_data["default_journal_bank"])
        cls.transfer = cls.env.ref("invoice_classic.payment_mode_transfer")
        cls.card = cls.env.ref("invoice_classic.payment_mode_card")
        cls.env.company.invoice_payment_mode_ids = cls.transfer | cls.card
        cls.reminder_cron = cls.env.ref("invoice_classic.ir_cron_payment_reminders")
        # The VAT of the agency's services is its income account's: a line typed by hand
        # gets it (Odoo's taxes of a line without product).
        cls.company_data["default_journal_sale"].default_account_id.tax_ids = cls.tax_sale_a
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Librairie Le Chapitre",
                "is_company": True,
                "lang": "fr_FR",
                "email": "compta@lechapitre.example.com",
                "street": "21 rue Mercière",
                "zip": "69002",
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "vat": "FR03552081317",
                "company_registry": "55208131700000",
                "property_payment_term_id": cls.env.ref("account.account_payment_term_30days").id,
            }
        )
        cls.env["res.users"].create(
            {
                "name": "Librairie Le Chapitre",
                "login": "lechapitre",
                "password": "lechapitre",
                "partner_id": cls.customer.id,
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )
        cls.identity = cls._create_product(
            name="Charte graphique", type="service", invoice_policy="order", lst_price=1500.0
        )
        cls.campaign = cls._create_product(
            name="Campagne réseaux sociaux", type="service", invoice_policy="order", lst_price=800.0
        )
        cls.quotation = cls._create_order(
            lines=[(cls.identity, 1.0), (cls.campaign, 1.0)], partner=cls.customer
        )
        cls.quotation.action_quotation_sent()

    @classmethod
    def _set_up_french(cls):
        """French for the administrator, and every installed module's terms in French (the
        texts the tours look for on the screens)."""
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
            ["fr_FR"]
        )
        cls.env.user.lang = "fr_FR"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _run_reminders(self, day):
        """The scheduled reminders on ``day``, called again while the run says invoices remain
        (as Odoo's cron runner does).

        :return: the reminder log lines added to the invoice
        """
        logs_before = self.invoice.reminder_log_ids
        self.env.invalidate_all()
        with freeze_time(datetime.combine(day, time(9, 0))):
            for _call in range(10):
                self.reminder_cron.method_direct_trigger()
                progress = self.env["ir.cron.progress"].search(
                    [("cron_id", "=", self.reminder_cron.id)], order="id desc", limit=1
                )
                if not progress.remaining:
                    break
            else:
                self.fail(f"The reminders of {day} did not finish in 10 calls.")
        self.env.invalidate_all()
        return self.invoice.reminder_log_ids - logs_before

    def _customer_mails(self):
        """The messages e-mailed to the customer about the invoice."""
        return self.invoice.message_ids.filtered(
            lambda m: (
                m.message_type in ("comment", "email_outgoing") and self.customer in m.partner_ids
            )
        )

    # ------------------------------------------------------------------
    # The case
    # ------------------------------------------------------------------
    def test_practical_case(self):
        self._invoice_add_travel_expenses_validate_pdf_and_send()
        first_reminder = self._reminders_until_the_first_one()
        self._customer_pays_online(first_reminder)
        self._nothing_more_is_sent()
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type",
            "invoice_classic_practical_case_follow_up",
            login="admin",
        )

    def _invoice_add_travel_expenses_validate_pdf_and_send(self):
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding",
            "invoice_classic_practical_case_invoice",
            login="admin",
        )
        self.assertEqual(self.quotation.state, "sale", "accepted: confirmed by the one click")
        self.invoice = self.quotation.invoice_ids
        self.assertEqual(len(self.invoice), 1)
        self.assertRecordValues(
            self.invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "posted",
                    "partner_id": self.customer.id,
                    "invoice_date": fields.Date.context_today(self.invoice),
                    "invoice_payment_term_id": self.env.ref(
                        "account.account_payment_term_30days"
                    ).id,
                    "amount_untaxed": 2470.0,
                    "amount_tax": 494.0,
                    "amount_total": 2964.0,
                    "payment_state": "not_paid",
                    "is_move_sent": True,
                }
            ],
        )
        self.assertEqual(
            [
                (line.product_id, line.name, line.quantity, line.price_unit, line.tax_ids)
                for line in self.invoice.invoice_line_ids.sorted("sequence")
            ],
            [
                (self.identity, "Charte graphique", 1.0, 1500.0, self.tax_sale_a),
                (self.campaign, "Campagne réseaux sociaux", 1.0, 800.0, self.tax_sale_a),
                (self.env["product.product"], "Frais de déplacement", 2.0, 85.0, self.tax_sale_a),
            ],
        )
        self.assertEqual(self.quotation.order_line.mapped("qty_invoiced"), [1.0, 1.0])
        self.assertEqual(self.invoice.payment_mode_ids, self.transfer | self.card)

        # Sent: one e-mail to the customer, in French, with the invoice in the Modern layout
        # and the link to pay it online.
        mail = self._customer_mails()
        self.assertEqual(len(mail), 1)
        self.assertIn(f"Facture (Réf {self.invoice.name})", mail.subject)
        self.assertIn("Veuillez trouver ci-joint votre facture", html_text(mail.body))
        self.assertEqual(pay_now_links(mail.body), [self.invoice.pay_now_url])
        pdf = self.invoice.invoice_pdf_report_id
        self.assertTrue(pdf, "the invoice's PDF is kept")
        self.assertEqual(mail.attachment_ids.mapped("name"), [pdf.name])
        self.assertEqual(mail.attachment_ids.raw, pdf.raw)
        # Odoo renders reports as HTML in tests (ir.actions.report._pre_render_qweb_pdf): the
        # document sent is the one the Modern layout makes...
        self.assertIn(b"o_invoice_classic_modern", pdf.raw)
        # ... which, printed for real, reads:
        text = " ".join(
            pdf_text(
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("invoice_classic.invoice_report_modern", self.invoice.ids)[0]
            )
            .replace("\u202f", " ")
            .split()
        )
        for expected in (
            "Agence Horizon",
            "Librairie Le Chapitre",
            f"Facture {self.invoice.name}",
            "Charte graphique",
            "Frais de déplacement",
            "2 964,00 €",
        ):
            self.assertIn(expected, text)

    def _reminders_until_the_first_one(self):
        """Each day's run sends what is due, once: the courtesy reminder three days before
        the due date, the first reminder a week after it; nothing in between, nothing twice.

        :return: the log line of the first reminder
        """
        issued = self.invoice.invoice_date
        due = self.invoice.invoice_date_due
        self.assertEqual(due, issued + timedelta(days=30))
        mails_before = self._customer_mails()
        self.assertFalse(self._run_reminders(issued + timedelta(days=1)))
        courtesy = self._run_reminders(due - timedelta(days=3))
        self.assertEqual(courtesy.level_id.days, -3)
        self.assertFalse(self._run_reminders(due))
        self.assertFalse(self._run_reminders(due + timedelta(days=6)))
        first = self._run_reminders(due + timedelta(days=7))
        self.assertRecordValues(
            first, [{"state": "done", "date": due + timedelta(days=7), "amount_due": 2964.0}]
        )
        self.assertEqual(first.level_id.days, 7)
        self.assertEqual(first.level_id.with_context(lang="fr_FR").name, "Première relance")
        self.assertFalse(self._run_reminders(due + timedelta(days=7)), "the same day: nothing")

        # Two e-mails to the customer, in French, each with the link to pay online.
        self.assertEqual(self._customer_mails() - mails_before, (courtesy | first).message_id)
        message = first.message_id
        self.assertEqual(
            message.subject, f"Agence Horizon - Première relance - {self.invoice.name}"
        )
        self.assertIn("Payer maintenant", html_text(message.body))
        self.assertEqual(pay_now_links(message.body), [self.invoice.pay_now_url])
        queued = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(queued.recipient_ids, self.customer, "in the mail queue, to the customer")
        return first

    def _customer_pays_online(self, first_reminder):
        """The same day, the customer follows the reminder's "Payer maintenant" link and pays
        by card on the portal (Odoo's Demo provider)."""
        link = pay_now_links(first_reminder.message_id.body)[0]
        paid_on = first_reminder.date
        with freeze_time(datetime.combine(paid_on, time(14, 0))):
            self.start_tour(
                link.removeprefix(self.invoice.get_base_url()),
                "invoice_classic_practical_case_portal_pay",
                login="lechapitre",
            )
        self.env.invalidate_all()
        self.assertEqual(self.invoice.payment_state, "paid")
        transaction = self.invoice.transaction_ids
        self.assertEqual(transaction.state, "done")
        self.assertRecordValues(
            transaction.payment_id,
            [
                {
                    "amount": 2964.0,
                    "date": paid_on,
                    "partner_id": self.customer.id,
                    "payment_mode_id": self.card.id,
                }
            ],
        )
        self.assertEqual(self.invoice._get_reconciled_payments(), transaction.payment_id)
        self.assertFalse(self.invoice.pay_now_url, "nothing left to pay")

    def _nothing_more_is_sent(self):
        """Paid: the next days' runs, and the day the second reminder was due, send nothing."""
        due = self.invoice.invoice_date_due
        mails_before = self._customer_mails()
        for day in (due + timedelta(days=8), due + timedelta(days=15)):
            self.assertFalse(self._run_reminders(day), f"{day}: nothing")
        self.assertEqual(
            self.invoice.reminder_checked_date, due + timedelta(days=7), "not even looked at"
        )
        self.assertEqual(self._customer_mails(), mails_before)
        self.assertEqual(self.invoice.reminder_last_level_id.days, 7)
        self.assertFalse(self.invoice.reminder_next_level_id)
