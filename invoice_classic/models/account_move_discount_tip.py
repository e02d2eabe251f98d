from collections import defaultdict
from contextlib import ExitStack, contextmanager

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

from .account_move import CUSTOMER_MOVE_TYPES
from .account_move_line import DISCOUNT_TIP_LINES, discount_tip_line_key
from .invoice_content_mixin import DISCOUNT_TIP_FIELDS

DISCOUNT_SEQUENCE = 10000  # after the product lines; one more per tax combination
TIP_SEQUENCE = 10100


class AccountMove(models.Model):
    """The invoice-level discount and the tip (their settings and the checks that need
    nothing else: ``invoice.classic.content.mixin``), booked on real invoice lines
    (``classic_line_type``) that Odoo's ``_sync_dynamic_line`` keeps in step with a draft
    customer invoice, as it keeps its payment terms: the lines needed are computed
    (``needed_discount_lines``, ``needed_tip_lines``), shown while the draft is edited
    (the onchange), synced when it is saved, and the totals show them apart."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    amount_global_discount = fields.Monetary(
        string="Discount", compute="_compute_discount_tip_amounts"
    )
    amount_tip = fields.Monetary(string="Tip Total", compute="_compute_discount_tip_amounts")
    needed_discount_lines = fields.Binary(
        compute="_compute_needed_discount_lines", exportable=False
    )
    needed_discount_lines_dirty = fields.Boolean(compute="_compute_needed_discount_lines")
    needed_tip_lines = fields.Binary(compute="_compute_needed_tip_lines", exportable=False)
    needed_tip_lines_dirty = fields.Boolean(compute="_compute_needed_tip_lines")

    # --- amounts -----------------------------------------------------------------------------

    @api.depends(
        "invoice_line_ids.classic_line_type",
        "invoice_line_ids.price_subtotal",
        "invoice_line_ids.price_total",
    )
    def _compute_discount_tip_amounts(self):
        for move in self:
            lines = move.invoice_line_ids
            move.amount_global_discount = sum(
                line.price_subtotal for line in lines if line.classic_line_type == "discount"
            )
            move.amount_tip = sum(
                line.price_total for line in lines if line.classic_line_type == "tip"
            )

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

    # --- the lines needed --------------------------------------------------------------------

    def _needs_discount_tip_lines(self, line_type):
        """Whether the ``line_type`` lines ("discount" or "tip") of the invoice are to be kept in
        step: only on a draft customer invoice or credit note that has them set, or still has
        such lines (to remove them). On any other invoice, Odoo's sync does nothing more."""
        if self.state != "draft" or self.move_type not in CUSTOMER_MOVE_TYPES:
            return False
        is_set = self.global_discount_type if line_type == "discount" else self.tip_type
        return bool(is_set) or any(
            line.classic_line_type == line_type for line in self.invoice_line_ids
        )

    def _get_discount_tip_base_lines(self):
        """The product lines the discount and the tip are computed on."""
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and not line.classic_line_type
        )

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
        for move in self:
            move.needed_discount_lines_dirty = move._needs_discount_tip_lines("discount")
            move.needed_discount_lines = (
                move.needed_discount_lines_dirty and move._get_needed_discount_lines()
            )

    def _get_needed_discount_lines(self):
        """{line key: line values}: one discount line per tax combination, in proportion to
        the bases, the way ``sale.order.discount`` splits an order discount (fixed taxes are
        not discounted)."""
        self.ensure_one()
        ratio = self._get_global_discount_ratio()
        if not ratio:
            return {}
        bases = self._get_discount_bases()
        account = self.company_id.invoice_discount_account_id
        customer_lang_move = self._with_customer_lang()
        needed = {}
        for index, (taxes, price) in enumerate(bases.items()):
            values = {
                "name": customer_lang_move._get_global_discount_label(
                    taxes if len(bases) > 1 else None
                ),
                "quantity": 1.0,
                "price_unit": -self.currency_id.round(price * ratio),
                "tax_ids": [Command.set(taxes.sorted().ids)],
            }
            if account:
                values["account_id"] = account.id
            needed[discount_tip_line_key(self.id, "discount", DISCOUNT_SEQUENCE + index)] = values
        return needed

    def _get_discount_bases(self):
        """{taxes: the price of the product lines with these taxes, their own discount
        taken off}; fixed taxes left out."""
        self.ensure_one()
        price_per_taxes = defaultdict(float)
        for line in self._get_discount_tip_base_lines():
            if not line.quantity or not line.price_unit:
                continue
            taxes = line.tax_ids.flatten_taxes_hierarchy()
            taxes -= taxes.filtered(lambda tax: tax.amount_type == "fixed")
            price_per_taxes[taxes] += (
                line.price_unit * (1 - (line.discount or 0.0) / 100.0) * line.quantity
            )
        return price_per_taxes

    def _get_global_discount_ratio(self):
        """The share of the untaxed total the discount takes off (0 when none)."""
        self.ensure_one()
        if self.global_discount_type == "percent":
            return max(0.0, min(self.global_discount_percent, 100.0)) / 100.0
        if self.global_discount_type == "fixed" and self.global_discount_fixed > 0:
            untaxed = sum(self._get_discount_tip_base_lines().mapped("price_subtotal"))
            return min(self.global_discount_fixed / untaxed, 1.0) if untaxed > 0 else 0.0
        return 0.0

    def _get_global_discount_label(self, taxes=None):
        """The label of a discount line; ``taxes``: those of the products it discounts, when
        the discount is split per tax combination."""
        self.ensure_one()
        percent = self._format_number(self.global_discount_percent)
        in_percent = self.global_discount_type == "percent"
        if taxes is None:
            return _("Discount %(percent)s %%", percent=percent) if in_percent else _("Discount")
        if not taxes:
            if in_percent:
                return _("Discount %(percent)s %% - On products without taxes", percent=percent)
            return _("Discount - On products without taxes")
        names = ", ".join(taxes.mapped("name"))
        if in_percent:
            return _(
                "Discount %(percent)s %% - On products with the following taxes: %(taxes)s",
                percent=percent,
                taxes=names,
            )
        return _("Discount - On products with the following taxes: %(taxes)s", taxes=names)

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
            move.needed_tip_lines_dirty = move._needs_discount_tip_lines("tip")
            move.needed_tip_lines = move.needed_tip_lines_dirty and move._get_needed_tip_lines()

    def _get_needed_tip_lines(self):
        """{line key: line values}: one tip line, on the company's tip account and taxes."""
        self.ensure_one()
        amount = self._get_tip_amount()
        account = amount > 0 and self.company_id.invoice_tip_account_id
        if not account:
            return {}
        key = discount_tip_line_key(self.id, "tip", TIP_SEQUENCE)
        values = {
            "name": self._with_customer_lang().env._("Tip"),
            "quantity": 1.0,
            "price_unit": amount,
            "account_id": account.id,
            "tax_ids": [Command.set(self.company_id.invoice_tip_tax_ids.sorted().ids)],
        }
        return {key: values}

    def _get_tip_amount(self):
        """The fixed tip, or its percentage of the total with taxes of the other lines."""
        self.ensure_one()
        if self.tip_type == "fixed":
            return self.tip_fixed
        if self.tip_type == "percent":
            total = sum(
                line.price_total
                for line in self.invoice_line_ids
                if line.display_type == "product" and line.classic_line_type != "tip"
            )
            return self.currency_id.round(total * self.tip_percent / 100.0)
        return 0.0

    def _get_internal_fields(self):
        return [
            *super()._get_internal_fields(),
            *(needed for _key, needed, _dirty in DISCOUNT_TIP_LINES.values()),
        ]

    # --- the lines kept in step --------------------------------------------------------------

    @api.onchange(*DISCOUNT_TIP_FIELDS, "invoice_line_ids")
    def _onchange_discount_tip_lines(self):
        """Show the discount and tip lines, and so the totals, while the draft is edited;
        saving syncs them the same way (``_sync_dynamic_lines``)."""
        for line_type, (_key, needed_fname, _dirty) in DISCOUNT_TIP_LINES.items():
            if not self._needs_discount_tip_lines(line_type):
                continue
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

    @contextmanager
    def _sync_dynamic_lines(self, container):
        """Keep the discount and tip lines in step with the invoice, before Odoo
        recomputes the taxes and the payment terms from them.

        Not again while Odoo's own sync writes the lines it keeps (taxes, terms): they change
        neither the discount nor the tip, and every write would start a sync of its own. So
        the recursion guard is entered first and left last, around Odoo's sync."""
        with (
            self._disable_recursion(container, "skip_invoice_classic_sync") as disabled,
            super()._sync_dynamic_lines(container),
        ):
            if disabled or self.env.context.get("skip_invoice_sync"):
                yield
                return
            # Odoo's sync of each line type, on the customer invoices and credit notes only
            # (like Odoo's own, on invoices only), and before the change on those that need
            # such lines: the others have neither lines nor needs of that type, so leaving
            # them out is the same as comparing them with nothing, without computing it.
            containers = {line_type: {} for line_type in DISCOUNT_TIP_LINES}

            def update_containers(after):
                documents = container["records"].filtered(
                    lambda move: move.move_type in CUSTOMER_MOVE_TYPES
                )
                for line_type, line_container in containers.items():
                    line_container["records"] = documents.filtered(
                        lambda move, line_type=line_type: (
                            after or move._needs_discount_tip_lines(line_type)
                        )
                    )

            update_containers(after=False)
            with ExitStack() as stack:
                # The tip entered first is synced last: a tip in percent counts the
                # discount lines as just synced.
                for line_type in ("tip", "discount"):
                    key_fname, needed_fname, dirty_fname = DISCOUNT_TIP_LINES[line_type]
                    stack.enter_context(
                        self._sync_dynamic_line(
                            existing_key_fname=key_fname,
                            needed_vals_fname=needed_fname,
                            needed_dirty_fname=dirty_fname,
                            line_type="product",
                            container=containers[line_type],
                        )
                    )
                yield
                update_containers(after=True)

    # --- checks ------------------------------------------------------------------------------

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
            untaxed = sum(move._get_discount_tip_base_lines().mapped("price_subtotal"))
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

    def _post(self, soft=True):
        self.filtered("global_discount_type")._check_global_discount()
        return super()._post(soft=soft)
