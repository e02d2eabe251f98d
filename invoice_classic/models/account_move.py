import re
from collections import defaultdict
from contextlib import contextmanager
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, formatLang, frozendict

from ..tools import PenaltyTerms, normalize_text, penalty_due

RECOVERY_INDEMNITY_EUR = 40.0
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")
INSTALLMENT_STEPS = {
    "days": lambda n: relativedelta(days=n),
    "months": lambda n: relativedelta(months=n),
}


def _siren_is_valid(siren):
    """9 digits and the Luhn checksum every SIREN carries."""
    if not re.fullmatch(r"\d{9}", siren):
        return False
    total = 0
    for index, digit in enumerate(int(char) for char in siren):
        if index % 2:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = [
        "account.move",
        "invoice.classic.penalty.terms.document.mixin",
        "invoice.classic.content.mixin",
        "invoice.classic.card.number.mixin",
    ]

    _sql_constraints = [
        (
            "invoice_title_uniq",
            "",  # the unique index of init(): partial, on the normalised title
            (
                "This title is already used by another invoice of the company: give this invoice "
                "another title."
            ),
        ),
    ]

    # --- details ---------------------------------------------------------------------------
    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        relation="account_move_stock_picking_rel",
        column1="move_id",
        column2="picking_id",
        string="Transfers",
        copy=False,
        readonly=True,
        help="The deliveries or returns this invoice or credit note was created from.",
    )
    invoice_title = fields.Char(
        string="Title",
        copy=False,
        tracking=True,
        index="trigram",
        help="A short name to find the invoice again; unique among the company's invoices.",
    )
    invoice_title_key = fields.Char(
        string="Title Key",
        compute="_compute_invoice_title_key",
        store=True,
        help="The title as compared for uniqueness: without accents, case or extra spaces.",
    )

    # --- addresses and legal identity (French e-invoicing mentions) -------------------------
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
    )
    vat_on_debits = fields.Boolean(
        string="VAT on Debits",
        compute="_compute_vat_on_debits",
        store=True,
        readonly=False,
        help="The seller opted to pay VAT on debits (option pour le paiement de la taxe "
        "d'après les débits).",
    )
    show_delivery_address = fields.Boolean(compute="_compute_show_delivery_address")

    # --- invoice-level discount and tip (real invoice lines, kept in sync while draft) -------
    amount_global_discount = fields.Monetary(string="Discount", compute="_compute_classic_amounts")
    amount_tip = fields.Monetary(string="Tip Total", compute="_compute_classic_amounts")
    needed_discount_lines = fields.Binary(
        compute="_compute_needed_discount_lines", exportable=False
    )
    needed_discount_lines_dirty = fields.Boolean(compute="_compute_needed_discount_lines")
    needed_tip_lines = fields.Binary(compute="_compute_needed_tip_lines", exportable=False)
    needed_tip_lines_dirty = fields.Boolean(compute="_compute_needed_tip_lines")

    # --- installments (payment-term lines of their own) ------------------------------------
    installment_first_date = fields.Date(
        string="First Installment", help="Empty: the invoice date."
    )
    installment_line_ids = fields.One2many(
        comodel_name="account.move.line",
        compute="_compute_installment_line_ids",
        string="Installment Schedule",
    )

    # --- late-payment penalty terms (from the customer, else the company) ------------------
    penalty_terms_text = fields.Text(
        string="Late-Payment Terms", compute="_compute_penalty_terms_text"
    )

    # --- attachments and payment modes -----------------------------------------------------
    invoice_attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="account_move_invoice_classic_attachment_rel",
        column1="move_id",
        column2="attachment_id",
        string="Files for the Customer",
        help="Sent with the invoice when it is e-mailed.",
    )
    payment_mode_ids = fields.Many2many(
        comodel_name="invoice.classic.payment.mode",
        string="Accepted Payment Modes",
        compute="_compute_payment_mode_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    accepts_bank_transfer = fields.Boolean(compute="_compute_accepts_bank_transfer")

    # --- templates ---------------------------------------------------------------------------
    classic_template_id = fields.Many2one(
        comodel_name="invoice.classic.template",
        string="Template",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    classic_period_date = fields.Date(
        string="Recurring Period",
        copy=False,
        readonly=True,
        help="The period of its template this recurring invoice is for.",
    )

    # ---------------------------------------------------------------------------------------
    # Computes
    # ---------------------------------------------------------------------------------------

    @api.depends("commercial_partner_id.company_registry")
    def _compute_customer_siren(self):
        for move in self:
            registry = re.sub(r"\s", "", move.commercial_partner_id.company_registry or "")
            match = re.fullmatch(r"(\d{9})(\d{5})?", registry)
            move.customer_siren = match.group(1) if match else False

    @api.depends("invoice_line_ids.product_id.type")
    def _compute_operation_type(self):
        """From the products invoiced; lines without product (typed by hand, penalties)
        are services unless the user chose otherwise: French invoices must always state
        the category (and the e-invoice's BT-23 is mandatory)."""
        for move in self:
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

    @api.depends(
        "invoice_line_ids.classic_line_type",
        "invoice_line_ids.price_subtotal",
        "invoice_line_ids.price_total",
    )
    def _compute_classic_amounts(self):
        for move in self:
            lines = move.invoice_line_ids
            move.amount_global_discount = sum(
                line.price_subtotal for line in lines if line.classic_line_type == "discount"
            )
            move.amount_tip = sum(
                line.price_total for line in lines if line.classic_line_type == "tip"
            )

    def _classic_base_lines(self):
        """The product lines the discount and the tip are computed on."""
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and not line.classic_line_type
        )

    def _is_classic_sync_needed(self):
        return self.state == "draft" and self.move_type in CUSTOMER_MOVE_TYPES

    @api.depends(
        "global_discount_type",
        "global_discount_percent",
        "global_discount_fixed",
        "invoice_line_ids.price_unit",
        "invoice_line_ids.quantity",
        "invoice_line_ids.discount",
        "invoice_line_ids.tax_ids",
        "invoice_line_ids.classic_line_type",
        "currency_id",
        "partner_id",
        "company_id.invoice_discount_account_id",
    )
    def _compute_needed_discount_lines(self):
        """One discount line per tax combination, in proportion to the bases, the way
        ``sale.order.discount`` splits an order discount (fixed taxes are not discounted)."""
        for move in self:
            move.needed_discount_lines_dirty = move._is_classic_sync_needed()
            move.needed_discount_lines = {} if move.needed_discount_lines_dirty else False
            ratio = move._get_global_discount_ratio()
            if not move.needed_discount_lines_dirty or not ratio:
                continue
            price_per_taxes = defaultdict(float)
            for line in move._classic_base_lines():
                if not line.quantity or not line.price_unit:
                    continue
                taxes = line.tax_ids.flatten_taxes_hierarchy()
                taxes -= taxes.filtered(lambda tax: tax.amount_type == "fixed")
                price_per_taxes[taxes] += (
                    line.price_unit * (1 - (line.discount or 0.0) / 100.0) * line.quantity
                )
            lang_move = move.with_context(lang=move.partner_id.lang or self.env.lang)
            account = move.company_id.invoice_discount_account_id
            for index, (taxes, price) in enumerate(price_per_taxes.items()):
                key = frozendict(
                    {"move_id": move.id, "classic_line_type": "discount", "sequence": 10000 + index}
                )
                values = {
                    "name": lang_move._get_global_discount_label(
                        taxes if len(price_per_taxes) > 1 else None
                    ),
                    "quantity": 1.0,
                    "price_unit": -move.currency_id.round(price * ratio),
                    "tax_ids": [Command.set(taxes.sorted().ids)],
                }
                if account:
                    values["account_id"] = account.id
                move.needed_discount_lines[key] = values

    def _get_global_discount_ratio(self):
        """The share of the untaxed total the discount takes off (0 when none)."""
        self.ensure_one()
        if self.global_discount_type == "percent":
            return max(0.0, min(self.global_discount_percent, 100.0)) / 100.0
        if self.global_discount_type == "fixed" and self.global_discount_fixed > 0:
            untaxed = sum(self._classic_base_lines().mapped("price_subtotal"))
            return min(self.global_discount_fixed / untaxed, 1.0) if untaxed > 0 else 0.0
        return 0.0

    def _get_global_discount_label(self, taxes=None):
        self.ensure_one()
        if self.global_discount_type == "percent":
            label = _(
                "Discount %(percent)s %%", percent=self._format_number(self.global_discount_percent)
            )
        else:
            label = _("Discount")
        if taxes is not None:
            label = _(
                "%(label)s - On products with the following taxes: %(taxes)s",
                label=label,
                taxes=", ".join(taxes.mapped("name")) or _("no tax"),
            )
        return label

    @api.depends(
        "tip_type",
        "tip_percent",
        "tip_fixed",
        "invoice_line_ids.price_total",
        "invoice_line_ids.classic_line_type",
        "currency_id",
        "partner_id",
        "company_id.invoice_tip_account_id",
        "company_id.invoice_tip_tax_ids",
    )
    def _compute_needed_tip_lines(self):
        for move in self:
            move.needed_tip_lines_dirty = move._is_classic_sync_needed()
            move.needed_tip_lines = {} if move.needed_tip_lines_dirty else False
            account = move.company_id.invoice_tip_account_id
            if not move.needed_tip_lines_dirty or not move.tip_type or not account:
                continue
            if move.tip_type == "fixed":
                amount = move.tip_fixed
            else:
                total = sum(
                    line.price_total
                    for line in move.invoice_line_ids
                    if line.display_type == "product" and line.classic_line_type != "tip"
                )
                amount = move.currency_id.round(total * move.tip_percent / 100.0)
            if amount <= 0:
                continue
            key = frozendict({"move_id": move.id, "classic_line_type": "tip", "sequence": 10100})
            move.needed_tip_lines[key] = {
                "name": move.with_context(
                    lang=move.partner_id.lang or self.env.lang
                )._get_tip_label(),
                "quantity": 1.0,
                "price_unit": amount,
                "account_id": account.id,
                "tax_ids": [Command.set(move.company_id.invoice_tip_tax_ids.sorted().ids)],
            }

    def _get_tip_label(self):
        return _("Tip")

    @api.depends("invoice_line_ids.classic_line_type")
    def _compute_tax_totals(self):
        """Odoo's totals, with the discount and the tip on lines of their own."""
        res = super()._compute_tax_totals()
        for move in self:
            totals = move.tax_totals
            if not totals or not (move.amount_global_discount or move.amount_tip):
                continue
            sign = -1 if move.is_inbound(include_receipts=True) else 1
            tip_lines = move.invoice_line_ids.filtered(lambda l: l.classic_line_type == "tip")
            tip_untaxed = sum(tip_lines.mapped("price_subtotal"))
            tip_untaxed_company = sum(sign * line.balance for line in tip_lines)
            for subtotal in totals["subtotals"]:
                subtotal["base_amount_currency"] -= tip_untaxed
                subtotal["base_amount"] -= tip_untaxed_company
            if move.amount_global_discount:
                totals["classic_discount_amount_currency"] = move.amount_global_discount
                totals["classic_gross_amount_currency"] = (
                    totals["base_amount_currency"] - tip_untaxed - move.amount_global_discount
                )
            if move.amount_tip:
                totals["classic_tip_amount_currency"] = move.amount_tip
        return res

    @api.depends(
        "installment_mode",
        "installment_count",
        "installment_percentages",
        "installment_interval",
        "installment_interval_unit",
        "installment_first_date",
    )
    def _compute_needed_terms(self):
        """Installments: Odoo's total due, split on dates of our schedule, so that each
        installment is a receivable journal item of its own (reconciliation, aged
        receivables and follow-ups see them)."""
        res = super()._compute_needed_terms()
        for move in self:
            shares = move._get_installment_shares()
            if not shares or not move.needed_terms:
                continue
            total = sum(values["balance"] for values in move.needed_terms.values())
            total_currency = sum(values["amount_currency"] for values in move.needed_terms.values())
            balance, amount_currency = total, total_currency  # what is left to schedule
            company_currency = move.company_id.currency_id
            needed_terms = {}
            for index, (share, due_date) in enumerate(
                zip(shares, move._get_installment_dates(), strict=True)
            ):
                if index == len(shares) - 1:
                    term_balance, term_amount_currency = balance, amount_currency
                else:
                    term_balance = company_currency.round(total * share)
                    term_amount_currency = move.currency_id.round(total_currency * share)
                balance -= term_balance
                amount_currency -= term_amount_currency
                key = frozendict(
                    {"move_id": move.id, "date_maturity": due_date, "discount_date": False}
                )
                needed_terms[key] = {
                    "balance": term_balance,
                    "amount_currency": term_amount_currency,
                    "discount_date": False,
                    "discount_balance": 0.0,
                    "discount_amount_currency": 0.0,
                }
            move.needed_terms = needed_terms
        return res

    def _get_installment_shares(self):
        """The share of the total each installment takes, or [] without installments."""
        self.ensure_one()
        if self.move_type != "out_invoice" or not self.installment_mode:
            return []
        if self.installment_mode == "equal":
            count = self.installment_count
            return [1.0 / count] * count if count >= 2 else []
        percentages = self._parse_installment_percentages()
        return [percent / 100.0 for percent in percentages] if len(percentages) >= 2 else []

    def _get_installment_dates(self):
        self.ensure_one()
        first = (
            self.installment_first_date
            or self.invoice_date
            or self.date
            or fields.Date.context_today(self)
        )
        step = INSTALLMENT_STEPS[self.installment_interval_unit or "months"]
        count = len(self._get_installment_shares())
        return [first + step(self.installment_interval * index) for index in range(count)]

    @api.depends("line_ids.date_maturity", "line_ids.display_type", "needed_terms")
    def _compute_installment_line_ids(self):
        """The payment-term lines. While a draft is edited in the form, its lines are synced
        only on save: the schedule shown is then the one its terms give (``needed_terms``,
        as Odoo's due date), so it follows the installment fields like the totals."""
        for move in self:
            if move.state == "draft" and move.id != move._origin.id and move.needed_terms:
                move.installment_line_ids = move._get_installment_preview_lines()
                continue
            move.installment_line_ids = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).sorted(lambda line: (line.date_maturity or fields.Date.today(), line.id))

    def _get_installment_preview_lines(self):
        """Unsaved payment-term lines, one per term the draft needs, not linked to the
        move (its journal items stay as they are until it is saved)."""
        self.ensure_one()
        lines = self.env["account.move.line"]
        for key, values in sorted(
            self.needed_terms.items(), key=lambda item: item[0].get("date_maturity") or date.min
        ):
            lines |= lines.new(
                {
                    "display_type": "payment_term",
                    "date_maturity": key.get("date_maturity"),
                    "currency_id": self.currency_id.id,
                    "company_id": self.company_id.id,
                    "balance": values["balance"],
                    "amount_currency": values["amount_currency"],
                    "amount_residual": values["balance"],
                    "amount_residual_currency": values["amount_currency"],
                    "reconciled": False,
                }
            )
        return lines

    def _compute_penalty_currency_id(self):
        for move in self:
            move.penalty_currency_id = move.currency_id

    @api.depends(lambda self: (*self.PENALTY_FIELDS, "partner_id.lang", "invoice_payment_term_id"))
    def _compute_penalty_terms_text(self):
        for move in self:
            move.penalty_terms_text = (
                move.with_context(
                    lang=move.partner_id.lang or self.env.lang
                )._get_penalty_terms_sentences()
                if move.is_sale_document(include_receipts=True)
                else False
            )

    def _get_penalty_terms_sentences(self):
        """The late-payment terms in words, as French law asks B2B invoices to state them:
        the penalties, the recovery indemnity, the early-payment discount (or its absence)."""
        self.ensure_one()
        sentences = [
            self._get_late_penalty_sentence(),
            self._get_recovery_indemnity_sentence(),
            self._get_early_discount_sentence(),
        ]
        return "\n".join(sentence for sentence in sentences if sentence)

    def _get_late_penalty_sentence(self):
        """The late-payment penalties of the invoice in words."""
        self.ensure_one()
        labels = dict(self._fields["penalty_interval_unit"]._description_selection(self.env))
        grace = (
            _(" from %(days)s days after the due date", days=self.penalty_grace_days)
            if self.penalty_grace_days
            else ""
        )
        if self.penalty_type == "fixed" and self.penalty_recurrence == "recurring":
            return _(
                "Late payment: a penalty of %(amount)s is charged%(grace)s, then again every "
                "%(interval)s %(unit)s while the invoice remains unpaid.",
                amount=self._format_amount(self.penalty_fixed_amount),
                grace=grace,
                interval=self.penalty_interval,
                unit=labels[self.penalty_interval_unit].lower(),
            )
        if self.penalty_type == "fixed":
            return _(
                "Late payment: a penalty of %(amount)s is charged once%(grace)s.",
                amount=self._format_amount(self.penalty_fixed_amount),
                grace=grace,
            )
        if self.penalty_type == "percent" and self.penalty_rate_basis == "annual":
            return _(
                "Late payment: penalties at the annual rate of %(rate)s %% of the remaining "
                "balance, counted per day overdue%(grace)s.",
                rate=self._format_number(self.penalty_rate),
                grace=grace,
            )
        if self.penalty_type == "percent":
            return _(
                "Late payment: penalties of %(rate)s %% of the remaining balance per month "
                "overdue%(grace)s.",
                rate=self._format_number(self.penalty_rate),
                grace=grace,
            )
        return _("No late-payment penalty.")

    def _get_recovery_indemnity_sentence(self):
        """The fixed recovery indemnity in words, when the invoice's terms charge it."""
        self.ensure_one()
        if not self.penalty_recovery_indemnity:
            return ""
        return _(
            "A fixed indemnity of %(amount)s for recovery costs is due for any late "
            "payment (art. L441-10 and D441-5 of the French Commercial Code).",
            amount=self._format_amount(self._get_recovery_indemnity()),
        )

    def _get_early_discount_sentence(self):
        """The absence of early-payment discount in words; an invoice whose payment terms
        grant one states it with them (Odoo's payment terms)."""
        self.ensure_one()
        if self.invoice_payment_term_id.early_discount:
            return ""
        return _("No discount for early payment.")

    def _format_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def _get_recovery_indemnity(self):
        """40 EUR, in the invoice's currency."""
        self.ensure_one()
        euro = self.env.ref("base.EUR")
        return euro._convert(
            RECOVERY_INDEMNITY_EUR,
            self.currency_id,
            self.company_id,
            self.invoice_date or fields.Date.context_today(self),
        )

    @api.depends("company_id")
    def _compute_payment_mode_ids(self):
        for move in self:
            move.payment_mode_ids = move.company_id.invoice_payment_mode_ids

    @api.depends("payment_mode_ids")
    def _compute_accepts_bank_transfer(self):
        for move in self:
            move.accepts_bank_transfer = "transfer" in move.payment_mode_ids.mapped("code")

    # ---------------------------------------------------------------------------------------
    # Onchanges
    # ---------------------------------------------------------------------------------------

    @api.onchange(
        "global_discount_type",
        "global_discount_percent",
        "global_discount_fixed",
        "tip_type",
        "tip_percent",
        "tip_fixed",
        "invoice_line_ids",
    )
    def _onchange_classic_lines(self):
        """Show the discount and tip lines, and so the totals, while the draft is edited;
        saving syncs them the same way (``_sync_dynamic_lines``)."""
        if not self._is_classic_sync_needed():
            return
        for needed_fname, line_type in (
            ("needed_discount_lines", "discount"),
            ("needed_tip_lines", "tip"),
        ):
            needed = {key["sequence"]: values for key, values in (self[needed_fname] or {}).items()}
            for line in self.invoice_line_ids.filtered(
                lambda l, t=line_type: l.classic_line_type == t
            ):
                values = needed.pop(line.sequence, None)
                if values is None:
                    self.invoice_line_ids -= line
                else:
                    line.update(values)
            for sequence, values in needed.items():
                self.invoice_line_ids += self.env["account.move.line"].new(
                    {
                        "display_type": "product",
                        "classic_line_type": line_type,
                        "sequence": sequence,
                        **values,
                    }
                )

    @api.depends("invoice_title")
    def _compute_invoice_title_key(self):
        for move in self:
            move.invoice_title_key = normalize_text(move.invoice_title)

    # ---------------------------------------------------------------------------------------
    # Constraints
    # ---------------------------------------------------------------------------------------

    def _raise_if_titles_used(self, titles):
        """``titles``: {(company id, title key): title} that the invoices ``self`` are about
        to take (their other invoices do not count); refuse those another invoice holds.

        Called by create() and write() before the database sees the title: its unique index
        (init()) would refuse it too, without naming the other invoice."""
        if not titles:
            return
        used = self.search(
            [
                ("id", "not in", self.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "!=", "cancel"),
                ("company_id", "in", list({company for company, _key in titles})),
                ("invoice_title_key", "in", list({key for _company, key in titles})),
            ]
        ).filtered(lambda m: (m.company_id.id, m.invoice_title_key) in titles)
        if used:
            other = used[0]
            raise ValidationError(
                _(
                    "The title %(title)s is already used by invoice %(other)s: "
                    "give this invoice another title.",
                    title=titles[other.company_id.id, other.invoice_title_key],
                    other=other.name if other.name and other.name != "/" else other.display_name,
                )
            )

    @api.model
    def _add_title(self, titles, company_id, move_type, state, title):
        """Add ``title`` to ``titles`` (see ``_raise_if_titles_used``) if it must be unique;
        two invoices of the batch with the same title are refused at once."""
        key = normalize_text(title)
        if not key or move_type != "out_invoice" or state == "cancel":
            return
        if (company_id, key) in titles:
            raise ValidationError(
                _(
                    "The title %(title)s is given to two invoices: give each its own title.",
                    title=title.strip(),
                )
            )
        titles[company_id, key] = title.strip()

    def _card_number_fields(self):
        return [
            *super()._card_number_fields(),
            "invoice_title",
            "payment_reference",
            "ref",
            "narration",
        ]

    def _card_number_fields_to_check(self):
        """A vendor bill carries the supplier's references: only customer documents are
        checked."""
        if not self.is_sale_document(include_receipts=True):
            return []
        return super()._card_number_fields_to_check()

    @api.model
    def _escape_like(self, value):
        return value.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    @api.constrains("customer_siren")
    def _check_customer_siren(self):
        for move in self.filtered("customer_siren"):
            if not _siren_is_valid(move.customer_siren):
                raise ValidationError(
                    _(
                        "The customer SIREN %(siren)s is not valid: it has 9 digits and a valid "
                        "check digit (the first 9 digits of a SIRET).",
                        siren=move.customer_siren,
                    )
                )

    @api.constrains(
        "global_discount_type",
        "global_discount_percent",
        "global_discount_fixed",
        "line_ids",
        "invoice_line_ids",
    )
    def _check_global_discount(self):
        """A fixed discount cannot take off more than the untaxed total of the lines."""
        for move in self.filtered(lambda m: m.global_discount_type == "fixed"):
            untaxed = sum(move._classic_base_lines().mapped("price_subtotal"))
            if move.currency_id.compare_amounts(move.global_discount_fixed, untaxed) > 0:
                raise ValidationError(
                    _(
                        "The invoice discount (%(discount)s) is above the untaxed total of the "
                        "invoice (%(untaxed)s).",
                        discount=move._format_amount(move.global_discount_fixed),
                        untaxed=move._format_amount(untaxed),
                    )
                )

    @api.constrains("tip_type", "company_id")
    def _check_tip_account(self):
        for move in self.filtered("tip_type"):
            if not move.company_id.invoice_tip_account_id:
                raise ValidationError(
                    _(
                        "Choose the account tips are booked on (Invoicing settings, Classic "
                        "invoices) before adding a tip."
                    )
                )

    @api.constrains("invoice_attachment_ids", "company_id")
    def _check_invoice_attachments(self):
        for move in self.filtered("invoice_attachment_ids"):
            company = move.company_id
            count = len(move.invoice_attachment_ids)
            if count > company.invoice_attachment_max_count:
                raise ValidationError(
                    _(
                        "An invoice carries at most %(max)s files (this one has %(count)s).",
                        max=company.invoice_attachment_max_count,
                        count=count,
                    )
                )
            size = sum(move.invoice_attachment_ids.mapped("file_size"))
            if size > company.invoice_attachment_max_size * 1024 * 1024:
                raise ValidationError(
                    _(
                        "The files of an invoice weigh at most %(max)s MB in total "
                        "(these weigh %(size)s MB).",
                        max=company.invoice_attachment_max_size,
                        size=move._format_number(size / 1024 / 1024, digits=1),
                    )
                )

    # ---------------------------------------------------------------------------------------
    # CRUD
    # ---------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        titles = {}
        journals = self.env["account.journal"].browse(
            {vals["journal_id"] for vals in vals_list if vals.get("journal_id")}
        )
        for vals in vals_list:
            if vals.get("invoice_title"):
                vals["invoice_title"] = vals["invoice_title"].strip() or False
                journal = journals.filtered(lambda j, vals=vals: j.id == vals.get("journal_id"))
                self._add_title(
                    titles,
                    vals.get("company_id") or journal.company_id.id or self.env.company.id,
                    vals.get("move_type", self.env.context.get("default_move_type", "entry")),
                    vals.get("state", "draft"),
                    vals["invoice_title"] or "",
                )
        self._raise_if_titles_used(titles)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("invoice_title"):
            vals = {**vals, "invoice_title": vals["invoice_title"].strip() or False}
        if {"invoice_title", "state", "company_id", "move_type"} & vals.keys():
            titles = {}
            # A state change matters to the titles of cancelled invoices only.
            moved = {"invoice_title", "company_id", "move_type"} & vals.keys()
            for move in self if moved else self.filtered(lambda m: m.state == "cancel"):
                self._add_title(
                    titles,
                    vals.get("company_id", move.company_id.id),
                    vals.get("move_type", move.move_type),
                    vals.get("state", move.state),
                    vals.get("invoice_title", move.invoice_title) or "",
                )
            self._raise_if_titles_used(titles)
        return super().write(vals)

    def copy_data(self, default=None):
        """A duplicated invoice gets a title of its own; a credit note keeps the invoice's."""
        vals_list = super().copy_data(default=default)
        default = default or {}
        if "invoice_title" in default:
            return vals_list
        for move, vals in zip(self, vals_list, strict=True):
            if not move.invoice_title:
                continue
            if vals.get("move_type", move.move_type) == "out_invoice":
                vals["invoice_title"] = move._get_copy_title()
            else:
                vals["invoice_title"] = move.invoice_title
        return vals_list

    def _get_copy_title(self):
        self.ensure_one()
        return self.with_company(self.company_id)._get_free_title(
            _("%(title)s (copy)", title=self.invoice_title)
        )

    @api.model
    def _get_free_title(self, title):
        """``title``, or ``title (2)``, ``(3)``... when the company's invoices use it."""
        key = normalize_text(title)
        taken = set(
            self.search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "!=", "cancel"),
                    "|",
                    ("invoice_title_key", "=", key),
                    ("invoice_title_key", "=like", self._escape_like(key) + " (%)"),
                ]
            ).mapped("invoice_title_key")
        )
        candidate, number = title, 1
        while normalize_text(candidate) in taken:
            number += 1
            candidate = f"{title} ({number})"
        return candidate

    def check_field_access_rights(self, operation, field_names):
        result = super().check_field_access_rights(operation, field_names)
        if not field_names:
            internal = ("needed_discount_lines", "needed_tip_lines")
            result = [fname for fname in result if fname not in internal]
        return result

    @contextmanager
    def _sync_dynamic_lines(self, container):
        """Keep the discount and tip lines in step with the invoice, before Odoo
        recomputes the taxes and the payment terms from them."""
        with (
            super()._sync_dynamic_lines(container),
            self._disable_recursion(container, "skip_invoice_classic_sync") as disabled,
        ):
            if disabled or self.env.context.get("skip_invoice_sync"):
                yield
                return
            with (
                self._sync_dynamic_line(
                    existing_key_fname="classic_tip_key",
                    needed_vals_fname="needed_tip_lines",
                    needed_dirty_fname="needed_tip_lines_dirty",
                    line_type="product",
                    container=container,
                ),
                self._sync_dynamic_line(
                    existing_key_fname="classic_discount_key",
                    needed_vals_fname="needed_discount_lines",
                    needed_dirty_fname="needed_discount_lines_dirty",
                    line_type="product",
                    container=container,
                ),
            ):
                yield

    def init(self):
        res = super().init()
        # Two invoices titled at the same time: the database refuses the second. The key is
        # computed in Python (one normal form): fill it before indexing.
        self.flush_model(["invoice_title_key"])
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_invoice_title_uniq
                ON account_move (company_id, invoice_title_key)
             WHERE invoice_title_key IS NOT NULL AND move_type = 'out_invoice'
               AND state != 'cancel'
            """
        )
        # One recurring invoice per template and period, whatever runs at the same time.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_invoice_classic_period_uniq
                ON account_move (classic_template_id, classic_period_date)
             WHERE classic_template_id IS NOT NULL AND classic_period_date IS NOT NULL
            """
        )
        return res

    def _post(self, soft=True):
        self.filtered("global_discount_type")._check_global_discount()
        posted = super()._post(soft=soft)
        posted.filtered(lambda move: move._wants_auto_send()).action_queue_invoice_email()
        return posted

    # ---------------------------------------------------------------------------------------
    # Actions and business methods
    # ---------------------------------------------------------------------------------------

    def _get_mail_template(self):
        """Recurring invoices (from a template) have a message of their own."""
        if self and all(move.classic_template_id and move.classic_period_date for move in self):
            template = self.env.ref(
                "invoice_classic.mail_template_recurring_invoice", raise_if_not_found=False
            )
            if template:
                return template
        return super()._get_mail_template()

    def _get_invoice_classic_action(self):
        """Open ``self``: the form of a single invoice, else the list of them."""
        action = self.env["ir.actions.actions"]._for_xml_id("account.action_move_out_invoice_type")
        action["context"] = {"default_move_type": "out_invoice"}
        if len(self) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=self.id)
        else:
            action["domain"] = [("id", "in", self.ids)]
        return action

    def action_duplicate_classic(self):
        """New drafts like these invoices, dated today; the originals stay as they are."""
        today = fields.Date.context_today(self)
        copies = self.browse()
        for move in self:
            copies |= move.copy({"invoice_date": today, "date": today})
        return copies._get_invoice_classic_action()

    def action_save_as_template(self):
        self.ensure_one()
        if self.move_type != "out_invoice":
            raise UserError(_("Only a customer invoice can be saved as a template."))
        template = self.env["invoice.classic.template"].create(
            self.env["invoice.classic.template"]._prepare_from_invoice(self)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "invoice.classic.template",
            "res_id": template.id,
            "views": [(False, "form")],
        }

    def _wants_auto_send(self):
        """Sent by e-mail when validated: the customer's choice, else the company's; once."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.is_move_sent:
            return False
        choice = self.partner_id.invoice_auto_send or self.commercial_partner_id.invoice_auto_send
        return choice == "always" if choice else self.company_id.invoice_auto_send

    def action_queue_invoice_email(self):
        """Send the posted customer invoices by e-mail in the background, through Odoo's own
        sending (PDF, mail queue); once: those sent or already queued are left alone. A
        customer without an e-mail address gets an activity for the salesperson instead."""
        invoices = self.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type in CUSTOMER_MOVE_TYPES
                and not m.is_move_sent
                and not m.sending_data
            )
        )
        without_email = invoices.filtered(lambda m: not m.partner_id.email)
        for invoice in without_email:
            invoice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Send the invoice: the customer has no e-mail address"),
                user_id=(invoice.invoice_user_id or self.env.user).id,
            )
        to_send = invoices - without_email
        # One write per author (the salesperson, else the company).
        for group in to_send.grouped(lambda m: (m._get_mail_author(), m.company_id)).values():
            group.sending_data = {**group[:1]._get_sending_author(), "invoice_classic_email": True}
        if to_send:
            self.env.ref("account.ir_cron_account_move_send")._trigger()
        return True

    def _get_mail_author(self):
        """The user e-mails about these invoices (of one company) come from: their
        salesperson when they have one, else none: the company. Never OdooBot, the user of
        scheduled jobs and of the install, salesperson of what they made."""
        salesperson = self.invoice_user_id.filtered(lambda user: not user._is_superuser())
        return salesperson if len(salesperson) == 1 else self.env["res.users"]

    def _get_sending_author(self):
        """The author of the e-mail of this invoice sent in the background (Odoo's
        ``sending_data``): its salesperson, else the company; the user to tell of the result,
        the salesperson else the one who queued it."""
        self.ensure_one()
        salesperson = self._get_mail_author()
        return {
            "author_user_id": (salesperson or self.env.user).id,
            "author_partner_id": (salesperson.partner_id or self.company_id.partner_id).id,
        }

    def action_send_sms(self):
        """A short text with the invoice's portal link, through Odoo's sms module."""
        invoices = self.filtered(lambda m: m.state == "posted" and m.is_sale_document())
        if invoices != self:
            raise UserError(_("Only posted customer invoices and credit notes can be sent by SMS."))
        without_number = invoices.filtered(
            lambda m: not (m.partner_id.mobile or m.partner_id.phone)
        )
        if without_number:
            raise UserError(
                _(
                    "These customers have no mobile number: %(names)s.",
                    names=", ".join(without_number.partner_id.mapped("display_name")),
                )
            )
        for invoice in invoices:
            partner = invoice.partner_id
            invoice._message_sms(
                invoice.with_context(lang=partner.lang or self.env.lang)._get_sms_body(),
                partner_ids=partner.ids,
            )
        return True

    def _get_sms_body(self):
        self.ensure_one()
        return _(
            "%(company)s: invoice %(name)s of %(amount)s, due %(date)s: %(url)s",
            company=self.company_id.name,
            name=self.name,
            amount=self._format_amount(self.amount_residual),
            date=format_date(self.env, self.invoice_date_due),
            url=self.get_base_url() + self.get_portal_url(),
        )

    def action_mark_as_sent(self):
        """Sent outside the system (by post, by hand): Odoo stops offering to send it."""
        if self.filtered(lambda m: m.state != "posted" or not m.is_sale_document()):
            raise UserError(
                _("Only posted customer invoices and credit notes can be marked as sent.")
            )
        for invoice in self.filtered(lambda m: m.state == "posted" and not m.is_move_sent):
            invoice.is_move_sent = True
            invoice.message_post(body=_("Marked as sent (outside the system)."))
        return True

    def _get_penalty_terms(self):
        """The invoice's penalty terms, for :func:`..tools.penalty_due`."""
        self.ensure_one()
        return PenaltyTerms(
            kind=self.penalty_type or "none",
            fixed_amount=self.penalty_fixed_amount,
            recurrence=self.penalty_recurrence or "once",
            interval=self.penalty_interval or 1,
            interval_unit=self.penalty_interval_unit or "months",
            rate=self.penalty_rate,
            rate_basis=self.penalty_rate_basis or "monthly",
            grace_days=self.penalty_grace_days,
            recovery_indemnity=self._get_recovery_indemnity()
            if self.penalty_recovery_indemnity
            else 0.0,
        )

    def _get_penalty_installments(self):
        """(due date, amount, [(date, amount paid)]) of each installment of the invoice, its
        receivable journal items, in the invoice currency: each counts from its own date."""
        self.ensure_one()
        terms = self.line_ids.filtered(
            lambda line: line.display_type == "payment_term" and line.amount_currency > 0
        )
        return [
            (
                line.date_maturity,
                line.amount_currency,
                [
                    (partial.credit_move_id.date, partial.debit_amount_currency)
                    for partial in line.matched_credit_ids
                ],
            )
            for line in terms.sorted(lambda line: (line.date_maturity, line.id))
        ]

    def _get_penalty_due(self, on_date):
        """What the late-payment terms of the invoice owe on ``on_date``."""
        self.ensure_one()
        return penalty_due(
            self._get_penalty_terms(),
            installments=self._get_penalty_installments(),
            on_date=on_date,
            rounding=self.currency_id.rounding,
        )
