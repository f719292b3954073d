from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_partner import account_manager_followers


class SaleOrder(models.Model):
    _inherit = "sale.order"

    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_account_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        domain="[('share', '=', False)]",
        help="Follows the delivery address's account manager (a location override wins), "
        "else the customer's, while the order is a quotation. It can be changed on the order.",
    )

    @api.depends("partner_id", "partner_shipping_id")
    def _compute_account_manager_id(self):
        for order in self:
            if order._origin.id and order.state not in ("draft", "sent"):
                continue  # confirmed and cancelled orders keep their manager
            order.account_manager_id = order._get_default_account_manager()

    def _get_default_account_manager(self):
        """The account manager a quotation gets from its customer and delivery address."""
        self.ensure_one()
        return (
            self.partner_shipping_id.effective_account_manager_id
            or self.partner_id.effective_account_manager_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._subscribe_account_managers()
        return orders

    def action_confirm(self):
        self._check_customer_not_archived()
        return super().action_confirm()

    def _check_customer_not_archived(self):
        """Refuse orders whose customer (or ordering contact) is archived."""
        for order in self:
            archived = (order.partner_id | order.partner_id.commercial_partner_id).filtered(
                lambda p: not p.active
            )
            if archived:
                raise UserError(
                    self.env._(
                        "The order %(order)s cannot be confirmed: its customer %(customer)s is archived. "
                        "Unarchive the customer first.",
                        order=order.name,
                        customer=archived[0].display_name,
                    )
                )

    def _subscribe_account_managers(self):
        """The account managers of the order and of its customer follow the order."""
        for order in self:
            users = order.account_manager_id | order.partner_id.commercial_partner_id.account_manager_id
            users = users.filtered("active")
            if users:
                order.message_subscribe(partner_ids=users.partner_id.ids)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        res = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        return res + account_manager_followers(self, updated_values, default_subtype_ids)
