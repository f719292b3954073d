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

    @api.model
    def _get_customer_rep_input_fields(self):
        return {**super()._get_customer_rep_input_fields(), "is_favorite": None}

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
        for vals in vals_list:
            if "favorite_user_ids" in vals and not self.env.su:
                vals["is_favorite"] = self._get_own_star_from_commands(vals.pop("favorite_user_ids"))
        starred = [vals.pop("is_favorite", False) for vals in vals_list]
        partners = super().create(vals_list)
        partners.browse(
            partner.id for partner, star in zip(partners, starred, strict=True) if star
        )._set_favorite(True)
        return partners

    def write(self, vals):
        if "favorite_user_ids" in vals and not self.env.su:
            # Each user sets or clears only their own star.
            vals = dict(vals)
            starred = self._get_own_star_from_commands(vals.pop("favorite_user_ids"))
            if starred is not None:
                vals["is_favorite"] = starred
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

    @api.model
    def _get_own_star_from_commands(self, commands):
        """Whether ``commands`` on ``favorite_user_ids`` star (True) or unstar (False) the
        customers for the current user, or None when they change nothing. Commands touching
        another user's star are refused: the stars of others are theirs."""
        uid, starred = self.env.uid, None
        for command in commands if isinstance(commands, (list, tuple)) else [commands]:
            if isinstance(command, (list, tuple)) and len(command) >= 2:
                if command[0] == Command.LINK and command[1] == uid:
                    starred = True
                    continue
                if command[0] == Command.UNLINK and command[1] == uid:
                    starred = False
                    continue
            raise AccessError(
                self.env._(
                    "You can only star or unstar customers for yourself: use “Favorite” "
                    "(is_favorite), or link or unlink your own user in “Favorite of”."
                )
            )
        return starred

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
