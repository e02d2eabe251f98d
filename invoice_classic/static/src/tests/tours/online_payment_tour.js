import { registry } from "@web/core/registry";

// The customer opens the "Pay now" link of a late invoice (its e-mail, PDF or reminder): the
// invoice's portal page, its payment form open; pays with Odoo's Demo provider, saving the card.
registry.category("web_tour.tours").add("invoice_classic_portal_pay_now", {
    steps: () => [
        {
            content: "The payment form is open",
            trigger: "#pay_with.show .modal-title:contains(Pay)",
        },
        {
            content: "Type the card (Demo provider: any test data)",
            trigger: "#pay_with.show input[name='customer_input']",
            run: "edit 4242 4242 4242 4242",
        },
        {
            content: "Save the card for the next invoices",
            trigger: "#pay_with.show input[name='o_payment_tokenize_checkbox']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "#pay_with.show button[name='o_payment_submit_button']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            // Through Odoo's payment status page, back on the invoice
            content: "The invoice says it is paid",
            trigger: ".badge.text-bg-success:contains(Paid)",
        },
    ],
});
