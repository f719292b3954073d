# The own-accounts rules are noupdate records; their domains changed to compare indexed
# columns with the user. Let the update load them again (the file keeps them noupdate after).
RULES = (
    "res_partner_rule_own_accounts",
    "sale_order_rule_own_accounts",
    "sale_order_line_rule_own_accounts",
    "sale_report_rule_own_accounts",
)


def migrate(cr, version):
    cr.execute(
        "UPDATE ir_model_data SET noupdate = false WHERE module = 'customer_rep' AND name IN %s",
        [RULES],
    )
