from unittest.mock import patch

from odoo.tests import tagged

from ..tools import RARELY_READ
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

    def test_odoo_flows_leave_the_rarely_read_fields_unread(self):
        """Validating and paying an invoice with Odoo's own buttons reads none of the stored
        fields the addon fetches apart (the late-payment terms, the reminders, the legal
        mentions): every read of the invoice's row stays as narrow as without the addon."""
        rarely_read = [
            field
            for field in self.env["account.move"]._fields.values()
            if field.prefetch == RARELY_READ
        ]
        self.assertGreaterEqual(
            {field.name for field in rarely_read},
            {"penalty_type", "penalty_rate", "reminder_last_level_id", "operation_type"},
        )
        invoice = self._confirmed_order()._create_invoices()
        # Which of them are fetched from the database, on any journal entry (the invoice, its
        # payment's): a spy on the ORM's fetch, which does its work.
        fetched = []
        moves_class = type(self.env["account.move"])
        fetch_query = moves_class._fetch_query

        def spy(records, query, fields):
            fetched.extend(field.name for field in fields if field.prefetch == RARELY_READ)
            return fetch_query(records, query, fields)

        with patch.object(moves_class, "_fetch_query", spy):
            self.env.flush_all()
            self.env.invalidate_all()
            invoice.action_post()
            self.env.flush_all()
            self.assertEqual(fetched, [], "read when validating")

            self.env.invalidate_all()
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({}).action_create_payments()
            self.env.flush_all()
            self.assertIn(invoice.payment_state, ("paid", "in_payment"))
            self.assertEqual(fetched, [], "read when paying")
        # What reads them (the printed terms) gets them, in one query for all.
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            read = (invoice.penalty_type, invoice.operation_type, invoice.reminder_last_level_id)
        self.assertEqual(read[1], "services")
        self.assertFalse(read[2])
