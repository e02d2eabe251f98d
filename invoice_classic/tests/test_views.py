import ast

from lxml import etree

from odoo import models
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InvoiceEditorCommon


@tagged("post_install", "-at_install")
class TestViews(InvoiceEditorCommon):
    def _arch(self, view_xmlid, view_type):
        view = self.env.ref(view_xmlid)
        views = self.env["account.move"].get_views([(view.id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_due_date_label_goes_with_its_field(self):
        """With installments the due date (or payment terms) gives way to the schedule: its
        label goes too, or the fields below it shift into the wrong cells of the grid."""
        arch = self._arch("account.view_move_form", "form")
        field_cell = arch.xpath("//div[@name='due_date']")[0]
        label_cell = field_cell.getprevious()
        self.assertIn("o_td_label", label_cell.get("class"))
        for installment_mode in ("equal", "percent", False):
            values = {
                "move_type": "out_invoice",
                "installment_mode": installment_mode,
                "invoice_payment_term_id": False,
            }
            with self.subTest(installment_mode=installment_mode):
                self.assertEqual(
                    bool(safe_eval(label_cell.get("invisible"), values)),
                    bool(installment_mode),
                )
                self.assertEqual(
                    bool(safe_eval(field_cell.get("invisible"), values)),
                    bool(installment_mode),
                )

    def test_overdue_list_amounts_have_their_currency(self):
        """Overdue Invoices: every amount has its currency in the list (without it Odoo shows
        no currency sign, and "—" for the total), and only stored amounts are summed."""
        arch = self._arch("invoice_classic.account_move_view_list_overdue", "list")
        moves = self.env["account.move"]
        columns = {node.get("name") for node in arch.iter("field")}
        for node in arch.iter("field"):
            field = moves._fields[node.get("name")]
            if field.type != "monetary":
                continue
            with self.subTest(field=field.name):
                self.assertIn(field.get_currency_field(moves), columns)
                if node.get("sum"):
                    self.assertTrue(field.store, "summed by the database in grouped lists")

    def _visible_nodes(self, arch, xpath, record):
        """The nodes of ``arch`` at ``xpath`` a user sees on ``record``: their ``invisible``
        condition evaluated on the record's values, as the web client does."""
        visible = []
        for node in arch.xpath(xpath):
            condition = node.get("invisible")
            if condition:
                names = {
                    n.id for n in ast.walk(ast.parse(condition.strip())) if isinstance(n, ast.Name)
                }
                values = {"context": {}, "uid": self.env.uid}
                for name in names & set(record._fields):
                    value = record[name]
                    if isinstance(value, models.BaseModel):
                        value = (
                            value.ids if record._fields[name].type.endswith("2many") else value.id
                        )
                    values[name] = value
                if safe_eval(condition, values):
                    continue
            visible.append(node)
        return visible

    def test_posted_invoice_header_keeps_main_actions(self):
        """A posted invoice's header has Odoo's main actions and the PDF: the secondary
        actions (Duplicate, Mark as Sent, Send by SMS, Save as Template) are in the gear menu."""
        invoice = self.init_invoice("out_invoice", products=self.product_a, post=True)
        arch = self._arch("account.view_move_form", "form")
        buttons = self._visible_nodes(arch, "//header//button", invoice)
        labels = [button.get("string") or button.get("name") for button in buttons]
        self.assertLessEqual(len(buttons), 7, labels)
        for label in ("Duplicate", "Mark as Sent", "Send by SMS", "Save as Template"):
            self.assertNotIn(label, labels)
        bound = self.env["ir.actions.actions"].get_bindings("account.move")["action"]
        in_gear = {action["name"] for action in bound if "form" in action["binding_view_types"]}
        for label in ("Duplicate (dated today)", "Mark as Sent", "Send by SMS", "Save as Template"):
            self.assertIn(label, in_gear)
        self.assertIn("PDF", labels)
        self.assertNotIn("Invoice PDF", in_gear, "the header's PDF button, not twice")
        action = self.env.ref("invoice_classic.account_move_action_mark_as_sent")
        action.with_context(active_model="account.move", active_ids=invoice.ids).run()
        self.assertTrue(invoice.is_move_sent)

    def test_sale_list_offers_create_invoices_once(self):
        """The sales lists' "Create Invoices" invoices the selected orders in one click (one
        per order); Odoo's wizard stays in the Action menu for down payments and one invoice
        per customer (its "consolidated billing"): no entry of the addon beside them."""
        for xmlid in ("sale.view_quotation_tree", "sale.view_order_tree"):
            view = self.env.ref(xmlid)
            views = self.env["sale.order"].get_views([(view.id, "list")])
            arch = etree.fromstring(views["views"]["list"]["arch"])
            with self.subTest(view=xmlid):
                (button,) = arch.xpath("//header/button[@string='Create Invoices']")
                self.assertEqual(button.get("type"), "object")
                self.assertEqual(button.get("name"), "action_invoice_one_click")
        bound = self.env["ir.actions.actions"].get_bindings("sale.order")["action"]
        invoicing = [action["name"] for action in bound if "nvoice" in action["name"]]
        self.assertEqual(invoicing, ["Create invoice(s)"])
        wizard = self.env["sale.advance.payment.inv"]
        self.assertIn("consolidated_billing", wizard._fields)

    def test_payment_wizard_says_once_how_money_came(self):
        """Registering a customer payment: "Received By" (the addon's mode) says how the
        money came; Odoo's "Payment Method" shows only where the journal offers a choice."""
        invoice = self.init_invoice("out_invoice", products=self.product_a, post=True)
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({})
        )
        views = wizard.get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        shown = {node.get("name") for node in self._visible_nodes(arch, "//field", wizard)}
        self.assertEqual(len(wizard.available_payment_method_line_ids), 1)
        self.assertIn("payment_mode_id", shown)
        self.assertNotIn("payment_method_line_id", shown)
        self.assertTrue(wizard.payment_method_line_id, "still set, by Odoo's default")

    def test_pdf_wizard_shows_no_technical_field(self):
        """The PDF wizard asks only for the layout (the invoices are those selected; their
        field, if ever named in an error, is "Invoices"). Its "Preview" is Odoo's own word
        (translated "Aperçu")."""
        invoices = self.init_invoice("out_invoice", products=self.product_a, post=True)
        invoices |= self.init_invoice("out_invoice", products=self.product_a, post=True)
        wizard_model = self.env["invoice.classic.pdf.wizard"]
        views = wizard_model.get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        for moves in (invoices[:1], invoices):
            wizard = wizard_model.with_context(active_ids=moves.ids).create({})
            shown = {n.get("name") for n in self._visible_nodes(arch, "//field", wizard)}
            with self.subTest(count=len(moves)):
                self.assertIn("report_id", shown)
                self.assertNotIn("move_ids", shown)
        self.assertEqual(wizard_model._fields["move_ids"].string, "Invoices")
        self.assertEqual(arch.xpath("//footer/button[@name='action_preview']/@string"), ["Preview"])

    def test_gear_actions_say_where_they_do_not_apply(self):
        """The gear menu shows its actions on every entry: where one does not apply, it says
        so instead of doing nothing."""
        draft = self.init_invoice("out_invoice", products=self.product_a)
        bill = self.init_invoice("in_invoice", products=self.product_a, post=True)
        with self.assertRaisesRegex(UserError, "can be marked as sent"):
            draft.action_mark_as_sent()
        with self.assertRaisesRegex(UserError, "can be sent by SMS"):
            draft.action_send_sms()
        with self.assertRaisesRegex(UserError, "saved as a template"):
            bill.action_save_as_template()
