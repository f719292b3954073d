{
    "name": "Customer Register",
    "summary": "Account managers, locations, customer metrics and a real customer card "
    "for sales and service teams",
    "description": """
Customer Register
=================
Turns Odoo's contacts into a customer register: an account manager per customer
(distinct from the salesperson) carried onto every new order and overridable per
order and per delivery location, with filters, group-bys and list columns.
""",
    "version": "18.0.1.0.0",
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
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_location_views.xml",
        "wizards/customer_rep_location_manager_views.xml",
        "wizards/customer_rep_mass_update_views.xml",
        "views/customer_rep_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/res_partner_link_demo.xml",
        "demo/sale_order_demo.xml",
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
