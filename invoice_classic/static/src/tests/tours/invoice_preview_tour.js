import { registry } from "@web/core/registry";

const PREVIEW = ".o_invoice_classic_preview_panel :iframe";

registry.category("web_tour.tours").add("invoice_classic_live_preview", {
    steps: () => [
        {
            content: "Open the live preview beside the draft invoice",
            trigger: ".o_form_view .o_invoice_classic_preview_toggle:not(.active)",
            run: "click",
        },
        {
            content: "The invoice as its customer will read it: 50 € off, 995,40 € in all",
            trigger: `${PREVIEW} .o_invoice_classic_classic [name=invoice_classic_totals]:contains(995,40)`,
        },
        {
            content: "100 € off the whole invoice, not saved",
            trigger: ".o_form_view .o_field_widget[name=global_discount_fixed] input",
            run: "edit 100 && click .o_form_view .o_field_widget[name=invoice_title] input",
        },
        {
            content: "The preview follows: 932,40 €",
            trigger: `${PREVIEW} .o_invoice_classic_classic [name=invoice_classic_totals]:contains(932,40)`,
        },
        {
            content: "Still unsaved",
            trigger: ".o_form_renderer.o_form_dirty",
        },
        {
            content: "Another layout",
            trigger: ".o_invoice_classic_preview_layout",
            run: "selectByLabel Modern",
        },
        {
            content: "The same unsaved invoice in the modern layout",
            trigger: `${PREVIEW} .o_invoice_classic_modern [name=invoice_classic_totals]:contains(932,40)`,
        },
        {
            content: "Discard the changes",
            trigger: ".o_form_view .o_form_button_cancel",
            run: "click",
        },
        {
            content: "The preview shows the saved invoice again",
            trigger: `${PREVIEW} .o_invoice_classic_modern [name=invoice_classic_totals]:contains(995,40)`,
        },
    ],
});
