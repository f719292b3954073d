import importlib

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# stdnum modules validating identity numbers, by country code: (organisation, person).
IDENTITY_NUMBER_FORMATS = {
    "NO": ("stdnum.no.orgnr", "stdnum.no.fodselsnummer"),
    "SE": ("stdnum.se.orgnr", "stdnum.se.personnummer"),
    "DK": ("stdnum.dk.cvr", "stdnum.dk.cpr"),
    "FI": ("stdnum.fi.ytunnus", "stdnum.fi.hetu"),
    "IS": ("stdnum.is_.kennitala", "stdnum.is_.kennitala"),
    "EE": ("stdnum.ee.registrikood", "stdnum.ee.ik"),
}
IDENTITY_FIELDS = ("company_registry", "personal_identity_number")
# Longest identity number accepted as input (the national formats are far shorter).
IDENTITY_NUMBER_MAX_LENGTH = 64


class ResPartner(models.Model):
    """Identity numbers: a company's organisation number (Odoo's ``company_registry``) and an
    individual's personal identity number, validated with python-stdnum for the partner's
    country and stored in compact form."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    personal_identity_number = fields.Char(
        groups="customer_rep.group_personal_data",
        prefetch="customer_rep",
        copy=False,
        help="The national identity number of an individual customer (e.g. the Norwegian "
        "fødselsnummer), validated for the customer's country.",
    )

    @api.model
    def _get_customer_rep_input_fields(self):
        return {
            **super()._get_customer_rep_input_fields(),
            "company_registry": IDENTITY_NUMBER_MAX_LENGTH,
            "personal_identity_number": IDENTITY_NUMBER_MAX_LENGTH,
        }

    @api.constrains(*IDENTITY_FIELDS, "country_id")
    def _check_identity_numbers(self):
        for partner in self.sudo():
            for field_name in IDENTITY_FIELDS:
                number = partner[field_name]
                module = partner._get_identity_number_format(field_name)
                if number and module and not module.is_valid(number):
                    raise ValidationError(
                        self.env._(
                            "%(number)s is not a valid %(field)s for %(country)s: expected %(format)s.",
                            number=number,
                            field=self._fields[field_name].get_description(self.env)["string"],
                            country=partner.country_id.name,
                            format=module.__doc__.splitlines()[0].strip(". "),
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("personal_identity_number") for vals in vals_list):
            # Odoo checks the groups of fields on read and write, not on create.
            self.check_field_access_rights("create", ["personal_identity_number"])
        default_country = self.env.context.get("default_country_id")
        for vals in vals_list:
            country = self.env["res.country"].browse(vals.get("country_id", default_country))
            self._compact_identity_numbers(vals, country)
        return super().create(vals_list)

    def write(self, vals):
        if not set(IDENTITY_FIELDS) & vals.keys():
            return super().write(vals)
        if "country_id" in vals or len(self.country_id) <= 1:
            vals = dict(vals)
            self._compact_identity_numbers(
                vals, self.env["res.country"].browse(vals.get("country_id")) or self.country_id
            )
            return super().write(vals)
        # Each country compacts its numbers its own way.
        for partners in self.grouped("country_id").values():
            partner_vals = dict(vals)
            self._compact_identity_numbers(partner_vals, partners.country_id)
            super(ResPartner, partners).write(partner_vals)
        return True

    def _get_identity_number_format(self, field_name):
        """The stdnum module validating ``field_name`` for the partner's country, or None."""
        self.ensure_one()
        return self._identity_number_module(field_name, self.country_id)

    @api.model
    def _identity_number_module(self, field_name, country):
        formats = IDENTITY_NUMBER_FORMATS.get(country.code or "")
        if not formats:
            return None
        module_name = formats[IDENTITY_FIELDS.index(field_name)]
        try:
            return importlib.import_module(module_name)
        except ImportError:
            return None

    @api.model
    def _compact_identity_numbers(self, vals, country):
        """Store identity numbers in ``vals`` in their compact form for ``country``."""
        for field_name in IDENTITY_FIELDS:
            number = vals.get(field_name)
            if not isinstance(number, str):
                continue
            number = number.strip()
            module = self._identity_number_module(field_name, country)
            if module and number:
                number = module.compact(number)
            vals[field_name] = number or False
