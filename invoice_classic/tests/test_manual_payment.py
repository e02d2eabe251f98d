from unittest.mock import patch

from psycopg2.errors import UniqueViolation

from odoo.exceptions import ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestManualPayment(InvoiceEditorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modes = {
            code: cls.env.ref(f"invoice_classic.payment_mode_{code}")
            for code in ("cash", "transfer", "card", "cheque")
        }
        cls.bank_journal = cls.company_data["default_journal_bank"]
        cls.cash_journal = cls.company_data["default_journal_cash"]

    def _posted_invoice(self, amount=1000.0):
        invoice = self._create_invoice([(amount, self.env["account.tax"])])
        invoice.action_post()
        return invoice

    def _register(self, invoices, **values):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(values)
        )
        return wizard._create_payments()

    def test_cheque_with_its_details(self):
        invoice = self._posted_invoice()
        payment = self._register(
            invoice,
            payment_mode_id=self.modes["cheque"].id,
            cheque_number="1234567",
            cheque_bank="BNP Paribas",
            cheque_issuer="Boulangerie Martin",
            journal_id=self.bank_journal.id,
        )
        self.assertRecordValues(
            payment,
            [{"cheque_number": "1234567", "cheque_bank": "BNP Paribas", "amount": 1000.0}],
        )
        self.assertEqual(
            invoice.payment_state, self.env["account.move"]._get_invoice_in_payment_state()
        )
        receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertTrue(receivable.reconciled)
        self.assertEqual(sorted(payment.move_id.line_ids.mapped("balance")), [-1000.0, 1000.0])
        self.assertIn(receivable.account_id, payment.move_id.line_ids.account_id)
        self.assertIn(
            "Cheque n° 1234567 (BNP Paribas, Boulangerie Martin)",
            invoice.message_ids[0].body,
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.action_report_payment_receipt", payment.ids)[0]
            .decode()
        )
        self.assertIn("Cheque n° 1234567", html)

    def test_cash_transfer_and_card(self):
        cases = [
            ("cash", {"cash_note": "Remis au comptoir"}, "Cash: Remis au comptoir", "cash"),
            ("transfer", {"transfer_reference": "VIR-2026-118"}, "reference VIR-2026-118", "bank"),
            ("card", {"card_last4": "4242"}, "Card ending in 4242", "bank"),
        ]
        for code, details, text, journal_type in cases:
            with self.subTest(code=code):
                invoice = self._posted_invoice()
                with Form(
                    self.env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoice.ids
                    )
                ) as form:
                    form.payment_mode_id = self.modes[code]
                    self.assertEqual(form.journal_id.type, journal_type)
                    for fname, value in details.items():
                        setattr(form, fname, value)
                payment = form.record._create_payments()
                self.assertEqual(payment.journal_id.type, journal_type)
                receivable = self.customer.property_account_receivable_id
                self.assertEqual(
                    sorted((line.account_id.id, line.balance) for line in payment.move_id.line_ids),
                    sorted([(receivable.id, -1000.0), (payment.outstanding_account_id.id, 1000.0)]),
                )
                self.assertEqual(payment.payment_mode_id, self.modes[code])
                self.assertIn(text, payment._payment_details_text())
                self.assertIn(text, invoice.message_ids[0].body)

    def test_a_pasted_card_number_is_cut_in_the_form(self):
        invoice = self._posted_invoice()
        with Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ) as form:
            form.payment_mode_id = self.modes["card"]
            form.card_last4 = "4970 1012 3456 7891"
            self.assertEqual(form.card_last4, "7891")

    def test_refusals_create_nothing(self):
        invoice = self._posted_invoice()
        refusals = [
            ({"payment_mode_id": self.modes["cheque"].id}, "number of the cheque"),
            (
                {"payment_mode_id": self.modes["card"].id, "card_last4": "4111111111111111"},
                "last 4 digits",
            ),
            (
                {
                    "payment_mode_id": self.modes["transfer"].id,
                    "transfer_reference": "card 4111 1111 1111 1111",
                },
                "full card number",
            ),
        ]
        for values, message in refusals:
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self._register(invoice, **values)
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(
            self.env["account.payment"].search([("partner_id", "=", self.customer.id)])
        )

    def test_a_cheque_is_recorded_once(self):
        cheque = {
            "payment_mode_id": self.modes["cheque"].id,
            "cheque_number": "555",
            "cheque_bank": "LCL",
            "cheque_issuer": "Durand",
        }
        self._register(self._posted_invoice(), **cheque)
        second = self._posted_invoice()
        with self.assertRaisesRegex(ValidationError, "already recorded"), self.env.cr.savepoint():
            self._register(second, **{**cheque, "cheque_bank": " lcl "})
        self.assertEqual(second.payment_state, "not_paid")
        # The same number from another bank is another cheque.
        self._register(second, **{**cheque, "cheque_bank": "Crédit Agricole"})
        self.assertNotEqual(second.payment_state, "not_paid")

    def test_partial_then_the_rest_and_one_payment_for_two_invoices(self):
        invoice = self._posted_invoice()
        self._register(
            invoice,
            amount=400.0,
            payment_mode_id=self.modes["transfer"].id,
            transfer_reference="A1",
        )
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(invoice.amount_residual, 600.0)
        self._register(invoice, payment_mode_id=self.modes["cash"].id)
        self.assertEqual(invoice.amount_residual, 0.0)

        first, second = self._posted_invoice(300.0), self._posted_invoice(200.0)
        payment = self._register(
            first | second,
            group_payment=True,
            payment_mode_id=self.modes["cheque"].id,
            cheque_number="777",
        )
        self.assertEqual(len(payment), 1)
        self.assertEqual(payment.amount, 500.0)
        self.assertEqual(payment.reconciled_invoice_ids, first | second)
        for paid in first | second:
            self.assertEqual(paid.amount_residual, 0.0)
            self.assertIn("Cheque n° 777", paid.message_ids[0].body)

    def test_receipt_sent_to_the_customer(self):
        self.customer.email = "compta@client.example.com"
        invoice = self._posted_invoice()
        payment = self._register(
            invoice,
            payment_mode_id=self.modes["transfer"].id,
            transfer_reference="VIR-77",
            send_receipt=True,
        )
        receipt = payment.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(receipt), 1)
        self.assertIn("Payment received", receipt.subject)
        self.assertIn("VIR-77", receipt.body)
        self.assertIn(self.customer, receipt.partner_ids)

    def test_a_user_without_email_records_a_cheque(self):
        """The chatter note on the invoice needs no sender address."""
        invoice = self._posted_invoice()
        user = new_test_user(
            self.env,
            login="no_email_accountant",
            groups="account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[self.env.company.id],
        )
        user.partner_id.email = False
        with Form(
            self.env["account.payment.register"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
        ) as form:
            form.payment_mode_id = self.modes["cheque"]
            form.cheque_number = "9081726"
            form.cheque_bank = "LCL"
        payment = form.record._create_payments()
        self.assertEqual(payment.cheque_number, "9081726")
        self.assertNotEqual(invoice.payment_state, "not_paid")
        note = invoice.message_ids[0]
        self.assertIn("Cheque n° 9081726", note.body)
        self.assertEqual(note.author_id, user.partner_id)

    def test_a_full_card_number_is_refused_in_every_payment_text(self):
        invoice = self._posted_invoice()
        card = "4111 1111 1111 1111"
        wizard_cases = [
            ("cheque_bank", "Cheque Bank"),
            ("cheque_issuer", "Cheque Issuer"),
            ("cheque_number", "Cheque Number"),
            ("communication", "Memo"),
        ]
        for fname, label in wizard_cases:
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(ValidationError, f"“{label}” contains a full card number"),
                self.env.cr.savepoint(),
                Form(
                    self.env["account.payment.register"].with_context(
                        active_model="account.move", active_ids=invoice.ids
                    )
                ) as form,
            ):
                form.payment_mode_id = self.modes["cheque"]
                form.cheque_number = "1234567"
                setattr(form, fname, f"n° {card}")
        payment = self._register(
            invoice, payment_mode_id=self.modes["cheque"].id, cheque_number="2345678"
        )
        for fname, label in [("memo", "Memo"), ("payment_reference", "Payment Reference")]:
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(ValidationError, f"“{label}” contains a full card number"),
                self.env.cr.savepoint(),
            ):
                payment.write({fname: card})
        # A supplier's reference is the supplier's.
        supplier_payment = self.env["account.payment"].create(
            {
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": self.customer.id,
                "amount": 10.0,
                "memo": "4111111111111111",
            }
        )
        self.assertEqual(supplier_payment.memo, "4111111111111111")

    def test_a_cheque_typed_differently_is_the_same_cheque(self):
        cheque = {
            "payment_mode_id": self.modes["cheque"].id,
            "cheque_number": "7654321",
            "cheque_bank": "Crédit Agricole",
            "cheque_issuer": "Durand",
        }
        first = self._register(self._posted_invoice(), **cheque)
        self.assertEqual(first.cheque_key, "7654321|credit agricole|durand")
        second = self._posted_invoice()
        variants = [
            {"cheque_number": "7654 321"},
            {"cheque_number": "7654-321", "cheque_bank": "credit  agricole"},
            {"cheque_bank": "CREDIT AGRICOLE ", "cheque_issuer": " durand"},
        ]
        for variant in variants:
            with (
                self.subTest(variant=variant),
                self.assertRaisesRegex(ValidationError, "already recorded"),
                self.env.cr.savepoint(),
            ):
                self._register(second, **{**cheque, **variant})
        self.assertEqual(second.payment_state, "not_paid")

    def test_the_database_refuses_a_cheque_recorded_twice(self):
        """Two users at the same time: the Python check sees nothing, the index refuses."""
        cheque = {
            "payment_mode_id": self.modes["cheque"].id,
            "cheque_number": "7654321",
            "cheque_bank": "Crédit Agricole",
        }
        self._register(self._posted_invoice(), **cheque)
        second = self._posted_invoice()
        payment_class = type(self.env["account.payment"])
        with (
            patch.object(payment_class, "_raise_if_cheques_recorded", lambda self, cheques: None),
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation) as caught,
            self.env.cr.savepoint(),
        ):
            self._register(
                second, **{**cheque, "cheque_number": "7654 321", "cheque_bank": "credit agricole"}
            )
            self.env.flush_all()
        self.assertEqual(caught.exception.diag.constraint_name, "account_payment_cheque_key_uniq")
        self.assertIn(
            "This cheque is already recorded in another payment.",
            str(_as_validation_error(self.env, caught.exception)),
        )

    def test_the_cheque_issuer_is_the_customer(self):
        contact = self.env["res.partner"].create(
            {"name": "Jean Martin", "parent_id": self.customer.id, "type": "invoice"}
        )
        invoice = self._create_invoice([(100.0, self.env["account.tax"])], partner_id=contact.id)
        invoice.action_post()
        with Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ) as form:
            form.payment_mode_id = self.modes["cheque"]
            self.assertEqual(form.cheque_issuer, self.customer.name)
            form.cheque_issuer = "Jean Martin"
            form.payment_mode_id = self.modes["transfer"]
            form.payment_mode_id = self.modes["cheque"]
            self.assertEqual(form.cheque_issuer, "Jean Martin")
            form.cheque_number = "1020304"
        payment = form.record._create_payments()
        self.assertEqual(payment.cheque_issuer, "Jean Martin")
