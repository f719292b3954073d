import xmlrpc.client

from odoo.tests import new_test_user
from odoo.tests.common import HttpCase, TransactionCase


class CustomerRepCase(TransactionCase):
    """Users, customers, locations and a product of its own; no demo data is used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        # Account managers: internal users of the sales team.
        cls.manager_a = new_test_user(
            cls.env, login="cr_manager_a", name="Alice Manager", groups="sales_team.group_sale_salesman"
        )
        cls.manager_b = new_test_user(
            cls.env, login="cr_manager_b", name="Bob Manager", groups="sales_team.group_sale_salesman"
        )
        # Holds the right to assign account managers, and nothing more than a salesman.
        cls.assigner = new_test_user(
            cls.env,
            login="cr_assigner",
            name="Ada Assigner",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager,customer_rep.group_assign_account_manager",
        )
        # A sales user without the assign right.
        cls.salesman = new_test_user(
            cls.env,
            login="cr_salesman",
            name="Sam Salesman",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        cls.sales_admin = new_test_user(
            cls.env, login="cr_sales_admin", name="Sara Admin", groups="sales_team.group_sale_manager"
        )
        cls.portal_user = new_test_user(
            cls.env, login="cr_portal", name="Pat Portal", groups="base.group_portal"
        )
        cls.archived_user = new_test_user(
            cls.env, login="cr_archived", name="Arch Ived", groups="sales_team.group_sale_salesman"
        )
        cls.archived_user.active = False

        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Nordlys Handel AS",
                "is_company": True,
                "customer_rank": 1,
                "account_manager_id": cls.manager_a.id,
            }
        )
        cls.contact = Partner.create({"name": "Per Olsen", "parent_id": cls.customer.id, "type": "contact"})
        cls.location = Partner.create(
            {"name": "Lager Alnabru", "parent_id": cls.customer.id, "type": "delivery", "city": "Oslo"}
        )
        cls.other_customer = Partner.create(
            {"name": "Fjord Grossist AS", "is_company": True, "customer_rank": 1}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Crate of apples", "list_price": 100.0, "type": "consu"}
        )
        # End the fixtures' "transaction" as a commit would: records created in the same
        # transaction are not tracked, the tests' changes must be.
        cls.env.cr.precommit.run()

    @classmethod
    def _create_order(cls, partner, **values):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": 100.0})
                ],
                **values,
            }
        )


class XmlRpcCase(HttpCase):
    """Real HTTP round trips through Odoo's external API (XML-RPC)."""

    def _rpc(self, login, password):
        """An ``execute_kw`` caller logged in as ``login``: ``call(model, method, *args, **kw)``."""
        db = self.env.cr.dbname
        uid = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/common").authenticate(
            db, login, password, {}
        )
        self.assertTrue(uid, f"{login} cannot log in over XML-RPC")
        models = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object", allow_none=True)

        def call(model, method, *args, **kwargs):
            return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

        return call

    def assertFault(self, codes, call, *args, **kwargs):
        """``call(*args, **kwargs)`` fails with a fault of one of ``codes`` (2: validation or
        user error, 3: access denied, 4: access error; never 1, a traceback); returns its text."""
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            call(*args, **kwargs)
        self.assertIn(caught.exception.faultCode, codes, caught.exception.faultString[-500:])
        return caught.exception.faultString
