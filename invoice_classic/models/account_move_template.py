from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools import RARELY_READ


class AccountMove(models.Model):
    """The invoice's link to an invoice template (``invoice.classic.template``): the
    template a recurring invoice was made from and the period it is for (one invoice per
    template and period, whatever runs at the same time), its own e-mail, and saving an
    invoice as a template."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    classic_template_id = fields.Many2one(
        comodel_name="invoice.classic.template",
        string="Template",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        prefetch=RARELY_READ,
    )
    classic_period_date = fields.Date(
        string="Recurring Period",
        copy=False,
        readonly=True,
        prefetch=RARELY_READ,
        help="The period of its template this recurring invoice is for.",
    )

    def init(self):
        res = super().init()
        # One recurring invoice per template and period, whatever runs at the same time.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS account_move_invoice_classic_period_uniq
                ON account_move (classic_template_id, classic_period_date)
             WHERE classic_template_id IS NOT NULL AND classic_period_date IS NOT NULL
            """
        )
        return res

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

    def _get_mail_template(self):
        """Recurring invoices (from a template) have a message of their own."""
        if self and all(move.classic_template_id and move.classic_period_date for move in self):
            template = self.env.ref(
                "invoice_classic.mail_template_recurring_invoice", raise_if_not_found=False
            )
            if template:
                return template
        return super()._get_mail_template()
