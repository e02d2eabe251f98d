import { Component, useState } from "@odoo/owl";
import { isMobileOS } from "@web/core/browser/feature_detection";
import { registry } from "@web/core/registry";
import { SIZES } from "@web/core/ui/ui_service";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/** Whether the screen is wide enough for the preview beside the form (Odoo puts its
 * chatter and attachment preview aside from the same width on); never on a phone or tablet. */
export function isWideScreen(ui) {
    return ui.size >= SIZES.XXL && !isMobileOS();
}

/** The button of the form's header that opens or closes the live preview. */
export class InvoicePreviewToggle extends Component {
    static template = "invoice_classic.InvoicePreviewToggle";
    static props = { ...standardWidgetProps };

    setup() {
        this.ui = useState(useService("ui"));
        this.preview = useService("invoice_classic.preview");
        this.previewState = useState(this.preview.state);
    }

    get isAvailable() {
        return isWideScreen(this.ui) && !this.env.inDialog;
    }
}

registry.category("view_widgets").add("invoice_classic_preview_toggle", {
    component: InvoicePreviewToggle,
});
