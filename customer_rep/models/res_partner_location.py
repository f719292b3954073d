from odoo import api, fields, models


class ResPartner(models.Model):
    """Locations: the delivery addresses of customers, listed on their own, counted and opened
    from their customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    location_count = fields.Integer(
        string="Locations",
        compute="_compute_location_count",
        help="Delivery addresses of the customer.",
    )

    def _compute_location_count(self):
        customers = self.filtered("id")
        counts = dict(
            self._read_group(
                [*self._get_location_domain(), ("commercial_partner_id", "in", customers.ids)],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.location_count = counts.get(partner._origin, 0)

    def action_view_locations(self):
        """The customer's delivery locations, in the locations list; new ones are created
        under the customer."""
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_rep.res_partner_location_action")
        action.update(
            name=self.env._("Locations of %(customer)s", customer=customer.display_name),
            domain=[*self._get_location_domain(), ("commercial_partner_id", "=", customer.id)],
            context={
                "default_parent_id": customer.id,
                "default_type": "delivery",
            },
        )
        return action

    @api.model
    def _get_location_domain(self):
        """Locations: the delivery addresses of customers."""
        return [("type", "=", "delivery"), ("parent_id", "!=", False)]
