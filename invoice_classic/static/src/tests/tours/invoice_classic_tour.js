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

registry.category("web_tour.tours").add("invoice_classic_editor", {
    steps: () => [
        {
            content: "Give the draft invoice a title",
            trigger: ".o_form_view .o_field_widget[name=invoice_title] input",
            run: "edit Refonte du site",
        },
        {
            content: "Choose a percentage discount",
            trigger: ".o_form_view .o_field_widget[name=global_discount_type] select",
            run: 'select "percent"',
        },
        {
            content: "10 % off the whole invoice",
            trigger: ".o_form_view .o_field_widget[name=global_discount_percent] input",
            run: "edit 10 && click .o_form_view .o_field_widget[name=invoice_title] input",
        },
        {
            content: "The discount shows in the totals before saving",
            trigger: ".o_form_view .o_tax_total_label:contains(Total before Discount)",
        },
        {
            content: "Open the terms",
            trigger: ".o_form_view .o_notebook a[name=invoice_classic_terms]",
            run: "click",
        },
        {
            content: "Pay in installments",
            trigger: ".o_form_view .o_field_widget[name=installment_mode] select",
            run: 'select "equal"',
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the schedule is shown",
            trigger: ".o_form_view .o_field_widget[name=installment_line_ids] .o_data_row",
        },
        {
            content: "Nothing left unsaved",
            trigger: ".o_form_renderer.o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("invoice_classic_reminder_now", {
    steps: () => [
        {
            content: "Open the terms of the late invoice",
            trigger: ".o_form_view .o_notebook a[name=invoice_classic_terms]",
            run: "click",
        },
        {
            content: "Send Reminder Now",
            trigger: ".o_form_view button[name=action_preview_reminder]",
            run: "click",
        },
        {
            content: "The reminder due is in the composer, to read before it goes",
            trigger: ".modal .o_field_widget[name=subject] input:value(/First reminder/)",
        },
        {
            content: "Send it",
            trigger: ".modal button.o_mail_send:enabled",
            run: "click",
        },
        {
            content: "The reminder is in the invoice's history",
            trigger: ".o_form_view .o_field_widget[name=reminder_log_ids] .o_data_row:contains(First reminder)",
        },
    ],
});

registry.category("web_tour.tours").add("invoice_classic_pdf_send", {
    steps: () => [
        {
            content: "PDF on the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(PDF)",
            run: "click",
        },
        {
            content: "Choose the modern layout",
            trigger: ".modal .o_field_widget[name=report_id] input",
            run: "edit Modern",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains(Invoice - Modern)",
            run: "click",
        },
        {
            content: "Send by e-mail",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        {
            content: "Odoo's sending wizard, with the chosen layout",
            trigger: ".modal .o_field_widget[name=pdf_report_id] input:value(/Modern/)",
        },
        {
            content: "Send",
            trigger: ".modal button[name=action_send_and_print]:enabled",
            run: "click",
        },
        {
            content: "Sent: the wizard is closed, back on the invoice",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_buttons button:contains(PDF)",
        },
    ],
});
