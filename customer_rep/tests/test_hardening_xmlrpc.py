from odoo.tests import new_test_user, tagged

from .common import XmlRpcCase

VALIDATION, ACCESS = (2,), (4,)


@tagged("post_install", "-at_install")
class TestHardeningXmlRpc(XmlRpcCase):
    """Bad input and rights over XML-RPC, as the user in question: a clear fault (2 or 4, never
    1) and nothing changed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("customer_rep.only_archived_deletable", "True")
        user = lambda login, groups: new_test_user(cls.env, login=login, groups=groups)  # noqa: E731
        cls.rep = user("hd_ownrep", "customer_rep.group_own_accounts")
        cls.other_rep = user("hd_other", "sales_team.group_sale_salesman")
        cls.integrator = user(
            "hd_integrator", "sales_team.group_sale_salesman_all_leads,base.group_partner_manager"
        )
        cls.assigner = user(
            "hd_assigner",
            "sales_team.group_sale_salesman_all_leads,base.group_partner_manager,"
            "customer_rep.group_assign_account_manager",
        )
        cls.accountant = user(
            "hd_billing",
            "sales_team.group_sale_salesman_all_leads,base.group_partner_manager,customer_rep.group_billing_manager",
        )
        cls.admin = user(
            "hd_admin", "base.group_system,base.group_partner_manager,customer_rep.group_personal_data"
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Hardened AS",
                "is_company": True,
                "customer_rank": 1,
                "ref": "HD-1",
                "account_manager_id": cls.rep.id,
                "important_note": "<p>Unpaid invoices, prepay only</p>",
            }
        )
        cls.contact = Partner.create({"name": "Hanne Hard", "parent_id": cls.customer.id})
        cls.hidden = Partner.create(
            {
                "name": "Secret Kunde AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": cls.other_rep.id,
            }
        )
        cls.portal = user("hd_portal", "base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer
        cls.link = cls.env["res.partner.link"].create(
            {"partner_id": cls.customer.id, "url": "https://a.example"}
        )

    def _values(self, record, fnames):
        self.env.invalidate_all()  # the server wrote in the same transaction
        return {fname: record.sudo()[fname] for fname in fnames}

    # 1. The assign right holds for every value form.
    def test_assign_right_every_value_form(self):
        call = self._rpc("hd_integrator", "hd_integrator")
        for value in (False, self.other_rep.id, [self.other_rep.id], [self.other_rep.id, "Hd Other"], []):
            with self.subTest(value=value):
                self.assertFault(
                    ACCESS + VALIDATION,
                    call,
                    "res.partner",
                    "write",
                    [self.customer.id],
                    {"account_manager_id": value},
                )
                self.assertEqual(
                    self._values(self.customer, ["account_manager_id"])["account_manager_id"], self.rep
                )
        # The current manager written back (as read returns it) changes nothing: no right needed,
        # and the manager is kept, not cleared.
        for value in ([self.rep.id], [self.rep.id, "Hd Rep"]):
            with self.subTest(value=value):
                self.assertTrue(
                    call("res.partner", "write", [self.customer.id], {"account_manager_id": value})
                )
                self.assertEqual(
                    self._values(self.customer, ["account_manager_id"])["account_manager_id"], self.rep
                )
        call = self._rpc("hd_assigner", "hd_assigner")
        for value in ({"id": self.rep.id}, [], "x", [self.rep.id, self.other_rep.id], self.portal.id, 999999):
            with self.subTest(value=value):
                fault = self.assertFault(
                    VALIDATION,
                    call,
                    "res.partner",
                    "write",
                    [self.customer.id],
                    {"account_manager_id": value},
                )
                self.assertIn("Account Manager", fault)
                self.assertEqual(
                    self._values(self.customer, ["account_manager_id"])["account_manager_id"], self.rep
                )
        # What read returns, written back, is the same manager.
        self.assertTrue(
            call("res.partner", "write", [self.customer.id], {"account_manager_id": [self.other_rep.id, "x"]})
        )
        self.assertEqual(
            self._values(self.customer, ["account_manager_id"])["account_manager_id"], self.other_rep
        )

    def test_order_account_manager_value_forms(self):
        order = self.env["sale.order"].create({"partner_id": self.other_customer_for_orders().id})
        call = self._rpc("hd_assigner", "hd_assigner")
        call("sale.order", "write", [order.id], {"account_manager_id": [self.assigner.id, "Ada"]})
        self.env.invalidate_all()
        self.assertEqual(order.account_manager_id, self.assigner)
        self.assertFault(
            VALIDATION, call, "sale.order", "write", [order.id], {"account_manager_id": {"id": 1}}
        )
        self.env.invalidate_all()
        self.assertEqual(order.account_manager_id, self.assigner)

    def other_customer_for_orders(self):
        return self.env["res.partner"].create({"name": "Order Kunde AS", "is_company": True})

    # 2. Wrong types, unknown values, over-long or malformed values.
    def test_customer_number_types(self):
        call = self._rpc("hd_admin", "hd_admin")
        for value in (["XIN-9"], 12345, {"x": 1}, "   "):
            with self.subTest(value=value):
                self.assertFault(VALIDATION, call, "res.partner", "write", [self.customer.id], {"ref": value})
                self.assertEqual(self._values(self.customer, ["ref"]), {"ref": "HD-1"})
                self.assertFault(
                    VALIDATION,
                    call,
                    "res.partner",
                    "create",
                    {"name": "Typed AS", "is_company": True, "ref": value},
                )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Typed AS")]))

    def test_note_identity_and_selection_types(self):
        call = self._rpc("hd_admin", "hd_admin")
        for fname, value in (
            ("important_note", ["x"]),
            ("important_note", {"x": 1}),
            ("important_note", 5),
            ("personal_identity_number", ["010101"]),
            ("billing_status", "bogus"),
            ("payment_basis_date", "tomorrow"),
            ("billing_status", False),
        ):
            with self.subTest(fname=fname, value=value):
                before = self._values(self.customer, [fname])
                self.assertFault(VALIDATION, call, "res.partner", "write", [self.customer.id], {fname: value})
                self.assertEqual(self._values(self.customer, [fname]), before)

    def test_links_refuse_bad_values(self):
        call = self._rpc("hd_integrator", "hd_integrator")
        for vals in (
            {"url": "https://x.example/" + "a" * 10000},
            {"url": "https://x.example/\nHost: evil"},
            {"url": "https://x .example"},
            {"name": "L" * 257},
            {"partner_id": "abc"},
            {"sequence": "x"},
            {"url": ["https://x.example"]},
        ):
            with self.subTest(vals=vals):
                self.assertFault(VALIDATION, call, "res.partner.link", "write", [self.link.id], vals)
                self.assertEqual(
                    self._values(self.link, ["url", "name"]), {"url": "https://a.example", "name": False}
                )
        link_id = call(
            "res.partner.link", "create", {"partner_id": self.customer.id, "url": " example.com/shop "}
        )
        self.assertEqual(self.env["res.partner.link"].browse(link_id).url, "https://example.com/shop")

    def test_wizards_refuse_bad_input(self):
        call = self._rpc("hd_assigner", "hd_assigner")
        for vals in ({"billing_status": "x"}, {"payment_basis_date": 3}, {"account_manager_id": {"id": 2}}):
            with self.subTest(vals=vals):
                self.assertFault(VALIDATION, call, "customer.rep.mass.update", "create", vals)
        self.assertFault(
            VALIDATION,
            call,
            "customer.rep.location.manager",
            "create",
            {"account_manager_id": [self.portal.id]},
        )
        for model, fname in (
            ("customer.rep.mass.update", "partner_ids"),
            ("customer.rep.location.manager", "location_ids"),
        ):
            with self.subTest(model=model):
                self.assertFault(
                    VALIDATION,
                    call,
                    model,
                    "default_get",
                    [fname],
                    context={"active_model": "res.partner", "active_ids": ["junk", {"x": 1}]},
                )

    # 3. Favourites and billing.
    def test_only_own_star(self):
        self.customer.sudo().favorite_user_ids = self.other_rep
        call = self._rpc("hd_integrator", "hd_integrator")
        for value in (
            [(6, 0, [self.integrator.id])],
            [(3, self.other_rep.id)],
            [(4, self.other_rep.id)],
            [(5,)],
        ):
            with self.subTest(value=value):
                self.assertFault(
                    ACCESS, call, "res.partner", "write", [self.customer.id], {"favorite_user_ids": value}
                )
                self.env.invalidate_all()
                self.assertEqual(self.customer.favorite_user_ids, self.other_rep)
        call("res.partner", "write", [self.customer.id], {"favorite_user_ids": [(4, self.integrator.id)]})
        self.env.invalidate_all()
        self.assertEqual(self.customer.favorite_user_ids, self.other_rep | self.integrator)

    def test_billing_right(self):
        rep = self._rpc("hd_ownrep", "hd_ownrep")
        self.customer.billing_status = "blocked"
        for vals in ({"billing_status": "good"}, {"payment_basis_date": "month_end"}):
            with self.subTest(vals=vals):
                self.assertFault(ACCESS, rep, "res.partner", "write", [self.customer.id], vals)
                self.env.invalidate_all()
                self.assertRecordValues(
                    self.customer, [{"billing_status": "blocked", "payment_basis_date": "invoice_date"}]
                )
        integrator = self._rpc("hd_integrator", "hd_integrator")
        wizard_id = integrator(
            "customer.rep.mass.update",
            "create",
            {
                "partner_ids": [(6, 0, [self.customer.id])],
                "set_billing_status": True,
                "billing_status": "good",
            },
        )
        self.assertFault(ACCESS, integrator, "customer.rep.mass.update", "action_apply", [wizard_id])
        self.env.invalidate_all()
        self.assertEqual(self.customer.billing_status, "blocked")
        accountant = self._rpc("hd_billing", "hd_billing")
        accountant("res.partner", "write", [self.customer.id], {"billing_status": "good"})
        self.env.invalidate_all()
        self.assertRecordValues(self.customer | self.contact, [{"billing_status": "good"}] * 2)

    def test_billing_on_contact_points_to_customer(self):
        accountant = self._rpc("hd_billing", "hd_billing")
        fault = self.assertFault(
            VALIDATION, accountant, "res.partner", "write", [self.contact.id], {"billing_status": "blocked"}
        )
        self.assertIn("Hardened AS", fault)
        self.env.invalidate_all()
        self.assertRecordValues(self.customer | self.contact, [{"billing_status": "good"}] * 2)

    def test_bulk_form_shows_permitted_ticks(self):
        for login, expected in (
            ("hd_integrator", [False, False]),
            ("hd_billing", [False, True]),
            ("hd_assigner", [True, False]),
        ):
            with self.subTest(login=login):
                call = self._rpc(login, login)
                wizard_id = call("customer.rep.mass.update", "create", {})
                [values] = call(
                    "customer.rep.mass.update",
                    "read",
                    [wizard_id],
                    ["can_assign_account_manager", "can_edit_billing"],
                )
                self.assertEqual([values["can_assign_account_manager"], values["can_edit_billing"]], expected)

    # 5. Portal users never read internal fields.
    def test_portal_reads_no_internal_fields(self):
        call = self._rpc("hd_portal", "hd_portal")
        partner_ids = [self.customer.id, self.portal.partner_id.id]
        for fname in (
            "important_note",
            "commercial_important_note",
            "billing_status",
            "payment_basis_date",
            "order_count",
            "order_amount_total",
            "last_order_date",
            "engagement_status",
            "personal_identity_number",
        ):
            with self.subTest(fname=fname):
                self.assertFault(ACCESS, call, "res.partner", "read", partner_ids, [fname])
        [record] = call("res.partner", "read", [self.customer.id], ["ref", "account_manager_id"])
        self.assertEqual(record["ref"], "HD-1")
        self.assertEqual(record["account_manager_id"][0], self.rep.id)

    # 6. Own accounts: an order's addresses are held to the same rule as its customer.
    def test_own_order_addresses_held_to_rule(self):
        call = self._rpc("hd_ownrep", "hd_ownrep")
        for fname in ("partner_shipping_id", "partner_invoice_id"):
            with self.subTest(fname=fname):
                self.assertFault(
                    ACCESS,
                    call,
                    "sale.order",
                    "create",
                    {"partner_id": self.customer.id, fname: self.hidden.id},
                )
        self.assertFalse(self.env["sale.order"].search([("partner_id", "=", self.customer.id)]))
        order_id = call("sale.order", "create", {"partner_id": self.customer.id})
        order = self.env["sale.order"].browse(order_id)
        self.assertFault(
            ACCESS, call, "sale.order", "write", [order_id], {"partner_shipping_id": self.hidden.id}
        )
        self.env.invalidate_all()
        self.assertEqual(order.partner_shipping_id, self.customer)

    # 9. The delete rule applies to customer accounts only.
    def test_delete_rule_on_customer_accounts_only(self):
        call = self._rpc("hd_integrator", "hd_integrator")
        stranger_id = call("res.partner", "create", {"name": "mail@stranger.example"})
        call("res.partner", "unlink", [stranger_id])
        self.assertFalse(self.env["res.partner"].browse(stranger_id).exists())
        self.assertFault(VALIDATION, call, "res.partner", "unlink", [self.customer.id])
        self.assertTrue(self.customer.exists())
