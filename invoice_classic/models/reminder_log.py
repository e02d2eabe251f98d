from odoo import api, fields, models


class InvoiceClassicReminderLog(models.Model):
    """What the reminders did, one line per invoice and level: the database refuses a second
    done line. A failed attempt is kept too (what went wrong), and tried again the next day;
    a level a user sent again by hand is a re-sent line (not a level done again)."""

    _name = "invoice.classic.reminder.log"
    _description = "Payment Reminder Log"
    _order = "date desc, id desc"
    _check_company_auto = True

    invoice_id = fields.Many2one(
        comodel_name="account.move", required=True, ondelete="cascade", index=True, readonly=True
    )
    level_id = fields.Many2one(
        comodel_name="invoice.classic.reminder.level",
        required=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(related="invoice_id.company_id", store=True)
    partner_id = fields.Many2one(related="invoice_id.commercial_partner_id", store=True)
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    date = fields.Date(required=True, readonly=True)
    channel = fields.Selection(related="level_id.channel", store=True)
    amount_due = fields.Monetary(readonly=True)
    penalty_interest = fields.Monetary(string="Interest Applied", readonly=True)
    penalty_indemnity = fields.Monetary(string="Indemnity Applied", readonly=True)
    penalty_move_id = fields.Many2one(
        comodel_name="account.move", string="Penalty Invoice", readonly=True
    )
    message_id = fields.Many2one(comodel_name="mail.message", readonly=True)
    attachment_ids = fields.Many2many(related="message_id.attachment_ids", string="Letter")
    state = fields.Selection(
        selection=[("done", "Done"), ("resent", "Re-sent"), ("failed", "Failed")],
        default="done",
        required=True,
        readonly=True,
    )
    note = fields.Char(readonly=True)

    @api.model
    def _create_logs(self, values_list):
        """Log lines are the addon's record of what the reminders did: users only read them
        (no group may create, change or delete one, so none can be forged), and the addon
        writes them here as superuser. Safe: the values come from the reminder engine (the
        invoices the user or the daily run acted on, the level applied, the message posted),
        never from a user's input."""
        return self.sudo().create(values_list).with_env(self.env)

    def init(self):
        # Only done lines are unique: a level is applied once, but may fail several times.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS invoice_classic_reminder_log_invoice_level_done_uniq
                ON invoice_classic_reminder_log (invoice_id, level_id)
             WHERE state = 'done'
            """
        )
