import xmlrpc.client

from odoo.tests import new_test_user, tagged

from .common import XmlRpcCase


@tagged("post_install", "-at_install")
class TestAccountManagerXmlRpc(XmlRpcCase):
    """Real HTTP round trips through Odoo's external API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="xr_manager", name="Xena Manager", groups="sales_team.group_sale_salesman"
        )
        cls.assigner = new_test_user(
            cls.env,
            login="xr_assigner",
            password="xr_assigner_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager,customer_rep.group_assign_account_manager",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="xr_salesman",
            password="xr_salesman_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        cls.portal = new_test_user(
            cls.env, login="xr_portal", name="Polly Portal", groups="base.group_portal"
        )

    def test_round_trip(self):
        call = self._rpc("xr_assigner", "xr_assigner_pw")
        customer_id = call(
            "res.partner",
            "create",
            {"name": "RPC Kunde AS", "is_company": True, "account_manager_id": self.manager.id},
        )
        location_id = call(
            "res.partner", "create", {"name": "RPC Lager", "parent_id": customer_id, "type": "delivery"}
        )
        [location] = call("res.partner", "read", [location_id], ["effective_account_manager_id"])
        self.assertEqual(location["effective_account_manager_id"][0], self.manager.id)
        found = call(
            "res.partner", "search", [("effective_account_manager_id", "=", self.manager.id)], order="id"
        )
        self.assertEqual(found, [customer_id, location_id])
        order_id = call(
            "sale.order", "create", {"partner_id": customer_id, "partner_shipping_id": location_id}
        )
        [order] = call("sale.order", "read", [order_id], ["account_manager_id"])
        self.assertEqual(order["account_manager_id"][0], self.manager.id)
        call("res.partner", "write", [customer_id], {"account_manager_id": False})
        [customer] = call("res.partner", "read", [customer_id], ["account_manager_id"])
        self.assertFalse(customer["account_manager_id"])

    def test_refusals(self):
        customer = self.env["res.partner"].create({"name": "RPC Refusal AS", "is_company": True})
        call = self._rpc("xr_salesman", "xr_salesman_pw")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not allowed to assign account managers"):
            call("res.partner", "write", [customer.id], {"account_manager_id": self.manager.id})
        call = self._rpc("xr_assigner", "xr_assigner_pw")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Polly Portal"):
            call("res.partner", "write", [customer.id], {"account_manager_id": self.portal.id})
        customer.invalidate_recordset()
        self.assertFalse(customer.account_manager_id)
