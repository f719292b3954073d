from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

ACCESS_LEVELS = [("read", "Read"), ("edit", "Edit")]


class CustomerRepAccessPeriod(models.AbstractModel):
    """What account team memberships and covers share: an access level, a period of days (both
    ends included) and whether it counts today (``is_current``), the checks of their users and
    dates, and the rule that whoever may assign account managers may change them.

    The own-accounts record rules ask ``res.users._customer_rep_manager_ids`` and
    ``_customer_rep_team_customer_ids`` which memberships and covers count today. ``ir.rule``
    caches the domains it computed with today's date in the key (``models/ir_rule.py``), so
    access begins and ends with the date; a change of a membership or cover clears that cache,
    as a change of a rule does."""

    _name = "customer.rep.access.period"
    _inherit = "customer.rep.input.mixin"
    _description = "Customer Register Access Period"

    access = fields.Selection(
        selection=ACCESS_LEVELS,
        required=True,
        default="edit",
        help="Read: sees the customers. Edit: may also change them, as their account manager may.",
    )
    date_from = fields.Date(string="From", help="The first day it counts (empty: from the start).")
    date_to = fields.Date(string="To", help="The last day it counts (empty: with no end).")
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="Whether it counts today (today between From and To, both included).",
    )

    def _compute_is_current(self):
        today = self.env["res.users"]._customer_rep_today()
        for record in self:
            record.is_current = (not record.date_from or record.date_from <= today) and (
                not record.date_to or today <= record.date_to
            )

    def _search_is_current(self, operator, value):
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Current can only be searched as true or false."))
        today = self.env["res.users"]._customer_rep_today()
        current = [
            "&",
            "|",
            ("date_from", "=", False),
            ("date_from", "<=", today),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", today),
        ]
        if (operator == "=") == bool(value):
            return current
        return ["|", ("date_from", ">", today), ("date_to", "<", today)]

    @api.constrains("date_from", "date_to")
    def _check_customer_rep_dates(self):
        for record in self:
            if record.date_from and record.date_to and record.date_to < record.date_from:
                raise ValidationError(
                    self.env._(
                        "The end date (%(date_to)s) is before the start date (%(date_from)s).",
                        date_to=record.date_to,
                        date_from=record.date_from,
                    )
                )

    @api.model
    def _check_customer_rep_user(self, user, field_label):
        """``user`` (res.users) must be one active internal user."""
        user = user.sudo().with_context(active_test=False)
        if user and (not user.active or user.share):
            raise ValidationError(
                self.env._(
                    "%(field)s must be an active internal user; %(user)s is not.",
                    field=field_label,
                    user=user.name,
                )
            )

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            "access": None,
            "date_from": None,
            "date_to": None,
        }

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        field = self._fields[fname]
        if field.type == "date" and value:
            try:
                return fields.Date.to_date(value)
            except (TypeError, ValueError):
                self._raise_customer_rep_input(field, value, self.env._("a date (YYYY-MM-DD)"))
        return super()._normalize_customer_rep_value(fname, value, max_length)

    @api.model
    def _may_assign_account_managers(self):
        return self.env.su or self.env.user.has_group("customer_rep.group_assign_account_manager")

    @api.model
    def _raise_customer_rep_rights(self, message):
        raise AccessError(message)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_customer_rep_input(vals) for vals in vals_list]
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # ir.rule's domains of the users concerned
        return records

    def write(self, vals):
        vals = self._normalize_customer_rep_input(vals)
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
