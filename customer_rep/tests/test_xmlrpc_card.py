import xmlrpc.client

from odoo.tests import new_test_user, tagged

from .common import XmlRpcCase


@tagged("post_install", "-at_install")
class TestCustomerCardXmlRpc(XmlRpcCase):
    """Customer card rules through Odoo's external API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("customer_rep.only_archived_deletable", "True")
        cls.env["ir.config_parameter"].set_param("customer_rep.generate_customer_numbers", "True")
        # Deleting customer accounts takes the right "Delete customers" (test_permission.py).
        cls.partner_manager = new_test_user(
            cls.env,
            login="xc_manager",
            password="xc_manager_pw",
            groups="base.group_user,base.group_partner_manager,customer_rep.group_delete_customers",
        )
        cls.reader = new_test_user(
            cls.env, login="xc_reader", password="xc_reader_pw", groups="sales_team.group_sale_salesman"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "RPC Kortet AS", "is_company": True, "customer_rank": 1}
        )

    def test_delete_refused_until_archived(self):
        call = self._rpc("xc_manager", "xc_manager_pw")
        with self.assertRaisesRegex(xmlrpc.client.Fault, "Archive the customer"):
            call("res.partner", "unlink", [self.customer.id])
        self.assertTrue(self.customer.exists())
        call("res.partner", "write", [self.customer.id], {"active": False})
        call("res.partner", "unlink", [self.customer.id])
        self.assertFalse(self.customer.exists())

    def test_favorite_toggled_by_reader(self):
        call = self._rpc("xc_reader", "xc_reader_pw")
        call("res.partner", "write", [self.customer.id], {"is_favorite": True})
        self.assertEqual(call("res.partner", "search", [("is_favorite", "=", True)]), [self.customer.id])
        call("res.partner", "action_toggle_favorite", [self.customer.id])
        [record] = call("res.partner", "read", [self.customer.id], ["is_favorite"])
        self.assertFalse(record["is_favorite"])

    def test_number_generated_and_duplicate_refused(self):
        call = self._rpc("xc_manager", "xc_manager_pw")
        # Created as a customer, with the register's context: numbered. A plain partner is no
        # customer (a vendor, a contact) and draws no number.
        register = {"context": {"res_partner_search_mode": "customer"}}
        new_id = call("res.partner", "create", {"name": "RPC Ny AS", "is_company": True}, **register)
        [record] = call("res.partner", "read", [new_id], ["ref"])
        self.assertTrue(record["ref"].startswith("C"))
        plain_id = call("res.partner", "create", {"name": "RPC Kontakt AS", "is_company": True})
        self.assertEqual(call("res.partner", "read", [plain_id], ["ref"])[0]["ref"], False)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "already used by RPC Kortet AS"):
            call(
                "res.partner", "create", {"name": "RPC Dup AS", "is_company": True, "ref": self.customer.ref}
            )
        self.assertFalse(call("res.partner", "search", [("name", "=", "RPC Dup AS")]))
