from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import InvoiceClassicCrmCommon


@tagged("post_install", "-at_install")
class TestInvoiceFromOpportunity(InvoiceClassicCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # What a click invoices: a quotation (10 chairs, 1 design) and a confirmed order
        # with a service to invoice; never the cancelled order nor the invoiced one.
        cls.quotation = cls._create_order()
        cls.order = cls._create_order([(cls.design, 2.0)], confirm=True)
        cls.cancelled = cls._create_order([(cls.design, 1.0)])
        cls.cancelled._action_cancel()
        cls.invoiced = cls._create_order([(cls.design, 1.0)], confirm=True)
        cls.invoiced._invoice_one_click()
        cls.lead = cls._create_opportunity(cls.quotation | cls.order | cls.cancelled | cls.invoiced)

    def test_counts_what_a_click_invoices(self):
        self.assertEqual(self.lead.invoiceable_order_count, 2)
        self.assertEqual(self.lead._get_orders_to_invoice(), self.quotation | self.order)
        self.quotation.action_confirm()
        self.assertEqual(self.lead.invoiceable_order_count, 2, "a confirmed quotation too")
        self.order._invoice_one_click()
        self.assertEqual(self.lead.invoiceable_order_count, 1, "not an invoiced order")

    def test_one_invoice_per_order(self):
        action = self.lead.action_invoice_orders()

        invoices = (self.quotation | self.order).invoice_ids
        self.assertEqual(len(invoices), 2)
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(set(action["domain"][0][2]), set(invoices.ids))
        for order in self.quotation | self.order:
            self.assertEqual(len(order.invoice_ids), 1)
            self.assertEqual(order.invoice_ids.invoice_line_ids.sale_line_ids.order_id, order)
            self.assertEqual(order.invoice_ids.state, "draft", "the user can still add a line")
        self.assertEqual(self.quotation.invoice_ids.amount_untaxed, 1500.0)
        self.assertEqual(self.order.invoice_ids.amount_untaxed, 1000.0)
        self.assertEqual(self.cancelled.state, "cancel")
        self.assertFalse(self.cancelled.invoice_ids)
        self.assertEqual(len(self.invoiced.invoice_ids), 1, "not invoiced twice")
        self.assertEqual(self.lead.invoiceable_order_count, 0)

    def test_one_invoice_for_all(self):
        action = self.lead.action_invoice_orders_grouped()

        invoice = self.quotation.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(self.order.invoice_ids, invoice, "one invoice for both")
        self.assertEqual(action["res_id"], invoice.id)
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.amount_untaxed, 1500.0 + 1000.0)
        self.assertEqual(
            invoice.invoice_line_ids.sale_line_ids.order_id, self.quotation | self.order
        )
        self.assertEqual(
            set(invoice.invoice_origin.split(", ")), {self.quotation.name, self.order.name}
        )

    def test_one_invoice_for_all_is_one_per_customer(self):
        """As the orders' grouped invoicing: one invoice per customer of the orders."""
        other = self._create_order([(self.design, 1.0)], partner=self.partner_b)
        other.opportunity_id = self.lead

        self.lead.action_invoice_orders_grouped()

        self.assertEqual(self.quotation.invoice_ids, self.order.invoice_ids)
        self.assertEqual(len(other.invoice_ids), 1)
        self.assertNotEqual(other.invoice_ids, self.order.invoice_ids)
        self.assertEqual(other.invoice_ids.partner_id, self.partner_b)

    def test_quotations_are_confirmed_and_invoiced_as_quoted(self):
        """A quotation made from the opportunity's New Quotation, and a sent one: the click
        confirms them and invoices the quoted quantities (chairs are invoiced on delivery)."""
        lead = self._create_opportunity()
        made_here = self._new_quotation(lead, [(self.chair, 3.0), (self.design, 1.0)])
        sent = self._create_order([(self.chair, 2.0)])
        sent.action_quotation_sent()
        sent.opportunity_id = lead
        self.assertEqual(made_here.opportunity_id, lead)
        self.assertEqual(lead.quotation_count, 2)
        self.assertEqual(lead.invoiceable_order_count, 2)

        lead.action_invoice_orders()

        self.assertEqual((made_here | sent).mapped("state"), ["sale", "sale"])
        self.assertEqual(lead.quotation_count, 0)
        self.assertEqual(lead.sale_order_count, 2)
        self.assertEqual(self._lines_by_product(made_here.invoice_ids)[self.chair].quantity, 3.0)
        self.assertEqual(self._lines_by_product(sent.invoice_ids)[self.chair].quantity, 2.0)
        self.assertEqual(made_here.invoice_status, "invoiced")
        self.assertEqual(lead.expected_revenue, 800.0, "Odoo's sale_crm still follows the orders")

    def test_nothing_to_invoice_is_refused(self):
        invoices_before = self.env["account.move"].search_count([])

        empty = self._create_opportunity(name="Empty")
        with self.assertRaisesRegex(UserError, "No quotation or sales order to invoice on Empty"):
            empty.action_invoice_orders()

        cancelled_only = self._create_opportunity(name="Lost", orders=self._create_order())
        cancelled_only.order_ids._action_cancel()
        self.assertEqual(cancelled_only.invoiceable_order_count, 0)
        with self.assertRaisesRegex(UserError, "No quotation or sales order to invoice on Lost"):
            cancelled_only.action_invoice_orders_grouped()

        # Orders that have nothing to invoice now: invoice_classic's reasons, order by order.
        waiting = self._create_order([(self.chair, 5.0)], confirm=True)
        lead = self._create_opportunity(name="Waiting", orders=waiting | self.invoiced)
        self.assertEqual(lead.invoiceable_order_count, 0)
        with self.assertRaises(UserError) as refusal:
            lead.action_invoice_orders()
        message = str(refusal.exception)
        self.assertTrue(message.startswith("Nothing to invoice on Waiting:\n"), message)
        self.assertIn(f"{self.invoiced.name} is already fully invoiced.", message)
        self.assertIn(f"{waiting.name}: Chair are invoiced on delivered quantities", message)

        self.assertEqual(self.env["account.move"].search_count([]), invoices_before)

    def test_refusal_is_translated_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["invoice_classic", "invoice_classic_crm"], ["fr_FR"]
        )
        empty = self._create_opportunity(name="Vide")
        with self.assertRaisesRegex(
            UserError, "Aucun devis ni aucune commande client à facturer sur Vide"
        ):
            empty.with_context(lang="fr_FR").action_invoice_orders()

        waiting = self._create_order([(self.chair, 5.0)], confirm=True)
        lead = self._create_opportunity(name="Attente", orders=waiting)
        with self.assertRaisesRegex(UserError, "Rien à facturer sur Attente :\n"):
            lead.with_context(lang="fr_FR").action_invoice_orders()

    def test_refusals_of_the_orders_are_invoice_classics(self):
        """A quotation with no product line stops the whole click, with invoice_classic's
        message, and changes nothing."""
        blank = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "opportunity_id": self.lead.id}
        )
        with self.assertRaisesRegex(UserError, f"Quotation {blank.name} has no product line"):
            self.lead.action_invoice_orders()
        self.assertEqual(self.quotation.state, "draft", "a refusal changes nothing")
        self.assertFalse(self.order.invoice_ids)

    def test_other_company_is_refused(self):
        company_2 = self.setup_other_company()["company"]
        order = (
            self.env["sale.order"]
            .with_company(company_2)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.design.id})],
                }
            )
        )
        lead = self._create_opportunity(orders=order, company_id=company_2.id)
        only_company_1 = {"allowed_company_ids": self.env.company.ids}
        with self.assertRaisesRegex(UserError, "Shop refit belongs to the company company_2"):
            lead.with_context(**only_company_1).action_invoice_orders()
        # An opportunity of no company: its order is refused by invoice_classic itself.
        lead.company_id = False
        with self.assertRaisesRegex(UserError, f"{order.name} belongs to the company company_2"):
            lead.with_context(**only_company_1).action_invoice_orders_grouped()
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.state, "draft")

        lead.with_context(allowed_company_ids=company_2.ids).action_invoice_orders()
        self.assertEqual(order.invoice_ids.company_id, company_2)

    def test_salesman_as_from_the_orders(self):
        """A salesman (Sales: own documents only, no invoicing right): no button, as on the
        orders; called anyway, the click does what the orders' does for them: Odoo lets a
        salesperson invoice their own orders (it creates the invoice as superuser), and
        they see only their own orders."""
        salesman = new_test_user(
            self.env,
            login="salesman_crm",
            groups="sales_team.group_sale_salesman",
            company_id=self.env.company.id,
        )
        customer = self.env["res.partner"].create({"name": "Walk-in customer"})

        def quotation(user):
            return self.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": user.id,
                    "order_line": [Command.create({"product_id": self.design.id})],
                }
            )

        own_order, own, others = quotation(salesman), quotation(salesman), quotation(self.env.user)
        lead = self._create_opportunity(orders=own | others, user_id=salesman.id)

        for model in ("sale.order", "crm.lead"):
            arch = self.env[model].with_user(salesman).get_views([(False, "form")])
            arch = arch["views"]["form"]["arch"]
            with self.subTest(model=model):
                self.assertNotIn("action_invoice_one_click", arch)
                self.assertNotIn("action_invoice_orders", arch)

        self.env.invalidate_all()  # as a new request: the salesman's own reads
        from_order = own_order.with_user(salesman).action_invoice_one_click()
        from_lead = lead.with_user(salesman).action_invoice_orders()

        self.assertEqual(from_order["res_model"], "account.move")
        self.assertEqual(from_lead["res_model"], "account.move")
        self.assertEqual(own_order.state, "sale")
        self.assertEqual(own.state, "sale")
        self.assertEqual(from_lead["res_id"], own.invoice_ids.id)
        self.assertEqual(own.invoice_ids.amount_untaxed, 500.0)
        self.assertEqual(others.state, "draft", "another salesperson's order is not theirs")
        self.assertFalse(others.invoice_ids)
