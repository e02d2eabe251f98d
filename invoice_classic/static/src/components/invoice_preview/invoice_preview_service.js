import { reactive } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

/**
 * Whether the live preview beside the customer invoice form is open: a setting of the user
 * (res.users.settings, loaded with the session), so that it follows them from one device
 * to the next.
 */
export const invoicePreviewService = {
    start() {
        const state = reactive({ visible: Boolean(user.settings.invoice_preview_visible) });
        return {
            state,
            async toggle() {
                state.visible = !state.visible;
                await user.setUserSettings("invoice_preview_visible", state.visible);
            },
        };
    },
};

registry.category("services").add("invoice_classic.preview", invoicePreviewService);
