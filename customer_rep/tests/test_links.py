from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestLinks(CustomerRepCase):
    def test_links_on_customer(self):
        self.customer.write(
            {
                "link_ids": [
                    (0, 0, {"name": "Webshop", "url": " https://shop.example.com/nordlys "}),
                    (0, 0, {"name": "Drive", "url": "http://drive.example.com"}),
                ]
            }
        )
        self.assertRecordValues(
            self.customer.link_ids,
            [
                {"name": "Webshop", "url": "https://shop.example.com/nordlys"},
                {"name": "Drive", "url": "http://drive.example.com"},
            ],
        )

    def test_only_web_addresses(self):
        Link = self.env["res.partner.link"]
        for url in ("ftp://files.example.com", "javascript:alert(1)", "https://"):
            with self.assertRaises(ValidationError) as refusal:
                Link.create({"partner_id": self.customer.id, "name": "Bad", "url": url})
            self.assertIn("http:// or https://", str(refusal.exception))
        self.assertFalse(self.customer.link_ids)
        link = Link.create({"partner_id": self.customer.id, "url": "https://ok.example.com"})
        with self.assertRaises(ValidationError):
            link.url = "mailto:someone@example.com"
        self.env.invalidate_all()
        self.assertEqual(link.url, "https://ok.example.com")

    def test_address_without_scheme_completed(self):
        link = self.env["res.partner.link"].create(
            {"partner_id": self.customer.id, "url": " www.example.com "}
        )
        self.assertEqual(link.url, "https://www.example.com")
        link.url = "example.com/shop"
        self.assertEqual(link.url, "https://example.com/shop")

    def test_links_deleted_with_customer(self):
        link = self.env["res.partner.link"].create(
            {"partner_id": self.other_customer.id, "url": "https://a.example"}
        )
        self.other_customer.action_archive()
        self.other_customer.unlink()
        self.assertFalse(link.exists())

    def test_access_follows_partner_rights(self):
        link = self.env["res.partner.link"].create(
            {"partner_id": self.customer.id, "name": "Webshop", "url": "https://shop.example.com"}
        )
        # A salesman reads partners but may not edit them: reads links, edits none.
        as_reader = link.with_user(self.manager_a)
        self.assertEqual(as_reader.read(["name"]), [{"id": link.id, "name": "Webshop"}])
        with self.assertRaises(AccessError):
            as_reader.name = "Mine"
        with self.assertRaises(AccessError):
            self.env["res.partner.link"].with_user(self.manager_a).create(
                {"partner_id": self.customer.id, "url": "https://x.example"}
            )
        with self.assertRaises(AccessError):
            as_reader.unlink()
        # A contact manager edits them.
        self.customer.with_user(self.salesman).write(
            {"link_ids": [(1, link.id, {"name": "Shop"}), (0, 0, {"url": "https://new.example"})]}
        )
        self.assertEqual(self.customer.link_ids.mapped("name"), ["Shop", False])
        link.with_user(self.salesman).unlink()
        self.assertEqual(len(self.customer.link_ids), 1)
        # Portal users see none.
        with self.assertRaises(AccessError):
            self.customer.link_ids.with_user(self.portal_user).read(["url"])
