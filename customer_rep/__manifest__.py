{
    "name": "Customer Register",
    "summary": "Account managers, locations, customer metrics and a real customer card "
    "for sales and service teams",
    "version": "18.0.1.4.0",
    "category": "Sales/Sales",
    "author": "customer_rep authors",
    "website": "https://github.com/customer-rep/customer_rep",
    "license": "LGPL-3",
    "depends": ["sale_management", "contacts"],
    "data": [
        "security/customer_rep_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/ir_sequence_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/mail_templates.xml",
        "data/mail_message_subtype_data.xml",
        "data/customer_rep_team_role_data.xml",
        "wizards/customer_rep_location_manager_views.xml",
        "wizards/customer_rep_mass_update_views.xml",
        "wizards/customer_rep_handover_views.xml",
        # One file per capability of res.partner. Views inheriting the same view apply in load
        # order (priority, then id), which sets the order of what two of them insert at one
        # spot: links before important note (tabs), order metrics before locations (smart
        # buttons), favorite before customer number (list columns), account manager, important
        # note, order metrics, favorite (filters); billing's search view has priority 17.
        "views/customer_rep_assignment_notice_views.xml",
        "views/res_partner_account_manager_views.xml",
        "views/res_partner_identity_views.xml",
        "views/res_partner_link_views.xml",
        "views/res_partner_important_note_views.xml",
        "views/res_partner_order_metrics_views.xml",
        "views/res_partner_winback_views.xml",
        "views/res_partner_rfm_views.xml",
        "views/res_partner_account_manager_overview_views.xml",
        "views/res_partner_favorite_views.xml",
        "views/res_partner_customer_number_views.xml",
        "views/res_partner_billing_views.xml",
        "views/res_partner_location_views.xml",
        "views/res_partner_search_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/sale_report_views.xml",
        "views/res_config_settings_views.xml",
        "views/customer_rep_menus.xml",
        "views/customer_rep_team_views.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/res_partner_link_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/res_partner_winback_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "customer_rep/static/src/**/*",
        ],
        # Tours (*_tour.js under tours/) and hoot unit tests (*.test.js) are disjoint globs.
        "web.assets_tests": [
            "customer_rep/static/tests/tours/**/*",
        ],
        "web.assets_unit_tests": [
            "customer_rep/static/tests/**/*.test.js",
        ],
    },
    "external_dependencies": {"python": ["python-stdnum"]},
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "application": True,
}
