from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestInvoiceTemplate(InvoiceEditorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("invoice_classic.ir_cron_recurring_invoices")
        cls.cheque = cls.env.ref("invoice_classic.payment_mode_cheque")

    def _rich_invoice(self):
        return self._create_invoice(
            invoice_title="Forfait maintenance",
            global_discount_type="percent",
            global_discount_percent=10,
            tip_type="fixed",
            tip_fixed=15,
            installment_mode="equal",
            installment_count=2,
            penalty_type="fixed",
            penalty_fixed_amount=20,
            penalty_grace_days=3,
            payment_mode_ids=[(6, 0, self.cheque.ids)],
            narration="Conditions du forfait",
        )

    def _recurring_template(self, **values):
        template = self.env["invoice.classic.template"].create(
            {
                "name": "Maintenance mensuelle",
                "partner_id": self.customer.id,
                "title_pattern": "Maintenance {month} {year}",
                "recurring": True,
                "recurring_interval": 1,
                "recurring_unit": "months",
                "recurring_start_date": "2026-01-05",
                "line_ids": [(0, 0, {"name": "Maintenance", "price_unit": 300.0, "quantity": 1})],
                **values,
            }
        )
        return template

    def _run_cron(self):
        """As Odoo does: call again while there is something left."""
        for _round in range(10):
            self.cron.method_direct_trigger()
            if not self.env["invoice.classic.template"].search_count(
                [
                    ("recurring", "=", True),
                    ("recurring_next_date", "<=", date.today()),
                    ("recurring_error", "=", False),
                ]
            ):
                return

    def test_save_as_template_then_new_invoice_carries_everything(self):
        invoice = self._rich_invoice()
        action = invoice.action_save_as_template()
        template = self.env["invoice.classic.template"].browse(action["res_id"])
        self.assertEqual(template.partner_id, self.customer)
        self.assertEqual(len(template.line_ids), 2, "the product lines, not the managed ones")

        with freeze_time("2026-06-10"):
            new = self.env["account.move"].browse(template.action_create_invoice()["res_id"])
        self.assertRecordValues(
            new,
            [
                {
                    "state": "draft",
                    "invoice_date": date(2026, 6, 10),
                    "partner_id": self.customer.id,
                    "invoice_title": "Forfait maintenance (2)",
                    "global_discount_percent": 10,
                    "tip_fixed": 15,
                    "installment_count": 2,
                    "penalty_type": "fixed",
                    "penalty_fixed_amount": 20,
                    "penalty_grace_days": 3,
                    "classic_template_id": template.id,
                }
            ],
        )
        self.assertEqual(new.payment_mode_ids, self.cheque)
        self.assertIn("Conditions du forfait", str(new.narration))
        self.assertEqual(new.amount_total, invoice.amount_total)
        self.assertEqual(len(new.installment_line_ids), 2)
        self.assertEqual(template.invoice_count, 1)
        self.assertEqual(
            self.env["invoice.classic.template"].search([("name", "ilike", "forfait")]), template
        )

    def test_new_template_starts_from_the_company_then_the_customer_penalty_terms(self):
        self.env.company.write(
            {
                "penalty_type": "percent",
                "penalty_rate": 12.0,
                "penalty_rate_basis": "annual",
                "penalty_recovery_indemnity": True,
            }
        )
        with Form(self.env["invoice.classic.template"]) as form:
            form.name = "Atelier"
            self.assertEqual(form.penalty_type, "percent")
            self.assertEqual(form.penalty_rate, 12.0)
            self.assertEqual(form.penalty_rate_basis, "annual")
            self.assertTrue(form.penalty_recovery_indemnity, "no customer yet: the company's")
            form.partner_id = self.customer
        template = form.record
        self.assertRecordValues(
            template,
            [{"penalty_type": "percent", "penalty_rate": 12.0, "penalty_recovery_indemnity": True}],
        )
        invoice = self.env["account.move"].browse(template.action_create_invoice()["res_id"])
        self.assertEqual(invoice.penalty_type, "percent")
        self.assertIn("40", invoice.penalty_terms_text)
        self.assertIn("12", invoice.penalty_terms_text)

        # A customer with terms of its own, or an individual: as on a new invoice.
        person = self.env["res.partner"].create(
            {"name": "Jeanne Martin", "penalty_type": "fixed", "penalty_fixed_amount": 15.0}
        )
        with Form(template) as form:
            form.partner_id = person
            self.assertEqual(form.penalty_type, "fixed")
            self.assertEqual(form.penalty_fixed_amount, 15.0)
            self.assertFalse(form.penalty_recovery_indemnity)
        new_invoice = self._create_invoice(partner_id=person.id)
        self.assertEqual(template._penalty_terms_values(), new_invoice._penalty_terms_values())

    def _other_company_tax(self):
        other = self.env["res.company"].create({"name": "Autre société"})
        group = self.env["account.tax.group"].create({"name": "TVA", "company_id": other.id})
        return self.env["account.tax"].create(
            {
                "name": "TVA 19,6 %",
                "amount": 19.6,
                "type_tax_use": "sale",
                "company_id": other.id,
                "country_id": self.env.ref("base.fr").id,
                "tax_group_id": group.id,
            }
        )

    def test_template_line_takes_its_product(self):
        logo = self._create_product(
            name="Création de logo",
            description_sale="Trois propositions, fichiers sources",
            lst_price=500.0,
            taxes_id=[Command.set((self.vat20 | self._other_company_tax()).ids)],
        )
        dozen = self.env.ref("uom.product_uom_dozen")
        self.env.user.groups_id += self.env.ref("uom.group_uom")
        with Form(self.env["invoice.classic.template"]) as form:
            form.name = "Logo"
            with form.line_ids.new() as line:
                line.product_id = logo
                self.assertEqual(
                    line.name, "Création de logo\nTrois propositions, fichiers sources"
                )
                self.assertEqual(line.price_unit, 500.0)
                self.assertEqual(line.product_uom_id, logo.uom_id)
                self.assertEqual(line.tax_ids[:], self.vat20, "the taxes of this company")
                line.product_uom_id = dozen
                self.assertEqual(line.price_unit, 6000.0, "the price of a dozen")
                line.name = "Logo et charte"
                line.price_unit = 5500.0
        template = form.record
        self.assertRecordValues(
            template.line_ids,
            [{"name": "Logo et charte", "price_unit": 5500.0, "product_uom_id": dozen.id}],
        )
        invoice = self.env["account.move"].create(
            {**template._prepare_invoice_vals(date(2026, 6, 10)), "partner_id": self.customer.id}
        )
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "product_id": logo.id,
                    "name": "Logo et charte",
                    "product_uom_id": dozen.id,
                    "price_unit": 5500.0,
                    "tax_ids": self.vat20.ids,
                    "account_id": self.company_data["default_account_revenue"].id,
                }
            ],
        )
        self.assertEqual(invoice.amount_untaxed, 5500.0)
        self.assertEqual(invoice.amount_total, 6600.0, "with VAT")

    def test_invoice_from_template_maps_taxes_through_the_customer_fiscal_position(self):
        logo = self._create_product(
            name="Création de logo", lst_price=500.0, taxes_id=[Command.set(self.vat20.ids)]
        )
        vat0 = self.env["account.tax"].create(
            {"name": "TVA 0 % export", "amount": 0.0, "type_tax_use": "sale"}
        )
        export_account = self.env["account.account"].create(
            {"name": "Ventes à l'export", "code": "706200", "account_type": "income"}
        )
        export = self.env["account.fiscal.position"].create(
            {
                "name": "Export",
                "tax_ids": [Command.create({"tax_src_id": self.vat20.id, "tax_dest_id": vat0.id})],
                "account_ids": [
                    Command.create(
                        {
                            "account_src_id": self.company_data["default_account_revenue"].id,
                            "account_dest_id": export_account.id,
                        }
                    )
                ],
            }
        )
        foreign = self.env["res.partner"].create(
            {
                "name": "Swiss Design AG",
                "is_company": True,
                "property_account_position_id": export.id,
            }
        )
        template = self.env["invoice.classic.template"].create(
            {
                "name": "Logo",
                "partner_id": foreign.id,
                "line_ids": [Command.create({"product_id": logo.id})],
            }
        )
        self.assertEqual(template.line_ids.tax_ids, self.vat20, "the product's taxes")

        invoice = self.env["account.move"].browse(template.action_create_invoice()["res_id"])
        self.assertEqual(invoice.fiscal_position_id, export)
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [{"price_unit": 500.0, "tax_ids": vat0.ids, "account_id": export_account.id}],
        )

        # The same template for a French customer: the product's VAT and account.
        template.partner_id = self.customer
        invoice = self.env["account.move"].browse(template.action_create_invoice()["res_id"])
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "tax_ids": self.vat20.ids,
                    "account_id": self.company_data["default_account_revenue"].id,
                }
            ],
        )
        self.assertEqual(invoice.amount_total, 600.0)

        # Saved as a template from an invoice to the foreign customer: the product's
        # taxes, which the fiscal position of each new invoice maps.
        export_invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": foreign.id,
                "invoice_line_ids": [Command.create({"product_id": logo.id})],
            }
        )
        self.assertEqual(export_invoice.invoice_line_ids.tax_ids, vat0)
        saved = self.env["invoice.classic.template"].browse(
            export_invoice.action_save_as_template()["res_id"]
        )
        self.assertEqual(saved.line_ids.tax_ids, self.vat20)
        saved.partner_id = self.customer
        invoice = self.env["account.move"].browse(saved.action_create_invoice()["res_id"])
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.vat20)

        # Taxes chosen on the template are kept as they are.
        template.line_ids.tax_ids = self.vat55
        invoice = self.env["account.move"].browse(template.action_create_invoice()["res_id"])
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.vat55)

    def test_template_refuses_what_an_invoice_refuses(self):
        template = self.env["invoice.classic.template"].create({"name": "Forfait"})
        refusals = [
            {"installment_mode": "percent", "installment_percentages": "50; 40"},
            {"global_discount_type": "percent", "global_discount_percent": 120},
            {"tip_type": "fixed", "tip_fixed": -1},
        ]
        for values in refusals:
            with (
                self.subTest(values=values),
                self.assertRaises(ValidationError),
                self.env.cr.savepoint(),
            ):
                template.write(values)

    def test_template_without_customer(self):
        template = self.env["invoice.classic.template"].create(
            {"name": "Atelier", "line_ids": [(0, 0, {"name": "Atelier", "price_unit": 90.0})]}
        )
        new = self.env["account.move"].browse(template.action_create_invoice()["res_id"])
        self.assertFalse(new.partner_id)
        self.assertEqual(new.invoice_line_ids.price_unit, 90.0)
        with self.assertRaisesRegex(ValidationError, "customer"), self.env.cr.savepoint():
            template.recurring = True

    def test_monthly_for_three_months_and_a_rerun_creates_nothing(self):
        template = self._recurring_template()
        for day in ("2026-01-05", "2026-02-05", "2026-03-05"):
            with freeze_time(day):
                self._run_cron()
                self._run_cron()  # a second run the same day does nothing
        invoices = template.invoice_ids.sorted("classic_period_date")
        self.assertEqual(
            invoices.mapped("classic_period_date"),
            [date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5)],
        )
        self.assertEqual(invoices.mapped("state"), ["draft"] * 3)
        self.assertEqual(invoices[1].invoice_title, "Maintenance February 2026")
        self.assertEqual(invoices[1].invoice_date, date(2026, 2, 5))
        self.assertEqual(template.recurring_next_date, date(2026, 4, 5))

    def test_missed_periods_caught_up_once_each(self):
        template = self._recurring_template(recurring_action="post")
        with freeze_time("2026-04-20"):  # down since January
            self._run_cron()
            self._run_cron()
        self.assertEqual(
            template.invoice_ids.sorted("classic_period_date").mapped("classic_period_date"),
            [date(2026, 1, 5), date(2026, 2, 5), date(2026, 3, 5), date(2026, 4, 5)],
        )
        self.assertEqual(set(template.invoice_ids.mapped("state")), {"posted"})

    def test_validated_and_sent(self):
        self.customer.email = "compta@client.example.com"
        template = self._recurring_template(recurring_action="send")
        with freeze_time("2026-01-05"):
            self._run_cron()
            invoice = template.invoice_ids
            self.assertEqual(invoice.state, "posted")
            self.assertTrue(invoice.sending_data)
            self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()
        self.assertTrue(invoice.is_move_sent)
        self.assertFalse(invoice.sending_data)
        self.assertTrue(invoice.invoice_pdf_report_id)

    def _salesperson(self):
        return new_test_user(
            self.env,
            login="camille_salesperson_test",
            name="Camille Martin",
            email="camille@studio.example.com",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )

    def test_template_salesperson_is_its_creator_never_odoobot(self):
        with Form(self.env["invoice.classic.template"]) as form:
            form.name = "Forfait"
        self.assertEqual(form.record.user_id, self.env.user)
        made_by_the_system = (
            self.env["invoice.classic.template"].with_user(SUPERUSER_ID).create({"name": "Job"})
        )
        self.assertFalse(made_by_the_system.user_id, "OdooBot is nobody's salesperson")
        invoice = self._create_invoice(invoice_user_id=self._salesperson().id)
        action = invoice.action_save_as_template()
        saved = self.env["invoice.classic.template"].browse(action["res_id"])
        self.assertEqual(saved.user_id, invoice.invoice_user_id)

    def test_recurring_invoices_from_the_template_salesperson_not_odoobot(self):
        """The daily job runs as OdooBot: its invoices take the template's salesperson, and
        their e-mails come from that person; without one, from the company."""
        self.customer.write(
            {"email": "compta@client.example.com", "invoice_sending_method": "email"}
        )
        self.env.company.email = "bonjour@studio.example.com"
        salesperson = self._salesperson()
        template = self._recurring_template(recurring_action="send", user_id=salesperson.id)
        alone = self._recurring_template(recurring_action="send", name="Sans vendeur")
        alone.user_id = False
        with freeze_time("2026-01-05"):
            self._run_cron()
            invoice, other = template.invoice_ids, alone.invoice_ids
            self.assertEqual(invoice.invoice_user_id, salesperson)
            self.assertFalse(other.invoice_user_id)
            self.assertEqual(invoice.sending_data["author_partner_id"], salesperson.partner_id.id)
            self.env.ref("account.ir_cron_account_move_send").method_direct_trigger()
        self.env.invalidate_all()
        sent = invoice.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(sent.author_id, salesperson.partner_id)
        self.assertIn("camille@studio.example.com", sent.email_from)
        sent_alone = other.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(sent_alone.author_id, self.env.company.partner_id)
        self.assertIn("bonjour@studio.example.com", sent_alone.email_from)
        odoobot = self.env.ref("base.partner_root")
        self.assertNotIn(odoobot, (sent | sent_alone).author_id)

    def test_create_next_invoice_now(self):
        """The button makes the next period's invoice as the daily job does: the job then
        skips that period, the next date moves on, and the count limit holds."""
        template = self._recurring_template(recurring_max_count=2)
        with freeze_time("2026-01-02"):
            action = template.action_create_next_invoice()
            first = template.invoice_ids
            self.assertEqual((action["res_model"], action["res_id"]), ("account.move", first.id))
            self.assertEqual(first.classic_period_date, date(2026, 1, 5))
            self.assertEqual(first.invoice_title, "Maintenance January 2026")
            self.assertEqual(template.recurring_next_date, date(2026, 2, 5))
        with freeze_time("2026-01-05"):
            self._run_cron()
        self.assertEqual(template.invoice_ids, first, "the job does not make January again")
        with freeze_time("2026-01-06"):
            second = self.env["account.move"].browse(
                template.action_create_next_invoice()["res_id"]
            )
            self.assertEqual(second.classic_period_date, date(2026, 2, 5))
            with self.assertRaisesRegex(UserError, "no period left"):
                template.action_create_next_invoice()
        self.assertEqual(len(template.invoice_ids), 2)
        template.recurring = False
        with self.assertRaisesRegex(UserError, "Only a recurring template"):
            template.action_create_next_invoice()

    def test_recurring_invoices_have_their_own_mail_template(self):
        template = self._recurring_template()
        with freeze_time("2026-01-05"):
            self._run_cron()
        invoice = template.invoice_ids
        self.assertEqual(
            invoice._get_mail_template(),
            self.env.ref("invoice_classic.mail_template_recurring_invoice"),
        )
        other = self._create_invoice()
        self.assertEqual(
            other._get_mail_template(), self.env.ref("account.email_template_edi_invoice")
        )

    def test_end_date_and_count(self):
        until_march = self._recurring_template(recurring_end_date="2026-03-01")
        two = self._recurring_template(name="Deux fois", recurring_max_count=2)
        with freeze_time("2026-12-31"):
            self._run_cron()
        self.assertEqual(len(until_march.invoice_ids), 2)  # January, February
        self.assertEqual(len(two.invoice_ids), 2)
        self.assertFalse(until_march.recurring, "ended")

    def test_one_invoice_per_period_in_the_database(self):
        template = self._recurring_template()
        with freeze_time("2026-01-05"):
            self._run_cron()
        invoice = template.invoice_ids
        # Whatever a second worker would do, the database refuses a second invoice.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env["account.move"].create(
                template._prepare_invoice_vals(date(2026, 1, 5), invoice.classic_period_date)
            )
        with freeze_time("2026-02-05"):
            self._run_cron()
        self.assertEqual(len(template.invoice_ids), 2)

    def test_a_failing_template_is_set_aside(self):
        template = self._recurring_template()
        template.line_ids.price_unit = -10  # a negative total cannot be validated
        template.recurring_action = "post"
        with freeze_time("2026-01-05"):
            self._run_cron()
        self.assertTrue(template.recurring_error)
        self.assertFalse(template.invoice_ids)
        template.line_ids.price_unit = 10  # fixed: tried again
        self.assertFalse(template.recurring_error)
        with freeze_time("2026-01-05"):
            self._run_cron()
        self.assertEqual(len(template.invoice_ids), 1)

    def test_duplicate_dated_today(self):
        first = self._rich_invoice()
        first.action_post()
        second = self._create_invoice(invoice_title="Deuxième")
        with freeze_time("2026-07-01"):
            action = (first | second).action_duplicate_dated_today()
        copies = self.env["account.move"].search(action["domain"])
        self.assertEqual(len(copies), 2)
        self.assertEqual(set(copies.mapped("state")), {"draft"})
        self.assertEqual(set(copies.mapped("invoice_date")), {date(2026, 7, 1)})
        self.assertEqual(first.state, "posted")
        self.assertEqual(first.invoice_date, date(2026, 1, 15))
        one = first.action_duplicate_dated_today()
        self.assertEqual(one["res_id"], self.env["account.move"].browse(one["res_id"]).id)


@tagged("post_install", "-at_install")
class TestRecurringConcurrency(TransactionCase):
    """Two workers running the scheduled action at once, in two real transactions."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_two_concurrent_runs_create_one_invoice(self):
        # The template must be visible to both transactions: committed on its own cursor.
        with self.registry.cursor() as cr:
            env = self._env(cr)
            partner = env["res.partner"].create({"name": "Client concurrent"})
            template = env["invoice.classic.template"].create(
                {
                    "name": "Concurrent",
                    "partner_id": partner.id,
                    "recurring": True,
                    "recurring_start_date": "2026-01-05",
                    "line_ids": [(0, 0, {"name": "Service", "price_unit": 100.0})],
                }
            )
            ids = {"partner": partner.id, "template": template.id}
        try:
            with (
                freeze_time("2026-01-05"),
                self.registry.cursor() as cr1,
                self.registry.cursor() as cr2,
            ):
                templates1 = self._env(cr1)["invoice.classic.template"]
                templates2 = self._env(cr2)["invoice.classic.template"]
                templates1._cron_create_recurring_invoices()  # holds the template's lock
                templates2._cron_create_recurring_invoices()  # skips it
                cr1.commit()
                cr2.commit()
                # A third run after both: the period is done.
                templates2._cron_create_recurring_invoices()
                cr2.commit()
            with self.registry.cursor() as cr:
                invoices = self._env(cr)["account.move"].search(
                    [("classic_template_id", "=", ids["template"])]
                )
                self.assertEqual(len(invoices), 1)
                self.assertEqual(str(invoices.classic_period_date), "2026-01-05")
        finally:
            with self.registry.cursor() as cr:
                env = self._env(cr)
                env["account.move"].search([("classic_template_id", "=", ids["template"])]).unlink()
                env["invoice.classic.template"].browse(ids["template"]).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()


@tagged("post_install", "-at_install")
class TestInvoiceTemplateDemo(TransactionCase):
    def test_demo_monthly_template_invoices_with_vat(self):
        template = self.env.ref(
            "invoice_classic.invoice_template_retainer_demo", raise_if_not_found=False
        )
        self.assertTrue(template, "the demo data of invoice_classic is installed")
        line = template.line_ids
        product_taxes = line.product_id.taxes_id.filtered(
            lambda tax: tax.company_id == template.company_id
        )
        self.assertTrue(product_taxes, "the product has VAT")
        self.assertEqual(line.tax_ids, product_taxes)
        invoice = (
            self.env["account.move"]
            .with_company(template.company_id)
            .create(template._prepare_invoice_vals(date(2026, 6, 1)))
        )
        self.assertEqual(invoice.amount_untaxed, 1800.0)
        self.assertEqual(invoice.amount_total, 2160.0, "1,800 € + 20 % VAT")
