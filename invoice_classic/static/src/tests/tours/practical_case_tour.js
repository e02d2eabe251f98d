import { registry } from "@web/core/registry";

// The practical case of the product manual, in French, as the agency's administrator does it
// (tests/test_practical_case.py checks the records between the parts).

registry.category("web_tour.tours").add("invoice_classic_practical_case_invoice", {
    steps: () => [
        {
            content: "The bookshop's quotation, in the list of quotations",
            trigger: ".o_list_view .o_data_row td.o_data_cell:contains(Librairie Le Chapitre)",
            run: "click",
        },
        {
            content: "The quotation was sent to the customer, who accepted it",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Envoyé)",
        },
        {
            content: "One click: Créer une facture",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_invoice_one_click]:contains(Créer une facture)",
            run: "click",
        },
        {
            content: "A draft customer invoice",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Brouillon)",
        },
        {
            content: "It is a customer invoice",
            trigger: ".o_form_view .o_field_widget[name=move_type]:contains(Facture client)",
        },
        {
            content: "With the quotation's services",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_data_row:contains(Campagne réseaux sociaux)",
        },
        {
            content: "Add a line by hand",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_field_x2many_list_row_add a:contains(Ajouter une ligne)",
            run: "click",
        },
        {
            content: "Two trips",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row .o_field_widget[name=quantity] input",
            run: "edit 2",
        },
        {
            content: "85 € each",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row .o_field_widget[name=price_unit] input",
            run: "edit 85",
        },
        {
            content: "No product: a description instead (the button beside the product)",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row .o_field_widget[name=product_id] button.fa-bars",
            run: "click",
        },
        {
            content: "The line comes to 170,00 €, with the VAT of the agency's services",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row:has(.o_field_widget[name=tax_ids]:contains(20%)) .o_field_widget[name=price_subtotal]:contains(170,00)",
        },
        {
            content: "Its label: the travel expenses",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row .o_field_widget[name=product_id] textarea",
            run: "edit Frais de déplacement && click .o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row .o_field_widget[name=quantity] input",
        },
        {
            content: "The label is taken (the button for a description is gone)",
            trigger: ".o_form_view .o_field_widget[name=invoice_line_ids] .o_selected_row:not(:has(button.fa-bars)) .o_field_widget[name=product_id] textarea:value(Frais de déplacement)",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, the travel expenses among the lines",
            trigger: ".o_form_renderer.o_form_saved .o_field_widget[name=invoice_line_ids] .o_data_row textarea:value(Frais de déplacement)",
        },
        {
            content: "The total with VAT: 2 964,00 €",
            trigger: ".o_form_view .o_field_widget[name=tax_totals]:contains(964,00)",
        },
        {
            content: "Validate: Confirmer",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]:contains(Confirmer)",
            run: "click",
        },
        {
            content: "Posted",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Comptabilisé)",
        },
        {
            content: "PDF",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(PDF)",
            run: "click",
        },
        {
            content: "Choose the Modern layout",
            trigger: ".modal .o_field_widget[name=report_id] input",
            run: "edit Moderne",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains(Facture - Moderne)",
            run: "click",
        },
        {
            content: "The Modern layout is chosen",
            trigger: ".modal .o_field_widget[name=report_id] input:value(Facture - Moderne)",
        },
        {
            content: "Télécharger",
            trigger: ".modal button[name=action_download]:contains(Télécharger)",
            run: "click",
        },
        {
            content: "Downloaded (the browser of the tests keeps no file): the window is still open",
            trigger: ".modal button[name=action_send]:contains(Envoyer par e-mail)",
            run: "click",
        },
        {
            content: "Odoo's sending window, with the chosen layout",
            trigger: ".modal .o_field_widget[name=pdf_report_id] input:value(Facture - Moderne)",
        },
        {
            content: "Envoyer",
            trigger: ".modal button[name=action_send_and_print]:contains(Envoyer):enabled",
            run: "click",
        },
        {
            content: "Sent: back on the invoice, the e-mail and its PDF in the invoice's history",
            trigger:
                "body:not(:has(.modal)) .o-mail-Chatter .o-mail-Message:contains(Veuillez trouver ci-joint votre facture)" +
                " .o-mail-AttachmentCard:contains(.pdf)",
        },
    ],
});

// The customer follows the "Payer maintenant" link of the reminder (logged in on the portal)
// and pays by card through Odoo's Demo provider.
registry.category("web_tour.tours").add("invoice_classic_practical_case_portal_pay", {
    steps: () => [
        {
            content: "The invoice's page, its payment form open",
            trigger: "#pay_with.show .modal-title:contains(Payer)",
        },
        {
            content: "The amount due",
            trigger: "#pay_with.show:contains(964,00)",
        },
        {
            content: "Type the card (Demo provider: any test data)",
            trigger: "#pay_with.show input[name='customer_input']",
            run: "edit 4242 4242 4242 4242",
        },
        {
            content: "Payer",
            trigger: "#pay_with.show button[name='o_payment_submit_button']:contains(Payer)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Through Odoo's payment status page, back on the invoice: paid",
            trigger: ".badge.text-bg-success:contains(Payé)",
        },
    ],
});

// Back at the agency: the invoice is paid, its reminders in its history.
registry.category("web_tour.tours").add("invoice_classic_practical_case_follow_up", {
    steps: () => [
        {
            content: "The bookshop's invoice, paid, in the list of customer invoices",
            trigger: ".o_list_view .o_data_row:contains(Payé) td.o_data_cell:contains(Librairie Le Chapitre)",
            run: "click",
        },
        {
            content: "Paid",
            trigger: ".o_form_view .ribbon:contains(Payé)",
        },
        {
            content: "Its terms",
            trigger: ".o_form_view .o_notebook a[name=invoice_classic_terms]:contains(Conditions)",
            run: "click",
        },
        {
            content: "The courtesy reminder is in its history",
            trigger: ".o_form_view .o_field_widget[name=reminder_log_ids] .o_data_row:contains(Rappel de courtoisie)",
        },
        {
            content: "Then the first reminder, the last one",
            trigger:
                ".o_form_view .o_field_widget[name=reminder_log_ids]" +
                ":not(:has(.o_data_row:nth-child(3))) .o_data_row:contains(Première relance)",
        },
    ],
});
