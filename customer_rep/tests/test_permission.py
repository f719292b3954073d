import xmlrpc.client

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CustomerRepCase, XmlRpcCase


class PermissionMixin:
    """A rep who may edit only their own accounts, their customer and another rep's."""

    @classmethod
    def _setup_permission(cls):
        cls.editor = new_test_user(
            cls.env,
            login="pm_editor",
            password="pm_editor_pw",
            name="Eddie Editor",
            # All Documents on purpose: its rules must not widen the restriction.
            groups="sales_team.group_sale_salesman_all_leads,customer_rep.group_edit_own_accounts",
        )
        cls.colleague = new_test_user(
            cls.env, login="pm_colleague", name="Colin Colleague", groups="sales_team.group_sale_salesman"
        )
        Partner = cls.env["res.partner"]
        cls.mine, cls.theirs = Partner.create(
            [
                {"name": name, "is_company": True, "customer_rank": 1, "account_manager_id": user.id}
                for name, user in (("Mine AS", cls.editor), ("Theirs AS", cls.colleague))
            ]
        )
        cls.mine_location, cls.theirs_location = Partner.create(
            [
                {"name": f"{customer.name} Lager", "parent_id": customer.id, "type": "delivery"}
                for customer in (cls.mine, cls.theirs)
            ]
        )
        cls.prospect = Partner.create({"name": "Prospekt AS", "is_company": True})
        product = cls.env["product.product"].create({"name": "Permission crate", "list_price": 10.0})
        cls.mine_order, cls.theirs_order = cls.env["sale.order"].create(
            [
                {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id})]}
                for customer in (cls.mine, cls.theirs)
            ]
        )


@tagged("post_install", "-at_install")
class TestEditOwnAccounts(PermissionMixin, CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_permission()

    def test_reads_every_customer(self):
        Partner = self.env["res.partner"].with_user(self.editor)
        found = Partner.search([("id", "in", (self.mine | self.theirs | self.theirs_location).ids)])
        self.assertEqual(found, self.mine | self.theirs | self.theirs_location)
        self.assertEqual(self.theirs.with_user(self.editor).name, "Theirs AS")
        self.assertEqual(self.theirs_order.with_user(self.editor).partner_id, self.theirs)
        self.assertEqual(len(self.theirs_order.with_user(self.editor).order_line), 1)

    def test_edits_own_customer_with_its_contacts_links_and_orders(self):
        editor = self.editor
        self.mine.with_user(editor).write({"phone": "+47 22 00 00 00"})
        self.mine_location.with_user(editor).write({"city": "Bergen"})
        contact = (
            self.env["res.partner"]
            .with_user(editor)
            .create({"name": "Ny Kontakt", "parent_id": self.mine.id})
        )
        self.env["res.partner.link"].with_user(editor).create(
            {"partner_id": self.mine.id, "name": "Web", "url": "https://mine.example.com"}
        )
        self.mine_order.with_user(editor).write({"client_order_ref": "PO-1"})
        self.mine_order.order_line.with_user(editor).write({"product_uom_qty": 3})
        self.assertEqual(self.mine.phone, "+47 22 00 00 00")
        self.assertEqual(self.mine_location.city, "Bergen")
        self.assertEqual(contact.parent_id, self.mine)
        self.assertEqual(self.mine_order.client_order_ref, "PO-1")
        self.assertEqual(self.mine_order.order_line.product_uom_qty, 3)
        # Partners that are no customer account stay editable.
        self.prospect.with_user(editor).write({"city": "Tromsø"})
        self.assertEqual(self.prospect.city, "Tromsø")

    def test_creates_customers_as_their_manager(self):
        created = (
            self.env["res.partner"].with_user(self.editor).create({"name": "Egen Ny AS", "is_company": True})
        )
        self.assertEqual(created.account_manager_id, self.editor)

    def test_others_customer_refused_with_reason(self):
        editor = self.editor
        attempts = [
            lambda: self.theirs.with_user(editor).write({"phone": "+47 99 99 99 99"}),
            lambda: self.theirs_location.with_user(editor).write({"phone": "+47 99 99 99 99"}),
            lambda: (
                self.env["res.partner"].with_user(editor).create({"name": "X", "parent_id": self.theirs.id})
            ),
            lambda: (
                self.env["res.partner.link"]
                .with_user(editor)
                .create({"partner_id": self.theirs.id, "name": "Web", "url": "https://theirs.example.com"})
            ),
            lambda: self.theirs_order.with_user(editor).write({"client_order_ref": "PO-X"}),
            lambda: self.theirs_order.order_line.with_user(editor).write({"product_uom_qty": 9}),
            # Moving one's own quotation to another rep's customer.
            lambda: self.mine_order.with_user(editor).write({"partner_id": self.theirs.id}),
        ]
        for index, attempt in enumerate(attempts):
            with self.subTest(attempt=index), self.assertRaises(AccessError) as refusal:
                attempt()
            self.assertIn("Edit own accounts only", str(refusal.exception))
            self.assertIn("account manager of", str(refusal.exception))
        self.env.invalidate_all()
        self.assertRecordValues(self.theirs | self.theirs_location, [{"phone": False}] * 2)
        self.assertEqual(self.theirs.child_ids, self.theirs_location)
        self.assertFalse(self.theirs.link_ids)
        self.assertFalse(self.theirs_order.client_order_ref)
        self.assertEqual(self.theirs_order.order_line.product_uom_qty, 1)
        self.assertEqual(self.mine_order.partner_id, self.mine)

    def test_edit_rules_select_the_records_of_the_former_rules(self):
        """The edit rules compare the stored customer_account_manager_id with the user: the
        records the editor may write are those the former nested paths gave, also after a
        contact moves, a location overrides its manager and a customer changes manager."""
        Partner = self.env["res.partner"]
        mine_contact = Partner.create({"name": "Mine Kontakt", "parent_id": self.mine.id})
        prospect_contact = Partner.create({"name": "Prospekt Kontakt", "parent_id": self.prospect.id})
        self.mine_location.account_manager_id = self.colleague
        partners = (self.mine | self.theirs | self.mine_location | self.theirs_location | self.prospect) | (
            mine_contact | prospect_contact
        )
        links = self.env["res.partner.link"].create(
            [{"partner_id": partner.id, "url": f"https://p{partner.id}.example.com"} for partner in partners]
        )
        product = self.mine_order.order_line.product_id
        orders = (self.mine_order | self.theirs_order) | self.env["sale.order"].create(
            [
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id})]}
                for partner in (self.prospect, mine_contact, self.mine_location, prospect_contact)
            ]
        )
        former = {
            "res.partner": (
                partners,
                [
                    "|",
                    ("is_customer_account", "=", False),
                    ("commercial_partner_id.account_manager_id", "=", "UID"),
                ],
            ),
            "res.partner.link": (
                links,
                [
                    "|",
                    ("partner_id.is_customer_account", "=", False),
                    ("partner_id.commercial_partner_id.account_manager_id", "=", "UID"),
                ],
            ),
            "sale.order": (
                orders,
                [
                    "|",
                    ("partner_id.is_customer_account", "=", False),
                    ("partner_id.commercial_partner_id.account_manager_id", "=", "UID"),
                ],
            ),
            "sale.order.line": (
                orders.order_line,
                [
                    "|",
                    ("order_id.partner_id.is_customer_account", "=", False),
                    ("order_id.partner_id.commercial_partner_id.account_manager_id", "=", "UID"),
                ],
            ),
        }

        def assert_same_records(expected_mine):
            self.env.flush_all()
            for model, (records, former_domain) in former.items():
                with self.subTest(model=model):
                    domain = [(t[0], t[1], self.editor.id) if t[2:] == ("UID",) else t for t in former_domain]
                    expected = self.env[model].search([("id", "in", records.ids), *domain])
                    writable = records.with_user(self.editor)._filtered_access("write")
                    self.assertEqual(writable, expected)
            self.assertEqual(
                partners.with_user(self.editor)._filtered_access("write").filtered("is_customer_account"),
                expected_mine,
            )

        assert_same_records(self.mine | self.mine_location | mine_contact)
        mine_contact.parent_id = self.theirs
        assert_same_records(self.mine | self.mine_location)
        self.theirs.account_manager_id = self.editor
        assert_same_records(
            self.mine | self.mine_location | self.theirs | self.theirs_location | mine_contact
        )

    def test_plain_sales_user_edits_all(self):
        self.theirs.with_user(self.assigner).write({"phone": "+47 11 11 11 11"})
        self.assertEqual(self.theirs.phone, "+47 11 11 11 11")


@tagged("post_install", "-at_install")
class TestDeleteCustomers(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("customer_rep.only_archived_deletable", "True")
        cls.deleter = new_test_user(
            cls.env, login="pm_deleter", groups="base.group_user,customer_rep.group_delete_customers"
        )
        cls.settings_admin = new_test_user(
            cls.env, login="pm_admin", groups="base.group_system,base.group_partner_manager"
        )
        cls.partner_manager = new_test_user(
            cls.env, login="pm_partner_manager", groups="base.group_user,base.group_partner_manager"
        )
        cls.other_customer.active = False

    def test_member_deletes_archived_customer(self):
        self.other_customer.with_user(self.deleter).unlink()
        self.assertFalse(self.other_customer.exists())

    def test_settings_admin_deletes_archived_customer(self):
        self.other_customer.with_user(self.settings_admin).unlink()
        self.assertFalse(self.other_customer.exists())

    def test_others_refused(self):
        for user in (self.partner_manager, self.assigner):
            with self.subTest(user=user.login), self.assertRaises(AccessError) as refusal:
                self.other_customer.with_user(user).unlink()
            self.assertIn("Delete customers", str(refusal.exception))
        self.assertTrue(self.other_customer.exists())

    def test_archived_only_still_applies(self):
        with self.assertRaises(UserError) as refusal:
            self.customer.with_user(self.deleter).unlink()
        self.assertIn("Archive the customer", str(refusal.exception))
        self.assertTrue(self.customer.exists())

    def test_contacts_and_non_customers_stay_deletable(self):
        vendor = self.env["res.partner"].create(
            {"name": "Leverandør AS", "is_company": True, "active": False}
        )
        (self.contact | vendor).with_user(self.partner_manager).unlink()
        self.assertFalse((self.contact | vendor).exists())


@tagged("post_install", "-at_install")
class TestPermissionXmlRpc(PermissionMixin, XmlRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_permission()
        cls.env["ir.config_parameter"].set_param("customer_rep.only_archived_deletable", "True")
        new_test_user(
            cls.env,
            login="pm_rpc_manager",
            password="pm_rpc_manager_pw",
            groups="base.group_user,base.group_partner_manager",
        )
        new_test_user(
            cls.env,
            login="pm_rpc_deleter",
            password="pm_rpc_deleter_pw",
            groups="base.group_user,customer_rep.group_delete_customers",
        )
        cls.theirs_location.active = False
        (cls.theirs_order | cls.mine_order).action_cancel()

    def test_edit_own_accounts(self):
        call = self._rpc("pm_editor", "pm_editor_pw")
        [read] = call("res.partner", "read", [self.theirs.id], ["name"])
        self.assertEqual(read["name"], "Theirs AS")
        call("res.partner", "write", [self.mine.id], {"phone": "+47 1"})
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            call("res.partner", "write", [self.theirs.id], {"phone": "+47 2"})
        self.assertEqual(refusal.exception.faultCode, 4)
        self.assertIn("Edit own accounts only", refusal.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            call("sale.order", "write", [self.theirs_order.id], {"client_order_ref": "PO-X"})
        self.assertEqual(refusal.exception.faultCode, 4)
        self.env.invalidate_all()
        self.assertRecordValues(self.mine | self.theirs, [{"phone": "+47 1"}, {"phone": False}])
        self.assertFalse(self.theirs_order.client_order_ref)

    def test_delete_customers(self):
        self.theirs.active = False
        self.theirs_order.unlink()
        call = self._rpc("pm_rpc_manager", "pm_rpc_manager_pw")
        with self.assertRaises(xmlrpc.client.Fault) as refusal:
            call("res.partner", "unlink", [self.theirs.id])
        self.assertEqual(refusal.exception.faultCode, 4)
        self.assertIn("Delete customers", refusal.exception.faultString)
        self.assertTrue(self.theirs.exists())
        call = self._rpc("pm_rpc_deleter", "pm_rpc_deleter_pw")
        call("res.partner", "unlink", [self.theirs.id])
        self.assertFalse(self.theirs.exists())
