import { registry } from "@web/core/registry";

// Relies on the user "Lea Leaver" (two customers) and "Rolf Receiver" created by the Python test.
registry.category("web_tour.tours").add("customer_rep_handover", {
    steps: () => [
        {
            content: "Open the handover from the user's form",
            trigger: ".o_form_view .o_form_statusbar button:contains('Hand over accounts')",
            run: "click",
        },
        {
            content: "The form shows what will move",
            trigger: ".modal .o_field_widget[name='summary']:contains('Moves 2 customers')",
        },
        {
            content: "Choose the receiving user",
            trigger: ".modal .o_field_widget[name='to_user_ids'] input",
            run: "edit Rolf",
        },
        {
            content: "Pick Rolf Receiver",
            trigger: ".o-autocomplete--dropdown-item:contains('Rolf Receiver')",
            run: "click",
        },
        {
            content: "Rolf gets both customers",
            trigger: ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('Rolf Receiver'):contains('2')",
        },
        {
            content: "Hand over",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The wizard closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
