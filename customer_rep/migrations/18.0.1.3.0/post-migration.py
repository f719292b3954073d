import logging

_logger = logging.getLogger(__name__)

# The own-accounts rules are noupdate records (an administrator may adjust them), so an update
# does not load their new domains. A rule still holding a domain an earlier version shipped
# (nested paths through commercial_partner_id, oldest first) gets the domain of 18.0.1.3.0,
# which compares the stored, indexed customer_account_manager_id (and, for orders,
# prospect_account_manager_id) with the user; a rule with any other domain was adjusted by an
# administrator and is left as it is. The domains are written out here, not read from the
# security file, so that a later version changing that file does not change this step.
FORMER_DOMAINS = {
    "res_partner_rule_own_accounts": (
        "['|', '|', ('is_customer_account', '=', False), ('effective_account_manager_id', '=', user.id), "
        "('commercial_partner_id.account_manager_id', '=', user.id)]",
        "['|', ('is_customer_account', '=', False), "
        "('commercial_partner_id.account_manager_id', '=', user.id)]",
    ),
    "res_partner_link_rule_own_accounts": (
        "['|', '|', ('partner_id.is_customer_account', '=', False), "
        "('partner_id.effective_account_manager_id', '=', user.id), "
        "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
        "['|', ('partner_id.is_customer_account', '=', False), "
        "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    ),
    "sale_order_rule_own_accounts": (
        "['|', ('account_manager_id', '=', user.id), "
        "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
        "['|', ('partner_id.commercial_partner_id.account_manager_id', '=', user.id), '&', "
        "('partner_id.is_customer_account', '=', False), ('account_manager_id', '=', user.id)]",
    ),
    "sale_order_line_rule_own_accounts": (
        "['|', ('order_id.account_manager_id', '=', user.id), "
        "('order_id.partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
        "['|', ('order_id.partner_id.commercial_partner_id.account_manager_id', '=', user.id), '&', "
        "('order_id.partner_id.is_customer_account', '=', False), "
        "('order_id.account_manager_id', '=', user.id)]",
    ),
    "sale_report_rule_own_accounts": (
        "['|', ('account_manager_id', '=', user.id), "
        "('commercial_partner_id.account_manager_id', '=', user.id)]",
        "['|', ('commercial_partner_id.account_manager_id', '=', user.id), '&', "
        "('partner_id.is_customer_account', '=', False), ('account_manager_id', '=', user.id)]",
    ),
    # The rules of "Edit own accounts only" (writing, creating, deleting).
    "res_partner_rule_edit_own_accounts": (
        "['|', ('is_customer_account', '=', False), "
        "('commercial_partner_id.account_manager_id', '=', user.id)]",
    ),
    "res_partner_link_rule_edit_own_accounts": (
        "['|', ('partner_id.is_customer_account', '=', False), "
        "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    ),
    "sale_order_rule_edit_own_accounts": (
        "['|', ('partner_id.is_customer_account', '=', False), "
        "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    ),
    "sale_order_line_rule_edit_own_accounts": (
        "['|', ('order_id.partner_id.is_customer_account', '=', False), "
        "('order_id.partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    ),
}
_OWN = "['|', ('is_customer_account', '=', False), ('customer_account_manager_id', '=', user.id)]"
_ORDER = "['|', ('customer_account_manager_id', '=', user.id), ('prospect_account_manager_id', '=', user.id)]"
_EDIT_ORDER = (
    "['|', ('customer_account_manager_id', '=', user.id), ('partner_id.is_customer_account', '=', False)]"
)
NEW_DOMAINS = {
    "res_partner_rule_own_accounts": _OWN,
    "res_partner_link_rule_own_accounts": f"[('partner_id', 'any', {_OWN})]",
    "sale_order_rule_own_accounts": _ORDER,
    "sale_order_line_rule_own_accounts": f"[('order_id', 'any', {_ORDER})]",
    "sale_report_rule_own_accounts": _ORDER,
    "res_partner_rule_edit_own_accounts": _OWN,
    "res_partner_link_rule_edit_own_accounts": f"[('partner_id', 'any', {_OWN})]",
    "sale_order_rule_edit_own_accounts": _EDIT_ORDER,
    "sale_order_line_rule_edit_own_accounts": f"[('order_id', 'any', {_EDIT_ORDER})]",
}


def migrate(cr, version):
    # 18.0.1.1.0 cleared their noupdate flag, meaning to reload them; but an update skips every
    # record of a noupdate block that exists, whatever its flag. Set it back.
    cr.execute(
        """UPDATE ir_model_data SET noupdate = true
            WHERE module = 'customer_rep' AND model = 'ir.rule' AND name IN %s""",
        [tuple(FORMER_DOMAINS)],
    )
    for xmlid, formers in FORMER_DOMAINS.items():
        cr.execute(
            """UPDATE ir_rule SET domain_force = %s
                WHERE id = (SELECT res_id FROM ir_model_data
                             WHERE module = 'customer_rep' AND name = %s AND model = 'ir.rule')
                  AND domain_force IN %s""",
            [NEW_DOMAINS[xmlid], xmlid, formers],
        )
        if cr.rowcount:
            _logger.info("Own-accounts rule %s now compares indexed columns with the user.", xmlid)
