from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestInvoiceSending(InvoiceEditorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.send_cron = cls.env.ref("account.ir_cron_account_move_send")
        cls.customer.email = "compta@client.example.com"
        cls.env.company.invoice_auto_send = True

    def _sent_mails(self, invoice):
        return self.env["mail.message"].search(
            [
                ("model", "=", "account.move"),
                ("res_id", "=", invoice.id),
                ("message_type", "=", "comment"),
                ("subject", "!=", False),
            ]
        )

    def test_sent_once_when_validated(self):
        invoice = self._create_invoice(invoice_title="Campagne")
        invoice.action_post()
        self.assertTrue(invoice.sending_data, "queued, not sent during validation")
        self.assertFalse(self._sent_mails(invoice))
        self.send_cron.method_direct_trigger()
        self.assertTrue(invoice.is_move_sent)
        self.assertEqual(len(self._sent_mails(invoice)), 1)
        self.assertIn("Campagne", self._sent_mails(invoice).subject)
        # Reset to draft and validated again, the queue run again: nothing more.
        invoice.button_draft()
        invoice.action_post()
        self.assertFalse(invoice.sending_data)
        invoice.action_queue_invoice_email()
        self.send_cron.method_direct_trigger()
        self.assertEqual(len(self._sent_mails(invoice)), 1)

    def test_a_retried_queue_sends_once(self):
        invoice = self._create_invoice()
        invoice.action_post()
        invoice.action_queue_invoice_email()  # queued twice: one entry
        self.send_cron.method_direct_trigger()
        self.send_cron.method_direct_trigger()
        self.assertEqual(len(self._sent_mails(invoice)), 1)

    def test_customer_choice_over_the_company(self):
        self.customer.invoice_auto_send = "never"
        invoice = self._create_invoice()
        invoice.action_post()
        self.assertFalse(invoice.sending_data)
        self.customer.invoice_auto_send = "always"
        self.env.company.invoice_auto_send = False
        invoice = self._create_invoice()
        invoice.action_post()
        self.assertTrue(invoice.sending_data)

    def test_no_email_address_gives_an_activity(self):
        self.customer.email = False
        invoice = self._create_invoice()
        invoice.action_post()
        self.assertFalse(invoice.sending_data)
        activity = invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("no e-mail address", activity.summary)
        self.assertEqual(activity.user_id, invoice.invoice_user_id or self.env.user)

    def test_server_action_and_mark_as_sent(self):
        self.env.company.invoice_auto_send = False
        first, second = self._create_invoice(), self._create_invoice()
        (first | second).action_post()
        action = self.env.ref("invoice_classic.account_move_action_queue_invoice_email")
        action.with_context(active_model="account.move", active_ids=first.ids).run()
        self.assertTrue(first.sending_data)
        second.action_mark_as_sent()
        self.assertTrue(second.is_move_sent)
        self.assertIn("Marked as sent", second.message_ids[0].body)
        second.action_queue_invoice_email()
        self.assertFalse(second.sending_data, "already sent")


@tagged("post_install", "-at_install")
class TestInvoiceSms(InvoiceEditorCommon, SMSCase):
    def test_send_by_sms_with_the_portal_link(self):
        self.customer.mobile = "+33612345678"
        invoice = self._create_invoice(invoice_title="Atelier")
        invoice.action_post()
        with self.mockSMSGateway():
            invoice.action_send_sms()
        self.assertSMSIapSent(["+33612345678"], content=invoice.name)
        self.assertSMSIapSent(["+33612345678"], content="/my/invoices/")

    def test_no_mobile_number(self):
        self.customer.mobile = self.customer.phone = False
        invoice = self._create_invoice()
        invoice.action_post()
        with self.mockSMSGateway(), self.assertRaisesRegex(UserError, "no mobile number"):
            invoice.action_send_sms()
        self.assertFalse(self._sms)


@tagged("post_install", "-at_install")
class TestReminderSms(InvoiceEditorCommon, SMSCase):
    def test_a_reminder_level_by_sms(self):
        self.customer.mobile = "+33698765432"
        level = self.env["invoice.classic.reminder.level"].search(
            [("company_id", "=", self.env.company.id), ("days", "=", 7)]
        )
        level.channel = "sms"
        invoice = self._create_invoice(
            [(100.0, self.env["account.tax"])],
            invoice_date="2026-01-31",
            invoice_date_due="2026-01-31",
            invoice_payment_term_id=False,
        )
        invoice.action_post()
        with freeze_time("2026-02-08"), self.mockSMSGateway():
            self.env.ref("invoice_classic.ir_cron_payment_reminders").method_direct_trigger()
        self.assertSMSIapSent(["+33698765432"], content=invoice.name)
        self.assertEqual(invoice.reminder_log_ids.level_id, level)
        self.assertTrue(invoice.reminder_log_ids.message_id)
