from odoo.tests import tagged

from .common import InvoiceClassicCommon


@tagged("post_install", "-at_install")
class TestPerformance(InvoiceClassicCommon):
    def _confirmed_order(self):
        order = self._create_order(
            [
                (self.design, 1.0),
                (self.design, 2.0),
                (self.design, 3.0),
                (self.design, 4.0),
                (self.design, 5.0),
            ],
            confirm=True,
        )
        self.env.flush_all()
        self.env.invalidate_all()
        return order

    def test_one_click_costs_no_more_than_odoo_standard(self):
        """One-click on one order: at most Odoo's own ``_create_invoices()`` on the
        same kind of order, plus 10 %."""
        self._confirmed_order()._create_invoices(final=True)  # warm the caches
        standard_order = self._confirmed_order()
        queries_before = self.cr.sql_log_count
        standard_order._create_invoices(final=True)
        self.env.flush_all()
        standard_queries = self.cr.sql_log_count - queries_before
        self.assertTrue(standard_queries)

        order = self._confirmed_order()
        with self.assertQueryCount(int(standard_queries * 1.1)):
            order.action_invoice_one_click()
        self.assertEqual(order.invoice_ids.amount_untaxed, 15 * 500.0)
