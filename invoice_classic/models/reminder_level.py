from collections import defaultdict

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The shipped ladder: (name, days after the due date, other values).
DEFAULT_LEVELS = [
    (_lt("Courtesy reminder"), -3, {}),
    (_lt("First reminder"), 7, {}),
    (_lt("Second reminder"), 15, {}),
    (_lt("Formal notice"), 30, {"apply_penalty": True, "formal_notice": True}),
]


class InvoiceClassicReminderLevel(models.Model):
    """A step of the payment reminders of a company: when, how, and with what."""

    _name = "invoice.classic.reminder.level"
    _description = "Payment Reminder Level"
    _order = "company_id, days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    days = fields.Integer(
        required=True,
        help="Days after the due date (negative: a courtesy note before it).",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        domain="[('model', '=', 'account.move')]",
        default=lambda self: self.env.ref(
            "invoice_classic.mail_template_payment_reminder", raise_if_not_found=False
        ),
    )
    channel = fields.Selection(
        selection=[("email", "E-mail"), ("sms", "SMS"), ("letter", "Letter (PDF to post)")],
        default="email",
        required=True,
    )
    apply_penalty = fields.Boolean(
        string="Apply Penalties",
        help="Invoice the late-payment penalties the invoice's terms state, as of that day.",
    )
    formal_notice = fields.Boolean()

    @api.model
    def _get_by_company(self, companies):
        """{company: its active reminder levels}, empty for a company without any."""
        levels = self.search([("company_id", "in", companies.ids)])
        return defaultdict(lambda: levels.browse(), levels.grouped("company_id"))

    def _is_sent_in_bulk(self):
        """E-mails without penalties go out a batch at a time (see the reminder run); a
        template with files to attach goes one by one: a report rendered per invoice is
        slow, and one that fails must not send the whole batch one by one again."""
        self.ensure_one()
        template = self.mail_template_id
        return (
            self.channel == "email"
            and not self.apply_penalty
            and not (template.report_template_ids or template.attachment_ids)
        )

    @api.model
    def _create_default_levels(self, companies):
        """The shipped ladder: 3 days before, 7, 15 and 30 days after (formal notice with
        penalties). Created once per company; editable, never overwritten."""
        have = set(
            self.with_context(active_test=False)
            .search([("company_id", "in", companies.ids)])
            .company_id.ids
        )
        penalty_notice = (
            self.env.ref("invoice_classic.mail_template_penalty_notice", raise_if_not_found=False)
            or self.env["mail.template"]
        )
        companies = companies.filtered(lambda company: company.id not in have)
        levels = self.with_context(lang="en_US").create(
            [
                {
                    "name": name._translate("en_US"),
                    "days": days,
                    "company_id": company.id,
                    **values,
                    **(
                        {"mail_template_id": penalty_notice.id}
                        if values.get("formal_notice")
                        else {}
                    ),
                }
                for company in companies
                for name, days, values in DEFAULT_LEVELS
            ]
        )
        # The names in every language installed, whoever creates the company.
        levels._translate_default_names(
            [code for code, _language in self.env["res.lang"].get_installed()]
        )
        return levels

    def _translate_default_names(self, languages):
        """Give the levels of ``self`` that bear a shipped name its translation in
        ``languages`` where they have none yet (a name a user wrote is kept). Set as
        translations, not written in the language: when English is not active, Odoo writes
        a value written in another language as the English source too."""
        for name, _days, _values in DEFAULT_LEVELS:
            english = name._translate("en_US")
            shipped = self.with_context(lang="en_US").filtered(
                lambda level, english=english: level.name == english
            )
            for code in languages:
                if code == "en_US":
                    continue
                for level in shipped.with_context(lang=code).filtered(
                    lambda level, english=english: level.name == english
                ):
                    level.update_field_translations("name", {code: name._translate(code)})
