from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    account_manager_id = fields.Many2one(comodel_name="res.users", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["account_manager_id"] = "s.account_manager_id"
        return res

    def _group_by_sale(self):
        return f"{super()._group_by_sale()},\n            s.account_manager_id"
