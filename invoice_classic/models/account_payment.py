from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.osv import expression


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "invoice.classic.payment.details.mixin"]

    def init(self):
        res = super().init()
        # Two users recording the same cheque at the same time: the database refuses the second.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_payment_invoice_classic_cheque_uniq
                ON account_payment (
                    company_id,
                    lower(btrim(cheque_number)),
                    lower(btrim(coalesce(cheque_bank, ''))),
                    lower(btrim(coalesce(cheque_issuer, '')))
                )
             WHERE cheque_number IS NOT NULL AND state != 'canceled'
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
        return (company_id, *((value or "").strip().lower() for value in (number, bank, issuer)))

    def _raise_if_cheques_recorded(self, cheques):
        """``cheques``: {key: label of the new payment}; refuse those already recorded."""
        if not cheques:
            return
        numbers = expression.OR(
            [
                [("cheque_number", "=ilike", self.env["account.move"]._escape_like(number))]
                for number in {key[1] for key in cheques}
            ]
        )
        recorded = self.search(
            expression.AND(
                [
                    [
                        ("id", "not in", self.ids),
                        ("company_id", "in", list({key[0] for key in cheques})),
                        ("state", "!=", "canceled"),
                    ],
                    numbers,
                ]
            )
        ).filtered(
            lambda p: (
                self._cheque_key(p.company_id.id, p.cheque_number, p.cheque_bank, p.cheque_issuer)
                in cheques
            )
        )
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
            self._cheque_key(
                vals.get("company_id") or default_company,
                vals.get("cheque_number"),
                vals.get("cheque_bank"),
                vals.get("cheque_issuer"),
            )
            for vals in vals_list
            if vals.get("cheque_number")
        ]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("The same cheque cannot pay two payments."))
        self._raise_if_cheques_recorded(set(keys))
        return super().create(vals_list)

    @api.constrains("cheque_number", "cheque_bank", "cheque_issuer", "state", "company_id")
    def _check_cheque_unique(self):
        cheques = self.filtered(lambda p: p.cheque_number and p.state != "canceled")
        cheques._raise_if_cheques_recorded(
            {
                self._cheque_key(p.company_id.id, p.cheque_number, p.cheque_bank, p.cheque_issuer)
                for p in cheques
            }
        )
