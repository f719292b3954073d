from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, is_html_empty
from odoo.tools.sql import column_exists, create_column

ASSIGN_GROUP = "customer_rep.group_assign_account_manager"
OWN_ACCOUNTS_GROUP = "customer_rep.group_own_accounts"


def account_manager_followers(records, updated_values, default_subtype_ids):
    """Follower data for ``_message_auto_subscribe_followers``: a user made account manager
    follows the record and is told of the assignment, as Odoo does for the salesperson."""
    user_id = updated_values.get("account_manager_id")
    if not user_id:
        return []
    user = records.env["res.users"].sudo().browse(user_id)
    if not user.active:
        return []
    template = "mail.message_user_assigned" if user != records.env.user else False
    return [(user.partner_id.id, default_subtype_ids, template)]


class ResPartner(models.Model):
    _inherit = "res.partner"

    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        domain="[('share', '=', False)]",
        help="The customer's account manager, distinct from the salesperson. "
        "On a delivery location it overrides the customer's account manager; "
        "empty means the location follows its customer.",
    )
    effective_account_manager_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_effective_account_manager_id",
        store=True,
        index=True,
        help="The partner's own account manager when set, otherwise its customer's.",
    )
    has_account_manager_override = fields.Boolean(
        string="Overrides Account Manager",
        compute="_compute_has_account_manager_override",
        search="_search_has_account_manager_override",
        help="This contact or location has an account manager of its own, different from its customer's.",
    )
    is_customer_account = fields.Boolean(
        string="Belongs to a Customer",
        compute="_compute_is_customer_account",
        store=True,
        help="The partner's customer (its commercial partner) has a customer rank or an account "
        "manager. Users restricted to their own accounts only see such partners when they manage them.",
    )
    important_note = fields.Html(
        tracking=True,
        help="Shown in a dialog to everyone who opens this customer, its contacts or locations, "
        "or picks it on a sale order.",
    )
    commercial_important_note = fields.Html(
        string="Customer's Important Note",
        related="commercial_partner_id.important_note",
        help="The important note of this partner's customer.",
    )

    @api.depends("account_manager_id", "commercial_partner_id.account_manager_id")
    def _compute_effective_account_manager_id(self):
        for partner in self:
            partner.effective_account_manager_id = (
                partner.account_manager_id or partner.commercial_partner_id.account_manager_id
            )

    def _auto_init(self):
        # Fill the new column in one statement instead of a computation per batch of records:
        # the register holds hundreds of thousands of partners.
        cr = self.env.cr
        if not column_exists(cr, "res_partner", "is_customer_account"):
            create_column(cr, "res_partner", "is_customer_account", "boolean")
            managed = (
                SQL("OR commercial.account_manager_id IS NOT NULL")
                if column_exists(cr, "res_partner", "account_manager_id")
                else SQL()
            )
            cr.execute(
                SQL(
                    """UPDATE res_partner partner
                          SET is_customer_account = (commercial.customer_rank > 0 %s)
                         FROM res_partner commercial
                        WHERE commercial.id = COALESCE(partner.commercial_partner_id, partner.id)""",
                    managed,
                )
            )
        return super()._auto_init()

    @api.depends("commercial_partner_id.customer_rank", "commercial_partner_id.account_manager_id")
    def _compute_is_customer_account(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.is_customer_account = bool(commercial.customer_rank > 0 or commercial.account_manager_id)

    @api.depends("account_manager_id", "commercial_partner_id")
    def _compute_has_account_manager_override(self):
        for partner in self:
            partner.has_account_manager_override = bool(
                partner.account_manager_id and partner.commercial_partner_id != partner
            )

    def _search_has_account_manager_override(self, operator, value):
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Unsupported search on overrides: %(op)s", op=operator))
        positive = (operator == "=") == bool(value)
        domain = [
            ("account_manager_id", "!=", False),
            ("parent_id", "!=", False),
            ("is_company", "=", False),
        ]
        return domain if positive else ["!", "&", "&", *domain]

    @api.constrains("account_manager_id")
    def _check_account_manager_id(self):
        for partner in self:
            user = partner.account_manager_id
            if user and (user.share or not user.active):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be the account manager of %(partner)s: "
                        "only active internal users can be account managers.",
                        user=user.sudo().name,
                        partner=partner.display_name,
                    )
                )

    @api.constrains("important_note", "parent_id", "is_company")
    def _check_important_note(self):
        for partner in self:
            if partner.commercial_partner_id != partner and not is_html_empty(partner.important_note):
                raise ValidationError(
                    self.env._(
                        "The important note belongs to the customer: edit it on %(customer)s.",
                        customer=partner.commercial_partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("account_manager_id") for vals in vals_list):
            self._check_account_manager_assign_right()
        self._assign_own_accounts_creator(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if "account_manager_id" not in vals:
            return super().write(vals)
        new_manager = self.env["res.users"].browse(vals["account_manager_id"])
        changed = self.filtered(lambda p: p.account_manager_id != new_manager)
        if changed:
            self._check_account_manager_assign_right()
        previous = {partner: partner.account_manager_id for partner in changed}
        result = super().write(vals)
        changed._notify_account_manager_removed(previous)
        return result

    def _increase_rank(self, field, n=1):
        # account raises ranks in SQL and only invalidates the cache: recompute what follows them.
        result = super()._increase_rank(field, n)
        if field == "customer_rank":
            self.modified([field])
        return result

    @api.model
    def _assign_own_accounts_creator(self, vals_list):
        """A user restricted to their own accounts becomes the account manager of the customers
        they create: otherwise the customer would vanish from their sight as soon as it gets a
        customer rank. Contacts and locations follow their customer; vendors stay nobody's."""
        if self.env.su or not self.env.user.has_group(OWN_ACCOUNTS_GROUP):
            return
        for vals in vals_list:
            if vals.get("account_manager_id") or vals.get(
                "parent_id", self.env.context.get("default_parent_id")
            ):
                continue
            is_vendor = (
                vals.get("supplier_rank", 0) > 0
                or self.env.context.get("res_partner_search_mode") == "supplier"
            )
            if not is_vendor:
                vals["account_manager_id"] = self.env.uid

    def _check_account_manager_assign_right(self):
        """Refuse to set account managers unless the user holds the assign right."""
        if self.env.su or self.env.user.has_group(ASSIGN_GROUP):
            return
        raise AccessError(
            self.env._(
                "You are not allowed to assign account managers. "
                "Ask a sales administrator for the right “Assign account managers”."
            )
        )

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        res = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        return res + account_manager_followers(self, updated_values, default_subtype_ids)

    def _notify_account_manager_removed(self, previous):
        """Tell former account managers that they no longer manage the partner.

        :param previous: {partner: former account manager (res.users)}
        """
        if not self.env.registry.ready or self.env.context.get("mail_auto_subscribe_no_notify"):
            return
        for partner in self:
            former = previous.get(partner)
            if not former or former in (partner.account_manager_id, self.env.user):
                continue
            partner.message_notify(
                partner_ids=former.partner_id.ids,
                subject=self.env._(
                    "You are no longer the account manager of %(partner)s",
                    partner=partner.display_name,
                ),
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s changed the account manager of %(partner)s: "
                    "you are no longer its account manager.",
                    user=self.env.user.name,
                    partner=partner.display_name,
                ),
                record_name=partner.display_name,
                email_layout_xmlid="mail.mail_notification_light",
            )
