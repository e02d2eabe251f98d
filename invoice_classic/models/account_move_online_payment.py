"""Online payment of invoices through Odoo's payment providers (``account_payment``): the
"Pay now" link of the invoices accepting a mode paid online, and the saved payment methods
of their customer, charged from the invoice."""

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    pay_now_url = fields.Char(
        string="Pay Now Link",
        compute="_compute_pay_now_url",
        help="The invoice's page on the customer portal, its payment form open: in the "
        "invoice's e-mails, PDF and reminders while the invoice can be paid online (a mode "
        "paid online accepted, a payment provider published, an amount due).",
    )
    has_saved_payment_tokens = fields.Boolean(
        string="Customer Has Saved Payment Methods",
        compute="_compute_has_saved_payment_tokens",
    )

    @api.depends(
        "state",
        "move_type",
        "payment_state",
        "amount_residual",
        "payment_mode_ids.online",
        "company_id",
        "transaction_ids.state",
        "partner_id.lang",
    )
    def _compute_pay_now_url(self):
        """The link of the saved invoice, also for it being edited (a form, the live
        preview: a new record whose origin it is); none for an invoice not saved yet."""
        companies = self._get_online_payment_companies()
        payable = self.filtered(
            lambda m: (
                m._origin
                and m.company_id in companies
                and any(m.payment_mode_ids.mapped("online"))
                and m._origin._has_to_be_paid()
            )
        )
        (self - payable).pay_now_url = False
        for move in payable:
            # Odoo's "Pay Now" of the portal: the invoice's page, its payment form open, in
            # the customer's language.
            invoice = move._origin
            move.pay_now_url = (
                invoice.get_base_url()
                + invoice._get_pay_now_lang_prefix()
                + invoice.get_portal_url(anchor="portal_pay", query_string="&payment=True")
            )

    def _get_pay_now_lang_prefix(self):
        """The language part of the link ("/fr"): the customer's language when it is not the
        portal's default one. Without it, Odoo's portal speaks its default language (or the
        one the visitor last chose) to a customer whose e-mail, PDF and SMS are in another."""
        self.ensure_one()
        langs = self.env["res.lang"]._get_frontend()
        lang = langs[self.partner_id.lang] if self.partner_id.lang else None
        if len(langs) < 2 or not lang or not lang.code:
            return ""
        # The portal's default language, as Odoo's routing finds it (http_routing's
        # _get_default_lang, without a request): the contacts' default, else the first one.
        # Safe: sudo only reads that default.
        default = self.env["ir.default"].sudo()._get("res.partner", "lang")
        if default not in langs:
            default = next(iter(langs))
        return "" if lang.code == default else f"/{lang.url_code}"

    def _get_online_payment_companies(self):
        """The companies of these invoices that have a payment provider their customers see."""
        # sudo: only whether a published provider exists; billing users cannot read providers.
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    ("state", "in", ("enabled", "test")),
                    ("is_published", "=", True),
                ]
            )
        )
        return providers.company_id

    @api.depends("company_id", "commercial_partner_id")
    def _compute_has_saved_payment_tokens(self):
        tokens = self.env["payment.token"]._invoice_classic_chargeable(
            self.commercial_partner_id, self.company_id
        )
        chargeable = {
            (token.company_id.id, token.partner_id.commercial_partner_id.id) for token in tokens
        }
        for move in self:
            move.has_saved_payment_tokens = (
                move.company_id.id,
                move.commercial_partner_id.id,
            ) in chargeable

    def action_charge_saved_payment_token(self):
        """ "Charge Saved Card": choose one of the customer's saved payment methods."""
        self.ensure_one()
        self._check_chargeable()
        return {
            "type": "ir.actions.act_window",
            "name": _("Charge a Saved Payment Method"),
            "res_model": "invoice.classic.charge.token",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_invoice_id": self.id},
        }

    def _check_chargeable(self):
        """Only the amount due of a posted customer invoice is charged."""
        for move in self:
            if not (
                move.state == "posted"
                and move.move_type == "out_invoice"
                and move.payment_state in ("not_paid", "partial")
                and not move.currency_id.is_zero(move.amount_residual)
            ):
                raise UserError(
                    _(
                        "Invoice %(invoice)s has nothing to charge: only a posted customer "
                        "invoice with an amount due can be charged to a saved payment method.",
                        invoice=move.display_name,
                    )
                )

    def _add_pay_now_html(self, body, lang=None):
        """``body``, an e-mail about this invoice, and below it the "Pay now" paragraph of
        the invoice while it can be paid online."""
        pay_now = self._get_pay_now_html(lang=lang)
        return Markup(body or "") + pay_now if pay_now else body

    def _get_pay_now_html(self, lang=None):
        """The "Pay now" paragraph of this invoice's e-mails (empty when it cannot be paid
        online), in ``lang``, else its customer's language."""
        self.ensure_one()
        if not self.pay_now_url:
            return ""
        lang = lang or self.partner_id.lang or self.env.lang
        return (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "invoice_classic.invoice_pay_now_email", {"invoice": self.with_context(lang=lang)}
            )
        )
