from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerRepLocationManager(models.TransientModel):
    """Set or clear the account manager override of many locations at once."""

    _name = "customer.rep.location.manager"
    _inherit = "customer.rep.input.mixin"
    _description = "Account Manager of Locations"

    location_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="customer_rep_location_manager_partner_rel",
        column1="wizard_id",
        column2="partner_id",
        string="Locations",
        domain=lambda self: self.env["res.partner"]._get_location_domain(),
    )
    location_count = fields.Integer(compute="_compute_location_count", string="Selected Locations")
    unavailable_reason = fields.Char(
        compute="_compute_unavailable_reason",
        help="Why the wizard cannot apply to the selection: Odoo offers it on every list of partners.",
    )
    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        domain=[("share", "=", False)],
        help="The account manager of the selected locations, overriding their customer's. "
        "Leave it empty to clear the override: the locations follow their customer's "
        "account manager again.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "location_ids" in fields_list and context.get("active_model", "res.partner") == "res.partner":
            Partner = self.env["res.partner"]
            active_ids = self._get_customer_rep_active_ids()
            locations = Partner.search([("id", "in", active_ids), *Partner._get_location_domain()])
            values["location_ids"] = [fields.Command.set(locations.ids)]
        return values

    @api.model
    def _get_customer_rep_input_fields(self):
        return {**super()._get_customer_rep_input_fields(), "account_manager_id": None}

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        if fname == "account_manager_id":
            # The same rules as the locations' own field.
            return self.env["res.partner"]._normalize_customer_rep_value(fname, value, max_length)
        return super()._normalize_customer_rep_value(fname, value, max_length)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalize_customer_rep_input(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalize_customer_rep_input(vals))

    @api.depends("location_ids")
    def _compute_location_count(self):
        for wizard in self:
            wizard.location_count = len(wizard.location_ids)

    @api.depends("location_ids")
    @api.depends_context("uid")
    def _compute_unavailable_reason(self):
        may_assign = self.env["res.partner"]._may_assign_account_manager()
        for wizard in self:
            if not may_assign:
                wizard.unavailable_reason = self.env._(
                    "You may not set the account manager of locations: it takes the right "
                    "“Assign account managers”. Ask a sales administrator."
                )
            elif not wizard.location_ids:
                wizard.unavailable_reason = self.env._(
                    "None of the selected partners is a location. Select locations in Customer "
                    "Register → Locations to set their account manager."
                )
            else:
                wizard.unavailable_reason = False

    def action_apply(self):
        """Set (or clear) the override on all locations, or on none when the user may not."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        Partner._check_account_manager_assign_right()
        locations = self.location_ids
        if not locations:
            raise UserError(self.env._("Select the locations whose account manager to change."))
        others = locations - locations.filtered_domain(Partner._get_location_domain())
        if others:
            raise UserError(
                self.env._(
                    "Only locations (delivery addresses of customers) can be changed here, not %(partners)s.",
                    partners=", ".join(others[:5].mapped("display_name")),
                )
            )
        locations.check_access("write")
        locations._write_in_bulk({"account_manager_id": self.account_manager_id.id}, locations=True)
        return self._get_done_action(locations)

    def _get_done_action(self, locations):
        """Close the form and say what changed (the web client shows it as a notification)."""
        count = len(locations)
        changed = self.env._("1 location") if count == 1 else self.env._("%(count)s locations", count=count)
        if self.account_manager_id:
            message = self.env._(
                "%(user)s is now the account manager of %(locations)s.",
                user=self.account_manager_id.sudo().name,
                locations=changed,
            )
        else:
            message = self.env._(
                "Cleared the account manager of %(locations)s: they follow their customer's again.",
                locations=changed,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
