from odoo.tests import TransactionCase, tagged

from .einvoice_validators import cii_errors, ubl_errors


@tagged("post_install", "-at_install")
class TestEInvoiceDemo(TransactionCase):
    """Every posted invoice and credit note of the demo company, as a newcomer finds them,
    gives a Factur-X and a UBL that a French platform accepts."""

    def test_every_posted_demo_invoice_is_valid(self):
        company = self.env.ref("invoice_classic.company_studio_demo")
        moves = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
            ]
        )
        self.assertGreaterEqual(len(moves), 5)
        cii = self.env["account.edi.xml.cii"].with_company(company)
        ubl = self.env["account.edi.xml.ubl_bis3"].with_company(company)
        for move in moves:
            with self.subTest(invoice=move.name):
                errors = cii_errors(cii._export_invoice(move)[0])
                errors += ubl_errors(ubl._export_invoice(move)[0])
                self.assertFalse(errors, "\n".join(errors))
