from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartnerLink(models.Model):
    _name = "res.partner.link"
    _description = "Customer Link"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Label", help="What the link leads to, e.g. “Webshop” or “Shared drive”.")
    url = fields.Char(string="URL", required=True, help="An http or https address.")

    @api.constrains("url")
    def _check_url(self):
        for link in self:
            parts = urlsplit(link.url or "")
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                raise ValidationError(
                    self.env._(
                        "The link %(url)s is not a web address: it must start with http:// or https://.",
                        url=link.url,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if isinstance(vals.get("url"), str):
                vals["url"] = vals["url"].strip()
        links = super().create(vals_list)
        links.partner_id.check_access("write")
        return links

    def write(self, vals):
        if isinstance(vals.get("url"), str):
            vals = dict(vals, url=vals["url"].strip())
        self.partner_id.check_access("write")
        result = super().write(vals)
        if "partner_id" in vals:
            self.partner_id.check_access("write")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_if_partner_writable(self):
        self.partner_id.check_access("write")


class ResPartner(models.Model):
    """Links: any number of labelled http(s) links per customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    link_ids = fields.One2many(comodel_name="res.partner.link", inverse_name="partner_id", string="Links")
