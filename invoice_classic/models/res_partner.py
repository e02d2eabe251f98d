from odoo import _, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "invoice.classic.penalty.terms.mixin"]

    penalty_recurrence = fields.Selection(default="once")
    penalty_interval = fields.Integer(default=1)
    penalty_interval_unit = fields.Selection(default="months")
    penalty_rate_basis = fields.Selection(default="monthly")
    penalty_recovery_indemnity = fields.Boolean(default=True)

    invoice_auto_send = fields.Selection(
        selection=[("always", "Always"), ("never", "Never")],
        string="Send Invoices When Validated",
        help="Empty: as the company decides.",
    )
    no_reminders = fields.Boolean(
        string="No Payment Reminders", help="Never send payment reminders to this customer."
    )
    customer_invoice_count = fields.Integer(
        string="Customer Invoices",
        compute="_compute_customer_invoice_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    def action_view_reminder_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "invoice_classic.invoice_classic_reminder_log_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action

    def _unpaid_invoices_domain(self):
        """The customers' posted invoices not fully paid (their contacts' included)."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
        ]

    def _get_overdue_invoices(self):
        """The customers' unpaid invoices past their due date, the oldest first."""
        return self.env["account.move"].search(
            [
                *self._unpaid_invoices_domain(),
                ("reminder_due_date", "<", fields.Date.context_today(self)),
            ],
            order="reminder_due_date, id",
        )

    def action_send_reminders_now(self):
        """The reminders due today for all the customer's unpaid invoices."""
        self.ensure_one()
        return self._get_reminder_invoices().action_send_reminder_now()

    def action_preview_reminders(self):
        """The customer's highest reminder due today, for all the invoices at that level, in
        the composer: one message listing them, to read (and edit) before it goes. If none
        is due, the last one sent, to send again to the invoices that had it."""
        self.ensure_one()
        invoices = self._get_reminder_invoices()
        company = invoices.company_id[:1] or self.env.company
        level, invoices = invoices.filtered(
            lambda m: m.company_id == company
        )._get_reminder_to_preview()
        if not level:
            raise UserError(_("No reminder is due for this customer today."))
        return self.env["mail.compose.message"]._get_reminder_action(
            level, self.commercial_partner_id, invoices
        )

    def _get_reminder_invoices(self):
        """The customer's unpaid invoices reminders are about (not its penalty invoices)."""
        self.ensure_one()
        return self.env["account.move"].search(
            [*self._unpaid_invoices_domain(), ("penalty_origin_id", "=", False)]
        )

    def _compute_customer_invoice_count(self):
        """Invoices and credit notes of each partner and its contacts (one query)."""
        partners = self.filtered("id")
        children = (
            self.with_context(active_test=False).search([("id", "child_of", partners.ids)])
            if partners
            else self.browse()
        )
        counts = dict(
            self.env["account.move"]._read_group(
                [
                    ("partner_id", "in", children.ids),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        totals = dict.fromkeys(self.ids, 0)
        for child, count in counts.items():
            ancestor = child
            while ancestor:  # parents were fetched with the children
                if ancestor.id in totals:
                    totals[ancestor.id] += count
                ancestor = ancestor.parent_id
        for partner in self:
            partner.customer_invoice_count = totals.get(partner.id, 0)

    def action_view_customer_invoices(self):
        """Every invoice and credit note of the customer, paid or not."""
        action = self.action_view_partner_invoices()
        action["context"] = dict(action["context"], search_default_unpaid=0)
        return action

    def action_new_customer_invoice(self):
        """A new customer invoice set for this customer; Odoo's onchanges fill
        the addresses, payment terms and fiscal position from the partner."""
        self.ensure_one()
        if not self.active:
            raise UserError(
                _(
                    "%(customer)s is archived: restore it before invoicing it.",
                    customer=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("New Invoice"),
            "res_model": "account.move",
            "view_mode": "form",
            "views": [(self.env.ref("account.view_move_form").id, "form")],
            "context": {
                "default_move_type": "out_invoice",
                "default_partner_id": self.id,
                "default_invoice_user_id": (
                    self.user_id or self.commercial_partner_id.user_id or self.env.user
                ).id,
            },
        }
