import logging

_logger = logging.getLogger(__name__)

# Account teams and covers (issue 21) widen the own-accounts rules. They are noupdate records
# (an administrator may adjust them), so an update does not load the new domains: a rule still
# holding the domain 18.0.1.3.0 shipped gets the new one; a rule with any other domain was
# adjusted by an administrator and is left as it is. Both are written out here, not read from
# the security file, so that a later version changing that file does not change this step.
_OWN_1_3 = "['|', ('is_customer_account', '=', False), ('customer_account_manager_id', '=', user.id)]"
_ORDER_1_3 = (
    "['|', ('customer_account_manager_id', '=', user.id), ('prospect_account_manager_id', '=', user.id)]"
)
_EDIT_ORDER_1_3 = (
    "['|', ('customer_account_manager_id', '=', user.id), ('partner_id.is_customer_account', '=', False)]"
)
_OWN = (
    "['|', '|', ('is_customer_account', '=', False), "
    "('customer_account_manager_id', 'in', user._customer_rep_manager_ids()), "
    "('commercial_partner_id', 'in', user._customer_rep_team_customer_ids())]"
)
_EDIT_OWN = (
    "['|', '|', ('is_customer_account', '=', False), "
    "('customer_account_manager_id', 'in', user._customer_rep_manager_ids('edit')), "
    "('commercial_partner_id', 'in', user._customer_rep_team_customer_ids('edit'))]"
)
_ORDER = (
    "['|', '|', ('customer_account_manager_id', 'in', user._customer_rep_manager_ids()), "
    "('prospect_account_manager_id', 'in', user._customer_rep_manager_ids()), "
    "('partner_id', 'in', user._customer_rep_team_partner_ids())]"
)
_EDIT_ORDER = (
    "['|', '|', ('customer_account_manager_id', 'in', user._customer_rep_manager_ids('edit')), "
    "('partner_id', 'in', user._customer_rep_team_partner_ids('edit')), "
    "('partner_id.is_customer_account', '=', False)]"
)
DOMAINS = {
    # xmlid: (domain of 18.0.1.3.0, domain of 18.0.1.4.0)
    "res_partner_rule_own_accounts": (_OWN_1_3, _OWN),
    "res_partner_link_rule_own_accounts": (
        f"[('partner_id', 'any', {_OWN_1_3})]",
        f"[('partner_id', 'any', {_OWN})]",
    ),
    "sale_order_rule_own_accounts": (_ORDER_1_3, _ORDER),
    "sale_order_line_rule_own_accounts": (
        f"[('order_id', 'any', {_ORDER_1_3})]",
        f"[('order_id', 'any', {_ORDER})]",
    ),
    "sale_report_rule_own_accounts": (_ORDER_1_3, _ORDER),
    "res_partner_rule_edit_own_accounts": (_OWN_1_3, _EDIT_OWN),
    "res_partner_link_rule_edit_own_accounts": (
        f"[('partner_id', 'any', {_OWN_1_3})]",
        f"[('partner_id', 'any', {_EDIT_OWN})]",
    ),
    "sale_order_rule_edit_own_accounts": (_EDIT_ORDER_1_3, _EDIT_ORDER),
    "sale_order_line_rule_edit_own_accounts": (
        f"[('order_id', 'any', {_EDIT_ORDER_1_3})]",
        f"[('order_id', 'any', {_EDIT_ORDER})]",
    ),
}


def migrate(cr, version):
    for xmlid, (former, new) in DOMAINS.items():
        cr.execute(
            """UPDATE ir_rule SET domain_force = %s
                WHERE id = (SELECT res_id FROM ir_model_data
                             WHERE module = 'customer_rep' AND name = %s AND model = 'ir.rule')
                  AND domain_force = %s""",
            [new, xmlid, former],
        )
        if cr.rowcount:
            _logger.info("Own-accounts rule %s now counts account teams and covers.", xmlid)
