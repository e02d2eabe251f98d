from contextlib import contextmanager

from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import InvoiceEditorCommon


def preview_text(html):
    """What a person reads in the preview, spaces collapsed, invisible characters left out
    (the zero-width space of negative amounts)."""
    tree = lxml_html.fromstring(html)
    for node in tree.xpath("//script | //style | //title"):
        node.drop_tree()
    return " ".join(tree.text_content().replace("\ufeff", "").split())


@tagged("post_install", "-at_install")
class TestInvoicePreview(InvoiceEditorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._create_invoice()  # 1000 at 20 % and 200 at 5.5 %: 1411.00
        cls.layout_classic = cls.env.ref("invoice_classic.invoice_report_classic")
        cls.layout_modern = cls.env.ref("invoice_classic.invoice_report_modern")

    def _form_values(self, edit, record=None):
        """The values the web client sends: what an unsaved ``edit`` of the form changed,
        the onchanges applied (``onchange()``'s own input)."""
        form = Form(record if record is not None else self.invoice)
        edit(form)
        return form._get_onchange_values()

    def _preview(self, values, record=None, layout=False):
        record = record if record is not None else self.invoice
        return record.env["account.move"].get_invoice_preview_html(record.id, values, layout)

    def _amount(self, amount):
        """``amount`` as the preview reads, spaces collapsed."""
        return " ".join(self.invoice._format_amount(amount).split())

    def _discount_ten_percent(self, form):
        form.global_discount_type = "percent"
        form.global_discount_percent = 10.0

    @contextmanager
    def _assert_nothing_written(self):
        queries = []
        yield from self._patchExecute(queries)
        writes = [
            query
            for query in queries
            if query.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        self.assertFalse(writes, "the preview writes nothing")

    def test_unsaved_discount_changes_the_total(self):
        saved = preview_text(self._preview({})["html"])
        self.assertIn(self._amount(1411.0), saved)

        values = self._form_values(self._discount_ten_percent)
        text = preview_text(self._preview(values)["html"])
        # 900 at 20 % and 180 at 5.5 %
        self.assertIn(self._amount(1269.9), text)
        self.assertIn(f"Discount {self._amount(-120.0)}", text)
        self.assertNotIn(self._amount(1411.0), text)

    def test_unsaved_lines_are_shown_after_the_saved_ones(self):
        def add_line(form):
            with form.invoice_line_ids.new() as line:
                line.name = "Unsaved line"
                line.price_unit = 50.0
                line.tax_ids.clear()

        text = preview_text(self._preview(self._form_values(add_line))["html"])
        self.assertIn("Unsaved line", text)
        self.assertLess(text.index("Line 1"), text.index("Unsaved line"))
        self.assertIn(self._amount(1461.0), text)

    def test_every_layout_shows_unsaved_lines(self):
        """Odoo's own layout too (its order of lines, new ones last)."""

        def add_line(form):
            with form.invoice_line_ids.new() as line:
                line.name = "Unsaved line"
                line.price_unit = 50.0

        values = self._form_values(add_line)
        layouts = self.env["account.move"].get_invoice_preview_layouts()
        self.assertIn(
            self.env.ref("account.account_invoices").id, [option["id"] for option in layouts]
        )
        for layout in layouts:
            with self.subTest(layout=layout["name"]):
                text = preview_text(self._preview(values, layout=layout["id"])["html"])
                self.assertLess(text.index("Line 1"), text.index("Unsaved line"))

    def test_nothing_is_written(self):
        values = self._form_values(self._discount_ten_percent)
        self._preview(values)  # templates compiled, assets known
        with self._assert_nothing_written():
            self._preview(values)
        self.env.invalidate_all()
        self.assertRecordValues(
            self.invoice,
            [{"global_discount_type": False, "amount_total": 1411.0, "state": "draft"}],
        )
        self.assertEqual(len(self.invoice.invoice_line_ids), 2, "no discount line saved")

    def test_new_invoice_not_saved_yet(self):
        def fill(form):
            form.partner_id = self.customer
            with form.invoice_line_ids.new() as line:
                line.name = "First line"
                line.price_unit = 300.0
                line.tax_ids.clear()

        new_invoice = self.env["account.move"].with_context(default_move_type="out_invoice")
        values = self._form_values(fill, record=new_invoice)
        with self._assert_nothing_written():
            text = preview_text(self._preview(values, record=new_invoice)["html"])
        self.assertIn("First line", text)
        self.assertIn(self._amount(300.0), text)

    def test_layout_switch(self):
        default = self._preview({})
        self.assertEqual(default["layout_id"], self.layout_classic.id, "the company's layout")
        self.assertIn("o_invoice_classic_classic", default["html"])

        modern = self._preview({}, layout=self.layout_modern.id)
        self.assertEqual(modern["layout_id"], self.layout_modern.id)
        self.assertIn("o_invoice_classic_modern", modern["html"])
        self.assertNotIn("o_invoice_classic_classic", modern["html"])

        layouts = self.env["account.move"].get_invoice_preview_layouts()
        self.assertIn({"id": self.layout_modern.id, "name": "Invoice - Modern"}, layouts)
        not_an_invoice = self.env.ref("account.action_report_payment_receipt")
        with self.assertRaisesRegex(UserError, "does not print invoices"):
            self._preview({}, layout=not_an_invoice.id)

    def test_customer_layout_is_the_default(self):
        self.customer.with_company(
            self.env.company
        ).invoice_template_pdf_report_id = self.layout_modern
        self.assertEqual(self._preview({})["layout_id"], self.layout_modern.id)

    def test_only_customer_documents(self):
        bill = self.init_invoice("in_invoice", amounts=[100.0])
        with self.assertRaisesRegex(UserError, "Only customer invoices and credit notes"):
            self._preview({}, record=bill)

    def test_access_rights(self):
        stranger = new_test_user(
            self.env,
            login="preview_stranger",
            groups="base.group_user",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        with self.assertRaises(AccessError):
            self._preview({}, record=self.invoice.with_user(stranger))

        billing = new_test_user(
            self.env,
            login="preview_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        invoice = self.invoice.with_user(billing)
        self.assertIn("Line 1", preview_text(self._preview({}, record=invoice)["html"]))
        # A customer of a company the user does not work for: its address is not shown.
        other_company = self.env["res.company"].create({"name": "Other Company"})
        hidden = self.env["res.partner"].create(
            {"name": "Hidden Customer", "company_id": other_company.id}
        )
        with self.assertRaises(AccessError):
            self._preview({"partner_id": hidden.id}, record=invoice)

    def test_queries_do_not_grow_with_the_lines(self):
        """The lines are read together: a 20-line invoice costs the queries of a 2-line one."""
        values = self._form_values(self._discount_ten_percent)
        big = self._create_invoice(amounts=[(100.0 + index, self.vat20) for index in range(20)])
        big_values = self._form_values(self._discount_ten_percent, record=big)
        self._preview(values)
        self._preview(big_values, record=big)

        def count(record, record_values):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._preview(record_values, record=record)
            return self.env.cr.sql_log_count - before

        small_queries = count(self.invoice, values)
        big_queries = count(big, big_values)
        self.assertLessEqual(big_queries, small_queries + 5)


@tagged("post_install", "-at_install")
class TestInvoicePreviewUi(HttpCase):
    browser_size = "1920x1080"  # the preview is for wide screens

    def test_live_preview_tour(self):
        """On the demo draft invoice (50 € off, a 5 % tip): open the preview, take 100 € off
        without saving, see the new total, switch layouts, discard."""
        invoice = self.env.ref("invoice_classic.account_move_photo_demo")
        admin = self.env.ref("base.user_admin")
        settings = self.env["res.users.settings"]._find_or_create_for_user(admin)
        settings.invoice_preview_visible = False
        self.start_tour(
            f"/odoo/invoicing/{invoice.id}", "invoice_classic_live_preview", login=admin.login
        )
        self.env.invalidate_all()
        self.assertEqual(invoice.global_discount_fixed, 50.0, "nothing saved")
        self.assertEqual(invoice.amount_total, 995.4)
        self.assertTrue(settings.invoice_preview_visible, "the preview stays open")
