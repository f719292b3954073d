from odoo import fields, models


class ResPartner(models.Model):
    """Following a customer means hearing of its changes: tracked changes are posted under the
    subtype "Customer Updated" (``customer_rep.mt_customer_updated``, internal, on by default),
    so that followers get them in their inbox, instead of the silent note Odoo logs."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    property_payment_term_id = fields.Many2one(tracking=True)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if self._is_customer_update(init_values):
            return self.env.ref("customer_rep.mt_customer_updated")
        return super()._track_subtype(init_values)

    def _is_customer_update(self, changed_fields):
        """Whether changes of ``changed_fields`` are posted under "Customer Updated": those of
        every tracked field (account manager, billing status, payment terms and basis date,
        important note, address, phone, e-mail, and Odoo's own)."""
        return bool(set(changed_fields) & set(self._track_get_fields()))

    def _get_bulk_tracking_subtype(self):
        # Bulk updates notify each customer's followers too (mail_thread.py).
        return self.env.ref("customer_rep.mt_customer_updated")
