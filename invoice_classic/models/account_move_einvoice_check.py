"""What a French e-invoicing platform would reject, known before the invoice goes out.

The French reform (e-invoicing through approved platforms, "plateformes agréées") concerns the
sales between businesses established in France. Invoices to private persons (B2C) and to
businesses abroad (B2B international) are not e-invoiced: their data go to the tax authority by
e-reporting, which asks nothing of the customer. So only the invoices and credit notes of a
company in France to a French business (or to a business of no country yet) are checked: the
seller's and the buyer's legal and electronic identity (BR-FR-10 to 13, 21, 23, 25) and the VAT
category of every line (BR-FR-15, and EN 16931's rule that a taxed invoice states the seller's
VAT number).
"""

import textwrap

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .res_partner_einvoice_address import FRCTC_ADDRESS
from .res_partner_einvoice_address import FRCTC_EAS as FRENCH_EAS

# BR-O-*: a line not subject to VAT is the only one that needs no seller VAT number.
NOT_SUBJECT_TO_VAT = "O"
# The category of a line with a tax, for the check: Odoo's, whichever it is (S, E, Z, K...).
TAXED = "taxed"
# Partner data the check reads: a change re-checks the invoices it made fail.
EINVOICE_PARTNER_FIELDS = frozenset(
    {
        "name",
        "is_company",
        "parent_id",
        "country_id",
        "vat",
        "company_registry",
        "siret",
        "peppol_eas",
        "peppol_endpoint",
    }
)


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    einvoice_check_mode = fields.Selection(
        selection=[
            ("warning", "Warning"),
            ("blocking", "Blocking"),
        ],
        string="E-invoice Problems at Validation",
        default="warning",
        required=True,
        help="Warning: the invoice is validated and shows what a French e-invoicing platform "
        "would reject. Blocking: the invoice is not validated until that is fixed.",
    )

    def _get_einvoice_seller_problems(self):
        """What the platforms would reject in the company's own identity, whatever the
        invoice: its SIREN (BR-FR-10) and its electronic address (BR-FR-13, 23, 25)."""
        self.ensure_one()
        problems = []
        if not self._get_siren():
            problems.append(
                _(
                    "Your company %(company)s has no SIREN: enter its SIRET or SIREN in "
                    "Company ID on the company (Settings > Companies).",
                    company=self.name,
                )
            )
        partner = self.partner_id
        if not (partner.peppol_eas and partner.peppol_endpoint):
            problems.append(
                _(
                    "Your company %(company)s has no electronic address: set its Electronic "
                    "Invoicing Address in the Invoicing tab of its contact.",
                    company=self.name,
                )
            )
        else:
            problems += partner._get_einvoice_address_problems()
        return problems


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    einvoice_check_mode = fields.Selection(related="company_id.einvoice_check_mode", readonly=False)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def write(self, vals):
        res = super().write(vals)
        if EINVOICE_PARTNER_FIELDS & vals.keys():
            self._refresh_einvoice_rejected_moves()
        return res

    def _refresh_einvoice_rejected_moves(self):
        """Re-check the invoices whose e-invoice these partners made fail, as customers or
        as the seller: the problem the user just fixed leaves their warning. Only the failed
        ones: one indexed search, and the others' results cannot get better."""
        partners = self | self.commercial_partner_id
        # sudo: the invoices of every company naming this partner must forget a problem it
        # no longer has; only their check result is recomputed, from their own data.
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("einvoice_rejected", "=", True),
                    "|",
                    ("commercial_partner_id", "in", partners.ids),
                    ("company_id.partner_id", "in", partners.ids),
                ]
            )
        )
        moves._refresh_einvoice_check()

    def _get_einvoice_address_problems(self):
        """BR-FR-23 and 25: the characters and length the platforms accept in an address."""
        self.ensure_one()
        if FRCTC_ADDRESS.fullmatch(self.peppol_endpoint or ""):
            return []
        return [
            _(
                "The electronic address %(address)s of %(partner)s would be refused: use only "
                "letters, digits, '+', '-', '_' and '.' (125 characters at most).",
                address=self.peppol_endpoint,
                partner=self.display_name,
            )
        ]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"  # pylint: disable=consider-merging-classes-inherited

    def _get_einvoice_label(self):
        """The line as a person finds it on the invoice: the first words of its label."""
        self.ensure_one()
        text = (self.name or self.product_id.display_name or "").strip()
        return textwrap.shorten(text.splitlines()[0], width=60, placeholder="...") if text else ""


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    einvoice_issue = fields.Text(
        string="E-invoice Problems",
        compute="_compute_einvoice_issue",
        help="What a French e-invoicing platform would reject in this validated invoice, and "
        "how to fix it; checked at validation and by the Check E-invoice action.",
    )
    einvoice_rejected = fields.Boolean(
        string="E-invoice Would Be Rejected",
        compute="_compute_einvoice_rejected",
        store=True,
        copy=False,
        index=True,
    )

    @api.depends("state")
    def _compute_einvoice_rejected(self):
        """Stored on validated invoices only, for the filter: a draft changes at every
        keystroke, the Check E-invoice action tells its problems. Refreshed by
        ``_refresh_einvoice_check()``."""
        posted = self.filtered(lambda move: move.state == "posted")
        problems = posted._get_einvoice_problems()
        for move in self:
            move.einvoice_rejected = bool(problems.get(move))

    @api.depends("einvoice_rejected")
    @api.depends_context("lang")
    def _compute_einvoice_issue(self):
        """The problems in words, in the reader's language, for the invoices found rejected
        (computed when read, so a French reader never reads the English of whoever checked)."""
        rejected = self.filtered("einvoice_rejected")
        problems = rejected._get_einvoice_problems()
        for move in self:
            sentences = problems.get(move)
            move.einvoice_issue = (
                "\n".join(f"- {text}" for text in sentences) if sentences else False
            )

    def _post(self, soft=True):
        blocking = self.filtered(lambda move: move.company_id.einvoice_check_mode == "blocking")
        problems = blocking._get_einvoice_problems()
        if any(problems.values()):
            raise UserError(
                _(
                    "A French e-invoicing platform would reject these invoices; fix them, then "
                    "validate again:\n\n%(problems)s",
                    problems=self._format_einvoice_problems(problems),
                )
            )
        return super()._post(soft=soft)

    def action_check_einvoice(self):
        """Tell what a French e-invoicing platform would reject in these invoices (or that all
        is fine), and refresh the result stored on the validated ones."""
        others = self.filtered(lambda move: not move.is_sale_document(include_receipts=False))
        if others:
            raise UserError(
                _(
                    "Only customer invoices and credit notes have an e-invoice to check: remove "
                    "%(documents)s from the selection.",
                    documents=", ".join(others.mapped("display_name")),
                )
            )
        problems = self._get_einvoice_problems()
        self._refresh_einvoice_check()
        return self._get_einvoice_check_notification(problems)

    def _get_einvoice_check_notification(self, problems):
        """The notification of the Check E-invoice action: the invoices that would be rejected
        with their problems, then those that would be accepted, then those not e-invoiced."""
        checked = self._filter_einvoiced()
        rejected = checked.filtered(lambda move: problems[move])
        if len(rejected) > 1:
            title = _("E-invoices That Would Be Rejected")
        elif rejected:
            title = _("E-invoice That Would Be Rejected")
        else:
            title = _("E-invoice Check")
        paragraphs = []
        if rejected:
            paragraphs.append(self._format_einvoice_problems(problems))
        if checked - rejected:
            paragraphs.append(
                _(
                    "Would be accepted: %(invoices)s.",
                    invoices=", ".join((checked - rejected).mapped("display_name")),
                )
            )
        if self - checked:
            paragraphs.append(
                _(
                    "Not e-invoiced, nothing to check (not a sale between two businesses in "
                    "France): %(invoices)s.",
                    invoices=", ".join((self - checked).mapped("display_name")),
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": "\n\n".join(paragraphs),
                "type": "warning" if rejected else "success",
                "sticky": bool(rejected),
                "className": "text-prewrap",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ---------------------------------------------------------------------------------------
    # The engine
    # ---------------------------------------------------------------------------------------

    def _get_einvoice_problems(self):
        """What a French e-invoicing platform would reject in each of these invoices.

        :return: {move: [sentence, ...]} for every move of ``self``, each sentence translated
            and saying what is wrong and how to fix it; an empty list when the e-invoice would
            be accepted or when the move is not e-invoiced (see ``_filter_einvoiced``).
        Batched: the invoices' partners, companies and lines are read once for all.
        """
        problems = {move: [] for move in self}
        checked = self._filter_einvoiced()
        # The lines of all the invoices in one prefetch set: each field read once for all.
        all_lines = checked._get_einvoice_lines()
        # Odoo gives every line with a tax a VAT category, never "not subject to VAT": only
        # the others are decided here (asking Odoo would read its country groups at every
        # validation).
        untaxed = all_lines.filtered(lambda line: not line.tax_ids)
        all_categories = {
            **dict.fromkeys(all_lines - untaxed, TAXED),
            **untaxed._get_einvoice_vat_categories(),
        }
        lines_by_move = all_lines.grouped("move_id")
        seller_problems = {
            company: company._get_einvoice_seller_problems() for company in checked.company_id
        }
        for move in checked:
            lines = lines_by_move.get(move, self.env["account.move.line"])
            categories = {line: all_categories[line] for line in lines}
            problems[move] = [
                *seller_problems[move.company_id],
                *move._get_einvoice_seller_vat_problems(categories),
                *move._get_einvoice_buyer_problems(),
                *move._get_einvoice_line_problems(categories),
            ]
        return problems

    def _filter_einvoiced(self):
        """The customer invoices and credit notes a French e-invoicing platform receives: of
        a company in France (its fiscal country: the company's country unless set otherwise,
        and stored, when reading the country itself recomputes the company's address), to a
        French business (one of no country yet included, to be told to set it)."""
        sales = self.filtered(lambda move: move.is_sale_document(include_receipts=False))
        if not sales:
            return sales
        # The id alone: env.ref() would read the country to check it exists.
        france_id = self.env["ir.model.data"]._xmlid_to_res_id("base.fr")
        return sales.filtered(
            lambda move: (
                move.company_id.account_fiscal_country_id.id == france_id
                and move._is_einvoice_business_customer()
                and move.commercial_partner_id.country_id.id in (france_id, False)
            )
        )

    def _is_einvoice_business_customer(self):
        """A company, or a person with a SIREN or a VAT number (a sole trader)."""
        self.ensure_one()
        customer = self.commercial_partner_id
        return bool(customer.is_company or self.customer_siren or customer.vat)

    def _get_einvoice_lines(self):
        """The lines e-invoices carry: products, discounts and tips, not sections or notes."""
        return self.invoice_line_ids.filtered(lambda line: line.display_type == "product")

    def _get_einvoice_seller_vat_problems(self, categories):
        """EN 16931 (BR-S-02, BR-Z-02, BR-E-02, BR-AE-02...): a line of any VAT category but
        "not subject to VAT" needs the seller's VAT number."""
        self.ensure_one()
        company = self.company_id
        taxed = any(
            category == TAXED or (category and category["code"] != NOT_SUBJECT_TO_VAT)
            for category in categories.values()
        )
        if company.vat or not taxed:
            return []
        return [
            _(
                "Your company %(company)s has no VAT number: enter it in Tax ID on the company "
                "(Settings > Companies).",
                company=company.name,
            )
        ]

    def _get_einvoice_buyer_problems(self):
        """BR-11 (country), BR-FR-11 (SIREN), BR-FR-12 (electronic address), BR-FR-21 (the
        French address of a business: scheme 0225, starting with its SIREN), BR-FR-23/25."""
        self.ensure_one()
        customer = self.commercial_partner_id
        problems = []
        if not customer.country_id:
            problems.append(
                _(
                    "%(customer)s is a business but has no country: set its country on the "
                    "customer.",
                    customer=customer.display_name,
                )
            )
        if not self.customer_siren:
            problems.append(
                _(
                    "%(customer)s is a French business but has no SIREN: enter its SIRET or "
                    "SIREN in Company ID on the customer.",
                    customer=customer.display_name,
                )
            )
        if not (customer.peppol_eas and customer.peppol_endpoint):
            problems.append(
                _(
                    "%(customer)s is a French business but has no electronic address: set its "
                    "Electronic Invoicing Address in the Invoicing tab of the customer.",
                    customer=customer.display_name,
                )
            )
            return problems
        if self.customer_siren and not (
            customer.peppol_eas == FRENCH_EAS
            and customer.peppol_endpoint.startswith(self.customer_siren)
        ):
            problems.append(
                _(
                    "The electronic address of %(customer)s is not a French e-invoicing "
                    "address: choose '%(scheme)s' in its Electronic Invoicing Address, with "
                    "an address starting with its SIREN %(siren)s.",
                    customer=customer.display_name,
                    scheme=self._get_french_eas_label(),
                    siren=self.customer_siren,
                )
            )
        return problems + customer._get_einvoice_address_problems()

    def _get_french_eas_label(self):
        selection = self.env["res.partner"]._fields["peppol_eas"]._description_selection(self.env)
        return dict(selection)[FRENCH_EAS]

    def _get_einvoice_line_problems(self, categories):
        """BR-FR-15: every line in a VAT category the platforms know (a line without tax is
        one only in the cases ``_get_einvoice_vat_category`` knows: a tip, a penalty)."""
        self.ensure_one()
        return [
            self.env._(
                "Line '%(line)s' has no tax and its VAT category cannot be decided: set a tax "
                "on it.",
                line=line._get_einvoice_label() or str(number),
            )
            for number, (line, category) in enumerate(categories.items(), start=1)
            if not category
        ]

    def _format_einvoice_problems(self, problems):
        """``problems`` (from ``_get_einvoice_problems``) as text: each failing invoice, then
        its problems."""
        return "\n\n".join(
            "\n".join([move.display_name, *(f"- {text}" for text in sentences)])
            for move, sentences in problems.items()
            if sentences
        )

    def _refresh_einvoice_check(self):
        """Have the stored result of the validated invoices among these recomputed (at the
        next flush or read, all at once)."""
        posted = self.filtered(lambda move: move.state == "posted")
        self.env.add_to_compute(self._fields["einvoice_rejected"], posted)
