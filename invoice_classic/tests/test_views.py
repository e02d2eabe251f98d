from lxml import etree

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
