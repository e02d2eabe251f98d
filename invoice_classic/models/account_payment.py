from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import normalize_number, normalize_text


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "invoice.classic.payment.details.mixin"]

    _sql_constraints = [
        (
            "cheque_key_uniq",
            "",  # the unique index of init(): partial, on the normalised cheque
            "This cheque is already recorded in another payment.",
        ),
    ]

    cheque_key = fields.Char(
        compute="_compute_cheque_key",
        store=True,
        help="The cheque as compared for duplicates: number without spaces, dashes or dots, "
        "bank and issuer without accents, case or extra spaces.",
    )

    @api.depends("cheque_number", "cheque_bank", "cheque_issuer")
    def _compute_cheque_key(self):
        for payment in self:
            payment.cheque_key = self._cheque_key(
                False, payment.cheque_number, payment.cheque_bank, payment.cheque_issuer
            )[1]

    def init(self):
        res = super().init()
        # Two users recording the same cheque at the same time: the database refuses the
        # second. Its key is computed in Python (one normal form): fill it before indexing.
        self.env.cr.execute("DROP INDEX IF EXISTS account_payment_invoice_classic_cheque_uniq")
        self.flush_model(["cheque_key"])
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_payment_cheque_key_uniq
                ON account_payment (company_id, cheque_key)
             WHERE cheque_key IS NOT NULL AND state != 'canceled'
            """
        )
        return res

    def _card_number_fields(self):
        return [*super()._card_number_fields(), "memo", "payment_reference"]

    def _card_number_fields_to_check(self):
        """A supplier's reference is the supplier's: only customer payments are checked."""
        fnames = super()._card_number_fields_to_check()
        if self.partner_type != "customer":
            fnames = [f for f in fnames if f not in ("memo", "payment_reference")]
        return fnames

    @api.model
    def _cheque_key(self, company_id, number, bank, issuer):
        """(company, normalised cheque): "7654 321" is "7654321", "credit agricole" is
        "Crédit Agricole"; no key without a number."""
        number = normalize_number(number)
        if not number:
            return (company_id, False)
        return (
            company_id,
            "|".join([number, normalize_text(bank) or "", normalize_text(issuer) or ""]),
        )

    def _raise_if_cheques_recorded(self, cheques):
        """``cheques``: {key: label of the new payment}; refuse those already recorded."""
        if not cheques:
            return
        recorded = self.search(
            [
                ("id", "not in", self.ids),
                ("company_id", "in", list({key[0] for key in cheques})),
                ("cheque_key", "in", list({key[1] for key in cheques})),
                ("state", "!=", "canceled"),
            ]
        ).filtered(lambda p: (p.company_id.id, p.cheque_key) in cheques)
        if recorded:
            other = recorded[0]
            raise ValidationError(
                _(
                    "Cheque n° %(number)s from %(issuer)s (%(bank)s) is already recorded "
                    "in payment %(payment)s.",
                    number=other.cheque_number,
                    issuer=other.cheque_issuer or "-",
                    bank=other.cheque_bank or "-",
                    payment=other.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the insert: the unique index would refuse it without saying why.
        default_company = self.env.company.id
        keys = [
            key
            for vals in vals_list
            if (
                key := self._cheque_key(
                    vals.get("company_id") or default_company,
                    vals.get("cheque_number"),
                    vals.get("cheque_bank"),
                    vals.get("cheque_issuer"),
                )
            )[1]
        ]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("The same cheque cannot pay two payments."))
        self._raise_if_cheques_recorded(set(keys))
        return super().create(vals_list)

    @api.constrains("cheque_key", "state", "company_id")
    def _check_cheque_unique(self):
        cheques = self.filtered(lambda p: p.cheque_key and p.state != "canceled")
        cheques._raise_if_cheques_recorded({(p.company_id.id, p.cheque_key) for p in cheques})
