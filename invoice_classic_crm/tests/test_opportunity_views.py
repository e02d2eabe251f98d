from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InvoiceClassicCrmCommon


@tagged("post_install", "-at_install")
class TestOpportunityViews(InvoiceClassicCrmCommon):
    def _header_buttons(self, lead):
        """The invoicing buttons of the opportunity form a user sees on ``lead``, as
        (label, method): their ``invisible`` evaluated as the web client does."""
        views = self.env["crm.lead"].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        values = {
            "type": lead.type,
            "invoiceable_order_count": lead.invoiceable_order_count,
            "context": {},
        }
        return [
            (button.get("string"), button.get("name"))
            for button in arch.xpath("//header/button[starts-with(@name, 'action_invoice')]")
            if not safe_eval(button.get("invisible") or "False", values)
        ]

    def test_form_offers_per_order_or_for_all(self):
        lead = self._create_opportunity()
        self.assertEqual(self._header_buttons(lead), [], "nothing to invoice")

        quotation = self._create_order()
        quotation.opportunity_id = lead
        self.assertEqual(self._header_buttons(lead), [("Create Invoice", "action_invoice_orders")])

        self._create_order([(self.design, 1.0)], confirm=True).opportunity_id = lead
        self.assertEqual(
            self._header_buttons(lead),
            [
                ("One Invoice per Order", "action_invoice_orders"),
                ("One Invoice for All", "action_invoice_orders_grouped"),
            ],
        )

        lead.type = "lead"
        self.assertEqual(self._header_buttons(lead), [], "a lead has no quotation of its own")

    def test_count_of_many_opportunities_is_batched(self):
        """The count of what a click invoices: a few queries for all the opportunities."""
        leads = self.env["crm.lead"]
        for _index in range(2):
            leads |= self._create_opportunity(orders=self._create_order() | self._create_order())
        many = leads
        for _index in range(8):
            many |= self._create_opportunity(orders=self._create_order() | self._create_order())

        self.env.invalidate_all()
        many.mapped("invoiceable_order_count")  # fills the caches of access rules and groups
        self.env.invalidate_all()
        with self.assertQueryCount(3):  # the opportunities, their orders, the orders' states
            self.assertEqual(leads.mapped("invoiceable_order_count"), [2] * 2)
        self.env.invalidate_all()
        with self.assertQueryCount(3):
            self.assertEqual(many.mapped("invoiceable_order_count"), [2] * 10)

    def test_list_invoices_several_opportunities(self):
        """Actions > Create Invoices (one per order / one per customer) in the list."""
        first = self._create_opportunity(orders=self._create_order())
        second = self._create_opportunity(orders=self._create_order([(self.design, 2.0)]))
        bound = self.env["ir.actions.actions"].get_bindings("crm.lead")["action"]
        names = {action["name"] for action in bound if "list" in action["binding_view_types"]}
        self.assertLessEqual(
            {"Create Invoices (one per order)", "Create Invoices (one per customer)"}, names
        )

        action = self.env.ref("invoice_classic_crm.crm_lead_action_invoice_orders_grouped")
        result = action.with_context(active_model="crm.lead", active_ids=(first | second).ids).run()

        invoice = first.order_ids.invoice_ids
        self.assertEqual(second.order_ids.invoice_ids, invoice, "one invoice for the customer")
        self.assertEqual(result["res_id"], invoice.id)
        self.assertEqual(invoice.amount_untaxed, 1500.0 + 1000.0)
