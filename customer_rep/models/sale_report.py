from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    account_manager_id = fields.Many2one(comodel_name="res.users", readonly=True)
    # The columns the own-accounts rule compares with the user: grouping columns of the
    # report's query, so PostgreSQL pushes the rule down to the orders' indexes.
    customer_account_manager_id = fields.Many2one(
        string="Customer's Account Manager", comodel_name="res.users", readonly=True
    )
    prospect_account_manager_id = fields.Many2one(
        string="Prospect's Account Manager", comodel_name="res.users", readonly=True
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        for fname in ("account_manager_id", "customer_account_manager_id", "prospect_account_manager_id"):
            res[fname] = f"s.{fname}"
        return res

    def _group_by_sale(self):
        return (
            f"{super()._group_by_sale()},\n            s.account_manager_id,"
            "\n            s.customer_account_manager_id,\n            s.prospect_account_manager_id"
        )
