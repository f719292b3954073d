from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerRepCover(models.Model):
    """While ``user_id`` is away (``date_from`` to ``date_to``, both included), ``cover_user_id``
    has what ``user_id`` has as account manager: sees (``read``) or also changes (``edit``) the
    customers ``user_id`` manages, follows their new orders and gets the activities assigned
    to ``user_id``. Two people may cover one user at once."""

    _name = "customer.rep.cover"
    _inherit = "customer.rep.access.period"
    _description = "Account Manager Cover"
    _order = "date_from desc, id desc"
    _rec_names_search = ["user_id", "cover_user_id"]

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Away",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="The account manager who is away.",
    )
    cover_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Covered By",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("share", "=", False)],
        help="The user who takes over the customers of the one who is away.",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)

    _sql_constraints = [
        (
            "date_order",
            "CHECK(date_to >= date_from)",
            "The end date of a cover cannot be before its start date.",
        ),
        ("not_self", "CHECK(user_id != cover_user_id)", "Nobody can cover themselves."),
    ]

    @api.depends("user_id", "cover_user_id", "date_from", "date_to")
    def _compute_display_name(self):
        for cover in self:
            cover.display_name = self.env._(
                "%(covering)s covers %(away)s (%(date_from)s – %(date_to)s)",
                covering=cover.cover_user_id.name or "",
                away=cover.user_id.name or "",
                date_from=cover.date_from or "",
                date_to=cover.date_to or "",
            )

    @api.constrains("user_id", "cover_user_id")
    def _check_users(self):
        for cover in self:
            if cover.user_id == cover.cover_user_id:
                raise ValidationError(self.env._("Nobody can cover themselves: choose a colleague."))
            self._check_customer_rep_user(cover.user_id, self.env._("Away"))
            self._check_customer_rep_user(cover.cover_user_id, self.env._("Covered By"))

    @api.model
    def _get_customer_rep_input_fields(self):
        return {**super()._get_customer_rep_input_fields(), "user_id": None, "cover_user_id": None}

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        if fname in ("date_from", "date_to") and not value:
            raise ValidationError(
                self.env._(
                    "A cover needs a start and an end date: %(field)s is missing.",
                    field=self._get_customer_rep_field_label(self._fields[fname]),
                )
            )
        return super()._normalize_customer_rep_value(fname, value, max_length)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_customer_rep_input(vals) for vals in vals_list]
        for vals in vals_list:
            for fname in ("date_from", "date_to", "cover_user_id"):
                if not vals.get(fname) and not self.env.context.get(f"default_{fname}"):
                    raise ValidationError(
                        self.env._(
                            "A cover needs %(field)s.",
                            field=self._get_customer_rep_field_label(self._fields[fname]),
                        )
                    )
            self._check_cover_rights(
                vals.get("user_id", self.env.context.get("default_user_id", self.env.uid))
            )
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalize_customer_rep_input(vals)
        self._check_cover_rights(vals.get("user_id"))
        return super().write(vals)

    def unlink(self):
        self._check_cover_rights()
        return super().unlink()

    @api.model
    def _get_current_covers(self, users):
        """The covers of ``users`` running today, the one ending last first (sudo: who covers
        whom decides where notices and activities go, whatever the reader's rights)."""
        if not users:
            return self.sudo().browse()
        return self.sudo().search(
            [("user_id", "in", users.ids), ("is_current", "=", True)], order="date_to desc, id"
        )

    def _check_cover_rights(self, new_user_id=None):
        """Rule 1: those who may assign account managers change any cover; a user their own
        (``user_id`` themselves), before and after the change; nobody else."""
        if self._may_assign_account_managers():
            return
        user_ids = set(self.sudo().user_id.ids)
        if new_user_id:
            user_ids.add(new_user_id)
        if user_ids - {self.env.uid}:
            self._raise_customer_rep_rights(
                self.env._(
                    "You may set up only your own cover (Away: yourself). Covers of others are "
                    "set up by those who may assign account managers."
                )
            )
