from odoo.tools import SQL
from odoo.tools.sql import drop_index

from .models.res_partner import CUSTOMER_NUMBER_CONSTRAINT


def post_init_hook(env):
    """Number the customers that exist before the addon, oldest first."""
    env["res.partner"]._number_existing_customers()


def uninstall_hook(env):
    """Remove what the addon added to Odoo's partner table outside the ORM's bookkeeping."""
    env.cr.execute(
        SQL(
            "ALTER TABLE res_partner DROP CONSTRAINT IF EXISTS %s",
            SQL.identifier(CUSTOMER_NUMBER_CONSTRAINT),
        )
    )
    env.cr.execute("DROP TABLE IF EXISTS customer_rep_number_lock")
    for index in ("res_partner_customer_number_idx", "res_partner_manager_engagement_idx"):
        drop_index(env.cr, index, "res_partner")
