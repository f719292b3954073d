from odoo import api, models


class ResPartner(models.Model):
    """Input checks of the fields the capabilities add to partners (``customer.rep.input.mixin``):
    imported after every other capability, so that its ``create`` and ``write`` run first and
    the others only ever see values of the right type (a many2one as an id or False)."""

    # customer.rep.input.mixin comes with customer.rep.account.manager.mixin.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalize_customer_rep_input(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalize_customer_rep_input(vals))
