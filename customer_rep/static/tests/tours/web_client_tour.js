import { registry } from "@web/core/registry";

// The web client as users meet it; the records come from the Python tests (test_web_client_tour.py).
const tours = registry.category("web_tour.tours");

tours.add("customer_rep_quotation_manager", {
    steps: () => [
        {
            content: "Pick the customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Handel AS",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Handel AS'):not(:contains('Lager'))",
            run: "click",
        },
        {
            content: "The delivery location's override decides, and the form says so",
            trigger: ".o_field_widget[name='account_manager_origin']:contains('From the delivery location Tour Lager')",
        },
        {
            content: "The manager beside the customer and the delivery address",
            trigger: ".o_inner_group:has(.o_field_widget[name='partner_id']) .o_field_widget[name='account_manager_id'] input",
        },
        {
            content: "Deliver to the customer itself",
            trigger: ".o_field_widget[name='partner_shipping_id'] input",
            run: "edit Tour Handel",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Handel AS'):not(:contains('Lager'))",
            run: "click",
        },
        {
            content: "The customer's manager, and no line",
            trigger: ".o_field_widget[name='partner_shipping_id'] input",
        },
        {
            trigger: ".o_form_view:not(:has(.o_field_widget[name='account_manager_origin']:visible))",
        },
        {
            content: "Discard the quotation",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            trigger: ".o_list_view, .o_kanban_view",
        },
    ],
});

tours.add("customer_rep_app_menus", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "The Customer Register app",
            trigger: ".o_app[data-menu-xmlid='customer_rep.menu_customer_register_root']",
            run: "click",
        },
        {
            content: "It opens on the customers list",
            trigger: ".o_list_view .o_data_row td[name='complete_name']:contains('Tour Handel AS')",
        },
        {
            trigger: ".o_main_navbar .o_menu_sections button[data-menu-xmlid='customer_rep.menu_customer_register_configuration']",
        },
        {
            content: "Open Locations",
            trigger: ".o_main_navbar .o_menu_sections a[data-menu-xmlid='customer_rep.menu_customer_register_locations']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='name']:contains('Tour Lager')",
        },
        {
            content: "Open Configuration",
            trigger: ".o_main_navbar .o_menu_sections button[data-menu-xmlid='customer_rep.menu_customer_register_configuration']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='customer_rep.menu_customer_register_settings']",
            run: "click",
        },
        {
            content: "The settings open at the Customer Register block",
            trigger: "#customer_rep_engagement_window:visible",
        },
    ],
});

tours.add("customer_rep_private_card", {
    steps: () => [
        {
            content: "Open the Sales & Purchase tab",
            trigger: "a[name='sales_purchases']",
            run: "click",
        },
        {
            content: "An individual shows the personal identity number",
            trigger: ".o_field_widget[name='personal_identity_number'] input",
        },
        {
            content: "and no Company ID",
            trigger: ".o_form_view:not(:has(.o_field_widget[name='company_registry']))",
        },
        {
            content: "A customer's own manager field has no inherit placeholder",
            trigger: ".o_field_widget[name='account_manager_id'] input:not([placeholder='Inherited from the customer'])",
        },
    ],
});

tours.add("customer_rep_rep_bulk_update", {
    steps: () => [
        {
            content: "Select a customer",
            trigger: ".o_data_row:contains('Tour Handel AS') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Only the bulk update: the location wizard belongs to the Locations list",
            trigger: ".o-dropdown--menu:not(:has(.o-dropdown-item:contains('Set Account Manager of Locations'))) .o-dropdown-item:contains('Bulk Update')",
            run: "click",
        },
        {
            content: "The bulk update offers the payment terms the rep may change",
            trigger: ".modal .o_form_view .o_field_widget[name='set_payment_term'] input",
        },
        {
            content: "... and no tick for what needs the assign or the billing right",
            trigger:
                ".modal .o_form_view:not(:has(.o_field_widget[name='set_account_manager'])):not(:has(.o_field_widget[name='set_billing_status'])):not(:has(.o_field_widget[name='set_payment_basis_date']))",
        },
        {
            content: "The bulk update opens with Apply",
            trigger: ".modal footer button[name='action_apply']",
        },
    ],
});
