import re
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

URL_MAX_LENGTH = 2048
LABEL_MAX_LENGTH = 256
# Whitespace and control characters: never part of a web address.
URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")
# A scheme at the start ("https:", "mailto:", "javascript:").
URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+-]*:")


class ResPartnerLink(models.Model):
    _name = "res.partner.link"
    _inherit = "customer.rep.input.mixin"
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
    url = fields.Char(
        string="URL",
        required=True,
        help="An http or https address; an address without one (example.com) gets https://.",
    )

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

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            "partner_id": None,
            "sequence": None,
            "name": LABEL_MAX_LENGTH,
            "url": URL_MAX_LENGTH,
        }

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        if fname == "url" and isinstance(value, str):
            value = self._complete_url(value)
            if URL_FORBIDDEN.search(value):
                raise ValidationError(
                    self.env._("URL: a web address cannot contain spaces, line breaks or control characters.")
                )
        return super()._normalize_customer_rep_value(fname, value, max_length)

    @api.model
    def _complete_url(self, url):
        """The address trimmed, with https:// in front when it has no scheme (example.com)."""
        url = url.strip()
        if url and not URL_SCHEME.match(url) and not url.startswith("//"):
            url = f"https://{url}"
        return url

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_customer_rep_input(vals) for vals in vals_list]
        links = super().create(vals_list)
        links.partner_id.check_access("write")
        return links

    def write(self, vals):
        vals = self._normalize_customer_rep_input(vals)
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
