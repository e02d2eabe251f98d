import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_classic_crm_opportunity_to_invoice", {
    steps: () => [
        {
            content: "The opportunity offers one invoice per order or one for all",
            trigger: ".o_form_view button[name=action_invoice_orders]:contains(One Invoice per Order)",
        },
        {
            content: "One click: One Invoice for All",
            trigger: ".o_form_view button[name=action_invoice_orders_grouped]",
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
