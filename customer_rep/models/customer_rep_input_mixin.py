from odoo import api, models
from odoo.exceptions import ValidationError

# Field types whose values must be text.
TEXT_TYPES = ("char", "text", "html")


class CustomerRepInputMixin(models.AbstractModel):
    """Clear refusals of wrong input for the fields the addon adds.

    Odoo turns a wrong type or an unknown selection value into a traceback (``ValueError``,
    XML-RPC fault 1), stores a list given for a many2one as empty and a list given for a char
    as its text. Models list the fields they own in ``_get_customer_rep_input_fields`` and call
    ``_normalize_customer_rep_input(vals)`` first thing in ``create`` and ``write``: values of
    the wrong type are refused with a ``ValidationError`` naming the field, before anything is
    written; a many2one given as ``read`` returns it (``[id, name]``) or as ``[id]`` is taken
    as its id."""

    _name = "customer.rep.input.mixin"
    _description = "Customer Register Input Checks"

    @api.model
    def _get_customer_rep_input_fields(self):
        """{field name: maximum length of its text, or None} of the fields checked on input."""
        return {}

    @api.model
    def _normalize_customer_rep_input(self, vals):
        """A copy of ``vals`` with checked many2one values as plain ids; raises
        ``ValidationError`` naming the field for a value of the wrong type or unknown."""
        checked = self._get_customer_rep_input_fields()
        if not checked.keys() & vals.keys():
            return vals
        vals = dict(vals)
        for fname in checked.keys() & vals.keys():
            vals[fname] = self._normalize_customer_rep_value(fname, vals[fname], checked[fname])
        return vals

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        """``value`` checked for the field ``fname`` (a many2one as its id)."""
        field = self._fields[fname]
        if field.type == "many2one":
            return self._normalize_customer_rep_many2one(field, value)
        if value is None or (value is False and field.type not in ("integer", "boolean")):
            if field.required:
                raise ValidationError(
                    self.env._("%(field)s is required.", field=self._get_customer_rep_field_label(field))
                )
            return False
        if field.type in TEXT_TYPES:
            self._check_customer_rep_text(field, value, max_length)
        elif field.type == "selection":
            allowed = [key for key, _label in field._description_selection(self.env)]
            if not isinstance(value, str) or value not in allowed:
                self._raise_customer_rep_input(field, value, ", ".join(allowed))
        elif field.type == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
            self._raise_customer_rep_input(field, value, self.env._("a whole number"))
        elif field.type == "boolean" and not isinstance(value, bool):
            self._raise_customer_rep_input(field, value, self.env._("true or false"))
        return value

    @api.model
    def _check_customer_rep_text(self, field, value, max_length):
        if not isinstance(value, str):
            self._raise_customer_rep_input(field, value, self.env._("a text"))
        if max_length and len(value) > max_length:
            raise ValidationError(
                self.env._(
                    "%(field)s is too long: at most %(max)s characters, got %(length)s.",
                    field=self._get_customer_rep_field_label(field),
                    max=max_length,
                    length=len(value),
                )
            )

    @api.model
    def _normalize_customer_rep_many2one(self, field, value):
        """The id named by ``value`` (an id, ``[id]``, ``[id, name]``, a record, False), which
        must exist; raises ValidationError otherwise."""
        if value is None or value is False:
            return False
        if isinstance(value, models.BaseModel) and len(value) <= 1 and value._name == field.comodel_name:
            return value.id
        if isinstance(value, (list, tuple)) and (
            len(value) == 1 or (len(value) == 2 and isinstance(value[1], str))
        ):
            value = value[0]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self._raise_customer_rep_input(
                field, value, self.env._("the id of one %(model)s", model=self._get_comodel_label(field))
            )
        if not self.env[field.comodel_name].sudo().browse(value).exists():
            raise ValidationError(
                self.env._(
                    "%(field)s: there is no %(model)s with id %(id)s.",
                    field=self._get_customer_rep_field_label(field),
                    model=self._get_comodel_label(field),
                    id=value,
                )
            )
        return value

    @api.model
    def _get_customer_rep_active_ids(self):
        """The ids of the selected records (context ``active_ids``), refused clearly when they
        are no list of ids."""
        active_ids = self.env.context.get("active_ids") or []
        if not isinstance(active_ids, (list, tuple)) or not all(
            isinstance(record_id, int) and not isinstance(record_id, bool) and record_id > 0
            for record_id in active_ids
        ):
            raise ValidationError(
                self.env._(
                    "The selection (active_ids) must be a list of record ids, got %(value)s.",
                    value=repr(active_ids)[:80],
                )
            )
        return active_ids

    @api.model
    def _get_comodel_label(self, field):
        return self.env["ir.model"]._get(field.comodel_name).name or field.comodel_name

    @api.model
    def _get_customer_rep_field_label(self, field):
        return field.get_description(self.env)["string"]

    @api.model
    def _raise_customer_rep_input(self, field, value, expected):
        shown = repr(value)
        raise ValidationError(
            self.env._(
                "Wrong value for %(field)s: %(value)s. Expected %(expected)s.",
                field=self._get_customer_rep_field_label(field),
                value=shown if len(shown) <= 80 else shown[:77] + "...",
                expected=expected,
            )
        )
