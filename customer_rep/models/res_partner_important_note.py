from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty


class ResPartner(models.Model):
    """The important note of a customer, shown in a dialog to whoever opens the customer, its
    contacts or locations (``static/src/important_note``)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Staff only: portal users may read their own partner record (Odoo's portal rules).
    important_note = fields.Html(
        tracking=True,
        groups="base.group_user",
        prefetch="customer_rep",
        help="Shown in a dialog to everyone who opens this customer, its contacts or locations, "
        "or picks it on a sale order.",
    )
    commercial_important_note = fields.Html(
        string="Customer's Important Note",
        related="commercial_partner_id.important_note",
        tracking=False,  # tracked once, on the customer (a related field inherits tracking)
        groups="base.group_user",
        prefetch="customer_rep",
        help="The important note of this partner's customer.",
    )

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            "important_note": None,
            "commercial_important_note": None,
        }

    @api.constrains("important_note", "parent_id", "is_company")
    def _check_important_note(self):
        for partner in self:
            if not partner.is_commercial_partner and not is_html_empty(partner.important_note):
                raise ValidationError(
                    self.env._(
                        "The important note belongs to the customer: edit it on %(customer)s.",
                        customer=partner.commercial_partner_id.display_name,
                    )
                )
