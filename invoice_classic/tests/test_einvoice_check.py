from ast import literal_eval

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import warmup
from odoo.tools.safe_eval import safe_eval

from .einvoice_common import EInvoiceCommon

NO_SIREN = (
    "Boulangerie Martin is a French business but has no SIREN: enter its SIRET or SIREN in "
    "Company ID on the customer."
)
NO_ADDRESS = (
    "Boulangerie Martin is a French business but has no electronic address: set its "
    "Electronic Invoicing Address in the Invoicing tab of the customer."
)


@tagged("post_install", "-at_install")
class TestEInvoiceCheck(EInvoiceCommon):
    """Before an invoice goes out, the user knows what a French e-invoicing platform would
    reject, in words that say how to fix it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The French electronic addresses (scheme 0225, starting with the SIREN).
        cls.company.partner_id.write({"peppol_eas": "0225", "peppol_endpoint": "732829320"})
        cls.customer.write({"peppol_eas": "0225", "peppol_endpoint": "552081317"})
        cls.no_tax = cls.env["account.tax"]
        cls.private = cls.env["res.partner"].create(
            {"name": "Jeanne Petit", "country_id": cls.env.ref("base.fr").id}
        )
        cls.foreign = cls.env["res.partner"].create(
            {
                "name": "Brasserie Bruxelloise",
                "is_company": True,
                "country_id": cls.env.ref("base.be").id,
                "vat": "BE0477472701",
            }
        )

    @classmethod
    def _business(cls, **values):
        """A French business like the customer, but for ``values`` (given at creation: Odoo
        does not recompute its electronic address from them)."""
        return cls.env["res.partner"].create(
            {
                "name": "Boulangerie Martin",
                "is_company": True,
                "country_id": cls.env.ref("base.fr").id,
                "vat": "FR03552081317",
                "company_registry": "55208131700000",
                "peppol_eas": "0225",
                "peppol_endpoint": "552081317",
                **values,
            }
        )

    @classmethod
    def _invoice(cls, partner=None, lines=None, move_type="out_invoice", post=False, **values):
        """``lines``: [(label, price, taxes)]; by default one line at 20 %."""
        lines = lines or [("Logo design", 500.0, cls.tax_20)]
        invoice = cls.env["account.move"].create(
            {
                **values,
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": "2026-09-15",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "price_unit": price,
                            "tax_ids": [Command.set(taxes.ids)],
                        }
                    )
                    for label, price, taxes in lines
                ],
            }
        )
        if post:
            invoice.action_post()
        return invoice

    def _problems(self, invoice):
        return invoice._get_einvoice_problems()[invoice]

    def _run_check_action(self, invoices, user=None):
        action = self.env.ref("invoice_classic.account_move_action_check_einvoice")
        if user:
            action = action.with_user(user)
        return action.with_context(
            active_model="account.move", active_ids=invoices.ids, active_id=invoices[:1].id
        ).run()

    # --- each check, in words --------------------------------------------------------------

    def test_complete_french_b2b_invoice_passes(self):
        invoice = self._invoice(
            lines=[("Logo design", 500.0, self.tax_20), ("Books", 40.0, self.tax_55)]
        )
        credit_note = self._invoice(move_type="out_refund")
        self.assertEqual(
            (invoice | credit_note)._get_einvoice_problems(), {invoice: [], credit_note: []}
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.einvoice_rejected)
        self.assertFalse(invoice.einvoice_issue)

    def test_customer_without_siren(self):
        customer = self._business(company_registry=False)
        self.assertEqual(self._problems(self._invoice(customer)), [NO_SIREN])

    def test_customer_without_electronic_address(self):
        customer = self._business(peppol_eas=False, peppol_endpoint=False)
        self.assertEqual(self._problems(self._invoice(customer)), [NO_ADDRESS])

    def test_customer_address_not_french(self):
        customer = self._business(peppol_eas="9957", peppol_endpoint="FR03552081317")
        self.assertEqual(
            self._problems(self._invoice(customer)),
            [
                (
                    "The electronic address of Boulangerie Martin is not a French e-invoicing "
                    "address: choose 'France FRCTC Electronic Address' in its Electronic "
                    "Invoicing Address, with an address starting with its SIREN 552081317."
                )
            ],
        )

    def test_address_with_characters_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._business(peppol_endpoint="552081317 compta@martin")
        # an address typed before that rule existed (or imported): the check still says it
        customer = self._business()
        self.env.cr.execute(
            "UPDATE res_partner SET peppol_endpoint = %s WHERE id = %s",
            ["552081317 compta@martin", customer.id],
        )
        customer.invalidate_recordset(["peppol_endpoint"])
        self.assertEqual(
            self._problems(self._invoice(customer)),
            [
                (
                    "The electronic address 552081317 compta@martin of Boulangerie Martin "
                    "would be refused: use only letters, digits, '+', '-', '_' and '.' "
                    "(125 characters at most)."
                )
            ],
        )

    def test_business_customer_without_country(self):
        customer = self._business(country_id=False)
        self.assertEqual(
            self._problems(self._invoice(customer)),
            [
                (
                    "Boulangerie Martin is a business but has no country: set its country on the "
                    "customer."
                )
            ],
        )

    def test_line_without_vat_category(self):
        invoice = self._invoice(
            lines=[
                ("Logo design", 500.0, self.tax_20),
                ("Travel costs\nLyon - Paris", 80.0, self.no_tax),
            ]
        )
        self.assertEqual(
            self._problems(invoice),
            [
                (
                    "Line 'Travel costs' has no tax and its VAT category cannot be decided: set a "
                    "tax on it."
                )
            ],
        )

    def test_seller_without_siren_vat_or_address(self):
        self.company.write({"company_registry": False, "vat": False})
        self.company.partner_id.write({"peppol_eas": False, "peppol_endpoint": False})
        self.assertEqual(
            self._problems(self._invoice()),
            [
                (
                    "Your company Atelier Dupont has no SIREN: enter its SIRET or SIREN in Company "
                    "ID on the company (Settings > Companies)."
                ),
                (
                    "Your company Atelier Dupont has no electronic address: set its "
                    "Electronic Invoicing Address in the Invoicing tab of its contact."
                ),
                (
                    "Your company Atelier Dupont has no VAT number: enter it in Tax ID on the "
                    "company (Settings > Companies)."
                ),
            ],
        )

    def test_private_and_foreign_customers_are_e_reported_not_checked(self):
        """B2C and B2B international go to e-reporting: no SIREN nor electronic address is
        asked of the customer, and no e-invoice would be rejected."""
        self.company.company_registry = False
        private = self._invoice(partner=self.private)
        foreign = self._invoice(partner=self.foreign)
        self.assertEqual((private | foreign)._get_einvoice_problems(), {private: [], foreign: []})
        self.assertFalse((private | foreign)._filter_einvoiced())
        sole_trader = self._invoice(partner=self.private, customer_siren="552081317")
        self.assertEqual(sole_trader._filter_einvoiced(), sole_trader, "a SIREN: a business")

    # --- at validation: blocking or warning ------------------------------------------------

    def test_blocking_mode_refuses_validation_and_changes_nothing(self):
        self.company.einvoice_check_mode = "blocking"
        customer = self._business(peppol_endpoint=False)
        good = self._invoice(customer)
        bad = self._invoice(
            customer, lines=[("Logo design", 500.0, self.tax_20), ("Extra", 10.0, self.no_tax)]
        )
        with self.assertRaises(UserError) as error:
            (good | bad).action_post()
        message = str(error.exception)
        self.assertIn(NO_ADDRESS, message)
        self.assertIn(
            "Line 'Extra' has no tax and its VAT category cannot be decided: set a tax on it.",
            message,
        )
        self.assertEqual(message.count(NO_ADDRESS), 2, "every problem of every invoice")
        self.assertEqual((good | bad).mapped("state"), ["draft", "draft"], "nothing validated")
        self.assertFalse((good | bad).filtered("einvoice_rejected"))

        customer.peppol_endpoint = "552081317"
        good.action_post()
        self.assertEqual(good.state, "posted")

    def test_warning_mode_validates_and_stores_the_problems(self):
        self.assertEqual(self.company.einvoice_check_mode, "warning", "the default")
        invoice = self._invoice(self._business(company_registry=False), post=True)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.einvoice_rejected)
        self.assertEqual(invoice.einvoice_issue, f"- {NO_SIREN}")
        invoice.button_draft()
        self.assertFalse(invoice.einvoice_rejected, "a draft tells its problems on demand")

    def test_setting(self):
        settings = Form(self.env["res.config.settings"])
        settings.einvoice_check_mode = "blocking"
        settings.save().execute()
        self.assertEqual(self.company.einvoice_check_mode, "blocking")

    def test_filter_lists_validated_invoices_that_would_be_rejected(self):
        rejected = self._invoice(lines=[("Extra", 10.0, self.no_tax)], post=True)
        accepted = self._invoice(post=True)
        draft = self._invoice(lines=[("Extra", 10.0, self.no_tax)])
        view = self.env.ref("account.view_account_invoice_filter")
        arch = etree.fromstring(self.env["account.move"].get_view(view.id, "search")["arch"])
        [einvoice_filter] = arch.xpath("//filter[@name='einvoice_rejected']")
        self.assertEqual(einvoice_filter.get("string"), "E-invoice Would Be Rejected")
        found = self.env["account.move"].search(
            [("id", "in", (rejected | accepted | draft).ids)]
            + literal_eval(einvoice_filter.get("domain"))
        )
        self.assertEqual(found, rejected)

    # --- the Check E-invoice action ----------------------------------------------------------

    def test_check_action_on_several_invoices(self):
        no_siren_customer = self._business(name="Fromagerie Durand", company_registry=False)
        first = self._invoice(partner=no_siren_customer, post=True)
        second = self._invoice(lines=[("Extra", 10.0, self.no_tax)])
        fine = self._invoice(post=True)
        private = self._invoice(partner=self.private)
        # A result stored before the data it came from changed (e.g. a tax fixed since).
        fine.flush_recordset()
        self.env.cr.execute(
            "UPDATE account_move SET einvoice_rejected = TRUE WHERE id = %s",
            [fine.id],
        )
        fine.invalidate_recordset(["einvoice_rejected"])
        self.assertTrue(fine.einvoice_rejected)

        action = self._run_check_action(first | second | fine | private)
        params = action["params"]
        self.assertEqual((params["type"], params["sticky"]), ("warning", True))
        self.assertEqual(
            params["message"],
            f"{first.display_name}\n"
            "- Fromagerie Durand is a French business but has no SIREN: enter its SIRET or "
            "SIREN in Company ID on the customer.\n\n"
            f"{second.display_name}\n"
            "- Line 'Extra' has no tax and its VAT category cannot be decided: set a tax on "
            "it.\n\n"
            f"Would be accepted: {fine.display_name}.\n\n"
            "Not e-invoiced, nothing to check (not a sale between two businesses in France): "
            f"{private.display_name}.",
        )
        self.assertFalse(fine.einvoice_rejected, "refreshed")
        self.assertFalse(fine.einvoice_issue)
        self.assertTrue(first.einvoice_rejected)

        action = self._run_check_action(fine)
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(action["params"]["message"], f"Would be accepted: {fine.display_name}.")

    def test_check_action_refuses_other_documents(self):
        bill = self.init_invoice("in_invoice", partner=self.customer, amounts=[100.0])
        invoice = self._invoice()
        with self.assertRaisesRegex(UserError, "Only customer invoices and credit notes"):
            self._run_check_action(invoice | bill)

    def test_billing_user_checks_and_validates(self):
        billing = new_test_user(
            self.env,
            login="einvoice_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        invoice = self._invoice(self._business(company_registry=False)).with_user(billing)
        action = self._run_check_action(invoice, user=billing)
        self.assertIn(NO_SIREN, action["params"]["message"])
        invoice.action_post()
        self.assertTrue(invoice.einvoice_rejected)
        self.assertEqual(invoice.einvoice_issue, f"- {NO_SIREN}")

    def test_banner_column_filter_and_gear_action_in_the_views(self):
        invoice = self._invoice(self._business(company_registry=False), post=True)
        views = self.env["account.move"].get_views(
            [(False, "form"), (self.env.ref("account.view_out_invoice_tree").id, "list")]
        )["views"]
        form = etree.fromstring(views["form"]["arch"])
        [banner] = form.xpath("//div[@role='alert'][field[@name='einvoice_issue']]")
        self.assertIn("alert-warning", banner.get("class"))
        for rejected in (True, False):
            with self.subTest(rejected=rejected):
                shown = not safe_eval(banner.get("invisible"), {"einvoice_rejected": rejected})
                self.assertEqual(shown, rejected)
        self.assertTrue(invoice.einvoice_rejected)
        [column] = etree.fromstring(views["list"]["arch"]).xpath("//field[@name='einvoice_issue']")
        self.assertEqual(column.get("optional"), "hide")
        action = self.env.ref("invoice_classic.account_move_action_check_einvoice")
        self.assertEqual(
            (action.binding_model_id.model, action.binding_view_types),
            ("account.move", "list,form"),
            "in the gear menu of the invoice lists and forms, not a header button",
        )
        self.assertFalse(form.xpath("//header/button[@name='action_check_einvoice']"))

    # --- fixing the data clears the warning ---------------------------------------------------

    def test_fixing_the_customer_clears_the_warning(self):
        customer = self._business(company_registry=False, peppol_endpoint=False)
        invoice = self._invoice(customer, post=True)
        self.assertEqual(invoice.einvoice_issue, f"- {NO_SIREN}\n- {NO_ADDRESS}")
        with Form(customer) as form:
            form.company_registry = "55208131700000"
            form.peppol_eas = "0225"
            form.peppol_endpoint = "552081317"
        self.assertFalse(invoice.einvoice_rejected)
        self.assertFalse(invoice.einvoice_issue)

    def test_fixing_the_company_clears_the_warning(self):
        self.company.company_registry = False
        invoice = self._invoice(post=True)
        self.assertTrue(invoice.einvoice_rejected)
        self.company.company_registry = "73282932000009"
        self.assertFalse(invoice.einvoice_rejected)

    def test_other_company_invoices_follow_the_fix_and_stay_out_of_reach(self):
        """A customer shared by two companies: fixing it from one company clears the warning
        of the other's invoice too, which the user of the first still cannot read."""
        other = self.setup_other_company(name="Studio Lyon")["company"]
        other.write({"company_registry": "85123456700010", "vat": "FR39851234567"})
        other.partner_id.write({"peppol_eas": "0225", "peppol_endpoint": "851234567"})
        customer = self._business(company_registry=False)
        tax = self.env["account.chart.template"].with_company(other).ref("tva_normale")
        invoice = self._invoice(customer, [("Logo design", 500.0, tax)], company_id=other.id)
        invoice.action_post()
        self.assertEqual(invoice.einvoice_issue, f"- {NO_SIREN}")
        billing = new_test_user(
            self.env,
            login="einvoice_billing_one_company",
            groups="base.group_user,base.group_partner_manager,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self._run_check_action(invoice, user=billing)
        customer.with_user(billing).write(
            {
                "company_registry": "55208131700000",
                "peppol_eas": "0225",
                "peppol_endpoint": "552081317",
            }
        )
        self.assertFalse(invoice.einvoice_rejected)
        self.assertFalse(invoice.einvoice_issue)

    # --- fast ------------------------------------------------------------------------------

    @warmup
    def test_checking_many_invoices_is_a_constant_number_of_queries(self):
        """The invoices, their lines, partners and companies are read once for all; Odoo's VAT
        category of a tax (``_get_tax_unece_codes``, one query per call) is asked once per
        tax and customer, not per line: 20 invoices cost what 2 do."""
        customers = self.customer | self._business(name="Fromagerie Durand")
        lines = [
            ("Logo design", 500.0, self.tax_20),
            ("Books", 40.0, self.tax_55),
            ("Extra", 10.0, self.no_tax),
        ]
        invoices = self.env["account.move"].concat(
            *(self._invoice(customers[index % 2], lines) for index in range(20))
        )
        self.env.invalidate_all()
        with self.assertQueryCount(16):  # 12 reads + 4 categories (2 taxes x 2 customers)
            problems = invoices._get_einvoice_problems()
        self.assertEqual(
            [texts for texts in problems.values()],
            [["Line 'Extra' has no tax and its VAT category cannot be decided: set a tax on it."]]
            * 20,
        )


@tagged("post_install", "-at_install")
class TestEInvoiceCheckUi(EInvoiceCommon, HttpCase):
    def test_banner_and_gear_action_tour(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Boulangerie Martin",
                "is_company": True,
                "country_id": self.env.ref("base.fr").id,
                "peppol_eas": "0225",
                "peppol_endpoint": "552081317",
            }
        )
        self.company.partner_id.write({"peppol_eas": "0225", "peppol_endpoint": "732829320"})
        invoice = self.init_invoice(
            "out_invoice", partner=customer, products=self.design, post=True
        )
        self.assertTrue(invoice.einvoice_rejected)
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "invoice_classic_einvoice_check",
            login=self.env.user.login,
        )
