from odoo import api, models
from odoo.tools.misc import formatLang

# The bulk actions and the lists they belong to: the location wizard only on the Locations
# list, the bulk update of customers everywhere else (a contact stands for its customer).
MASS_UPDATE_ACTION = "customer_rep.customer_rep_mass_update_action"
LOCATION_MANAGER_ACTION = "customer_rep.customer_rep_location_manager_action"
LOCATIONS_LIST_ACTION = "customer_rep.res_partner_location_action"


class ResPartner(models.Model):
    """Bulk writes of many customers or locations at once (the bulk update and location
    wizards): one write, batched chatter logs, one summary notification per manager."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Context key of bulk writes that sync contacts and locations themselves, all at once.
    _bulk_sync_key = "customer_rep_bulk_sync"

    @api.model
    def get_views(self, views, options=None):
        """Offer each bulk action only on the list it belongs to, and the bulk update only to
        users who may edit partners (Odoo binds actions to every list of a model, by group)."""
        result = super().get_views(views, options)
        toolbar = result["views"].get("list", {}).get("toolbar")
        if toolbar and toolbar.get("action"):
            hidden = self._get_hidden_bulk_actions((options or {}).get("action_id"))
            toolbar["action"] = [action for action in toolbar["action"] if action["id"] not in hidden]
        return result

    @api.model
    def _get_hidden_bulk_actions(self, action_id):
        """Ids of the bulk actions not to offer on the list of the window action ``action_id``."""

        def action_ids(*xmlids):
            return {
                self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False)
                for xmlid in xmlids
            }

        on_locations = bool(action_id) and action_id in action_ids(LOCATIONS_LIST_ACTION)
        hidden = action_ids(MASS_UPDATE_ACTION) if on_locations else action_ids(LOCATION_MANAGER_ACTION)
        if not self.has_access("write"):
            hidden |= action_ids(MASS_UPDATE_ACTION)
        return hidden

    def _write_in_bulk(self, vals, locations=False, notify=True):
        """``write(vals)`` on thousands of partners at once, in one write:

        - each partner's chatter logs the change, all logs created in one batch;
        - the commercial fields among ``vals`` reach all their contacts and locations in one
          more write, instead of Odoo's sync of each customer's children one by one (the
          children show their customer's values and log nothing);
        - a new account manager follows the partners (in batch) and, instead of one
          notification per partner, gets one summary, as does each former account manager.

        Rights are the caller's to check first.

        :param locations: the partners are locations (wording of the summaries)
        :param notify: send the summaries (a caller that writes in several parts, as the
            handover, sends its own)
        """
        former_managers, changed, manager = {}, self.browse(), self.env["res.users"]
        if "account_manager_id" in vals:
            manager = self.env["res.users"].browse(vals["account_manager_id"])
            changed = self.filtered(lambda p: p.account_manager_id != manager)
            former_managers = changed.grouped("account_manager_id")
        bulk = self.with_context(mail_auto_subscribe_no_notify=True, **{self._bulk_sync_key: True})
        bulk._write_with_batched_tracking(vals)
        synced = {fname: value for fname, value in vals.items() if fname in self._commercial_fields()}
        customers = self.filtered("is_commercial_partner")
        if synced and customers:
            descendants = self.search(
                [("commercial_partner_id", "in", customers.ids), ("id", "not in", customers.ids)],
                order="id",
            )
            descendants.with_context(mail_notrack=True, **{self._bulk_sync_key: True}).write(synced)
        if not notify:
            return
        if changed and manager:
            changed._notify_account_manager_summary(manager, assigned=True, locations=locations)
        for former, partners in former_managers.items():
            if former:
                partners._notify_account_manager_summary(former, assigned=False, locations=locations)

    def _children_sync(self, values):
        # Bulk writes sync all the descendants at once themselves (_write_in_bulk).
        if self.env.context.get(self._bulk_sync_key):
            return None
        return super()._children_sync(values)

    def _notify_account_manager_summary(self, user, assigned, locations=False, origin="update"):
        """One notice telling ``user`` that they now manage (``assigned``) or no longer manage
        these partners, with a link to their list (``customer.rep.assignment.notice``): the
        one mechanism of the bulk update, the handover and an import (``origin``). Only the
        partners the user may see are named, listed and posted on; the subject counts all."""
        if not self or user == self.env.user or not self.env.registry.ready:
            return
        visible = self.with_user(user)._filtered_access_by_search("read").with_env(self.env)
        if not visible:
            return
        subject = self._get_account_manager_summary_subject(assigned, locations)
        if origin == "import":
            subject = self.env._(
                "%(subject)s, uploaded by %(user)s", subject=subject, user=self.env.user.name
            )
            intro = self.env._("%(user)s uploaded them by import:", user=self.env.user.name)
        else:
            intro = self.env._("%(user)s changed the account manager:", user=self.env.user.name)
        self.env["customer.rep.assignment.notice"]._send(visible, user, subject, intro, origin)

    def _get_account_manager_summary_subject(self, assigned, locations):
        """The subject of the summary notification, singular for one partner."""
        count = formatLang(self.env, len(self), digits=0)
        if len(self) == 1:
            subjects = {
                (True, True): self.env._("You are now the account manager of 1 location"),
                (True, False): self.env._("You are now the account manager of 1 customer"),
                (False, True): self.env._("You are no longer the account manager of 1 location"),
                (False, False): self.env._("You are no longer the account manager of 1 customer"),
            }
        else:
            subjects = {
                (True, True): self.env._(
                    "You are now the account manager of %(count)s locations", count=count
                ),
                (True, False): self.env._(
                    "You are now the account manager of %(count)s customers", count=count
                ),
                (False, True): self.env._(
                    "You are no longer the account manager of %(count)s locations", count=count
                ),
                (False, False): self.env._(
                    "You are no longer the account manager of %(count)s customers", count=count
                ),
            }
        return subjects[bool(assigned), bool(locations)]
