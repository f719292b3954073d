from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestHandoverTour(HttpCase):
    def test_hand_over_from_the_user_form(self):
        leaver = new_test_user(
            self.env, login="tour_leaver", name="Lea Leaver", groups="sales_team.group_sale_salesman"
        )
        receiver = new_test_user(
            self.env, login="tour_receiver", name="Rolf Receiver", groups="sales_team.group_sale_salesman"
        )
        customers = self.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "customer_rank": 1, "account_manager_id": leaver.id}
                for name in ("Tur Kunde AS", "Tur Kunde To AS")
            ]
        )
        self.start_tour(
            f"/odoo/action-base.action_res_users/{leaver.id}", "customer_rep_handover", login="admin"
        )
        self.assertEqual(customers.account_manager_id, receiver)
