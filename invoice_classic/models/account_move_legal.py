from stdnum.fr import siren

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import RARELY_READ


class AccountMove(models.Model):
    """The mentions French law asks an invoice to state about its customer and its
    operation (and the French e-invoice carries): the customer's SIREN, the category of
    the operation, the option for VAT on debits, the delivery address when it differs."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    customer_siren = fields.Char(
        string="Customer SIREN",
        compute="_compute_customer_siren",
        store=True,
        readonly=False,
        help="The customer's SIREN (9 digits), from its company registry number.",
    )
    operation_type = fields.Selection(
        selection=[
            ("goods", "Goods"),
            ("services", "Services"),
            ("mixed", "Goods and services"),
        ],
        string="Operation Category",
        compute="_compute_operation_type",
        store=True,
        readonly=False,
        prefetch=RARELY_READ,
    )
    vat_on_debits = fields.Boolean(
        string="VAT on Debits",
        compute="_compute_vat_on_debits",
        store=True,
        readonly=False,
        prefetch=RARELY_READ,
        help="The seller opted to pay VAT on debits (option pour le paiement de la taxe "
        "d'après les débits).",
    )
    show_delivery_address = fields.Boolean(compute="_compute_show_delivery_address")

    @api.depends("commercial_partner_id.company_registry", "commercial_partner_id.siret")
    def _compute_customer_siren(self):
        for move in self:
            customer = move.commercial_partner_id
            move.customer_siren = customer._get_registry_siren() if customer else False

    @api.depends("invoice_line_ids.product_id.type")
    def _compute_operation_type(self):
        """From the products invoiced; lines without product (typed by hand, penalties)
        are services unless the user chose otherwise: French invoices must always state
        the category (and the e-invoice's BT-23 is mandatory). None on the other entries
        (a payment...), which state nothing."""
        for move in self:
            if not move.is_invoice(include_receipts=True):
                move.operation_type = False
                continue
            kinds = {
                "services" if product.type == "service" else "goods"
                for product in move.invoice_line_ids.product_id
            }
            if kinds:
                move.operation_type = kinds.pop() if len(kinds) == 1 else "mixed"
            elif not move.operation_type:
                move.operation_type = "services"

    @api.depends("operation_type", "company_id.invoice_vat_on_debits")
    def _compute_vat_on_debits(self):
        for move in self:
            move.vat_on_debits = move.company_id.invoice_vat_on_debits and move.operation_type in (
                "services",
                "mixed",
            )

    @api.depends("partner_id", "partner_shipping_id")
    def _compute_show_delivery_address(self):
        for move in self:
            move.show_delivery_address = bool(
                move.partner_shipping_id and move.partner_shipping_id != move.partner_id
            )

    @api.constrains("customer_siren")
    def _check_customer_siren(self):
        """9 digits as typed (no spaces) with the check digit every SIREN carries."""
        for move in self.filtered("customer_siren"):
            if not (move.customer_siren.isdigit() and siren.is_valid(move.customer_siren)):
                raise ValidationError(
                    _(
                        "The customer SIREN %(siren)s is not valid: it has 9 digits and a valid "
                        "check digit (the first 9 digits of a SIRET).",
                        siren=move.customer_siren,
                    )
                )
