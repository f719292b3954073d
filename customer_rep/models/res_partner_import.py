from collections import defaultdict

from odoo import api, models

# Context key holding, during one import batch (one ``load``), the account manager changes
# it makes: {"assigned": {user id: {partner ids}}, "removed": {user id: {partner ids}}}.
IMPORT_ASSIGNMENTS_KEY = "customer_rep_import_assignments"


class ResPartner(models.Model):
    """Uploading a customer register through Odoo's import (``base_import``, which calls
    ``load`` once per batch with ``import_file`` in the context): its templates, and one summary
    notice per account manager and batch instead of one notice per customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def get_import_templates(self):
        """The templates offered in the import dialog (``static/xls/``)."""
        return [
            {
                "label": self.env._("Import Template for Customers"),
                "template": "/customer_rep/static/xls/customer_rep_customers.xlsx",
            },
            {
                "label": self.env._("Import Template for Locations"),
                "template": "/customer_rep/static/xls/customer_rep_locations.xlsx",
            },
        ]

    def load(self, fields, data):
        """An import batch collects the account manager changes it makes (``create`` and
        ``write`` of ``res_partner_account_manager``) and, when it is not refused, subscribes the
        new account managers in one go and sends one summary per account manager: refused
        batches are rolled back by ``load`` and tell nobody."""
        if (
            not self.env.context.get("import_file")
            or self.env.context.get(IMPORT_ASSIGNMENTS_KEY) is not None
        ):
            return super().load(fields, data)
        assignments = {"assigned": defaultdict(set), "removed": defaultdict(set)}
        result = super(ResPartner, self.with_context(**{IMPORT_ASSIGNMENTS_KEY: assignments})).load(
            fields, data
        )
        if result.get("ids"):
            self._notify_imported_assignments(assignments)
        else:
            result["messages"] = self._drop_batch_error_copies(result["messages"])
        return result

    @api.model
    def _drop_batch_error_copies(self, messages):
        """Odoo's ``load`` reports the error of a refused batch twice: once at the row of the
        faulty record, once more at the batch's first row (from its first, whole-batch try).
        Keep only the one at the right row, so that the dialog points at the faulty row."""
        texts = [message.get("message") for message in messages]
        return [
            message
            for index, message in enumerate(messages)
            if not (index == 0 and message.get("type") == "error" and texts.count(message.get("message")) > 1)
        ]

    def _convert_records(self, records, log=lambda a: None):
        """An empty cell of a field that has a default (billing status, payment basis date)
        keeps the default of a new customer, or the value of one updated, instead of being
        refused as a required field left empty."""
        defaulted = self._get_import_defaulted_fields()
        for dbid, xid, record, info in super()._convert_records(records, log=log):
            for fname in defaulted:
                if fname in record and not record[fname]:
                    del record[fname]
            yield dbid, xid, record, info

    @api.model
    def _get_import_defaulted_fields(self):
        """The fields whose empty cells an import leaves out (see ``_convert_records``)."""
        return ["billing_status", "payment_basis_date"]

    @api.model
    def _get_import_assignments(self):
        """The account manager changes of the running import batch, or None outside one."""
        return self.env.context.get(IMPORT_ASSIGNMENTS_KEY)

    def _collect_import_assignment(self, user, previous=None):
        """Note that these partners were given ``user`` as account manager by the running
        import batch (``previous``: {partner: former account manager}, for updates)."""
        assignments = self._get_import_assignments()
        if user:
            assignments["assigned"][user.id].update(self.ids)
        for partner, former in (previous or {}).items():
            if former:
                assignments["removed"][former.id].add(partner.id)

    @api.model
    def _notify_imported_assignments(self, assignments):
        """After an import batch: each new account manager follows the partners given to them
        that they may read (one insert), and each account manager, new or former, gets one
        summary of their customers and one of their locations."""
        Partner = self.with_context(**{IMPORT_ASSIGNMENTS_KEY: None})
        Users = self.env["res.users"].sudo()
        default_subtypes = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(self._name)[1]
        for user_id, partner_ids in assignments["assigned"].items():
            user = Users.browse(user_id)
            partners = Partner.browse(sorted(partner_ids)).filtered(
                lambda p, u=user: p.account_manager_id == u
            )
            visible = partners.with_user(user)._filtered_access_by_search("read").with_env(Partner.env)
            if visible and user.active:
                self.env["mail.followers"]._insert_followers(
                    self._name,
                    visible.ids,
                    user.partner_id.ids,
                    subtypes={user.partner_id.id: default_subtypes},
                    check_existing=True,
                    existing_policy="skip",
                )
            Partner._notify_imported_summaries(partners, user, assigned=True)
        for user_id, partner_ids in assignments["removed"].items():
            user = Users.browse(user_id)
            partners = Partner.browse(sorted(partner_ids)).filtered(
                lambda p, u=user: p.account_manager_id != u
            )
            if user.active:
                Partner._notify_imported_summaries(partners, user, assigned=False)

    @api.model
    def _notify_imported_summaries(self, partners, user, assigned):
        """One summary for the customers, one for the locations (contacts with an account
        manager of their own) among ``partners``."""
        customers = partners.filtered("is_commercial_partner")
        for group, locations in ((customers, False), (partners - customers, True)):
            group._notify_account_manager_summary(
                user, assigned=assigned, locations=locations, origin="import"
            )
