from odoo import api, models
from odoo.exceptions import AccessError

# Permission levels of the customer register beyond "Own accounts only" and "Assign account
# managers" (security/customer_rep_security.xml).
DELETE_CUSTOMERS_GROUP = "customer_rep.group_delete_customers"


class ResPartner(models.Model):
    """Permission levels: *Edit own accounts only* (every customer visible, only one's own
    editable: record rules for writing, creating and deleting, AND-ed with the member's other
    rules by ``models/ir_rule.py``, which also says why a write is refused) and *Delete
    customers* (only its members and Settings administrators delete customers)."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.ondelete(at_uninstall=False)
    def _unlink_except_without_delete_right(self):
        if self.env.su or self._can_delete_customers():
            return
        customers = self.filtered(lambda partner: partner._is_customer())
        if customers:
            raise AccessError(
                self.env._(
                    "You are not allowed to delete the customer %(customers)s: it takes the right "
                    "“Delete customers”. Archive the customer instead, or ask an administrator.",
                    customers=", ".join(customers[:5].mapped("display_name")),
                )
            )

    @api.model
    def _can_delete_customers(self):
        """Members of *Delete customers* and Settings administrators may delete customers."""
        user = self.env.user
        return user.has_group(DELETE_CUSTOMERS_GROUP) or user.has_group("base.group_system")
