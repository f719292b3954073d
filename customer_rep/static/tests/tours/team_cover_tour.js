import { registry } from "@web/core/registry";

// Relies on the customer "Tur Team AS", the users "Tina Teammate", "Aksel Away" and "Cora Cover"
// created by the Python test (tests/test_teams_tour.py).
registry.category("web_tour.tours").add("customer_rep_team_cover", {
    steps: () => [
        {
            content: "Open the customer's Team tab",
            trigger: ".o_notebook .nav-link:contains('Team')",
            run: "click",
        },
        {
            content: "Add a team member",
            trigger: ".o_field_widget[name='team_member_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose the user",
            trigger: ".o_field_widget[name='team_member_ids'] .o_data_row .o_field_widget[name='user_id'] input",
            run: "edit Tina",
        },
        {
            content: "Pick Tina Teammate",
            trigger: ".o-autocomplete--dropdown-item:contains('Tina Teammate')",
            run: "click",
        },
        {
            content: "Choose the role",
            trigger: ".o_field_widget[name='team_member_ids'] .o_data_row .o_field_widget[name='role_id'] input",
            run: "edit Technical",
        },
        {
            content: "Pick Technical Contact",
            trigger: ".o-autocomplete--dropdown-item:contains('Technical Contact')",
            run: "click",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});

// Starts on a new cover (Customer Register → Configuration → Covers → New).
registry.category("web_tour.tours").add("customer_rep_cover", {
    steps: () => [
        {
            content: "Who is away",
            trigger: ".o_form_view .o_field_widget[name='user_id'] input",
            run: "edit Aksel",
        },
        {
            content: "Pick Aksel Away",
            trigger: ".o-autocomplete--dropdown-item:contains('Aksel Away')",
            run: "click",
        },
        {
            content: "Who covers",
            trigger: ".o_form_view .o_field_widget[name='cover_user_id'] input",
            run: "edit Cora",
        },
        {
            content: "Pick Cora Cover",
            trigger: ".o-autocomplete--dropdown-item:contains('Cora Cover')",
            run: "click",
        },
        {
            content: "From",
            trigger: ".o_form_view .o_field_widget[name='date_from'] input",
            run: "edit 03/01/2027",
        },
        {
            content: "To",
            trigger: ".o_form_view .o_field_widget[name='date_to'] input",
            run: "edit 03/14/2027",
        },
        {
            content: "Save the cover",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
