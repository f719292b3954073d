from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestMyFavouritesMenu(CustomerRepCase):
    def test_menus_open_the_starred_customers(self):
        action = self.env.ref("customer_rep.res_partner_action_my_favorites")
        menus = self.env["ir.ui.menu"].search([("action", "=", f"ir.actions.act_window,{action.id}")])
        self.assertEqual(
            set(menus.parent_id.mapped(lambda menu: menu.get_external_id()[menu.id])),
            {"sale.sale_order_menu", "contacts.menu_contacts", "customer_rep.menu_customer_register_root"},
        )
        self.customer.with_user(self.manager_a).is_favorite = True
        self.other_customer.with_user(self.manager_b).is_favorite = True
        result = (
            self.env["ir.actions.act_window"]
            .with_user(self.manager_a)
            ._for_xml_id("customer_rep.res_partner_action_my_favorites")
        )
        domain = [("id", "in", (self.customer | self.other_customer).ids), *safe_eval(result["domain"])]
        self.assertEqual(self.env["res.partner"].with_user(self.manager_a).search(domain), self.customer)
        self.assertEqual(
            self.env["res.partner"].with_user(self.manager_b).search(domain), self.other_customer
        )
        # The Sales menu is there for a sales user.
        visible = self.env["ir.ui.menu"].with_user(self.manager_a)._visible_menu_ids()
        self.assertIn(self.env.ref("customer_rep.res_partner_my_favorites_menu_sale").id, visible)
