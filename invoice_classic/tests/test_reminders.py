from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import InvoiceEditorCommon
from .test_invoice_layouts import pdf_text


@tagged("post_install", "-at_install")
class TestPaymentReminders(InvoiceEditorCommon):
    """Due on 2026-01-31; levels at -3, +7, +15 and +30 days (the last with penalties)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("invoice_classic.ir_cron_payment_reminders")
        cls.penalty_account = cls.env["account.account"].create(
            {"name": "Pénalités de retard", "code": "763100", "account_type": "income_other"}
        )
        cls.env.company.write(
            {
                "penalty_account_id": cls.penalty_account.id,
                "penalty_type": "percent",
                "penalty_rate": 1.5,
                "penalty_rate_basis": "monthly",
                "penalty_recovery_indemnity": True,
            }
        )
        cls.customer.email = "compta@client.example.com"
        cls.levels = cls.env["invoice.classic.reminder.level"].search(
            [("company_id", "=", cls.env.company.id)]
        )

    def _late_invoice(self, amount=1000.0, partner=None, **values):
        invoice = self._create_invoice(
            [(amount, self.env["account.tax"])],
            **{
                "invoice_date": "2026-01-01",
                "invoice_date_due": "2026-01-31",
                "invoice_payment_term_id": False,
                "partner_id": (partner or self.customer).id,
                **values,
            },
        )
        invoice.action_post()
        return invoice

    def _run(self, day):
        # A day's run is a transaction of its own: nothing computed on another day is kept.
        self.env.invalidate_all()
        with freeze_time(day):
            for _round in range(5):
                self.cron.method_direct_trigger()

    def _levels(self, invoice):
        done = invoice.reminder_log_ids.filtered(lambda log: log.state == "done")
        return done.sorted("date").mapped("level_id.days")

    def _mails(self, invoice):
        return invoice.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.subject
        ).sorted("id")

    def test_shipped_levels(self):
        self.assertEqual(self.levels.mapped("days"), [-3, 7, 15, 30])
        self.assertEqual(self.levels.filtered("formal_notice").mapped("days"), [30])
        self.assertEqual(self.levels.filtered("apply_penalty").mapped("days"), [30])

    def test_a_language_installed_later_names_the_levels(self):
        """Levels made before French was installed get their French names with it; a name
        a user wrote stays."""
        self.env["res.lang"]._activate_lang("fr_FR")
        company = self.env["res.company"].create({"name": "Société"})
        levels = self.env["invoice.classic.reminder.level"].search(
            [("company_id", "=", company.id)]
        )
        for level in levels:  # as if French came after them
            level.update_field_translations("name", {"fr_FR": False})
        levels[1].with_context(lang="fr_FR").name = "Relance n° 1"
        self.assertEqual(levels[0].with_context(lang="fr_FR").name, "Courtesy reminder")
        self.env["ir.module.module"]._load_module_terms(["invoice_classic"], ["fr_FR"])
        self.assertEqual(
            levels.with_context(lang="fr_FR").mapped("name"),
            ["Rappel de courtoisie", "Relance n° 1", "Deuxième relance", "Mise en demeure"],
        )

    def test_companies_existing_at_install_have_the_levels(self):
        main_company = self.env.ref("base.main_company")
        levels = self.env["invoice.classic.reminder.level"].sudo()
        self.assertEqual(
            levels.search([("company_id", "=", main_company.id)]).mapped("days"), [-3, 7, 15, 30]
        )
        # Installing again (an update) creates none twice.
        self.env["res.company"].sudo()._invoice_classic_install_defaults()
        self.assertEqual(
            levels.search_count([("company_id", "=", main_company.id)]),
            4,
        )

    def test_shipped_levels_named_in_each_language(self):
        """A new company's levels read in English and in French, whoever creates it."""
        self.env["res.lang"]._activate_lang("fr_FR")
        company = self.env["res.company"].with_context(lang="fr_FR").create({"name": "Société"})
        levels = self.env["invoice.classic.reminder.level"].search(
            [("company_id", "=", company.id)]
        )
        self.assertEqual(
            levels.with_context(lang="en_US").mapped("name"),
            ["Courtesy reminder", "First reminder", "Second reminder", "Formal notice"],
        )
        self.assertEqual(
            levels.with_context(lang="fr_FR").mapped("name"),
            ["Rappel de courtoisie", "Première relance", "Deuxième relance", "Mise en demeure"],
        )

    def test_levels_named_in_english_when_english_is_not_active(self):
        """A database made in French only (Odoo then writes a translation of a translated
        field as its English source too): the shipped levels keep their English names."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env.cr.execute("UPDATE res_lang SET active = FALSE WHERE code = 'en_US'")
        self.env.registry.clear_all_caches()
        self.assertEqual(self.env["res.lang"].get_installed(), [("fr_FR", "French / Français")])
        company = self.env["res.company"].with_context(lang="fr_FR").create({"name": "Société"})
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT name->>'en_US', name->>'fr_FR' FROM invoice_classic_reminder_level "
            "WHERE company_id = %s ORDER BY days",
            [company.id],
        )
        self.assertEqual(
            self.env.cr.fetchall(),
            [
                ("Courtesy reminder", "Rappel de courtoisie"),
                ("First reminder", "Première relance"),
                ("Second reminder", "Deuxième relance"),
                ("Formal notice", "Mise en demeure"),
            ],
        )

    def test_reminders_from_the_salesperson_else_the_company_never_odoobot(self):
        """The daily run is OdooBot's: its e-mails come from the invoice's salesperson (the
        penalty invoice is theirs too), else from the company."""
        self.env.company.email = "bonjour@studio.example.com"
        salesperson = new_test_user(
            self.env,
            login="camille_salesperson_test",
            name="Camille Martin",
            email="camille@studio.example.com",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[(6, 0, self.env.company.ids)],
        )
        invoice = self._late_invoice(invoice_user_id=salesperson.id)
        other = self._late_invoice(
            partner=self.env["res.partner"].create(
                {"name": "Sans vendeur", "email": "compta@autre.example.com"}
            ),
            invoice_user_id=False,
        )
        self._run("2026-02-08")  # first reminder, in bulk
        self._run("2026-03-02")  # formal notice with penalties, one by one
        first, notice = self._mails(invoice)
        self.assertEqual((first | notice).author_id, salesperson.partner_id)
        self.assertIn("camille@studio.example.com", first.email_from)
        self.assertEqual(invoice.penalty_move_ids.invoice_user_id, salesperson)
        company_mails = self._mails(other)
        self.assertEqual(company_mails.author_id, self.env.company.partner_id)
        self.assertIn("bonjour@studio.example.com", company_mails[0].email_from)
        self.assertFalse(other.penalty_move_ids.invoice_user_id)

    def test_full_ladder_once_each(self):
        invoice = self._late_invoice()
        for day in ("2026-01-27", "2026-01-28", "2026-02-07", "2026-02-15", "2026-03-02"):
            self._run(day)
            self._run(day)  # the same day again: nothing more
        self.assertEqual(self._levels(invoice), [-3, 7, 15, 30])
        self.assertEqual(invoice.reminder_last_level_id.days, 30)
        mails = invoice.message_ids.filtered(lambda m: m.message_type == "comment" and m.subject)
        self.assertEqual(len(mails), 4)
        # Formal notice: 1.5 % for Feb 1 and Mar 1 on 1000, and the 40 EUR indemnity, apart.
        penalty = invoice.penalty_move_ids
        self.assertEqual(len(penalty), 1)
        self.assertEqual(penalty.state, "posted")
        self.assertEqual(
            penalty.line_ids.filtered("display_type").mapped("display_type").count("tax"), 0
        )
        self.assertEqual(penalty.invoice_line_ids.account_id, self.penalty_account)
        log = invoice.reminder_log_ids.filtered(lambda l: l.level_id.days == 30)
        self.assertEqual(log.penalty_interest, 30.0)
        self.assertEqual(log.penalty_indemnity, penalty.amount_total - 30.0)

    def test_after_downtime_the_first_level_then_the_highest_due(self):
        invoice = self._late_invoice()
        self._run("2026-02-20")
        self.assertEqual(self._levels(invoice), [7], "the first message is the first reminder")
        self._run("2026-03-05")
        self.assertEqual(self._levels(invoice), [7, 30])

    def test_paid_between_two_levels_gets_nothing_more(self):
        invoice = self._late_invoice()
        self._run("2026-02-08")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2026-02-09"})._create_payments()
        self._run("2026-02-16")
        self._run("2026-03-05")
        self.assertEqual(self._levels(invoice), [7])
        self.assertFalse(invoice.penalty_move_ids)

    def test_partial_payment_lowers_the_penalty(self):
        invoice = self._late_invoice()
        self._run("2026-02-08")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": "2026-02-10", "amount": 600.0})._create_payments()
        self._run("2026-03-02")
        log = invoice.reminder_log_ids.filtered(lambda log: log.level_id.days == 30)
        self.assertEqual(log.penalty_interest, 21.0)  # 1.5 % of 1000 (Feb 1) + of 400 (Mar 1)

    def test_installments_count_from_their_own_due_date(self):
        invoice = self._create_invoice(
            [(900.0, self.env["account.tax"])],
            invoice_date="2026-01-31",
            invoice_payment_term_id=False,
            installment_mode="equal",
            installment_count=3,
        )
        invoice.action_post()
        self._run("2026-02-08")  # the first installment is 8 days late
        self.assertEqual(self._levels(invoice), [7])

    def _invoice_in_installments(self, invoice_date="2026-01-31", **values):
        """900 in three monthly installments of 300, the first due on the invoice date."""
        invoice = self._create_invoice(
            [(900.0, self.env["account.tax"])],
            invoice_date=invoice_date,
            invoice_payment_term_id=False,
            installment_mode="equal",
            installment_count=3,
            **values,
        )
        invoice.action_post()
        return invoice

    def test_installments_overdue_listed_and_asked_for_alone(self):
        """The first installment overdue, the others to come: the invoice is in Overdue
        Invoices, and the reminder asks for that installment on its date, the total beside."""
        invoice = self._invoice_in_installments()
        self.assertEqual(str(invoice.reminder_due_date), "2026-01-31")
        action = self.env.ref("invoice_classic.account_move_action_overdue")
        with freeze_time("2026-02-08"):
            self.assertEqual(invoice.amount_due_now, 300.0)
            domain = safe_eval(action.domain, {"context_today": date.today})
            self.assertIn(invoice, self.env["account.move"].search(domain))
            self.assertIn(invoice, self.customer._get_overdue_invoices())
            statement = (
                self.env["ir.actions.report"]
                ._render_qweb_html("invoice_classic.report_overdue_statement", self.customer.ids)[0]
                .decode()
            )
            first = self.levels.filtered(lambda level: level.days == 7)
            sms = self.env["invoice.classic.reminder.delivery"]._get_sms_body(invoice, first)
        self.assertIn("01/31/2026", statement)
        self.assertNotIn("03/31/2026", statement)
        self.assertRegex(statement, r"Total due now: .*\n?.*300\.00")
        self.assertIn("300.00 due since 01/31/2026", sms)
        self._run("2026-02-08")
        log = invoice.reminder_log_ids
        self.assertEqual(log.level_id.days, 7)
        self.assertEqual(log.amount_due, 300.0)
        body = log.message_id.body
        self.assertIn("300.00", body)
        self.assertIn("01/31/2026", body)
        self.assertIn("900.00", body, "the invoice total beside")
        self.assertNotIn("03/31/2026", body, "not the last, future, due date")
        # The first installment paid: the oldest unpaid one is the second, not overdue yet.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 300.0, "payment_date": "2026-02-10"})._create_payments()
        self.assertEqual(str(invoice.reminder_due_date), "2026-02-28")
        with freeze_time("2026-02-20"):
            domain = safe_eval(action.domain, {"context_today": date.today})
            self.assertNotIn(invoice, self.env["account.move"].search(domain))
            self.assertNotIn(invoice, self.customer._get_overdue_invoices())

    def test_installments_formal_notice_charges_each_installment(self):
        """Nothing paid on 3 x 300: on March 3 the first installment owes 2 months of 1.5 %,
        the second 1 month, the third nothing; the 40 EUR indemnity once."""
        invoice = self._invoice_in_installments()
        self._run("2026-02-08")
        self._run("2026-03-03")
        notice = invoice.reminder_log_ids.filtered(lambda log: log.level_id.days == 30)
        self.assertEqual(notice.penalty_interest, 13.5)
        self.assertEqual(notice.penalty_indemnity, 40.0)
        self.assertEqual(notice.amount_due, 600.0, "the two installments due")
        self.assertEqual(invoice.penalty_move_ids.amount_total, 53.5)
        body = notice.message_id.body
        self.assertIn("600.00", body)
        self.assertIn("01/31/2026", body)
        self.assertIn("02/28/2026", body)
        self.assertNotIn("03/31/2026", body)

    def test_first_message_is_the_first_level_that_applies(self):
        """An invoice whose first installment is 20 days late when reminders first look at
        it gets the first reminder, not the second; the courtesy note is past."""
        invoice = self._invoice_in_installments(invoice_date="2026-01-01")
        with freeze_time("2026-01-21"):
            self.assertEqual(invoice.reminder_next_level_id.days, 7)
        self._run("2026-01-21")
        self.assertEqual(self._levels(invoice), [7])
        self.assertIn("First reminder", self._mails(invoice)[-1].subject)
        with freeze_time("2026-01-21"):
            self.assertEqual(invoice.reminder_next_level_id.days, 15)

    def test_skip_rules(self):
        disputed = self._late_invoice(reminder_disputed=True)
        paused = self._late_invoice(reminder_paused_until="2026-03-01")
        quiet = self.env["res.partner"].create(
            {"name": "Client tranquille", "no_reminders": True, "email": "q@example.com"}
        )
        no_reminder = self._late_invoice(partner=quiet)
        cancelled = self._late_invoice()
        cancelled.button_draft()
        cancelled.button_cancel()
        self._run("2026-02-08")
        for invoice in (disputed, paused, no_reminder, cancelled):
            self.assertFalse(invoice.reminder_log_ids)
        self._run("2026-03-02")
        self.assertEqual(self._levels(paused), [7], "paused until March 1st: the first reminder")

    def test_indemnity_at_most_once_and_manual_reminder(self):
        invoice = self._late_invoice()
        self._run("2026-02-08")
        self._run("2026-03-02")
        with freeze_time("2026-04-02"), self.assertRaisesRegex(UserError, "No reminder is due"):
            invoice.action_send_reminder_now()  # the last level is done
        self.assertEqual(len(invoice.penalty_move_ids), 1)
        first = self._late_invoice()
        with freeze_time("2026-01-28"):
            self.customer.action_send_reminders_now()
        self.assertEqual(self._levels(first), [-3])
        history = self.customer.action_view_reminder_logs()
        self.assertEqual(
            self.env["invoice.classic.reminder.log"].search(history["domain"]),
            (invoice | first).reminder_log_ids,
        )

    def test_no_email_address_does_not_stop_the_run(self):
        silent = self.env["res.partner"].create({"name": "Sans e-mail", "is_company": True})
        without = self._late_invoice(partner=silent)
        with_email = self._late_invoice()
        self._run("2026-02-08")
        self.assertEqual(self._levels(without), [7])
        self.assertIn("No e-mail", without.reminder_log_ids.note)
        self.assertEqual(self._levels(with_email), [7])

    def test_each_message_says_the_level_it_is(self):
        invoice = self._late_invoice()
        self._run("2026-01-28")
        self._run("2026-02-08")
        courtesy, first = self._mails(invoice)
        self.assertIn("Courtesy reminder", courtesy.subject)
        self.assertIn("friendly reminder", courtesy.body)
        self.assertIn("First reminder", first.subject)
        self.assertIn("still unpaid", first.body)
        self.assertNotIn("friendly reminder", first.body)

    def test_files_of_the_level_template_are_attached(self):
        """A template with the invoice PDF to attach is not sent in bulk: the file goes."""
        level = self.levels.filtered(lambda l: l.days == 7)
        level.mail_template_id.report_template_ids = self.env.ref("account.account_invoices")
        self.assertFalse(level._is_sent_in_bulk())
        invoice = self._late_invoice()
        self._run("2026-02-08")
        first = self._mails(invoice)[-1]
        self.assertIn("First reminder", first.subject)
        self.assertEqual(len(first.attachment_ids), 1)
        self.assertEqual(invoice.reminder_log_ids.message_id, first)

    def test_formal_notice_states_the_penalties_charged(self):
        invoice = self._late_invoice()
        self._run("2026-02-08")
        self._run("2026-03-02")
        notice = self._mails(invoice)[-1]
        penalty = invoice.penalty_move_ids
        self.assertIn("Formal notice", notice.subject)
        self.assertIn("formal notice", notice.body)
        self.assertIn(penalty.name, notice.body)
        self.assertIn("recovery costs", notice.body)  # the invoice's penalty terms in words
        log = invoice.reminder_log_ids.filtered(lambda log: log.level_id.formal_notice)
        self.assertEqual(log.message_id, notice)

    def test_invalid_email_is_logged_as_failed_and_tried_again(self):
        wrong = self.env["res.partner"].create(
            {"name": "Adresse fausse", "is_company": True, "email": "compta-at-nowhere"}
        )
        failing = self._late_invoice(partner=wrong)
        fine = self._late_invoice()
        with mute_logger("odoo.addons.invoice_classic.models.reminder_run"):
            self._run("2026-02-08")
        self.assertEqual(self._levels(fine), [7], "the run went on")
        log = failing.reminder_log_ids
        self.assertEqual((log.state, log.level_id.days), ("failed", 7))
        self.assertIn("compta-at-nowhere", log.note)
        self.assertFalse(self._mails(failing))
        self.assertFalse(failing.reminder_last_level_id, "nothing done yet")
        self._run("2026-02-08")
        self.assertEqual(len(failing.reminder_log_ids), 1, "tried once a day")
        wrong.email = "compta@nowhere.example.com"
        self._run("2026-02-09")
        self.assertEqual(self._levels(failing), [7])
        self.assertEqual(
            failing.reminder_log_ids.sorted("date").mapped("state"), ["failed", "done"]
        )

    def test_a_failing_penalty_is_logged_and_the_rest_goes_on(self):
        self.env.company.penalty_account_id = False
        invoice = self._late_invoice()
        self._run("2026-02-08")
        with mute_logger("odoo.addons.invoice_classic.models.reminder_run"):
            self._run("2026-03-02")
        log = invoice.reminder_log_ids.filtered(lambda log: log.level_id.days == 30)
        self.assertEqual(log.state, "failed")
        self.assertIn("account late-payment penalties are booked on", log.note)
        self.assertFalse(invoice.penalty_move_ids, "nothing half done")
        self.assertEqual(len(self._mails(invoice)), 1, "the first reminder only")

    def test_letter_level_makes_a_pdf_to_post(self):
        letter = self.levels.filtered(lambda level: level.days == 30)
        letter.channel = "letter"
        invoice = self._late_invoice(invoice_title="Dossier Nantes")
        other = self._late_invoice()
        self._run("2026-02-08")
        with freeze_time("2026-03-02"):
            log = (
                self.env["invoice.classic.reminder.run"]
                .with_context(force_report_rendering=True)
                ._apply_level(invoice, letter, invoice.invoice_date_due.replace(month=3, day=2))
            )
        attachment = log.attachment_ids
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual(log.message_id.model, "account.move")
        self.assertFalse(
            invoice.message_ids.filtered(lambda m: "from the attachment" in (m.body or "")),
            "the letter is not taken for a document to update the invoice from",
        )
        text = pdf_text(attachment.raw)
        self.assertIn("Formal Notice to Pay", text)
        self.assertIn(invoice.name, text)
        self.assertNotIn(other.name, text, "the letter is about this invoice")
        self.assertTrue(log.penalty_move_id, "the level's penalties are charged too")
        self._run("2026-03-02")
        self.assertEqual(self._levels(invoice), [7, 30])
        self.assertEqual(self._levels(other), [7, 30])
        self.assertTrue(other.reminder_log_ids.attachment_ids)

    def test_the_database_refuses_a_second_log(self):
        invoice = self._late_invoice()
        self._run("2026-02-08")
        level = invoice.reminder_log_ids.level_id
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env["invoice.classic.reminder.log"]._create_logs(
                [{"invoice_id": invoice.id, "level_id": level.id, "date": date(2026, 2, 9)}]
            )

    def test_a_run_cut_after_its_first_batch_resumes_without_repeating(self):
        invoices = self._late_invoice() | self._late_invoice() | self._late_invoice()
        with freeze_time("2026-02-08"):
            # The first call handles one invoice, then "dies" (Odoo would call again).
            self.env["invoice.classic.reminder.run"]._cron_send_payment_reminders(batch_size=1)
            self.assertEqual(len(invoices.reminder_log_ids), 1)
            for _call in range(5):
                self.env["invoice.classic.reminder.run"]._cron_send_payment_reminders(batch_size=1)
        self.assertEqual(len(invoices.reminder_log_ids), 3)
        self.assertEqual(invoices.mapped(lambda m: len(m.reminder_log_ids)), [1, 1, 1])

    def test_no_courtesy_note_for_an_invoice_due_on_receipt(self):
        """The courtesy level (3 days before the due date) makes no sense for an invoice
        issued on its due date: its customer gets the first reminder, a week late."""
        invoice = self._late_invoice(invoice_date="2026-01-31")
        self.assertEqual(invoice.reminder_next_level_id.days, 7)
        self.assertEqual(str(invoice.reminder_next_date), "2026-02-07")
        for day in ("2026-01-28", "2026-01-31", "2026-02-03"):
            self._run(day)
        self.assertFalse(invoice.reminder_log_ids)
        self._run("2026-02-07")
        self.assertEqual(self._levels(invoice), [7])

    def test_companies_apart(self):
        other = self.setup_other_company(name="Autre Société")["company"]
        other_levels = self.env["invoice.classic.reminder.level"].search(
            [("company_id", "=", other.id)]
        )
        self.assertEqual(other_levels.mapped("days"), [-3, 7, 15, 30], "shipped to new companies")
        other_levels.filtered(lambda level: level.days == 7).days = 10
        mine = self._late_invoice()
        theirs = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": "2026-01-01",
                    "invoice_date_due": "2026-01-31",
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [(0, 0, {"name": "x", "price_unit": 100.0, "tax_ids": []})],
                }
            )
        )
        theirs.action_post()
        self._run("2026-02-08")
        self.assertEqual(mine.reminder_log_ids.level_id.company_id, self.env.company)
        self.assertEqual(self._levels(mine), [7])
        self.assertEqual(self._levels(theirs), [], "their first reminder is at 10 days")
        self._run("2026-02-11")
        self.assertEqual(self._levels(theirs), [10])
        self.assertEqual(theirs.reminder_log_ids.level_id.company_id, other)

    def test_overdue_view_next_level_penalties_and_statement(self):
        invoice = self._late_invoice(invoice_title="Dossier Lyon")
        self._run("2026-02-08")
        self.assertEqual(invoice.reminder_last_level_id.days, 7)
        self.assertEqual(invoice.reminder_next_level_id.days, 15)
        self.assertEqual(str(invoice.reminder_next_date), "2026-02-15")
        self._run("2026-03-02")
        self.assertFalse(invoice.reminder_next_level_id, "the ladder is done")
        self.assertEqual(invoice.penalty_charged_amount, invoice.penalty_move_ids.amount_total)
        with freeze_time("2026-03-02"):
            self.assertIn(invoice, self.customer._get_overdue_invoices())
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html("invoice_classic.report_overdue_statement", self.customer.ids)[0]
                .decode()
            )
        self.assertIn(invoice.name, html)
        self.assertIn("Dossier Lyon", html)
        self.assertIn("Statement of Overdue Invoices", html)

    def test_one_message_per_customer(self):
        self.env.company.reminder_grouping = "customer"
        first, second = self._late_invoice(), self._late_invoice(invoice_title="Salon")
        self._run("2026-02-08")
        self.assertEqual(self._levels(first), [7])
        self.assertEqual(self._levels(second), [7])
        message = (first | second).reminder_log_ids.message_id
        self.assertEqual(len(message), 1, "one message for both invoices")
        self.assertEqual(message.model, "res.partner")
        self.assertIn(first.name, message.body)
        self.assertIn("Salon", message.body)
        self.assertIn(self.customer, message.partner_ids)
        # The e-mail in Odoo's light layout (the chatter keeps the message alone).
        mail_html = message.mail_ids.body_html
        self.assertIn("Payment Reminder", mail_html)
        self.assertIn(self.env.company.name, mail_html)
        self.assertIn("Salon", mail_html)
        self.assertNotIn(self.env.company.name, message.body)

    def test_bulk_reminder_email_in_the_layout_and_language_of_the_customer(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        invoice = self._late_invoice()
        self._run("2026-02-08")
        message = invoice.reminder_log_ids.message_id
        self.assertEqual(message.model, "account.move")
        mail_html = message.mail_ids.body_html
        self.assertIn("Facture", mail_html, "the document's type, in French")
        self.assertIn(invoice.name.replace("/", "-"), mail_html)
        self.assertIn(self.env.company.name, mail_html)

    def test_a_customer_is_not_split_across_batches(self):
        self.env.company.reminder_grouping = "customer"
        invoices = self._late_invoice() | self._late_invoice() | self._late_invoice()
        with freeze_time("2026-02-08"):
            handled = self.env["invoice.classic.reminder.run"]._cron_send_payment_reminders(
                batch_size=1
            )
        self.assertEqual(handled, 3, "the batch takes all the customer's invoices")
        self.assertEqual(len(invoices.reminder_log_ids.message_id), 1)
        mails = invoices.reminder_log_ids.message_id.mail_ids
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent by the run")

    def test_queries_grow_with_batches_not_with_invoices(self):
        """A batch's e-mails, log lines and checks take the same queries for 2 customers
        or 12, 2 invoices each, one message per customer or per invoice."""
        for grouping in ("customer", "invoice"):
            self.env.company.reminder_grouping = grouping
            counts = []
            for day, customers in (("2026-02-08", 2), ("2026-02-09", 12)):
                partners = self.env["res.partner"].create(
                    [
                        {"name": f"Client {grouping} {index}", "email": f"c{index}@example.com"}
                        for index in range(customers)
                    ]
                )
                invoices = self.env["account.move"].browse()
                for partner in partners:
                    invoices |= self._late_invoice(partner=partner)
                    invoices |= self._late_invoice(partner=partner)
                self.env.flush_all()
                self.env.invalidate_all()
                with freeze_time(day):
                    before = self.env.cr.sql_log_count
                    self.env["invoice.classic.reminder.run"]._cron_send_payment_reminders()
                    self.env.flush_all()
                    counts.append(self.env.cr.sql_log_count - before)
                self.assertEqual(self._levels(invoices[0]), [7])
                self.assertEqual(len(invoices.reminder_log_ids), len(invoices))
                messages = invoices.reminder_log_ids.message_id
                self.assertEqual(len(messages), customers * (1 if grouping == "customer" else 2))
                self.assertEqual(set(messages.mail_ids.mapped("state")), {"outgoing"})
            with self.subTest(grouping=grouping):
                self.assertLessEqual(counts[1], counts[0] + 3, counts)

    def test_customer_reminder_previewed_in_the_composer(self):
        first, second = self._late_invoice(), self._late_invoice(invoice_title="Salon")
        with freeze_time("2026-02-08"):
            action = self.customer.action_preview_reminders()
            composer = self.env[action["res_model"]].with_context(**action["context"]).create({})
            self.assertIn("First reminder", composer.subject)
            self.assertIn(first.name, composer.body)
            self.assertIn("Salon", composer.body)
            composer.action_send_mail()
            message = (first | second).reminder_log_ids.message_id
            self.assertEqual(len(message), 1)
            self.assertEqual(message.model, "res.partner")
            self.assertEqual(self._levels(first), [7])
            self.assertEqual(self._levels(second), [7])
            # Once sent, Send Reminder Now offers to send it again, logged as a re-send.
            action = self.customer.action_preview_reminders()
            composer = Form(self.env[action["res_model"]].with_context(**action["context"]))
            self.assertEqual(composer.reminder_level_id.days, 7)
            self.assertTrue(composer.reminder_resend)
            self.assertIn("First reminder", composer.subject)
            self.assertIn("Salon", composer.body)
            composer.reminder_level_id = self.levels.filtered(lambda level: level.days == 15)
            self.assertIn("Second reminder", composer.subject, "the level chosen, previewed")
            self.assertFalse(composer.reminder_resend)
            composer.reminder_level_id = self.levels.filtered(lambda level: level.days == 7)
            self.assertTrue(composer.reminder_resend)
            composer.save().action_send_mail()
        logs = (first | second).reminder_log_ids
        self.assertEqual(sorted(logs.mapped("state")), ["done", "done", "resent", "resent"])
        self.assertEqual(len(logs.message_id), 2)
        self.assertEqual(self._levels(first), [7], "a re-send is not a new level")

    def test_reminder_previewed_in_the_composer(self):
        invoice = self._late_invoice()
        with freeze_time("2026-02-08"):
            action = invoice.action_preview_reminder()
            composer = self.env[action["res_model"]].with_context(**action["context"]).create({})
            self.assertIn(invoice.name, composer.body)
            composer.body = composer.body + "<p>Un mot personnel.</p>"
            composer.action_send_mail()
            log = invoice.reminder_log_ids
            self.assertEqual(log.level_id.days, 7)
            self.assertIn("Un mot personnel", log.message_id.body)
        self._run("2026-02-08")
        self.assertEqual(len(invoice.reminder_log_ids), 1, "the scheduled run does not repeat it")

    def test_send_reminder_now_once_the_run_sent_the_due_level(self):
        """The daily run sent the formal notice: Send Reminder Now re-sends it, logged as a
        re-send (no new level, no penalties again); another level can be chosen instead,
        previewed in the composer."""
        invoice = self._late_invoice()
        self._run("2026-02-08")
        self._run("2026-03-02")
        self.assertEqual(self._levels(invoice), [7, 30])
        with freeze_time("2026-03-05"):
            action = invoice.action_preview_reminder()
            composer = Form(self.env[action["res_model"]].with_context(**action["context"]))
            self.assertEqual(composer.reminder_level_id.days, 30)
            self.assertTrue(composer.reminder_resend)
            self.assertIn("Formal notice", composer.subject)
            composer.save().action_send_mail()
        resent = invoice.reminder_log_ids.sorted("id")[-1]
        self.assertEqual((resent.level_id.days, resent.state), (30, "resent"))
        self.assertIn("Formal notice", resent.message_id.subject)
        self.assertFalse(resent.penalty_move_id)
        self.assertEqual(len(invoice.penalty_move_ids), 1, "the penalties are not charged again")
        self.assertEqual(self._levels(invoice), [7, 30])
        # Another level, previewed: the composer renders the one chosen.
        second = self.levels.filtered(lambda level: level.days == 15)
        with freeze_time("2026-03-06"):
            action = invoice.action_preview_reminder()
            composer = Form(self.env[action["res_model"]].with_context(**action["context"]))
            composer.reminder_level_id = second
            self.assertIn("Second reminder", composer.subject)
            self.assertNotIn("formal notice", composer.body)
            self.assertFalse(composer.reminder_resend, "never sent: logged as that level")
            composer.save().action_send_mail()
        last = invoice.reminder_log_ids.sorted("id")[-1]
        self.assertEqual((last.level_id, last.state), (second, "done"))
        self.assertIn("Second reminder", last.message_id.subject)
        self.assertEqual(invoice.reminder_last_level_id.days, 30, "the last level stays the notice")

    def test_send_now_refuses_a_level_the_scheduler_sent_meanwhile(self):
        """Send Reminder Now found the level due, the scheduled run sent it first."""
        invoice = self._late_invoice()
        level = self.levels.filtered(lambda l: l.days == 7)
        self._run("2026-02-08")
        self.assertEqual(len(self._mails(invoice)), 1)
        with (
            self.assertRaisesRegex(UserError, "First reminder was sent meanwhile"),
            self.env.cr.savepoint(),
        ):
            self.env["invoice.classic.reminder.run"]._send_by_hand(
                invoice, level, invoice.invoice_date_due.replace(day=8, month=2)
            )
        self.env.invalidate_all()
        self.assertEqual(len(self._mails(invoice)), 1, "the customer gets it once")
        self.assertEqual(len(invoice.reminder_log_ids), 1)

    def test_composer_refuses_a_reminder_the_scheduler_sent_meanwhile(self):
        invoice = self._late_invoice()
        with freeze_time("2026-02-08"):
            action = invoice.action_preview_reminder()
            composer = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self._run("2026-02-08")  # while the user writes
        self.assertEqual(len(self._mails(invoice)), 1)
        with (
            freeze_time("2026-02-08"),
            self.assertRaisesRegex(UserError, "First reminder was sent meanwhile"),
            self.env.cr.savepoint(),  # what the request's rollback does
        ):
            composer.action_send_mail()
        self.env.invalidate_all()
        self.assertEqual(len(self._mails(invoice)), 1, "the customer gets it once")
        self.assertEqual(len(invoice.reminder_log_ids), 1)

    def test_reminder_logs_are_written_by_the_addon_only(self):
        """A billing user sends reminders (the addon logs them) and reads the history, but
        cannot forge, change or delete a log line (a forged done formal notice would make
        the daily run skip it and its penalties); a read-only accountant reads levels and
        logs."""
        company = self.env.company
        billing = new_test_user(
            self.env,
            login="relances_facturation",
            groups="base.group_user,account.group_account_invoice",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        reader = new_test_user(
            self.env,
            login="relances_lecture",
            groups="base.group_user,account.group_account_readonly",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        invoice = self._late_invoice()
        notice = self.levels.filtered("formal_notice")
        logs = self.env["invoice.classic.reminder.log"].with_user(billing)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            logs.create({"invoice_id": invoice.id, "level_id": notice.id, "date": date(2026, 3, 2)})
        with freeze_time("2026-02-08"):
            action = invoice.with_user(billing).action_preview_reminder()
            composer = Form(
                self.env[action["res_model"]].with_user(billing).with_context(**action["context"])
            ).save()
            composer.action_send_mail()
        log = invoice.reminder_log_ids
        self.assertEqual((log.level_id.days, log.state), (7, "done"), "logged for the user")
        self.assertEqual(log.with_user(billing).level_id, log.level_id)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            log.with_user(billing).write({"level_id": notice.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            log.with_user(billing).unlink()
        self.assertEqual(
            logs.with_user(reader).search([("invoice_id", "=", invoice.id)]).level_id.days, 7
        )
        self.assertEqual(
            self.levels.with_user(reader).read(["days"])[0]["days"], self.levels[0].days
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.levels[0].with_user(billing).days = 5


@tagged("post_install", "-at_install")
class TestRemindersConcurrency(TransactionCase):
    """Two workers running the reminders at once, in two real transactions."""

    def test_two_concurrent_runs_send_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            levels = env["invoice.classic.reminder.level"]
            known = levels.with_context(active_test=False).search([])
            levels._create_default_levels(env.company)
            created_levels = levels.with_context(active_test=False).search([]) - known
            partner = env["res.partner"].create(
                {"name": "Client concurrent", "email": "c@example.com"}
            )
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-01-31",
                    "invoice_date_due": "2026-01-31",
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [(0, 0, {"name": "x", "price_unit": 100.0, "tax_ids": []})],
                }
            )
            invoice.action_post()
            ids = {"partner": partner.id, "invoice": invoice.id, "levels": created_levels.ids}
        try:
            with (
                freeze_time("2026-02-08"),
                self.registry.cursor() as cr1,
                self.registry.cursor() as cr2,
            ):
                run1 = api.Environment(cr1, SUPERUSER_ID, {})["invoice.classic.reminder.run"]
                run2 = api.Environment(cr2, SUPERUSER_ID, {})["invoice.classic.reminder.run"]
                run1._cron_send_payment_reminders()  # holds the invoice's lock
                run2._cron_send_payment_reminders()  # skips it
                cr1.commit()
                cr2.commit()
            with self.registry.cursor() as cr:
                logs = api.Environment(cr, SUPERUSER_ID, {})["invoice.classic.reminder.log"].search(
                    [("invoice_id", "=", ids["invoice"])]
                )
                self.assertEqual(len(logs), 1)
        finally:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                invoice = env["account.move"].browse(ids["invoice"])
                invoice.reminder_log_ids.unlink()
                invoice.button_draft()
                invoice.with_context(force_delete=True).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()
                env["invoice.classic.reminder.level"].browse(ids["levels"]).unlink()


@tagged("post_install", "-at_install")
class TestRemindersLockedInvoice(TransactionCase):
    """An invoice locked by another transaction (a user editing it, another worker) while
    the daily run goes: it is skipped, the run goes on with the others, all batches.

    How it is tested: a second transaction can only lock rows that are committed, and the
    test's own cursor does not see rows committed after it started (repeatable read). So
    two customers with two late invoices each are committed by a cursor of their own (and
    deleted at the end); the run works in another real cursor, rolled back at the end so
    that nothing it did stays; a third cursor holds the lock (SELECT ... FOR UPDATE) and
    releases it by rolling back."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partners = env["res.partner"].create(
                [
                    {"name": f"Client verrou {key}", "email": f"{key}@example.com"}
                    for key in ("a", "b")
                ]
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": "2026-01-31",
                        "invoice_date_due": "2026-01-31",
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            (0, 0, {"name": "x", "price_unit": 100.0, "tax_ids": []})
                        ],
                    }
                    for partner in partners
                    for _index in range(2)
                ]
            )
            invoices.action_post()
            self.invoice_ids = invoices.ids
            self.partner_ids = partners.ids
        self.addCleanup(self._delete_committed)
        self.run_cr = self._cursor()

    def _delete_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoices = env["account.move"].browse(self.invoice_ids)
            invoices.button_draft()
            invoices.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.partner_ids).unlink()

    def _cursor(self):
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        self.addCleanup(cr.rollback)
        return cr

    def _lock(self, invoice_id):
        """Another transaction holds the invoice (roll the cursor back to release it)."""
        cr = self._cursor()
        cr.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [invoice_id])
        return cr

    def _run(self, day):
        """The daily run with batches of one invoice, called again as Odoo's cron runner
        does: while a call reports invoices done and invoices remaining."""
        env = api.Environment(self.run_cr, SUPERUSER_ID, {})
        cron = env.ref("invoice_classic.ir_cron_payment_reminders")
        with freeze_time(day):
            for _call in range(50):
                cron, progress = cron._add_progress()
                cron.env["invoice.classic.reminder.run"]._cron_send_payment_reminders(batch_size=1)
                if not (progress.done and progress.remaining):
                    return env
        raise AssertionError("the run does not end")

    def _logs(self, env, invoice_id):
        return env["invoice.classic.reminder.log"].search([("invoice_id", "=", invoice_id)])

    def test_a_locked_invoice_does_not_stop_the_run(self):
        held, *others = self.invoice_ids
        lock = self._lock(held)
        env = self._run("2026-02-08")
        for invoice_id in others:
            self.assertEqual(self._logs(env, invoice_id).level_id.mapped("days"), [7])
        self.assertFalse(self._logs(env, held), "skipped: another transaction holds it")
        self.assertFalse(env["account.move"].browse(held).reminder_checked_date)
        lock.rollback()
        env = self._run("2026-02-08")  # run again the same day, the lock released
        self.assertEqual(self._logs(env, held).level_id.mapped("days"), [7])
        for invoice_id in others:
            self.assertEqual(len(self._logs(env, invoice_id)), 1)

    def test_a_customer_with_a_locked_invoice_gets_one_message(self):
        env = api.Environment(self.run_cr, SUPERUSER_ID, {})
        env.company.reminder_grouping = "customer"
        first, held, other_first, other_second = self.invoice_ids
        lock = self._lock(held)
        env = self._run("2026-02-08")
        self.assertFalse(self._logs(env, first), "the customer waits whole, not split")
        self.assertFalse(env["account.move"].browse(first).reminder_checked_date)
        others = self._logs(env, other_first) | self._logs(env, other_second)
        self.assertEqual(len(others), 2)
        self.assertEqual(len(others.message_id), 1, "one message for the other customer")
        lock.rollback()
        env = self._run("2026-02-08")
        logs = self._logs(env, first) | self._logs(env, held)
        self.assertEqual([log.level_id.days for log in logs], [7, 7])
        self.assertEqual(len(logs.message_id), 1, "one message for both, in the run")
        self.assertEqual(logs.message_id.model, "res.partner")
