from odoo import api, models


class IrFieldsConverter(models.AbstractModel):
    _inherit = "ir.fields.converter"

    @api.model
    def db_id_for(self, model, field, subfield, value):
        """An import batch names the account managers of thousands of rows among a few users:
        each name is looked up once per batch (in the cache ``load`` keeps for external ids),
        not once per row, which made the account manager column cost as much as the rest of
        a customer. Errors are not cached: every faulty row is reported."""
        cache = self.env.context.get("import_cache")
        if cache is None or subfield is not None or not self._is_account_manager_field(field):
            return super().db_id_for(model, field, subfield, value)
        key = ("customer_rep.account_manager_id", value)
        if key not in cache:
            cache[key] = super().db_id_for(model, field, subfield, value)
        record_id, field_type, warnings = cache[key]
        return record_id, field_type, list(warnings)

    @api.model
    def _is_account_manager_field(self, field):
        """Whether ``field`` is an account manager field of the addon (a user, by name)."""
        return field.name == "account_manager_id" and field.comodel_name == "res.users"
