from odoo import models


class InvoiceClassicInternalFieldsMixin(models.AbstractModel):
    """Technical fields a plain ``read()`` of every field leaves out, as Odoo does for its
    own (``needed_terms``, ``term_key``...): the keys and values of the dynamic lines kept by
    ``_sync_dynamic_line`` are dicts keyed by frozendicts, neither shown nor exported."""

    _name = "invoice.classic.internal.fields.mixin"
    _description = "Technical fields left out of reads of all fields"

    def _get_internal_fields(self):
        """Hook: the names of the fields to leave out."""
        return []

    def check_field_access_rights(self, operation, field_names):
        result = super().check_field_access_rights(operation, field_names)
        if not field_names:
            internal = set(self._get_internal_fields())
            result = [fname for fname in result if fname not in internal]
        return result
