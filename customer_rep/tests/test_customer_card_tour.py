from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerCardTour(HttpCase):
    def test_star_and_links_in_the_form(self):
        user = new_test_user(
            self.env,
            login="tour_contacts",
            password="tour_contacts_pw",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Kunde AS", "is_company": True, "ref": "TOUR-1"}
        )
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{customer.id}",
            "customer_rep_customer_card",
            login="tour_contacts",
        )
        self.assertEqual(customer.favorite_user_ids, user)
        self.assertRecordValues(customer.link_ids, [{"name": "Webshop", "url": "https://shop.example.com"}])
