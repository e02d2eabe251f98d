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
            content: "The due date gives way to the schedule, its label too",
            trigger:
                ".o_form_view:not(:has(.o_td_label label:contains(Due Date)))" +
                ":not(:has(.o_td_label label:contains(Payment terms)))",
        },
        {
            content: "The schedule of three installments shows before saving",
            trigger:
                ".o_form_renderer.o_form_dirty .o_field_widget[name=installment_line_ids] " +
                "tbody:has(.o_data_row:nth-child(3)):not(:has(.o_data_row:nth-child(4)))",
        },
        {
            content: "Four installments instead",
            trigger: ".o_form_view .o_field_widget[name=installment_count] input",
            run: "edit 4 && click .o_form_view .o_field_widget[name=invoice_title] input",
        },
        {
            content: "The schedule follows, still unsaved",
            trigger:
                ".o_form_renderer.o_form_dirty .o_field_widget[name=installment_line_ids] " +
                "tbody:has(.o_data_row:nth-child(4)):not(:has(.o_data_row:nth-child(5)))",
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
        {
            content: "Send Reminder Now again, once the level is sent",
            trigger: ".o_form_view button[name=action_preview_reminder]",
            run: "click",
        },
        {
            content: "The last reminder, to send again",
            trigger: ".modal .o_field_widget[name=reminder_resend] input:checked",
        },
        {
            content: "Send it again",
            trigger: ".modal button.o_mail_send:enabled",
            run: "click",
        },
        {
            content: "Logged as a re-send",
            trigger: ".o_form_view .o_field_widget[name=reminder_log_ids] .o_data_row:contains(Re-sent)",
        },
        {
            content: "Send Reminder Now, for another level",
            trigger: ".o_form_view button[name=action_preview_reminder]",
            run: "click",
        },
        {
            content: "Choose the second reminder",
            trigger: ".modal .o_field_widget[name=reminder_level_id] input",
            run: "edit Second",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains(Second reminder)",
            run: "click",
        },
        {
            content: "Its preview in the composer",
            trigger: ".modal .o_field_widget[name=subject] input:value(/Second reminder/)",
        },
        {
            content: "Send it",
            trigger: ".modal button.o_mail_send:enabled",
            run: "click",
        },
        {
            content: "The second reminder is in the history",
            trigger: ".o_form_view .o_field_widget[name=reminder_log_ids] .o_data_row:contains(Second reminder)",
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

registry.category("web_tour.tours").add("invoice_classic_delivery_to_invoice", {
    steps: () => [
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        {
            content: "One click: Create Invoice",
            trigger: ".o_form_view button[name=action_invoice_one_click]:contains(Create Invoice)",
            run: "click",
        },
        {
            content: "We land on the draft invoice of what this delivery moved",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Draft)",
        },
        {
            content: "Validate it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            content: "Posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
    ],
});

registry.category("web_tour.tours").add("invoice_classic_customer_new_invoice", {
    steps: () => [
        {
            content: "The customer's record: New Invoice",
            trigger: ".o_form_view button[name=action_new_customer_invoice]",
            run: "click",
        },
        {
            content: "A new invoice, already for that customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(/Client Tour/)",
        },
        {
            content: "Add a line",
            trigger: ".o_form_view .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "What was sold",
            trigger: ".o_form_view .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Logo design",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains(Logo design)",
            run: "click",
        },
        {
            content: "Its price comes from the product",
            trigger: ".o_form_view .o_data_row .o_field_widget[name=price_unit] input:value(/500/)",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_renderer.o_form_saved",
        },
    ],
});

registry.category("web_tour.tours").add("invoice_classic_cheque_payment", {
    steps: () => [
        {
            content: "Record the payment of the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_register_payment]",
            run: "click",
        },
        {
            content: "Received by cheque",
            trigger: ".modal .o_field_widget[name=payment_mode_id] input",
            run: "edit Cheque",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains(Cheque)",
            run: "click",
        },
        {
            content: "The cheque's number",
            trigger: ".modal .o_field_widget[name=cheque_number] input",
            run: "edit 0004521",
        },
        {
            content: "Its bank",
            trigger: ".modal .o_field_widget[name=cheque_bank] input",
            run: "edit Crédit Lyonnais",
        },
        {
            content: "Create the payment",
            trigger: ".modal button[name=action_create_payments]",
            run: "click",
        },
        {
            content: "Back on the invoice, with its payment ribbon",
            trigger:
                "body:not(:has(.modal)) .o_form_view .ribbon span:contains(In Payment), " +
                "body:not(:has(.modal)) .o_form_view .ribbon span:contains(Paid)",
        },
    ],
});

registry.category("web_tour.tours").add("invoice_classic_customer_files", {
    steps: () => [
        {
            content: "Open the terms",
            trigger: ".o_form_view .o_notebook a[name=invoice_classic_terms]",
            run: "click",
        },
        {
            content: "Attach our general terms for the customer",
            trigger: ".o_form_view .o_field_widget[name=invoice_attachment_ids] input[type=file]:not(:visible)",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["Conditions générales de vente"], "conditions.txt", {
                        type: "text/plain",
                    })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is listed",
            trigger: ".o_form_view .o_field_widget[name=invoice_attachment_ids] .o_attachment:contains(conditions.txt)",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_renderer.o_form_saved",
        },
    ],
});
