from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    """The seed's main path in the browser, one tour per role (issue 17): the manager's bulk
    update, the rep's customer, location and quotation, the administrator's customer number.
    The users have the demo's roles (Anna with the billing right, Carla, admin); their records
    are made here, not taken from the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receiver = new_test_user(
            cls.env, login="role_receiver", name="Rolf Receiver", groups="sales_team.group_sale_salesman"
        )
        cls.former = new_test_user(
            cls.env, login="role_former", name="Frida Former", groups="sales_team.group_sale_salesman"
        )

    def test_manager_bulk_updates_three_customers(self):
        # Anna's role (Sales / Administrator, Delete customers) with the billing right.
        new_test_user(
            self.env,
            login="role_manager",
            password="role_manager_pw",
            name="Mona Manager",
            groups="sales_team.group_sale_manager,base.group_partner_manager,"
            "customer_rep.group_delete_customers,customer_rep.group_billing_manager",
        )
        term = self.env["account.payment.term"].create({"name": "Rolletur 45 dager"})
        # Created out of alphabetical order, and ranked so that Odoo's customer order differs.
        customers = self.env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "customer_rank": rank,
                    "account_manager_id": self.former.id,
                }
                for name, rank in (
                    ("Rolletur Cecilie AS", 5),
                    ("Rolletur Anker AS", 1),
                    ("Rolletur Bru AS", 9),
                )
            ]
        )
        self.start_tour(
            "/odoo/action-customer_rep.res_partner_action_customers",
            "customer_rep_role_manager",
            login="role_manager",
        )
        self.assertRecordValues(
            customers,
            [
                {
                    "account_manager_id": self.receiver.id,
                    "property_payment_term_id": term.id,
                    "billing_status": "on_hold",
                }
            ]
            * 3,
        )

    def test_rep_opens_customer_location_and_confirms_a_quotation(self):
        # Carla's role: restricted to her own accounts.
        rep = new_test_user(
            self.env,
            login="role_rep",
            password="role_rep_pw",
            name="Rita Rep",
            groups="sales_team.group_sale_salesman_all_leads,customer_rep.group_own_accounts",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Rolletur Rep Kunde AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": rep.id,
                "important_note": "<p>Ring før levering</p>",
            }
        )
        self.env["res.partner"].create(
            {"name": "Rolletur Lager", "parent_id": customer.id, "type": "delivery", "city": "Oslo"}
        )
        self.env["product.product"].create({"name": "Rolletur Eple", "list_price": 100.0, "type": "consu"})
        self.start_tour(
            "/odoo/action-customer_rep.res_partner_action_customers",
            "customer_rep_role_rep",
            login="role_rep",
        )
        order = self.env["sale.order"].search([("partner_id", "=", customer.id)])
        self.assertRecordValues(order, [{"state": "sale", "account_manager_id": rep.id, "user_id": rep.id}])
        self.assertEqual(customer.order_count, 1)

    def test_admin_changes_a_customer_number(self):
        customer = self.env["res.partner"].create(
            {"name": "Rolletur Nummer AS", "is_company": True, "customer_rank": 1, "ref": "R-1001"}
        )
        self.start_tour(
            f"/odoo/action-customer_rep.res_partner_action_customers/{customer.id}",
            "customer_rep_role_admin",
            login="admin",
        )
        self.assertEqual(customer.ref, "R-2002")
