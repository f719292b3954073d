"""The addon's forms and wizards as they open in the web client, for each role.

``odoo.tests.Form`` fills a new record through ``onchange``, as the web client does: a value the
form needs to decide what the user may do must come back from there, not only from ``create``.
Setting a field the form shows read-only or hides fails (AssertionError), as it cannot be done
by clicking."""

from pathlib import Path

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerRepCase


class FormRolesMixin:
    """The roles of the register: the administrator, a sales manager with the billing right
    (the demo's Anna), a sales administrator without it, an accountant, a rep who edits only
    their own accounts (Bjørn), a rep restricted to their own accounts (Carla) and a salesman
    with contact rights (CustomerRepCase's ``salesman``)."""

    @classmethod
    def _setup_roles(cls):
        cls.admin = cls.env.ref("base.user_admin")
        cls.manager = new_test_user(
            cls.env,
            login="cr_form_manager",
            name="Mona Manager",
            groups="sales_team.group_sale_manager,base.group_partner_manager,customer_rep.group_billing_manager",
        )
        cls.accountant = new_test_user(
            cls.env,
            login="cr_form_accountant",
            name="Aud Accountant",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager,account.group_account_manager",
        )
        cls.edit_own_rep = new_test_user(
            cls.env,
            login="cr_form_edit_own",
            name="Eirik Editown",
            groups="sales_team.group_sale_salesman_all_leads,customer_rep.group_edit_own_accounts",
        )
        cls.own_rep = new_test_user(
            cls.env,
            login="cr_form_own",
            name="Olga Own",
            groups="sales_team.group_sale_salesman_all_leads,customer_rep.group_own_accounts",
        )

    def assertInvisible(self, form, fname):
        self.assertTrue(form._get_modifier(fname, "invisible"), f"{fname} is shown")

    def assertVisible(self, form, fname):
        self.assertFalse(form._get_modifier(fname, "invisible"), f"{fname} is hidden")

    def assertDone(self, action, message):
        """The wizard closes and the web client shows ``message`` (issue 17: no silent close)."""
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["message"], message)
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.act_window_close"})

    def assertReadonly(self, form, fname, value):
        """Setting ``fname`` fails: the form shows it read-only or not at all."""
        with self.assertRaises(AssertionError):
            setattr(form, fname, value)


@tagged("post_install", "-at_install")
class TestMassUpdateForm(FormRolesMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_roles()
        Partner = cls.env["res.partner"]
        cls.customers = cls.customer | Partner.create(
            [
                {"name": name, "is_company": True, "customer_rank": 1, "account_manager_id": cls.manager_a.id}
                for name in ("Polar Bygg AS", "Vest Trelast AS")
            ]
        )
        cls.term = cls.env["account.payment.term"].create({"name": "45 dager"})
        cls.quotation = cls._create_order(cls.customer)
        cls.env.cr.precommit.run()

    def _form(self, user, partners=None):
        partners = self.customers if partners is None else partners
        Wizard = self.env["customer.rep.mass.update"].with_user(user)
        return Form(Wizard.with_context(active_model="res.partner", active_ids=partners.ids))

    def test_offers_as_it_opens_what_each_role_may_use(self):
        cases = [
            # (user, account manager, billing status and basis date)
            (self.admin, True, True),
            (self.manager, True, True),
            (self.sales_admin, True, False),
            (self.accountant, False, True),
            (self.salesman, False, False),
            (self.edit_own_rep, False, False),
        ]
        for user, may_assign, may_bill in cases:
            with self.subTest(user=user.login):
                form = self._form(user)
                self.assertEqual(form.can_assign_account_manager, may_assign)
                self.assertEqual(form.can_edit_billing, may_bill)
                self.assertFalse(form.unavailable_reason)
                self.assertEqual(form.customer_count, 3)
                self.assertVisible(form, "set_payment_term")
                for fname, offered in (
                    ("set_account_manager", may_assign),
                    ("set_billing_status", may_bill),
                    ("set_payment_basis_date", may_bill),
                ):
                    if offered:
                        self.assertVisible(form, fname)
                    else:
                        self.assertReadonly(form, fname, True)

    def test_manager_updates_three_customers_from_the_form(self):
        """The seed's headline bulk operation, as the web client makes it."""
        form = self._form(self.manager)
        form.set_account_manager = True
        form.account_manager_id = self.manager_b
        self.assertEqual(form.quotation_count, 1)
        form.set_payment_term = True
        form.payment_term_id = self.term
        form.set_billing_status = True
        form.billing_status = "on_hold"
        form.set_payment_basis_date = True
        form.payment_basis_date = "month_end"
        action = form.save().action_apply()
        self.assertDone(action, "Updated 3 customers; 1 quotation moved to the new account manager.")
        self.assertRecordValues(
            self.customers,
            [
                {
                    "account_manager_id": self.manager_b.id,
                    "property_payment_term_id": self.term.id,
                    "billing_status": "on_hold",
                    "payment_basis_date": "month_end",
                }
            ]
            * 3,
        )
        self.assertEqual(self.quotation.account_manager_id, self.manager_b)

    def test_salesman_changes_payment_terms_only(self):
        form = self._form(self.salesman)
        form.set_payment_term = True
        form.payment_term_id = self.term
        self.assertDone(form.save().action_apply(), "Updated 3 customers.")
        self.assertEqual(self.customers.property_payment_term_id, self.term)
        self.assertRecordValues(
            self.customers, [{"account_manager_id": self.manager_a.id, "billing_status": "good"}] * 3
        )

    def test_without_contact_rights_says_why(self):
        reader = new_test_user(self.env, login="cr_form_reader", groups="sales_team.group_sale_salesman")
        form = self._form(reader)
        self.assertIn("right to edit contacts", form.unavailable_reason)
        self.assertInvisible(form, "customer_count")


@tagged("post_install", "-at_install")
class TestLocationManagerForm(FormRolesMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_roles()

    def _form(self, user, partners):
        Wizard = self.env["customer.rep.location.manager"].with_user(user)
        return Form(Wizard.with_context(active_model="res.partner", active_ids=partners.ids))

    def test_assigners_set_the_override_from_the_form(self):
        for user in (self.admin, self.manager, self.sales_admin, self.assigner):
            with self.subTest(user=user.login):
                form = self._form(user, self.location | self.customer)
                self.assertFalse(form.unavailable_reason)
                self.assertEqual(form.location_count, 1)
                form.account_manager_id = self.manager_b
                self.assertDone(
                    form.save().action_apply(), "Bob Manager is now the account manager of 1 location."
                )
                self.assertEqual(self.location.account_manager_id, self.manager_b)
                form = self._form(user, self.location)
                self.assertDone(
                    form.save().action_apply(),
                    "Cleared the account manager of 1 location: they follow their customer's again.",
                )
                self.assertFalse(self.location.account_manager_id)

    def test_others_are_told_as_it_opens(self):
        for user in (self.salesman, self.accountant, self.edit_own_rep):
            with self.subTest(user=user.login):
                form = self._form(user, self.location)
                self.assertIn("Assign account managers", form.unavailable_reason)
                self.assertInvisible(form, "account_manager_id")
                wizard = form.save()
                with self.assertRaises(AccessError):
                    wizard.action_apply()
                self.assertFalse(self.location.account_manager_id)

    def test_no_location_selected_says_so(self):
        form = self._form(self.manager, self.customer)
        self.assertIn("None of the selected partners is a location", form.unavailable_reason)


@tagged("post_install", "-at_install")
class TestHandoverForm(FormRolesMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_roles()
        cls.leaver = new_test_user(
            cls.env, login="cr_form_leaver", name="Lea Leaver", groups="sales_team.group_sale_salesman"
        )
        cls.books = cls.env["res.partner"].create(
            [
                {"name": name, "is_company": True, "customer_rank": 1, "account_manager_id": cls.leaver.id}
                for name in ("Skog Kunde AS", "Fjell Kunde AS")
            ]
        )
        cls.env.cr.precommit.run()

    def _form(self, user):
        Wizard = self.env["customer.rep.handover"].with_user(user)
        return Form(Wizard.with_context(active_model="res.users", active_ids=self.leaver.ids))

    def test_assigners_hand_over_from_the_form(self):
        for user in (self.admin, self.manager, self.sales_admin):
            with self.subTest(user=user.login):
                form = self._form(user)
                self.assertEqual(form.from_user_id, self.leaver)
                self.assertIn("Moves 2 customers", form.summary)
                form.to_user_ids.add(self.manager_b)
                self.assertEqual(len(form.line_ids), 1)
                self.assertDone(
                    form.save().action_apply(),
                    "Handed over 2 customers, 0 locations, 0 quotations and 0 activities to Bob Manager.",
                )
                self.assertEqual(self.books.account_manager_id, self.manager_b)
                self.books.account_manager_id = self.leaver

    def test_others_cannot_open_it(self):
        """Only assigners get the handover (its action, the user form's button and its access
        rights); anyone else opening it by its URL gets an access error, not a form."""
        for user in (self.salesman, self.accountant, self.edit_own_rep, self.own_rep):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._form(user)
        self.assertEqual(self.books.account_manager_id, self.leaver)


@tagged("post_install", "-at_install")
class TestCustomerForm(FormRolesMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_roles()
        cls.customer.ref = "K-1001"
        cls.own_customer = cls.env["res.partner"].create(
            {"name": "Olgas Kunde AS", "is_company": True, "account_manager_id": cls.own_rep.id}
        )
        cls.env.cr.precommit.run()

    def _new(self, user):
        form = Form(self.env["res.partner"].with_user(user))
        form.company_type = "company"
        form.name = f"Ny Kunde {user.login}"
        return form

    def test_new_customer_billing_as_it_opens(self):
        for user, may_bill in (
            (self.admin, True),
            (self.manager, True),
            (self.accountant, True),
            (self.sales_admin, False),
            (self.salesman, False),
            (self.edit_own_rep, False),
            (self.own_rep, False),
        ):
            with self.subTest(user=user.login):
                form = self._new(user)
                self.assertEqual(form.can_edit_billing, may_bill)
                self.assertEqual(form.billing_status, "good")
                if may_bill:
                    form.billing_status = "on_hold"
                    form.payment_basis_date = "month_end"
                    customer = form.save()
                    self.assertRecordValues(
                        customer, [{"billing_status": "on_hold", "payment_basis_date": "month_end"}]
                    )
                else:
                    self.assertReadonly(form, "billing_status", "on_hold")
                    self.assertReadonly(form, "payment_basis_date", "month_end")
                    customer = form.save()
                    self.assertEqual(customer.billing_status, "good")

    def test_new_customer_account_manager_as_it_opens(self):
        for user in (self.admin, self.manager, self.assigner):
            with self.subTest(user=user.login):
                form = self._new(user)
                form.account_manager_id = self.manager_b
                self.assertEqual(form.save().account_manager_id, self.manager_b)
        for user in (self.salesman, self.accountant):
            with self.subTest(user=user.login):
                form = self._new(user)
                self.assertReadonly(form, "account_manager_id", self.manager_b)
        # Reps of their own accounts become the manager of what they create.
        for user in (self.own_rep, self.edit_own_rep):
            with self.subTest(user=user.login):
                form = self._new(user)
                self.assertReadonly(form, "account_manager_id", self.manager_b)
                self.assertEqual(form.save().account_manager_id, user)

    def test_existing_customer_as_it_opens(self):
        for user, may_bill, may_renumber in (
            (self.admin, True, True),
            (self.manager, True, False),
            (self.accountant, True, False),
            (self.salesman, False, False),
        ):
            with self.subTest(user=user.login):
                form = Form(self.customer.with_user(user))
                self.assertEqual(form.can_edit_billing, may_bill)
                self.assertEqual(form.customer_number_locked, not may_renumber)
                if may_bill:
                    form.billing_status = "blocked"
                else:
                    self.assertReadonly(form, "billing_status", "blocked")
                if may_renumber:
                    form.ref = "K-2002"
                else:
                    self.assertReadonly(form, "ref", "K-2002")
                form.save()
                self.assertEqual(self.customer.billing_status, "blocked" if may_bill else "good")
                self.assertEqual(self.customer.ref, "K-2002" if may_renumber else "K-1001")
                self.customer.write({"billing_status": "good", "ref": "K-1001"})

    def test_contact_shows_the_customer_billing_read_only(self):
        form = Form(self.contact.with_user(self.admin))
        self.assertTrue(form.can_edit_billing)
        self.assertReadonly(form, "billing_status", "blocked")

    def test_own_accounts_rep_edits_own_customer(self):
        for user in (self.own_rep, self.edit_own_rep):
            with self.subTest(user=user.login):
                self.own_customer.account_manager_id = user
                form = Form(self.own_customer.with_user(user))
                self.assertFalse(form.can_edit_billing)
                self.assertReadonly(form, "billing_status", "blocked")
                form.phone = f"+47 22 00 00 0{user.id % 10}"
                form.save()
                self.assertEqual(self.own_customer.phone, f"+47 22 00 00 0{user.id % 10}")


@tagged("post_install", "-at_install")
class TestQuotationForm(FormRolesMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_roles()
        cls.customer.important_note = "<p>Deliveries only before noon</p>"
        cls.own_customer = cls.env["res.partner"].create(
            {
                "name": "Olgas Kunde AS",
                "is_company": True,
                "account_manager_id": cls.own_rep.id,
                "important_note": "<p>Call before delivery</p>",
            }
        )
        cls.env.cr.precommit.run()

    def _quote(self, user, partner):
        form = Form(self.env["sale.order"].with_user(user))
        form.partner_id = partner
        with form.order_line.new() as line:
            line.product_id = self.product
        return form

    def test_each_role_quotes_and_confirms(self):
        for user, partner, manager in (
            (self.admin, self.customer, self.manager_a),
            (self.manager, self.customer, self.manager_a),
            (self.salesman, self.customer, self.manager_a),
            (self.own_rep, self.own_customer, self.own_rep),
        ):
            with self.subTest(user=user.login):
                form = self._quote(user, partner)
                self.assertEqual(form.account_manager_id, manager)
                self.assertIn("before", form.partner_important_note)
                self.assertEqual(form.partner_billing_status, "good")
                order = form.save()
                order.action_confirm()
                self.assertEqual(order.state, "sale")
                self.assertEqual(order.account_manager_id, manager)

    def test_salesman_sets_the_manager_of_his_order(self):
        """The per-order override: whoever may edit the order sets its account manager."""
        for user in (self.salesman, self.edit_own_rep, self.manager):
            with self.subTest(user=user.login):
                partner = self.own_customer if user == self.edit_own_rep else self.customer
                if user == self.edit_own_rep:
                    self.own_customer.account_manager_id = user
                form = self._quote(user, partner)
                form.account_manager_id = self.manager_b
                self.assertEqual(form.save().account_manager_id, self.manager_b)
                self.own_customer.account_manager_id = self.own_rep

    def test_own_rep_quoting_a_prospect_manages_the_quotation(self):
        prospect = self.env["res.partner"].create({"name": "Ny Prospekt AS", "is_company": True})
        form = self._quote(self.own_rep, prospect)
        self.assertEqual(form.account_manager_id, self.own_rep)
        self.assertEqual(form.save().account_manager_id, self.own_rep)

    def test_blocked_customer_shows_as_it_is_picked(self):
        self.customer.billing_status = "blocked"
        form = self._quote(self.salesman, self.contact)
        self.assertEqual(form.partner_billing_status, "blocked")
        order = form.save()
        with self.assertRaises(UserError):
            order.action_confirm()
        self.assertEqual(order.state, "draft")


@tagged("post_install", "-at_install")
class TestWhatUsersMeet(CustomerRepCase):
    """Issue 17, point 5: what a person clicking through the register meets."""

    def _action_views(self, xmlid, lang=None):
        action = self.env.ref(xmlid)
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids] or [(False, "list")]
        Partner = self.env["res.partner"].with_context(**safe_eval(action.context), lang=lang or "en_US")
        return Partner.get_views(views)["views"]

    def test_customers_list_and_kanban_are_alphabetical(self):
        views = self._action_views("customer_rep.res_partner_action_customers")
        for view_type in ("list", "kanban"):
            with self.subTest(view_type=view_type):
                arch = etree.fromstring(views[view_type]["arch"])
                self.assertEqual(arch.get("default_order"), "complete_name, id desc")
        # Without it, Odoo's customer search mode sorts by customer rank first.
        Partner = self.env["res.partner"].with_context(res_partner_search_mode="customer")
        self.assertTrue(Partner._order.startswith("customer_rank DESC"))
        # The views still carry what every capability adds to the customers list.
        self.assertIn('name="effective_account_manager_id"', views["list"]["arch"])
        self.assertIn('name="billing_status"', views["list"]["arch"])

    def test_days_until_lapse_has_one_label(self):
        form = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        label = etree.fromstring(form).xpath("//label[@for='days_until_lapse']")
        self.assertEqual(len(label), 1)
        self.assertFalse(label[0].get("string"), "the form labels it as the list does")
        self.assertNotIn("Lapses In", form)
        views = self._action_views("customer_rep.res_partner_action_customers")
        column = etree.fromstring(views["list"]["arch"]).xpath("//field[@name='days_until_lapse']")
        self.assertFalse(column[0].get("string"))
        self.assertEqual(self.env["res.partner"]._fields["days_until_lapse"].string, "Days Until Lapse")

    def test_norwegian_kanban_tooltip_and_wizard_buttons(self):
        for lang in ("nb_NO", "sv_SE"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["customer_rep"], ["nb_NO", "sv_SE"])
        kanban = (
            self.env["res.partner"]
            .with_context(lang="nb_NO")
            .get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        )
        self.assertIn('title="Bekreftede ordrer"', kanban)
        self.assertNotIn("Confirmed orders", kanban)
        # The wizards' dismiss button is Odoo's "Discard", as in Odoo's own dialogs: "Avbryt".
        for model in ("customer.rep.mass.update", "customer.rep.location.manager", "customer.rep.handover"):
            for lang in ("nb_NO", "sv_SE"):
                with self.subTest(model=model, lang=lang):
                    arch = self.env[model].with_context(lang=lang).get_views([(False, "form")])
                    button = etree.fromstring(arch["views"]["form"]["arch"]).xpath(
                        "//footer/button[@special='cancel']"
                    )
                    self.assertEqual(button[0].get("string"), "Avbryt")

    def test_apps_page_names_every_capability(self):
        page = Path(get_module_path("customer_rep"), "static", "description", "index.html").read_text()
        for capability in ("RFM segments", "Lapsing soon", "Win-back activities", "Account handover"):
            with self.subTest(capability=capability):
                self.assertIn(capability, page)

    def test_billing_choices_without_an_empty_one(self):
        """Radio buttons, not a dropdown whose empty choice a phone shows and the field refuses."""
        for model in ("res.partner", "customer.rep.mass.update"):
            arch = etree.fromstring(self.env[model].get_views([(False, "form")])["views"]["form"]["arch"])
            for fname in ("billing_status", "payment_basis_date"):
                with self.subTest(model=model, fname=fname):
                    [node] = arch.xpath(f"//field[@name='{fname}']")
                    self.assertEqual(node.get("widget"), "radio")
