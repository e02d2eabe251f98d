import { registry } from "@web/core/registry";
import {
    Many2ManyBinaryField,
    many2ManyBinaryField,
} from "@web/views/fields/many2many_binary/many2many_binary_field";

/**
 * The files for the customer of an invoice: Odoo's many2many_binary, uploading through a
 * route of our own so that Odoo does not try to import the invoice from them.
 */
export class CustomerFilesField extends Many2ManyBinaryField {
    static template = "invoice_classic.CustomerFilesField";
}

registry.category("fields").add("invoice_classic_customer_files", {
    ...many2ManyBinaryField,
    component: CustomerFilesField,
});
