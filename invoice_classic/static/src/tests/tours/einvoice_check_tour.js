import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("invoice_classic_einvoice_check", {
    steps: () => [
        {
            content: "The validated invoice says what a platform would reject, at the top",
            trigger:
                ".o_form_view .alert-warning:contains(would reject this invoice)" +
                ":contains(has no SIREN: enter its SIRET or SIREN in Company ID)",
        },
        {
            content: "Open the gear menu",
            trigger: ".o_form_view .o_cp_action_menus i.fa-cog",
            run: "click",
        },
        {
            content: "Check the e-invoice",
            trigger: ".dropdown-menu .o_menu_item:contains(Check E-invoice)",
            run: "click",
        },
        {
            content: "The problems, in words, in a notification",
            trigger: ".o_notification.text-prewrap:contains(has no SIREN)",
        },
    ],
});
