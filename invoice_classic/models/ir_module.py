from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """A language installed after the reminder levels were made names them too."""
        result = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "invoice_classic" in modules and "invoice.classic.reminder.level" in self.env:
            levels = self.env["invoice.classic.reminder.level"].sudo()
            levels.with_context(active_test=False).search([])._translate_default_names(langs)
        return result
