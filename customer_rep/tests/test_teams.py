from odoo.exceptions import AccessError
from odoo.modules.migration import load_script
from odoo.tests import Form, freeze_time, new_test_user, tagged
from odoo.tools import file_path

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestTeams(CustomerRepCase):
    """Account teams and covers: notices, activities, order followers, handover, the forms as
    they open for each role, the translations of the shipped roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, login="tt_rep", name="Bjørn Rep", groups="customer_rep.group_own_accounts"
        )
        cls.customer.account_manager_id = cls.manager_b  # Bob is away; Bjørn covers him
        cls.cover = cls.env["customer.rep.cover"].create(
            {
                "user_id": cls.manager_b.id,
                "cover_user_id": cls.rep.id,
                "date_from": "2027-03-01",
                "date_to": "2027-03-14",
            }
        )

    def test_new_member_follows_and_is_told_once(self):
        Member = self.env["customer.rep.team.member"].with_user(self.assigner)
        before = self.env["mail.message"].search_count([("partner_ids", "in", self.manager_a.partner_id.ids)])
        Member.create({"partner_id": self.other_customer.id, "user_id": self.manager_a.id})
        self.assertIn(self.manager_a.partner_id, self.other_customer.message_partner_ids)
        messages = self.env["mail.message"].search([("partner_ids", "in", self.manager_a.partner_id.ids)])
        self.assertEqual(len(messages) - before, 1)
        self.assertIn("account team of Fjord Grossist AS", messages[0].subject)

    def test_activities_and_orders_during_cover(self):
        Activity = self.env["mail.activity"]
        todo = self.env.ref("mail.mail_activity_data_todo")

        def schedule():
            return Activity.create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer.id,
                    "activity_type_id": todo.id,
                    "user_id": self.manager_b.id,
                    "note": "Call them",
                }
            )

        with freeze_time("2027-02-28"):
            before = schedule()
            order_before = self._create_order(self.customer)
        with freeze_time("2027-03-05"):
            during = schedule()
            order_during = self._create_order(self.customer)
            winback = self.customer._schedule_winback_activities()
        with freeze_time("2027-03-15"):
            after = schedule()
            order_after = self._create_order(self.customer)
        self.assertEqual((before | after).user_id, self.manager_b)
        self.assertEqual(during.user_id, self.rep)
        self.assertIn("For Bob Manager, who is away until 2027-03-14", str(during.note))
        self.assertIn("Call them", str(during.note))
        self.assertEqual(winback.user_id, self.rep if winback else self.rep.browse())
        self.assertIn(self.rep.partner_id, order_during.message_partner_ids)
        self.assertNotIn(self.rep.partner_id, (order_before | order_after).message_partner_ids)
        # What was assigned during the cover stays theirs.
        self.assertEqual(during.user_id, self.rep)

    def test_banner_and_team_avatars(self):
        self.env["customer.rep.team.member"].create(
            {"partner_id": self.customer.id, "user_id": self.manager_a.id, "date_from": "2027-03-01"}
        )
        with freeze_time("2027-02-20"):
            self.env.invalidate_all()
            self.assertFalse(self.location.with_user(self.assigner).account_manager_cover_notice)
            self.assertFalse(self.customer.team_user_ids)
        with freeze_time("2027-03-05"):
            self.env.invalidate_all()
            self.assertEqual(
                self.location.with_user(self.assigner).account_manager_cover_notice,
                "Bob Manager is away until 14 March; Bjørn Rep covers.",
            )
            self.assertEqual(self.contact.team_user_ids, self.manager_a)

    def test_handover_ends_covers_and_moves_memberships(self):
        member = self.env["customer.rep.team.member"].create(
            {"partner_id": self.other_customer.id, "user_id": self.manager_b.id}
        )
        with freeze_time("2027-03-05"):
            wizard = Form(
                self.env["customer.rep.handover"]
                .with_user(self.assigner)
                .with_context(default_from_user_id=self.manager_b.id)
            )
            wizard.to_user_ids.add(self.manager_a)
            wizard.include_team_memberships = True
            wizard.save().action_apply()
            self.assertEqual(str(self.cover.date_to), "2027-03-04")
            self.assertFalse(self.cover.is_current)
        self.assertEqual(member.user_id, self.manager_a)
        self.assertEqual(self.customer.account_manager_id, self.manager_a)

    def test_forms_as_each_role(self):
        # The assigner adds a team member from the customer's Team tab.
        with Form(self.customer.with_user(self.assigner)) as form:
            with form.team_member_ids.new() as line:
                line.user_id = self.manager_a
                line.role_id = self.env.ref("customer_rep.team_role_technical_contact")
                line.access = "read"
        self.assertRecordValues(
            self.customer.team_member_ids, [{"user_id": self.manager_a.id, "access": "read"}]
        )
        # A rep sets up their own cover from the form, which proposes them as the one away.
        with Form(self.env["customer.rep.cover"].with_user(self.manager_a)) as form:
            self.assertEqual(form.user_id, self.manager_a)
            form.cover_user_id = self.manager_b
            form.date_from = "2027-07-01"
            form.date_to = "2027-07-14"
        cover = self.env["customer.rep.cover"].search([("user_id", "=", self.manager_a.id)])
        self.assertRecordValues(cover, [{"cover_user_id": self.manager_b.id, "access": "edit"}])
        # A rep may not change another's cover nor a team, and nothing changes.
        with self.assertRaises(AccessError):
            with Form(self.cover.with_user(self.manager_a)) as form:
                form.date_to = "2027-03-20"
        self.assertEqual(str(self.cover.date_to), "2027-03-14")
        with self.assertRaises(AccessError):
            self.customer.team_member_ids.with_user(self.rep).write({"access": "edit"})
        self.assertEqual(self.customer.team_member_ids.access, "read")
        # My cover while I'm away, from the preferences.
        action = self.manager_a.with_user(self.manager_a).action_customer_rep_my_cover()
        self.assertEqual(action["domain"], [("user_id", "=", self.manager_a.id)])

    def test_roles_translated(self):
        for lang, name in (("nb_NO", "Reserve-kundeansvarlig"), ("sv_SE", "Reservkundansvarig")):
            self.env["res.lang"]._activate_lang(lang)
            self.env["ir.module.module"]._load_module_terms(["customer_rep"], [lang], overwrite=True)
            role = self.env.ref("customer_rep.team_role_backup_account_manager").with_context(lang=lang)
            self.assertEqual(role.name, name)

    def test_update_widens_the_rules_of_18_0_1_3_0(self):
        """Migration 18.0.1.4.0 gives the noupdate rules still holding 18.0.1.3.0's domain the
        domain of the security file, and leaves an adjusted rule alone."""
        teams = load_script(
            file_path("customer_rep/migrations/18.0.1.4.0/post-teams.py"), "customer_rep_post_teams"
        )
        rules = {xmlid: self.env.ref(f"customer_rep.{xmlid}") for xmlid in teams.DOMAINS}
        self.assertEqual(
            {x: r.domain_force for x, r in rules.items()}, {x: d[1] for x, d in teams.DOMAINS.items()}
        )
        for xmlid, rule in rules.items():
            rule.domain_force = teams.DOMAINS[xmlid][0]
        adjusted = "[('partner_id.name', '!=', False)]"
        rules["sale_order_rule_own_accounts"].domain_force = adjusted
        self.env.flush_all()
        teams.migrate(self.env.cr, "18.0.1.3.0")
        self.env.invalidate_all()
        for xmlid, rule in rules.items():
            expected = adjusted if xmlid == "sale_order_rule_own_accounts" else teams.DOMAINS[xmlid][1]
            self.assertEqual(rule.domain_force, expected, xmlid)
