from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.binary import Binary


class InvoiceClassicBinary(Binary):
    @http.route(
        "/invoice_classic/customer_files/upload", type="http", auth="user", methods=["POST"]
    )
    def invoice_classic_upload_customer_files(self, model, id, ufile, callback=None):
        """The files an invoice sends to its customer (``invoice_attachment_ids``): attached
        to the invoice as any upload (its access rules apply), but they are not the document
        the invoice comes from. ``no_new_invoice``, Odoo's own key, keeps the import from
        attachments (``_check_and_decode_attachment``) off them."""
        request.update_context(no_new_invoice=True)
        return self.upload_attachment(model, id, ufile, callback=callback)
