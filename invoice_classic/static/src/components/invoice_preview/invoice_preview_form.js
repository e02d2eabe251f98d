import { useState } from "@odoo/owl";
import {
    AccountMoveFormCompiler,
    AccountMoveFormRenderer,
} from "@account/components/account_move_form/account_move_form";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";
import { append, createElement } from "@web/core/utils/xml";
import { InvoicePreviewPanel } from "./invoice_preview_panel";
import { isWideScreen } from "./invoice_preview_toggle";

const CUSTOMER_MOVE_TYPES = ["out_invoice", "out_refund"];

/**
 * ``<div class="o_invoice_classic_preview"/>`` of the invoice form, after its sheet: the
 * live preview, aside as Odoo puts the attachment preview of a bill (the chatter then goes
 * under the sheet).
 */
function compileInvoicePreview() {
    const aside = createElement("div", { "t-if": "__comp__.invoicePreviewShown" });
    append(
        aside,
        createElement("t", {
            "t-component": "__comp__.invoicePreviewComponents.InvoicePreviewPanel",
            record: "__comp__.props.record",
        })
    );
    return aside;
}

registry.category("form_compilers").add("invoice_classic_preview_compiler", {
    selector: "div.o_invoice_classic_preview",
    fn: compileInvoicePreview,
});

patch(AccountMoveFormCompiler.prototype, {
    compile(node, params) {
        const res = super.compile(node, params);
        const attachmentPreview = res.querySelector(".o_attachment_preview");
        if (attachmentPreview && res.querySelector(".o_invoice_classic_preview")) {
            // One aside at a time: the live preview takes the attachment's place.
            const shown = attachmentPreview.getAttribute("t-if") || "true";
            attachmentPreview.setAttribute("t-if", `(${shown}) and !__comp__.invoicePreviewShown`);
        }
        return res;
    },
});

patch(AccountMoveFormRenderer.prototype, {
    setup() {
        super.setup();
        this.invoicePreviewComponents = { InvoicePreviewPanel };
        this.invoicePreviewState = useState(useService("invoice_classic.preview").state);
    },

    get invoicePreviewShown() {
        return (
            this.invoicePreviewState.visible &&
            CUSTOMER_MOVE_TYPES.includes(this.props.record.data.move_type) &&
            isWideScreen(this.uiService) &&
            !this.env.inDialog
        );
    },

    /** Mail's "COMBO" layout while the preview is aside: the chatter under the sheet. */
    mailLayout(hasAttachmentContainer) {
        const layout = super.mailLayout(hasAttachmentContainer);
        if (!this.invoicePreviewShown) {
            return layout;
        }
        return hasAttachmentContainer ? "COMBO" : "BOTTOM_CHATTER";
    },
});
