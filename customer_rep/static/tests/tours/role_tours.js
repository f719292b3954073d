import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The seed's main path, one tour per role (issue 17); the users and records come from
// customer_rep/tests/test_role_tours.py.
const tours = registry.category("web_tour.tours");
const NOTE_DIALOG = ".o_dialog:not(.o_inactive_modal) .o_customer_rep_important_note_dialog";
const NO_NOTE_DIALOG = "body:not(:has(.o_customer_rep_important_note_dialog))";

function dismissNote(text) {
    return [
        {
            content: `the important note pops up: ${text}`,
            trigger: `${NOTE_DIALOG} .o_customer_rep_important_note_body:contains(${text})`,
        },
        {
            trigger: `${NOTE_DIALOG} .o_customer_rep_important_note_dismiss`,
            run: "click",
        },
        {
            trigger: NO_NOTE_DIALOG,
        },
    ];
}

function pick(fieldSelector, text) {
    return [
        {
            trigger: `${fieldSelector} input`,
            run: `edit ${text}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item a:contains(${text})`,
            run: "click",
        },
    ];
}

// The manager bulk-updates three customers' account manager, payment terms and billing status.
tours.add("customer_rep_role_manager", {
    steps: () => [
        {
            content: "Find the three customers",
            trigger: ".o_control_panel .o_searchview_input",
            run: "edit Rolletur",
        },
        {
            trigger: ".o_control_panel .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The customers list is alphabetical",
            trigger: ".o_list_view .o_data_row:nth-child(3) td[name='complete_name']:contains(Rolletur Cecilie AS)",
            run() {
                const names = [...document.querySelectorAll(".o_list_view .o_data_row td[name='complete_name']")].map(
                    (cell) => cell.textContent.trim()
                );
                const expected = ["Rolletur Anker AS", "Rolletur Bru AS", "Rolletur Cecilie AS"];
                if (JSON.stringify(names) !== JSON.stringify(expected)) {
                    throw new Error(`customers not in alphabetical order: ${names}`);
                }
            },
        },
        {
            content: "Select all three",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Bulk Update')",
            run: "click",
        },
        {
            content: "The bulk update offers account manager, payment terms, billing status and basis date",
            trigger:
                ".modal .o_form_view:has(.o_field_widget[name='set_account_manager'] input):has(.o_field_widget[name='set_payment_term'] input):has(.o_field_widget[name='set_billing_status'] input):has(.o_field_widget[name='set_payment_basis_date'] input)",
        },
        {
            trigger: ".modal .o_field_widget[name='customer_count']:contains(3)",
        },
        {
            content: "Tick the account manager",
            trigger: ".modal .o_field_widget[name='set_account_manager'] input",
            run: "click",
        },
        ...pick(".modal .o_field_widget[name='account_manager_id']", "Rolf Receiver"),
        {
            content: "Tick the payment terms",
            trigger: ".modal .o_field_widget[name='set_payment_term'] input",
            run: "click",
        },
        ...pick(".modal .o_field_widget[name='payment_term_id']", "Rolletur 45 dager"),
        {
            content: "Tick the billing status",
            trigger: ".modal .o_field_widget[name='set_billing_status'] input",
            run: "click",
        },
        {
            content: "The billing status offers its three values as radio buttons: no empty choice",
            trigger: ".modal .o_field_widget[name='billing_status']:not(:has(select))",
            run() {
                const values = [
                    ...document.querySelectorAll(".modal .o_field_widget[name='billing_status'] input[type='radio']"),
                ].map((input) => input.dataset.value);
                if (values.join() !== "good,on_hold,blocked") {
                    throw new Error(`billing status offers ${values}`);
                }
            },
        },
        {
            trigger: ".modal .o_field_widget[name='billing_status'] input[data-value='on_hold']",
            run: "click",
        },
        {
            content: "Apply",
            trigger: ".modal footer button[name='action_apply']",
            run: "click",
        },
        {
            content: "A message says what changed, and the form closed",
            trigger: ".o_notification:contains(Updated 3 customers)",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The list shows the new account manager",
            trigger:
                ".o_list_view .o_data_row:contains(Rolletur Anker AS) td[name='effective_account_manager_id']:contains(Rolf Receiver)",
        },
    ],
});

// The rep (own accounts only) opens a customer (note pop-up), a location, then makes and
// confirms a quotation.
tours.add("customer_rep_role_rep", {
    steps: () => [
        {
            content: "Open her customer",
            trigger: ".o_list_view .o_data_row td[name='complete_name']:contains(Rolletur Rep Kunde AS)",
            run: "click",
        },
        ...dismissNote("Ring før levering"),
        {
            content: "Open the register's locations",
            trigger:
                ".o_main_navbar .o_menu_sections a[data-menu-xmlid='customer_rep.menu_customer_register_locations']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='name']:contains(Rolletur Lager)",
            run: "click",
        },
        {
            content: "The location shows its customer's note too",
            trigger: ".o_form_view .o_field_widget[name='name'] input:value(Rolletur Lager)",
        },
        ...dismissNote("Ring før levering"),
        {
            content: "Go to Sales",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']",
            run: "click",
        },
        {
            content: "New quotation",
            trigger: ".o_control_panel_main_buttons button.o_list_button_add, .o_control_panel_main_buttons button.o-kanban-button-new",
            run: "click",
        },
        ...pick(".o_form_view .o_field_widget[name='partner_id']", "Rolletur Rep Kunde"),
        ...dismissNote("Ring før levering"),
        {
            content: "She is the quotation's account manager",
            trigger: ".o_form_view .o_field_widget[name='account_manager_id'] input:value(Rita Rep)",
        },
        {
            trigger: "a:contains('Add a product')",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name='product_template_id'] input",
            run: "edit Rolletur Eple",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Rolletur Eple)",
            run: "click",
        },
        {
            trigger: ".o_data_row td[name='price_subtotal']:contains(100)",
        },
        {
            content: "Confirm",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:not(.disabled)",
            run: "click",
        },
        {
            content: "The order is confirmed, and the note does not pop up again",
            trigger: `${NO_NOTE_DIALOG} .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']`,
        },
        {
            trigger: `${NO_NOTE_DIALOG} .o_form_view .o_form_saved`,
        },
    ],
});

// The administrator changes a customer number.
tours.add("customer_rep_role_admin", {
    steps: () => [
        {
            trigger: ".o_form_view a[name='sales_purchases']",
            run: "click",
        },
        {
            content: "The billing status offers its three values as radio buttons: no empty choice",
            trigger: ".o_form_view .o_field_widget[name='billing_status']:not(:has(select))",
            run() {
                const inputs = document.querySelectorAll(
                    ".o_form_view .o_field_widget[name='billing_status'] input[type='radio']:not([disabled])"
                );
                const values = [...inputs].map((input) => input.dataset.value);
                if (values.join() !== "good,on_hold,blocked") {
                    throw new Error(`billing status offers ${values}`);
                }
            },
        },
        {
            content: "The customer number is editable for the administrator",
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(R-1001)",
            run: "edit R-2002",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_form_view .o_field_widget[name='ref'] input:value(R-2002)",
        },
    ],
});
