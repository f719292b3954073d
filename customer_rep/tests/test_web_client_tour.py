from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestWebClientTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = new_test_user(
            cls.env, login="tour_anna", name="Tour Anna", groups="sales_team.group_sale_salesman"
        )
        cls.bjorn = new_test_user(
            cls.env, login="tour_bjorn", name="Tour Bjorn", groups="sales_team.group_sale_salesman"
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Tour Handel AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": cls.anna.id,
            }
        )
        cls.location = Partner.create(
            {
                "name": "Tour Lager",
                "parent_id": cls.customer.id,
                "type": "delivery",
                "account_manager_id": cls.bjorn.id,
            }
        )

    def test_quotation_says_why_it_has_its_manager(self):
        new_test_user(
            self.env,
            login="tour_quoter",
            password="tour_quoter_pw",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        self.start_tour(
            "/odoo/action-sale.action_quotations_with_onboarding/new",
            "customer_rep_quotation_manager",
            login="tour_quoter",
        )

    def test_app_menus(self):
        self.start_tour("/odoo", "customer_rep_app_menus", login="admin")

    def test_private_customer_card(self):
        new_test_user(
            self.env,
            login="tour_private",
            password="tour_private_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager,"
            "customer_rep.group_personal_data,customer_rep.group_assign_account_manager",
        )
        person = self.env["res.partner"].create(
            {"name": "Tour Privat Person", "is_company": False, "customer_rank": 1}
        )
        self.start_tour(
            f"/odoo/action-customer_rep.res_partner_action_customers/{person.id}",
            "customer_rep_private_card",
            login="tour_private",
        )

    def test_rep_bulk_update_offers_what_they_may_use(self):
        """A rep who may edit customers but holds neither the assign nor the billing right sees
        only the payment terms tick."""
        new_test_user(
            self.env,
            login="tour_rep",
            password="tour_rep_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        self.start_tour(
            "/odoo/action-customer_rep.res_partner_action_customers",
            "customer_rep_rep_bulk_update",
            login="tour_rep",
        )
