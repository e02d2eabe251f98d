from collections import defaultdict

from odoo import Command, _, api, models
from odoo.exceptions import UserError

from .account_move import CUSTOMER_MOVE_TYPES


class AccountMove(models.Model):
    """The live preview beside the invoice form: the chosen layout's rendering of the
    invoice as it is being edited, unsaved changes included, without writing anything.

    The form sends its changes the way it sends them to ``onchange()`` (its record's
    ``_getChanges()``: changed fields, x2many as commands on the saved lines); they are
    applied to a new record in memory whose origin is the saved invoice (``new(values,
    origin=...)``, as ``onchange()`` builds its record), and the layout's QWeb template
    renders that record. Every field the layouts print is computed on it: the totals from
    its invoice lines, the discount and tip lines as the form's onchange left them."""

    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def get_invoice_preview_layouts(self):
        """The layouts the panel offers: [{"id", "name"}]."""
        return [{"id": report.id, "name": report.name} for report in self._get_preview_layouts()]

    @api.model
    def get_invoice_preview_html(self, record_id, values, layout=False):
        """The HTML of the invoice ``record_id`` (False: one not saved yet) with the form's
        ``values`` applied, in ``layout`` (an invoice report's id; False: the layout the
        invoice prints with). Returns {"html", "layout_id"}. Raises AccessError when the
        user cannot read the invoice or a record the values name."""
        invoice = self.browse(record_id)
        invoice.check_access("read")
        preview = self.new(self._get_preview_values(values), origin=invoice or None)
        if preview.move_type not in CUSTOMER_MOVE_TYPES:
            raise UserError(_("Only customer invoices and credit notes have a live preview."))
        report = self._get_preview_layout(preview, layout)
        # ``_ids``, not ``ids``: the latter are the saved invoice's, without the changes.
        html, _report_type = self.env["ir.actions.report"]._render_qweb_html(
            report.id, list(preview._ids), data={"report_type": "html"}
        )
        return {"html": html.decode(), "layout_id": report.id}

    @api.model
    def _get_preview_layouts(self):
        return self.env["ir.actions.report"].search(
            [("is_invoice_report", "=", True), ("model", "=", self._name)]
        )

    @api.model
    def _get_preview_layout(self, preview, layout):
        """The invoice report ``layout`` names, else the one ``preview`` prints with."""
        if not layout:
            return self.env["account.move.send"]._get_default_pdf_report_id(preview)
        report = self._get_preview_layouts().filtered(lambda r: r.id == layout)
        if not report:
            raise UserError(_("This layout does not print invoices: choose another one."))
        return report

    @api.model
    def _get_preview_values(self, values):
        """``values`` without the fields the form only displays (totals, subtotals: computed
        and read-only), so that the preview computes them from what is edited, and without
        the journal items (the document prints the invoice lines; the form may send stale
        journal items beside changed invoice lines, and Odoo's onchange leaves them out then
        too). Raises AccessError when the user cannot read a record the values name
        (customer, bank account, products, taxes...): rendering reads some as superuser
        (Odoo's address widget does)."""
        ids_by_model = defaultdict(set)

        def clean(model, record_values):
            cleaned = {}
            for name, value in record_values.items():
                field = model._fields[name]
                if (field.compute and field.readonly) or (name == "line_ids" and model is self):
                    continue
                cleaned[name] = value
                if field.type == "many2one" and isinstance(value, int) and value:
                    ids_by_model[field.comodel_name].add(value)
                elif field.type in ("one2many", "many2many") and value:
                    cleaned[name] = [clean_command(field.comodel_name, c) for c in value]
            return cleaned

        def clean_command(comodel_name, command):
            if command[0] in (Command.UPDATE, Command.LINK):
                ids_by_model[comodel_name].add(command[1])
            elif command[0] == Command.SET:
                ids_by_model[comodel_name].update(command[2])
            if command[0] in (Command.CREATE, Command.UPDATE):
                return (command[0], command[1], clean(self.env[comodel_name], command[2]))
            return command

        cleaned = clean(self, values)
        for model_name, ids in ids_by_model.items():
            self.env[model_name].browse(ids).check_access("read")
        return cleaned
