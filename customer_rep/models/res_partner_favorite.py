from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression


class ResPartner(models.Model):
    """Favorites: every user stars the customers they care about.

    One path, as ``project.project`` does: ``is_favorite`` is written like any field and
    ``write``/``create`` turn it into the user's star. Starring is a personal preference, not a
    change of the customer: it needs read access only and neither touches the customer's
    ``write_date`` nor its chatter, so the star is written on the user's side of the relation
    (``res.users.favorite_partner_ids``)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    favorite_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="res_partner_favorite_user_rel",
        column1="partner_id",
        column2="user_id",
        string="Favorite of",
        copy=False,
        help="The users who starred this customer.",
    )
    is_favorite = fields.Boolean(
        string="Favorite",
        compute="_compute_is_favorite",
        readonly=False,
        search="_search_is_favorite",
        help="You starred this customer.",
    )

    @api.depends("favorite_user_ids")
    @api.depends_context("uid")
    def _compute_is_favorite(self):
        for partner in self:
            partner.is_favorite = self.env.user in partner.favorite_user_ids

    def _search_is_favorite(self, operator, value):
        if operator in ("in", "not in"):
            # [True], [False, True]...: starred or not, or both (no condition).
            values = {bool(v) for v in (value if isinstance(value, (list, tuple, set)) else [value])}
            if len(values) != 1:
                return [] if (operator == "in") == bool(values) else expression.FALSE_DOMAIN
            operator, value = ("=" if operator == "in" else "!="), values.pop()
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Unsupported search on favorites: %(op)s", op=operator))
        positive = (operator == "=") == bool(value)
        return [("favorite_user_ids", "in" if positive else "not in", [self.env.uid])]

    @api.model_create_multi
    def create(self, vals_list):
        starred = [vals.pop("is_favorite", False) for vals in vals_list]
        partners = super().create(vals_list)
        partners.browse(
            partner.id for partner, star in zip(partners, starred, strict=True) if star
        )._set_favorite(True)
        return partners

    def write(self, vals):
        if "is_favorite" in vals:
            vals = dict(vals)
            self._set_favorite(vals.pop("is_favorite"))
            if not vals:
                return True
        return super().write(vals)

    def action_toggle_favorite(self):
        """Star the partners the current user has not starred, unstar the others."""
        starred = self.filtered("is_favorite")
        (self - starred)._set_favorite(True)
        starred._set_favorite(False)
        return True

    def _set_favorite(self, starred):
        """Star (or unstar) the partners for the current user, who needs read access to them."""
        if not self:
            return
        if self.env.user.share:
            raise AccessError(self.env._("Only internal users can star customers."))
        self.check_access("read")
        command = Command.link if starred else Command.unlink
        # sudo: a user may not write their own user record; read access was checked above.
        self.env.user.sudo().favorite_partner_ids = [command(partner_id) for partner_id in self.ids]
        self.invalidate_recordset(["favorite_user_ids", "is_favorite"])


class ResUsers(models.Model):
    _inherit = "res.users"

    favorite_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="res_partner_favorite_user_rel",
        column1="user_id",
        column2="partner_id",
        string="Favorite Customers",
        copy=False,
        groups="base.group_system",
        help="The customers this user starred.",
    )
