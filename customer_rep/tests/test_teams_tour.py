from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTeamsTour(HttpCase):
    def test_add_team_member_and_set_up_cover(self):
        """In the web client, the admin adds a team member from the customer's Team tab and
        sets up a cover under Configuration → Covers."""
        user = lambda login, name: new_test_user(  # noqa: E731
            self.env, login=login, name=name, groups="sales_team.group_sale_salesman"
        )
        teammate, away, cover = (
            user("tour_tina", "Tina Teammate"),
            user("tour_aksel", "Aksel Away"),
            user("tour_cora", "Cora Cover"),
        )
        customer = self.env["res.partner"].create(
            {"name": "Tur Team AS", "is_company": True, "customer_rank": 1, "account_manager_id": away.id}
        )
        self.env.ref("base.user_admin").lang = "en_US"
        self.start_tour(f"/odoo/contacts/{customer.id}", "customer_rep_team_cover", login="admin")
        self.assertRecordValues(
            customer.team_member_ids,
            [
                {
                    "user_id": teammate.id,
                    "role_id": self.env.ref("customer_rep.team_role_technical_contact").id,
                    "access": "edit",
                }
            ],
        )
        self.start_tour(
            "/odoo/action-customer_rep.customer_rep_cover_action/new", "customer_rep_cover", login="admin"
        )
        covers = self.env["customer.rep.cover"].search([("user_id", "=", away.id)])
        self.assertRecordValues(
            covers, [{"cover_user_id": cover.id, "date_from": date(2027, 3, 1), "date_to": date(2027, 3, 14)}]
        )
