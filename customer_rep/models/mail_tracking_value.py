from odoo import api, models
from odoo.tools import html2plaintext


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    @api.model
    def _create_tracking_values(self, initial_value, new_value, col_name, col_info, record):
        """Track html fields (the customer's important note) as their plain text: mail does not."""
        if col_info["type"] != "html":
            return super()._create_tracking_values(initial_value, new_value, col_name, col_info, record)
        field = self.env["ir.model.fields"]._get(record._name, col_name)
        return {
            "field_id": field.id,
            "old_value_char": html2plaintext(initial_value or "").strip(),
            "new_value_char": html2plaintext(new_value or "").strip(),
        }
