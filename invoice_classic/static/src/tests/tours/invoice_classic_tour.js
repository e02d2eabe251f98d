import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_classic_quotation_to_invoice", {
    steps: () => [
        {
            content: "The quotation is open",
            trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains(Quotation)",
        },
        {
            content: "One click: Create Invoice",
            trigger: ".o_form_view button[name=action_invoice_one_click]",
            run: "click",
        },
        {
            content: "We land on the draft invoice",
            trigger: ".o_form_view .o_field_widget[name=move_type]:contains(Customer Invoice)",
        },
        {
            content: "It is still a draft",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Draft)",
        },
    ],
});
