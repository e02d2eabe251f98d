from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import escape_psql

from ..tools import RARELY_READ, normalize_text


class AccountMove(models.Model):
    """The invoice's title: a short name to find it again, unique among the company's
    customer invoices (cancelled ones aside), compared without accents, case or extra
    spaces."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

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
        prefetch=RARELY_READ,
        help="The title as compared for uniqueness: without accents, case or extra spaces.",
    )

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
        return res

    @api.depends("invoice_title")
    def _compute_invoice_title_key(self):
        for move in self:
            move.invoice_title_key = normalize_text(move.invoice_title)

    # --- uniqueness, checked before the database sees the title -----------------------------

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

    # --- a free title for a copy or a recurring invoice -------------------------------------

    def copy_data(self, default=None):
        """A duplicated invoice gets a title of its own; a credit note keeps the invoice's."""
        vals_list = super().copy_data(default=default)
        if "invoice_title" in (default or {}):
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
                    ("invoice_title_key", "=like", escape_psql(key) + " (%)"),
                ]
            ).mapped("invoice_title_key")
        )
        candidate, number = title, 1
        while normalize_text(candidate) in taken:
            number += 1
            candidate = f"{title} ({number})"
        return candidate
