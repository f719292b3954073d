from odoo.tools.sql import drop_index


def post_init_hook(env):
    """Make customers the partners already sold to (a confirmed order), then number the
    customers that exist before the addon, oldest first."""
    env["res.partner"]._fill_customers_with_confirmed_orders()
    env["res.partner"]._number_existing_customers()


def uninstall_hook(env):
    """Remove what the addon added to Odoo's partner table outside the ORM's bookkeeping (Odoo
    drops the fields' columns and the declared constraints itself)."""
    env.cr.execute("DROP TABLE IF EXISTS customer_rep_number_lock")
    env.cr.execute("DROP TABLE IF EXISTS customer_rep_order_metric_delta")
    for index in (
        "res_partner_customer_number_idx",
        "res_partner_manager_engagement_idx",
        "res_partner_customer_account_null_idx",
        "res_partner_customer_account_false_idx",
    ):
        drop_index(env.cr, index, "res_partner")
    drop_index(env.cr, "sale_order_confirmed_partner_date_idx", "sale_order")
