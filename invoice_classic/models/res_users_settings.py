from odoo import fields, models


class ResUsersSettings(models.Model):
    """Per-user settings the web client loads with the session (``user.settings``) and
    writes back (``user.setUserSettings()``): they follow the user from one device to the
    next."""

    _inherit = "res.users.settings"

    invoice_preview_visible = fields.Boolean(
        string="Invoice Live Preview",
        help="Show the live preview beside the customer invoice form (wide screens).",
    )
