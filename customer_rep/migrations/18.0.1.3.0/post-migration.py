import logging

from lxml import etree

from odoo.tools import file_open

_logger = logging.getLogger(__name__)

# The own-accounts rules are noupdate records (an administrator may adjust them), so an update
# does not load their new domains: nested paths OR-ed before 18.0.1.1.0 (the links' rule
# before 18.0.1.3.0), indexed columns compared with the user since. A rule still holding its
# former domain gets the one the security file now gives; an adjusted rule is left as it is.
# The rules of "Edit own accounts only" followed in 18.0.1.3.0.
FORMER_DOMAINS = {
    "res_partner_rule_own_accounts": "['|', ('is_customer_account', '=', False), "
    "('commercial_partner_id.account_manager_id', '=', user.id)]",
    "res_partner_link_rule_own_accounts": "['|', ('partner_id.is_customer_account', '=', False), "
    "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    "sale_order_rule_own_accounts": "['|', ('partner_id.commercial_partner_id.account_manager_id', '=', "
    "user.id), '&', ('partner_id.is_customer_account', '=', False), ('account_manager_id', '=', user.id)]",
    "sale_order_line_rule_own_accounts": "['|', "
    "('order_id.partner_id.commercial_partner_id.account_manager_id', '=', user.id), '&', "
    "('order_id.partner_id.is_customer_account', '=', False), "
    "('order_id.account_manager_id', '=', user.id)]",
    "sale_report_rule_own_accounts": "['|', ('commercial_partner_id.account_manager_id', '=', user.id), '&', "
    "('partner_id.is_customer_account', '=', False), ('account_manager_id', '=', user.id)]",
    # The rules of "Edit own accounts only" (writing, creating, deleting), before 18.0.1.3.0.
    "res_partner_rule_edit_own_accounts": "['|', ('is_customer_account', '=', False), "
    "('commercial_partner_id.account_manager_id', '=', user.id)]",
    "res_partner_link_rule_edit_own_accounts": "['|', ('partner_id.is_customer_account', '=', False), "
    "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    "sale_order_rule_edit_own_accounts": "['|', ('partner_id.is_customer_account', '=', False), "
    "('partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
    "sale_order_line_rule_edit_own_accounts": "['|', "
    "('order_id.partner_id.is_customer_account', '=', False), "
    "('order_id.partner_id.commercial_partner_id.account_manager_id', '=', user.id)]",
}


def _current_domains():
    with file_open("customer_rep/security/customer_rep_security.xml", "rb") as file:
        tree = etree.parse(file)
    return {
        xmlid: tree.xpath(f"//record[@id='{xmlid}']/field[@name='domain_force']")[0].text
        for xmlid in FORMER_DOMAINS
    }


def migrate(cr, version):
    # 18.0.1.1.0 cleared their noupdate flag, meaning to reload them; but an update skips every
    # record of a noupdate block that exists, whatever its flag. Set it back.
    cr.execute(
        """UPDATE ir_model_data SET noupdate = true
            WHERE module = 'customer_rep' AND model = 'ir.rule' AND name IN %s""",
        [tuple(FORMER_DOMAINS)],
    )
    for xmlid, domain in _current_domains().items():
        cr.execute(
            """UPDATE ir_rule SET domain_force = %s
                WHERE id = (SELECT res_id FROM ir_model_data
                             WHERE module = 'customer_rep' AND name = %s AND model = 'ir.rule')
                  AND domain_force = %s""",
            [domain, xmlid, FORMER_DOMAINS[xmlid]],
        )
        if cr.rowcount:
            _logger.info("Own-accounts rule %s now compares indexed columns with the user.", xmlid)
