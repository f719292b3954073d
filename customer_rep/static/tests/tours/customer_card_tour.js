import { registry } from "@web/core/registry";

// Relies on the customer "Tour Kunde AS" created by the Python test.
registry.category("web_tour.tours").add("customer_rep_customer_card", {
    steps: () => [
        {
            content: "Open the Sales & Purchase tab",
            trigger: "a[name='sales_purchases']",
            run: "click",
        },
        {
            content: "The customer number is shown read-only to a non-administrator",
            trigger: ".o_field_widget[name='ref'].o_readonly_modifier:contains('TOUR-1')",
        },
        {
            content: "Star the customer",
            trigger: ".o_field_boolean_favorite[name='is_favorite'] .o_favorite",
            run: "click",
        },
        {
            content: "The star is on",
            trigger: ".o_field_boolean_favorite[name='is_favorite'] .fa-star",
        },
        {
            content: "Open the Links tab",
            trigger: "a[name='customer_rep_links']",
            run: "click",
        },
        {
            content: "Add a link",
            trigger: ".o_field_widget[name='link_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Label",
            trigger: ".o_field_widget[name='link_ids'] .o_selected_row .o_field_widget[name='name'] input",
            run: "edit Webshop",
        },
        {
            content: "URL",
            trigger: ".o_field_widget[name='link_ids'] .o_selected_row .o_field_widget[name='url'] input",
            run: "edit https://shop.example.com",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, the link is clickable",
            trigger: ".o_form_saved .o_field_widget[name='link_ids'] a[href='https://shop.example.com']",
        },
    ],
});
