from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CustomerRepCase

EMPTY = {
    "order_count": 0,
    "order_amount_total": 0.0,
    "order_amount_average": 0.0,
    "first_order_date": False,
    "last_order_date": False,
}


@tagged("post_install", "-at_install")
class TestOrderMetrics(CustomerRepCase):
    """Order metrics of customers stay exact after every kind of change."""

    def _confirmed_order(self, partner, day, price=100.0, qty=1, **values):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": qty, "price_unit": price}
                    )
                ],
                **values,
            }
        )
        with freeze_time(day):
            order.action_confirm()
        return order

    def _cancel(self, order):
        order.with_context(disable_cancel_warning=True).action_cancel()

    def test_new_customer_and_contacts(self):
        self.assertRecordValues(
            self.customer | self.contact | self.location,
            [
                {**EMPTY, "engagement_status": "new"},
                {**EMPTY, "engagement_status": False},
                {**EMPTY, "engagement_status": False},
            ],
        )
        contact = (
            self.env["res.partner"]
            .with_context(default_parent_id=self.customer.id)
            .create({"name": "Created from the company's form"})
        )
        self.assertEqual(contact.engagement_status, False)

    @freeze_time("2026-06-30")
    def test_confirm_counts_the_whole_family(self):
        self._confirmed_order(self.customer, "2026-03-01 10:00", price=100.0)
        self._confirmed_order(self.contact, "2026-04-01 10:00", price=200.0)
        self._confirmed_order(self.location, "2026-05-01 10:00", price=150.0, qty=2)
        quotation = self._create_order(self.customer)  # quotations do not count
        self.assertRecordValues(
            self.customer,
            [
                {
                    "order_count": 3,
                    "order_amount_total": 600.0,
                    "order_amount_average": 200.0,
                    "first_order_date": date(2026, 3, 1),
                    "last_order_date": date(2026, 5, 1),
                    "engagement_status": "engaged",
                }
            ],
        )
        self.assertRecordValues(self.contact | self.location, [EMPTY, EMPTY])
        self.assertEqual(quotation.state, "draft")
        self.assertRecordValues(self.other_customer, [{**EMPTY, "engagement_status": "new"}])

    @freeze_time("2026-06-30")
    def test_confirm_as_salesman_without_partner_rights(self):
        """The metrics follow even when the confirming user may not edit the customer."""
        order = self._create_order(self.customer, user_id=self.manager_a.id).with_user(self.manager_a)
        order.action_confirm()
        self.assertRecordValues(self.customer, [{"order_count": 1, "engagement_status": "engaged"}])

    @freeze_time("2026-06-30")
    def test_cancel(self):
        first = self._confirmed_order(self.customer, "2026-03-01 10:00", price=100.0)
        second = self._confirmed_order(self.contact, "2026-04-01 10:00", price=300.0)
        self._cancel(second)
        self.assertRecordValues(
            self.customer,
            [
                {
                    "order_count": 1,
                    "order_amount_total": 100.0,
                    "order_amount_average": 100.0,
                    "last_order_date": date(2026, 3, 1),
                    "engagement_status": "engaged",
                }
            ],
        )
        self._cancel(first)
        self.assertRecordValues(self.customer, [{**EMPTY, "engagement_status": "new"}])
        second.action_draft()
        with freeze_time("2026-06-01"):
            second.action_confirm()
        self.assertRecordValues(
            self.customer,
            [{"order_count": 1, "order_amount_total": 300.0, "last_order_date": date(2026, 6, 1)}],
        )

    @freeze_time("2026-06-30")
    def test_change_lines_of_confirmed_order(self):
        order = self._confirmed_order(self.customer, "2026-06-01", price=100.0)
        line = order.order_line
        order.write({"order_line": [Command.update(line.id, {"product_uom_qty": 3})]})
        self.assertRecordValues(
            self.customer, [{"order_count": 1, "order_amount_total": 300.0, "order_amount_average": 300.0}]
        )
        line.write({"price_unit": 50.0})
        self.assertEqual(self.customer.order_amount_total, 150.0)
        self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.product.id, "product_uom_qty": 1, "price_unit": 25.0}
        )
        self.assertEqual(self.customer.order_amount_total, 175.0)
        order.write({"order_line": [Command.create({"product_id": self.product.id, "price_unit": 5.0})]})
        self.assertRecordValues(
            self.customer, [{"order_count": 1, "order_amount_total": 180.0, "order_amount_average": 180.0}]
        )

    @freeze_time("2026-06-30")
    def test_move_order_to_another_customer(self):
        self._confirmed_order(self.customer, "2026-03-01", price=100.0)
        moved = self._confirmed_order(self.location, "2026-05-01", price=400.0)
        moved.partner_id = self.other_customer
        self.assertRecordValues(
            self.customer | self.other_customer,
            [
                {"order_count": 1, "order_amount_total": 100.0, "last_order_date": date(2026, 3, 1)},
                {"order_count": 1, "order_amount_total": 400.0, "last_order_date": date(2026, 5, 1)},
            ],
        )
        self.assertEqual(self.other_customer.engagement_status, "engaged")

    @freeze_time("2026-06-30")
    def test_move_contact_with_orders_to_another_company(self):
        self._confirmed_order(self.customer, "2026-03-01", price=100.0)
        self._confirmed_order(self.contact, "2026-05-01", price=250.0)
        self.contact.parent_id = self.other_customer
        self.assertRecordValues(
            self.customer | self.other_customer | self.contact,
            [
                {
                    "order_count": 1,
                    "order_amount_total": 100.0,
                    "order_amount_average": 100.0,
                    "first_order_date": date(2026, 3, 1),
                    "last_order_date": date(2026, 3, 1),
                    "engagement_status": "engaged",
                },
                {
                    "order_count": 1,
                    "order_amount_total": 250.0,
                    "order_amount_average": 250.0,
                    "first_order_date": date(2026, 5, 1),
                    "last_order_date": date(2026, 5, 1),
                    "engagement_status": "engaged",
                },
                {**EMPTY, "engagement_status": False},
            ],
        )
        # Detached, the person becomes a customer of its own with its orders.
        self.contact.parent_id = False
        self.assertRecordValues(
            self.other_customer | self.contact,
            [
                {**EMPTY, "engagement_status": "new"},
                {
                    "order_count": 1,
                    "order_amount_total": 250.0,
                    "order_amount_average": 250.0,
                    "first_order_date": date(2026, 5, 1),
                    "last_order_date": date(2026, 5, 1),
                    "engagement_status": "engaged",
                },
            ],
        )

    def _foreign_pricelist(self, rates):
        """A pricelist in another currency (cent rounding) than the company's, whose rates
        against it are ``rates``: [(date, rate)]."""
        company = self.env.company
        foreign = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", company.currency_id.id), ("rounding", "=", 0.01)], limit=1)
        )
        foreign.active = True
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "=", foreign.id)]).unlink()
        Rate.create(
            [
                {"currency_id": foreign.id, "name": day, "rate": rate, "company_id": company.id}
                for day, rate in rates
            ]
        )
        return self.env["product.pricelist"].create({"name": "Foreign", "currency_id": foreign.id})

    @freeze_time("2026-06-30")
    def test_other_currency_at_the_orders_own_rate(self):
        pricelist = self._foreign_pricelist([("2026-01-01", 2.0), ("2026-04-01", 4.0)])
        foreign = pricelist.currency_id
        with freeze_time("2026-02-01"):
            early = self._confirmed_order(self.customer, "2026-02-01", price=100.0, pricelist_id=pricelist.id)
        with freeze_time("2026-05-01"):
            late = self._confirmed_order(self.customer, "2026-05-01", price=100.0, pricelist_id=pricelist.id)
        self._confirmed_order(self.customer, "2026-05-01", price=10.0)
        self.assertRecordValues(
            early | late,
            [
                {"currency_id": foreign.id, "currency_rate": 2.0},
                {"currency_id": foreign.id, "currency_rate": 4.0},
            ],
        )
        # 100 / 2 + 100 / 4 + 10 in the company currency
        self.assertRecordValues(
            self.customer, [{"order_count": 3, "order_amount_total": 85.0, "order_amount_average": 28.33}]
        )

    def test_awkward_rates_give_the_aggregates_figures(self):
        """The delta converts each order as the aggregate does (the database rounds the amount
        the column stores, at the rate the column stores): rates whose conversion leaves many
        decimals, changed lines and a cancellation leave no drift for the repair to find."""
        pricelist = self._foreign_pricelist([("2026-01-01", 3.0), ("2026-03-01", 0.7), ("2026-05-01", 10.5)])
        orders = self.env["sale.order"]
        for day, price in (("2026-02-01", 33.33), ("2026-04-01", 10.01), ("2026-05-15", 99.99)):
            with freeze_time(day):
                orders |= self._confirmed_order(
                    self.customer, day, price=price, qty=3, pricelist_id=pricelist.id
                )
        orders[1].order_line.price_unit = 7.77
        orders[2].with_context(disable_cancel_warning=True).action_cancel()
        self.env.flush_all()
        self.assertEqual(self.env["res.partner"]._verify_order_metrics(), 0)
        # 3 x 33.33 / 3 + 3 x 7.77 / 0.7, each rounded to the cent
        self.assertRecordValues(self.customer, [{"order_count": 2, "order_amount_total": 66.63}])

    @freeze_time("2026-06-30")
    def test_values_from_clients_are_ignored(self):
        self._confirmed_order(self.customer, "2026-06-01", price=100.0)
        self.customer.write({"order_count": 42, "engagement_status": "lapsed", "name": "Renamed AS"})
        created = self.env["res.partner"].create({"name": "Forged AS", "order_amount_total": 1e6})
        self.customer.invalidate_recordset()
        self.assertRecordValues(
            self.customer | created,
            [
                {"name": "Renamed AS", "order_count": 1, "engagement_status": "engaged"},
                {"name": "Forged AS", "order_count": 0, "engagement_status": "new"},
            ],
        )

    @freeze_time("2026-06-30")
    def test_set_based_recompute_of_all_partners(self):
        """The install path: one UPDATE over every partner restores exact values."""
        self._confirmed_order(self.customer, "2026-06-01", price=120.0)
        self._confirmed_order(self.location, "2026-06-01", price=80.0)
        self.env.flush_all()  # raw SQL follows
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET order_count = 0, order_amount_total = 0, engagement_status = NULL "
                "WHERE id IN %s",
                tuple((self.customer | self.other_customer).ids),
            )
        )
        self.env.cr.execute(self.env["res.partner"]._get_order_metrics_update_sql())
        self.env.invalidate_all()
        self.assertRecordValues(
            self.customer | self.other_customer | self.location,
            [
                {
                    "order_count": 2,
                    "order_amount_total": 200.0,
                    "order_amount_average": 100.0,
                    "first_order_date": date(2026, 6, 1),
                    "last_order_date": date(2026, 6, 1),
                    "engagement_status": "engaged",
                },
                {**EMPTY, "engagement_status": "new"},
                {**EMPTY, "engagement_status": False},
            ],
        )
