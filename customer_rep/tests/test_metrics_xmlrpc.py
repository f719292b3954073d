from odoo.tests import new_test_user, tagged

from .common import XmlRpcCase


@tagged("post_install", "-at_install")
class TestOrderMetricsXmlRpc(XmlRpcCase):
    """Confirming over XML-RPC updates the metrics; they search and sort over the API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="xr_metrics",
            password="xr_metrics_pw",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        cls.product = cls.env["product.product"].create({"name": "RPC widget", "list_price": 10.0})

    def test_confirm_read_search(self):
        call = self._rpc("xr_metrics", "xr_metrics_pw")

        small, big = (
            call("res.partner", "create", {"name": name, "is_company": True})
            for name in ("Liten AB", "Stor AB")
        )
        contact = call("res.partner", "create", {"name": "Stor Kontakt", "parent_id": big})
        for partner, price in ((small, 10.0), (big, 70.0), (contact, 30.0)):
            order = call(
                "sale.order",
                "create",
                {
                    "partner_id": partner,
                    "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": price})],
                },
            )
            call("sale.order", "action_confirm", [order])
        [record] = call(
            "res.partner",
            "read",
            [big],
            ["order_count", "order_amount_total", "order_amount_average", "engagement_status"],
        )
        self.assertEqual(
            {key: record[key] for key in ("order_count", "order_amount_total", "order_amount_average")},
            {"order_count": 2, "order_amount_total": 100.0, "order_amount_average": 50.0},
        )
        self.assertEqual(record["engagement_status"], "engaged")
        found = call(
            "res.partner",
            "search_read",
            [("id", "in", [small, big, contact]), ("engagement_status", "=", "engaged")],
            ["order_amount_total"],
            order="order_amount_total desc",
        )
        self.assertEqual([(r["id"], r["order_amount_total"]) for r in found], [(big, 100.0), (small, 10.0)])
