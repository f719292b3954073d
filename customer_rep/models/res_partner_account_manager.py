from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column


class ResPartner(models.Model):
    """The account manager of a customer, distinct from the salesperson: its contacts and
    locations inherit it, a location may override it, and only some users may assign it."""

    _inherit = ["customer.rep.account.manager.mixin", "res.partner"]
    _name = "res.partner"
    _account_manager_notified_if_readable = True

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
        store=True,
        help="This contact or location has an account manager of its own, different from its customer's.",
    )

    @api.depends("account_manager_id", "commercial_partner_id.account_manager_id")
    def _compute_effective_account_manager_id(self):
        for partner in self:
            partner.effective_account_manager_id = (
                partner.account_manager_id or partner.commercial_partner_id.account_manager_id
            )

    @api.depends("account_manager_id", "parent_id", "is_company")
    def _compute_has_account_manager_override(self):
        for partner in self:
            partner.has_account_manager_override = bool(
                partner.account_manager_id and not partner.is_commercial_partner
            )

    @api.constrains("account_manager_id")
    def _check_account_manager_id(self):
        self._check_account_manager_users()

    def _auto_init(self):
        """At install no partner has an account manager: the computed columns are created empty
        here, so that the ORM does not compute them for every partner in Python."""
        cr = self.env.cr
        for fname, column_type in (
            ("effective_account_manager_id", "int4"),
            ("has_account_manager_override", "boolean"),
        ):
            if not column_exists(cr, self._table, fname):
                create_column(cr, self._table, fname, column_type)
        return super()._auto_init()

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("account_manager_id") for vals in vals_list):
            self._check_account_manager_assign_right()
        partners = super().create(vals_list)
        if self._get_import_assignments() is not None:
            for manager, managed in (
                partners.filtered("account_manager_id").grouped("account_manager_id").items()
            ):
                managed._collect_import_assignment(manager)
        return partners

    def write(self, vals):
        changed, previous_managers = self.browse(), {}
        if "account_manager_id" in vals:
            # Normalised to an id or False by res_partner_input (whatever form was sent).
            new_manager = self.env["res.users"].browse(vals["account_manager_id"] or [])
            changed = self.filtered(lambda p: p.account_manager_id != new_manager)
            if changed:
                self._check_account_manager_assign_right()
            previous_managers = {partner: partner.account_manager_id for partner in changed}
        result = super().write(vals)
        if changed and self._get_import_assignments() is not None:
            # An import batch tells each manager once, after the batch (res_partner_import).
            changed._collect_import_assignment(changed[:1].account_manager_id, previous_managers)
            return result
        changed._notify_account_manager_removed(previous_managers)
        return result

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
            if not partner._is_readable_by(former):
                continue  # no notice names a customer its reader may not see (any more)
            partner._get_notification_sender().message_notify(
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
