from odoo.tests import freeze_time, new_test_user, tagged

from .common import XmlRpcCase

VALIDATION, ACCESS = (2,), (4,)


@tagged("post_install", "-at_install")
class TestTeamsXmlRpc(XmlRpcCase):
    """Account teams and covers over XML-RPC, as each role: who may change them, what they give
    (before, during and after their dates) and the refusal of bad input."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user = lambda login, groups: new_test_user(cls.env, login=login, groups=groups, tz="Europe/Oslo")  # noqa: E731
        cls.rep = user("tm_rep", "customer_rep.group_own_accounts")
        cls.away = user("tm_away", "customer_rep.group_own_accounts")
        cls.other = user("tm_other", "sales_team.group_sale_salesman")
        cls.editor = user(
            "tm_editor", "customer_rep.group_edit_own_accounts,sales_team.group_sale_salesman_all_leads"
        )
        cls.assigner = user(
            "tm_assigner",
            "sales_team.group_sale_salesman_all_leads,base.group_partner_manager,"
            "customer_rep.group_assign_account_manager",
        )
        cls.portal = user("tm_portal", "base.group_portal")
        Partner = cls.env["res.partner"]
        customer = lambda name, manager: Partner.create(  # noqa: E731
            {"name": name, "is_company": True, "customer_rank": 1, "account_manager_id": manager.id}
        )
        cls.own = customer("Eget AS", cls.rep)
        cls.teamed = customer("Lag AS", cls.other)
        cls.covered = customer("Ferie AS", cls.away)
        cls.hidden = customer("Skjult AS", cls.other)
        cls.location = Partner.create({"name": "Lag Lager", "parent_id": cls.teamed.id, "type": "delivery"})
        cls.product = cls.env["product.product"].create({"name": "Team crate", "list_price": 10.0})
        cls.orders = {}
        for key, partner in (
            ("own", cls.own),
            ("teamed", cls.location),
            ("covered", cls.covered),
            ("hidden", cls.hidden),
        ):
            cls.orders[key] = cls.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 1})],
                }
            )
            cls.orders[key].action_confirm()
        cls.role = cls.env.ref("customer_rep.team_role_backup_account_manager")

    def _as(self, login):
        return self._rpc(login, login + "x" * (8 - len(login)))  # new_test_user's password

    def _counts(self):
        self.env.invalidate_all()
        Member, Cover = self.env["customer.rep.team.member"].sudo(), self.env["customer.rep.cover"].sudo()
        return Member.search_count([]), Cover.search_count([])

    def _seen(self, call):
        """What the caller sees: {model: names of the customers concerned}."""
        customers = [self.own.id, self.teamed.id, self.covered.id, self.hidden.id]
        name = {p.id: p.name for p in (self.own, self.teamed, self.covered, self.hidden)}
        partners = call("res.partner", "search", [("id", "in", customers)])
        locations = call("res.partner", "search", [("id", "=", self.location.id)])
        orders = call(
            "sale.order", "search_read", [("id", "in", [o.id for o in self.orders.values()])], ["id"]
        )
        by_order = {o.id: o.partner_id.commercial_partner_id.id for o in self.orders.values()}
        lines = call("sale.order.line", "search_read", [("order_id", "in", list(by_order))], ["order_id"])
        report = call(
            "sale.report",
            "read_group",
            [("order_reference", "in", [f"sale.order,{o}" for o in by_order])],
            ["commercial_partner_id"],
            ["commercial_partner_id"],
        )
        return {
            "res.partner": sorted(name[i] for i in partners),
            "location": bool(locations),
            "sale.order": sorted(name[by_order[o["id"]]] for o in orders),
            "sale.order.line": sorted(name[by_order[line["order_id"][0]]] for line in lines),
            "sale.report": sorted(g["commercial_partner_id"][1] for g in report),
        }

    def _expect(self, *names, location=False):
        names = sorted(names)
        return {
            "res.partner": names,
            "location": location,
            "sale.order": names,
            "sale.order.line": names,
            "sale.report": names,
        }

    # Rule 1: who may change teams and covers.
    def test_rights(self):
        assigner = self._as("tm_assigner")
        rep = self._as("tm_rep")
        other = self._as("tm_other")
        member_id = assigner(
            "customer.rep.team.member",
            "create",
            {"partner_id": self.teamed.id, "user_id": self.rep.id, "role_id": self.role.id},
        )
        cover_id = assigner(
            "customer.rep.cover",
            "create",
            {
                "user_id": self.away.id,
                "cover_user_id": self.rep.id,
                "date_from": "2027-03-01",
                "date_to": "2027-03-14",
            },
        )
        before = self._counts()
        for call in (rep, other):
            self.assertFault(
                ACCESS,
                call,
                "customer.rep.team.member",
                "create",
                {"partner_id": self.hidden.id, "user_id": self.other.id},
            )
            self.assertFault(
                ACCESS, call, "customer.rep.team.member", "write", [member_id], {"access": "read"}
            )
            self.assertFault(ACCESS, call, "customer.rep.team.member", "unlink", [member_id])
            self.assertFault(
                ACCESS, call, "customer.rep.cover", "write", [cover_id], {"date_to": "2027-03-20"}
            )
            self.assertFault(ACCESS, call, "customer.rep.cover", "unlink", [cover_id])
        text = self.assertFault(
            ACCESS,
            rep,
            "customer.rep.cover",
            "create",
            {
                "user_id": self.away.id,
                "cover_user_id": self.other.id,
                "date_from": "2027-03-01",
                "date_to": "2027-03-14",
            },
        )
        self.assertIn("only your own cover", text)
        self.assertFault(
            ACCESS,
            rep,
            "res.partner",
            "write",
            [self.teamed.id],
            {"team_member_ids": [(0, 0, {"user_id": self.rep.id})]},
        )
        self.assertEqual(self._counts(), before)
        member = self.env["customer.rep.team.member"].browse(member_id)
        self.assertRecordValues(member, [{"access": "edit", "date_from": False, "date_to": False}])
        self.assertEqual(str(self.env["customer.rep.cover"].browse(cover_id).date_to), "2027-03-14")
        # A rep sets up their own cover, and changes and removes it; but may not give it away.
        own_cover = rep(
            "customer.rep.cover",
            "create",
            {
                "user_id": self.rep.id,
                "cover_user_id": self.other.id,
                "date_from": "2027-07-01",
                "date_to": "2027-07-21",
            },
        )
        rep("customer.rep.cover", "write", [own_cover], {"date_to": "2027-07-28", "access": "read"})
        self.assertFault(ACCESS, rep, "customer.rep.cover", "write", [own_cover], {"user_id": self.other.id})
        cover = self.env["customer.rep.cover"].browse(own_cover)
        self.env.invalidate_all()
        self.assertRecordValues(cover, [{"user_id": self.rep.id, "access": "read"}])
        rep("customer.rep.cover", "unlink", [own_cover])
        self.assertFalse(cover.exists())
        # Everyone reads the covers (the card's banner says who covers); the portal does not.
        self.assertEqual(other("customer.rep.cover", "search", [("id", "=", cover_id)]), [cover_id])
        self.assertFault(ACCESS, self._as("tm_portal"), "customer.rep.cover", "read", [cover_id], ["user_id"])

    # Rule 4: bad input.
    def test_bad_input(self):
        assigner = self._as("tm_assigner")
        rep = self._as("tm_rep")
        archived = new_test_user(self.env, login="tm_archived", groups="base.group_user")
        archived.active = False
        member = {"partner_id": self.teamed.id, "user_id": self.rep.id}
        cover = {
            "user_id": self.away.id,
            "cover_user_id": self.rep.id,
            "date_from": "2027-03-01",
            "date_to": "2027-03-14",
        }
        before = self._counts()
        for model, vals, expected in (
            (
                "customer.rep.team.member",
                {**member, "date_from": "2027-03-10", "date_to": "2027-03-01"},
                "before",
            ),
            ("customer.rep.team.member", {**member, "partner_id": self.location.id}, "contact or location"),
            ("customer.rep.team.member", {**member, "user_id": self.portal.id}, "active internal user"),
            ("customer.rep.team.member", {**member, "user_id": archived.id}, "active internal user"),
            ("customer.rep.team.member", {**member, "access": "admin"}, "Access"),
            ("customer.rep.team.member", {**member, "date_from": "soon"}, "From"),
            ("customer.rep.cover", {**cover, "date_to": "2027-02-01"}, "before"),
            ("customer.rep.cover", {**cover, "date_to": False}, "end"),
            ("customer.rep.cover", {k: v for k, v in cover.items() if k != "date_to"}, "To"),
            ("customer.rep.cover", {**cover, "cover_user_id": self.away.id}, "themselves"),
            ("customer.rep.cover", {**cover, "cover_user_id": archived.id}, "active internal user"),
            ("customer.rep.cover", {**cover, "user_id": self.portal.id}, "active internal user"),
            ("customer.rep.cover", {**cover, "access": "all"}, "Access"),
        ):
            with self.subTest(model=model, vals=vals):
                text = self.assertFault(VALIDATION, assigner, model, "create", vals)
                self.assertIn(expected, text)
        # A rep's own cover of themselves, or without end, is refused as clearly.
        self.assertFault(VALIDATION, rep, "customer.rep.cover", "create", {**cover, "user_id": self.rep.id})
        self.assertFault(
            VALIDATION,
            rep,
            "customer.rep.cover",
            "create",
            {**cover, "user_id": self.rep.id, "cover_user_id": self.other.id, "date_to": False},
        )
        self.assertEqual(self._counts(), before)
        # On existing records, the same refusals change nothing.
        member_id = assigner("customer.rep.team.member", "create", member)
        cover_id = assigner("customer.rep.cover", "create", cover)
        for model, record_id, vals in (
            ("customer.rep.team.member", member_id, {"date_from": "2027-05-01", "date_to": "2027-04-01"}),
            ("customer.rep.team.member", member_id, {"partner_id": self.location.id}),
            ("customer.rep.team.member", member_id, {"access": "owner"}),
            ("customer.rep.cover", cover_id, {"date_to": False}),
            ("customer.rep.cover", cover_id, {"cover_user_id": self.away.id}),
            ("customer.rep.cover", cover_id, {"date_from": "2027-04-01"}),
        ):
            with self.subTest(model=model, vals=vals):
                self.assertFault(VALIDATION, assigner, model, "write", [record_id], vals)
        self.env.invalidate_all()
        self.assertRecordValues(
            self.env["customer.rep.team.member"].browse(member_id),
            [{"partner_id": self.teamed.id, "access": "edit", "date_from": False, "date_to": False}],
        )
        self.assertRecordValues(
            self.env["customer.rep.cover"].browse(cover_id),
            [
                {
                    "cover_user_id": self.rep.id,
                    "date_to": self.env["customer.rep.cover"].browse(cover_id).date_to,
                }
            ],
        )
        self.assertEqual(str(self.env["customer.rep.cover"].browse(cover_id).date_from), "2027-03-01")
        # Two people may cover one user at once.
        assigner("customer.rep.cover", "create", {**cover, "cover_user_id": self.other.id})

    # Rule 2: visibility by management, team and cover, before, during and after the dates.
    def test_visibility_by_dates(self):
        assigner = self._as("tm_assigner")
        assigner(
            "customer.rep.team.member",
            "create",
            {
                "partner_id": self.teamed.id,
                "user_id": self.rep.id,
                "access": "read",
                "date_from": "2027-03-01",
                "date_to": "2027-03-14",
            },
        )
        assigner(
            "customer.rep.cover",
            "create",
            {
                "user_id": self.away.id,
                "cover_user_id": self.rep.id,
                "access": "read",
                "date_from": "2027-03-10",
                "date_to": "2027-03-20",
            },
        )
        rep = self._as("tm_rep")
        for day, expected in (
            ("2027-02-28 12:00:00", self._expect("Eget AS")),
            ("2027-03-01 12:00:00", self._expect("Eget AS", "Lag AS", location=True)),
            ("2027-03-10 12:00:00", self._expect("Eget AS", "Lag AS", "Ferie AS", location=True)),
            ("2027-03-14 12:00:00", self._expect("Eget AS", "Lag AS", "Ferie AS", location=True)),
            ("2027-03-15 12:00:00", self._expect("Eget AS", "Ferie AS")),
            ("2027-03-20 12:00:00", self._expect("Eget AS", "Ferie AS")),
            ("2027-03-21 12:00:00", self._expect("Eget AS")),
        ):
            with self.subTest(day=day), freeze_time(day):
                self.assertEqual(self._seen(rep), expected)
                # A known id of a customer not seen is an access error.
                if "Ferie AS" not in expected["res.partner"]:
                    self.assertFault(ACCESS, rep, "res.partner", "read", [self.covered.id], ["name"])
        # The day counts in the rep's time zone (Europe/Oslo): 23:30 UTC on 28 February is
        # already 1 March there.
        with freeze_time("2027-02-28 23:30:00"):
            self.assertIn("Lag AS", self._seen(rep)["res.partner"])

    def test_read_and_edit_access(self):
        """A read member or cover sees but cannot change, with an error saying why; edit may.
        The same holds for *Edit own accounts only*, which reads everything."""
        assigner = self._as("tm_assigner")
        for login, user in (("tm_rep", self.rep), ("tm_editor", self.editor)):
            member_id = assigner(
                "customer.rep.team.member",
                "create",
                {
                    "partner_id": self.teamed.id,
                    "user_id": user.id,
                    "access": "read",
                    "date_from": "2027-03-01",
                    "date_to": "2027-03-14",
                },
            )
            cover_id = assigner(
                "customer.rep.cover",
                "create",
                {
                    "user_id": self.away.id,
                    "cover_user_id": user.id,
                    "access": "read",
                    "date_from": "2027-03-01",
                    "date_to": "2027-03-14",
                },
            )
            call = self._as(login)
            with self.subTest(login=login), freeze_time("2027-03-05 10:00:00"):
                for partner in (self.teamed, self.location, self.covered):
                    self.assertEqual(
                        call("res.partner", "read", [partner.id], ["name"])[0]["name"], partner.name
                    )
                    text = self.assertFault(
                        ACCESS, call, "res.partner", "write", [partner.id], {"comment": "x"}
                    )
                    self.assertIn("Your access", text)
                self.assertFault(
                    ACCESS, call, "sale.order", "write", [self.orders["covered"].id], {"note": "x"}
                )
                self.assertFault(
                    ACCESS, call, "sale.order", "write", [self.orders["teamed"].id], {"note": "x"}
                )
                self.env.invalidate_all()
                self.assertFalse(self.teamed.comment or self.covered.comment or self.location.comment)
                assigner("customer.rep.team.member", "write", [member_id], {"access": "edit"})
                assigner("customer.rep.cover", "write", [cover_id], {"access": "edit"})
                for partner in (self.teamed, self.location, self.covered):
                    call("res.partner", "write", [partner.id], {"comment": f"by {login}"})
                call("sale.order", "write", [self.orders["covered"].id], {"note": "covered"})
                call("sale.order", "write", [self.orders["teamed"].id], {"note": "teamed"})
                self.env.invalidate_all()
                self.assertEqual(self.covered.comment, f"<p>by {login}</p>")
                self.assertFault(ACCESS, call, "res.partner", "write", [self.hidden.id], {"comment": "x"})
            with self.subTest(login=login, after=True), freeze_time("2027-03-15 10:00:00"):
                self.assertFault(ACCESS, call, "res.partner", "write", [self.teamed.id], {"comment": "late"})
                self.assertFault(ACCESS, call, "res.partner", "write", [self.covered.id], {"comment": "late"})
            (self.teamed | self.location | self.covered).comment = False
            assigner("customer.rep.team.member", "unlink", [member_id])
            assigner("customer.rep.cover", "unlink", [cover_id])
