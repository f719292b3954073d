from markupsafe import Markup

from odoo import models


class ResPartner(models.Model):
    """Bulk writes of many customers or locations at once (the bulk update and location
    wizards): one write, batched chatter logs, one summary notification per manager."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # Context key of bulk writes that sync contacts and locations themselves, all at once.
    _bulk_sync_key = "customer_rep_bulk_sync"
    # Partners named in a summary notification of a bulk account manager change.
    _summary_names_shown = 20

    def _write_in_bulk(self, vals, locations=False):
        """``write(vals)`` on thousands of partners at once, in one write:

        - each partner's chatter logs the change, all logs created in one batch;
        - the commercial fields among ``vals`` reach all their contacts and locations in one
          more write, instead of Odoo's sync of each customer's children one by one (the
          children show their customer's values and log nothing);
        - a new account manager follows the partners (in batch) and, instead of one
          notification per partner, gets one summary, as does each former account manager.

        Rights are the caller's to check first.

        :param locations: the partners are locations (wording of the summaries)
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
                [("commercial_partner_id", "in", customers.ids), ("id", "not in", customers.ids)]
            )
            descendants.with_context(mail_notrack=True, **{self._bulk_sync_key: True}).write(synced)
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

    def _notify_account_manager_summary(self, user, assigned, locations=False):
        """One notification telling ``user`` that they now manage (``assigned``) or no longer
        manage these partners, posted on the first of them."""
        if not self or user == self.env.user or not self.env.registry.ready:
            return
        count = len(self)
        if assigned and locations:
            subject = self.env._("You are now the account manager of %(count)s locations", count=count)
        elif assigned:
            subject = self.env._("You are now the account manager of %(count)s customers", count=count)
        elif locations:
            subject = self.env._("You are no longer the account manager of %(count)s locations", count=count)
        else:
            subject = self.env._("You are no longer the account manager of %(count)s customers", count=count)
        shown = self[: self._summary_names_shown]
        items = Markup().join(Markup("<li>%s</li>") % name for name in shown.mapped("display_name"))
        more = (
            Markup("<p>%s</p>") % self.env._("… and %(count)s more.", count=count - len(shown))
            if count > len(shown)
            else Markup()
        )
        intro = self.env._("%(user)s changed the account manager:", user=self.env.user.name)
        self[0]._get_notification_sender().message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=Markup("<p>%s</p><p>%s</p><ul>%s</ul>%s") % (intro, subject, items, more),
            record_name=self[0].display_name,
            email_layout_xmlid="mail.mail_notification_light",
        )
