from datetime import timedelta

from odoo import Command, fields

from .common import InvoiceEditorCommon


def publish_demo_provider(journal):
    """Odoo's Demo payment provider (payment_demo) in test mode, published in the company of
    ``journal``, its payments in ``journal``."""
    # sudo: the test user is an accountant, who may not manage the providers.
    demo = journal.env.ref("payment.payment_provider_demo").sudo()
    assert demo.code == "demo", "payment_demo must be installed (scripts/test.sh does it)"
    provider = demo.copy(
        {
            "name": "Demo",
            "company_id": journal.company_id.id,
            "state": "test",
            "is_published": True,
        }
    )
    provider.journal_id = journal
    return provider


class OnlinePaymentCommon(InvoiceEditorCommon):
    """Odoo's Demo payment provider (payment_demo) in test mode, published, in the company;
    the company accepts bank transfers and cards; a customer with an e-mail address and a
    mobile number; reminder levels at -3, +7, +15 and +30 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = publish_demo_provider(cls.company_data["default_journal_bank"])
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")
        cls.transfer = cls.env.ref("invoice_classic.payment_mode_transfer")
        cls.card = cls.env.ref("invoice_classic.payment_mode_card")
        cls.env.company.invoice_payment_mode_ids = cls.transfer | cls.card
        cls.customer.write({"email": "compta@client.example.com", "mobile": "+33612345678"})
        cls.reminder_cron = cls.env.ref("invoice_classic.ir_cron_payment_reminders")

    def _late_invoice(self, days_late=10, amount=1000.0, modes=None, **values):
        """A posted invoice due ``days_late`` days ago, accepting ``modes`` (by default the
        company's: transfer and card)."""
        if modes is not None:
            values["payment_mode_ids"] = [Command.set(modes.ids)]
        due = fields.Date.context_today(self.env["account.move"]) - timedelta(days=days_late)
        invoice = self._create_invoice(
            [(amount, self.env["account.tax"])],
            invoice_date=due,
            invoice_date_due=due,
            invoice_payment_term_id=False,
            **values,
        )
        invoice.action_post()
        return invoice

    def _pay_online(self, invoice, details="4242", tokenize=True, state="done"):
        """The customer pays ``invoice`` on the portal with the Demo provider: the transaction
        the payment form creates, the provider's answer, Odoo's post-processing (what the
        payment status page triggers)."""
        # sudo: as the portal's payment form, for the customer.
        transaction = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.demo_method.id,
                    "amount": invoice.amount_residual,
                    "currency_id": invoice.currency_id.id,
                    "partner_id": invoice.partner_id.id,
                    "operation": "online_direct",
                    "tokenize": tokenize,
                    "invoice_ids": [Command.set(invoice.ids)],
                }
            )
        )
        transaction._handle_notification_data(
            "demo",
            {
                "reference": transaction.reference,
                "payment_details": details,
                "simulated_state": state,
            },
        )
        transaction._post_process()
        return transaction

    def _token(self, state="done", details="1111", partner=None, provider=None):
        # sudo: as the provider's answer saves it, for the customer.
        return (
            self.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": (provider or self.provider).id,
                    "payment_method_id": self.demo_method.id,
                    "payment_details": details,
                    "partner_id": (partner or self.customer).id,
                    "provider_ref": "demo token",
                    "demo_simulated_state": state,
                }
            )
        )
