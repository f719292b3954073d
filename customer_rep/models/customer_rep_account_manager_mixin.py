from odoo import SUPERUSER_ID, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression


class CustomerRepAccountManagerMixin(models.AbstractModel):
    """What customers (``res.partner``) and orders (``sale.order``) share about their
    ``account_manager_id``: who may be one, who may assign one, who follows the record and who
    sends the notices. The models declare the field themselves (a plain field on partners, a
    computed one on orders)."""

    # Models list this mixin first in their _inherit, so that it comes before mail.thread in
    # their MRO and its mail.thread overrides below run.
    _name = "customer.rep.account.manager.mixin"
    _inherit = "customer.rep.input.mixin"
    _description = "Account Manager Mixin"

    _assign_group = "customer_rep.group_assign_account_manager"
    # Whether a user made account manager of a record they may not read is left unsubscribed
    # and untold (partners: no notice names a customer its reader may not see).
    _account_manager_notified_if_readable = False

    @api.model
    def _can_be_account_manager(self, user):
        """Only active internal users can be account managers."""
        return bool(user) and user.active and not user.share

    @api.model
    def _get_customer_rep_input_fields(self):
        return {**super()._get_customer_rep_input_fields(), "account_manager_id": None}

    @api.model
    def _normalize_customer_rep_value(self, fname, value, max_length=None):
        """An account manager is given as one active internal user (an id, ``[id]`` or
        ``[id, name]``), or empty (False) to remove it; anything else is refused by name."""
        value = super()._normalize_customer_rep_value(fname, value, max_length)
        if fname == "account_manager_id" and value:
            user = self.env["res.users"].sudo().browse(value)
            if not self._can_be_account_manager(user):
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(user)s cannot be an account manager: only active internal "
                        "users can be account managers.",
                        field=self._get_customer_rep_field_label(self._fields[fname]),
                        user=user.name,
                    )
                )
        return value

    def _check_account_manager_users(self):
        """Refuse records whose account manager is not an active internal user, naming the user
        and the record."""
        for record in self:
            user = record.account_manager_id.sudo()
            if user and not self._can_be_account_manager(user):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be the account manager of %(partner)s: "
                        "only active internal users can be account managers.",
                        user=user.name,
                        partner=record.display_name,
                    )
                )

    @api.model
    def _may_assign_account_manager(self):
        """Whether the user may set account managers (the assign right)."""
        return self.env.su or self.env.user.has_group(self._assign_group)

    def _check_account_manager_assign_right(self):
        """Refuse to set account managers unless the user holds the assign right."""
        if self._may_assign_account_manager():
            return
        raise AccessError(
            self.env._(
                "You are not allowed to assign account managers. "
                "Ask a sales administrator for the right “Assign account managers”."
            )
        )

    def _is_readable_by(self, user):
        """Whether ``user`` may read all these records (record rules included)."""
        return len(self.with_user(user)._filtered_access_by_search("read")) == len(self)

    def _filtered_access_by_search(self, operation):
        """The records of ``self`` on which the user may perform ``operation``, as
        ``_filtered_access`` returns them, for thousands of records at once: PostgreSQL
        evaluates the record rules as one WHERE clause on these ids (through the rules'
        indexes), where ``_filtered_access`` evaluates them in Python on each record."""
        if self.env.su or not self:
            return self
        if not self.browse().has_access(operation):
            return self.browse()
        domain = self.env["ir.rule"]._compute_domain(self._name, operation)
        if not domain:
            return self
        allowed = set(
            self.sudo()
            .with_context(active_test=False)
            .search(expression.AND([[("id", "in", self.ids)], domain]), order="id")
            .ids
        )
        return self.filtered(lambda record: record.id in allowed)

    def _check_access_by_search(self, operation):
        """``check_access(operation)`` for thousands of records at once (see
        ``_filtered_access_by_search``): raises AccessError unless the user may perform
        ``operation`` on all of them."""
        self.browse().check_access(operation)
        forbidden = self - self._filtered_access_by_search(operation)
        if forbidden:
            raise self.env["ir.rule"]._make_access_error(operation, forbidden)

    def _get_notification_sender(self):
        """These records as the author of their notifications: the current user, or OdooBot
        when the user has no email address. Odoo refuses to send a notification without the
        author's address, and assigning an account manager must not fail for it."""
        if self.env.user.email:
            return self
        return self.with_user(SUPERUSER_ID)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """A user made account manager follows the record and is told of the assignment, as
        Odoo does for the salesperson."""
        res = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        user_id = updated_values.get("account_manager_id")
        if not user_id:
            return res
        if self._get_import_assignments() is not None:
            # An import batch subscribes and tells each manager once, after the batch.
            return res
        user = self.env["res.users"].sudo().browse(user_id)
        if not user.active or (self._account_manager_notified_if_readable and not self._is_readable_by(user)):
            # No follower and no notice naming a record the user may not see (a location of
            # another rep's customer overridden to an own-accounts rep).
            return res
        template = "customer_rep.message_account_manager_assigned" if user != self.env.user else False
        return [*res, (user.partner_id.id, default_subtype_ids, template)]

    @api.model
    def _get_import_assignments(self):
        """The account manager changes of the running import batch, for models that tell each
        manager once per batch (partners, ``res_partner_import``); None: tell as usual."""
        return None

    def _message_auto_subscribe_notify(self, partner_ids, template):
        return super(
            CustomerRepAccountManagerMixin, self._get_notification_sender()
        )._message_auto_subscribe_notify(partner_ids, template)
