from odoo import api, models
from odoo.tools import SQL


class CustomerRepHandover(models.TransientModel):
    """How a handover moves its records: split by receiving user, then each part's customers,
    locations and quotations, activities and follower subscriptions, and the summaries."""

    _inherit = "customer.rep.handover"

    def _split_by_user(self, records, assignment):
        """{user: {"customers", "locations", "quotations", "activities"}}: everything of a
        customer goes to its receiving user; a location or quotation of a customer that does not
        move goes to the first receiving user."""
        fallback = self.to_user_ids.sorted("id")[:1]
        empty = {
            "customers": self.env["res.partner"],
            "locations": self.env["res.partner"],
            "quotations": self.env["sale.order"],
            "activities": self.env["mail.activity"],
        }
        parts = {}

        def part_of(user):
            return parts.setdefault(user, dict(empty))

        for user, customers in records["customers"].grouped(lambda c: assignment[c.id]).items():
            part_of(user)["customers"] = customers
        for user, locations in (
            records["locations"]
            .grouped(lambda loc: assignment.get(loc.commercial_partner_id.id, fallback))
            .items()
        ):
            part_of(user)["locations"] = locations
        for user, quotations in (
            records["quotations"]
            .grouped(lambda order: assignment.get(order.partner_id.commercial_partner_id.id, fallback))
            .items()
        ):
            part_of(user)["quotations"] = quotations
        target_of = self._get_activity_targets(records, parts, fallback)
        for user, activities in records["activities"].grouped(target_of).items():
            part_of(user)["activities"] = activities
        return parts

    def _get_activity_targets(self, records, parts, fallback):
        """A function giving the receiving user of an activity: the one of its record."""
        order_user = {order.id: user for user, part in parts.items() for order in part["quotations"]}
        partner_ids = {act.res_id for act in records["activities"] if act.res_model == "res.partner"}
        location_user = {loc.id: user for user, part in parts.items() for loc in part["locations"]}
        assignment = {c.id: user for user, part in parts.items() for c in part["customers"]}
        commercial = {
            partner.id: partner.commercial_partner_id.id
            for partner in self.env["res.partner"].with_context(active_test=False).browse(partner_ids)
        }

        def target_of(activity):
            if activity.res_model == "sale.order":
                return order_user.get(activity.res_id, fallback)
            return location_user.get(activity.res_id) or assignment.get(
                commercial.get(activity.res_id), fallback
            )

        return target_of

    # Writing

    def _hand_over_to(self, user, part):
        """Move one receiving user's part: batched writes, one log per record in its chatter.

        The follower subscriptions move first: the new account manager then already follows
        the records, and the writes add no follower row by row. The quotations are written
        before the customers and their logs inserted after: the one flush of the customers'
        write then updates each quotation once, for its account manager and its customer's."""
        values = {"account_manager_id": user.id}
        if self.include_followers:
            for records in (part["customers"], part["quotations"]):
                self._move_followers(records, user)
        quotations, quotation_logs = part["quotations"], None
        if quotations:
            quotations = quotations.with_context(mail_auto_subscribe_no_notify=True)
            _result, quotation_logs = quotations._write_collecting_tracking(values)
        if part["customers"]:
            part["customers"]._write_in_bulk(values, notify=False)
        if part["locations"]:
            part["locations"]._write_in_bulk(values, locations=True, notify=False)
        if quotation_logs:
            quotations._insert_tracking_logs(*quotation_logs)
        if part["activities"]:
            self._move_activities(part["activities"], user)

    def _move_activities(self, activities, user):
        """Give the activities to ``user``, who then follows their records. Set-based SQL for a
        named reason: ``mail.activity.write`` subscribes the new responsible to each activity's
        record one at a time, tens of seconds for thousands of activities; here the followers are
        added in one batch per model. Rights were checked before."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE mail_activity SET user_id = %s, write_uid = %s, write_date = %s WHERE id IN %s",
                user.id,
                self.env.uid,
                self.env.cr.now(),
                tuple(activities.ids),
            )
        )
        activities.invalidate_recordset(["user_id", "write_uid", "write_date"])
        for model, res_ids in self._group_activity_records(activities).items():
            followed = (
                self.env["mail.followers"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", model),
                        ("res_id", "in", res_ids),
                        ("partner_id", "=", user.partner_id.id),
                    ]
                )
                .mapped("res_id")
            )
            self.env[model].browse(set(res_ids) - set(followed)).message_subscribe(
                partner_ids=user.partner_id.ids
            )
        (user | self.from_user_id).filtered("active")._bus_send(
            "mail.activity/updated", {"activity_created": True}
        )

    @api.model
    def _group_activity_records(self, activities):
        """{model: [record ids]} of the activities' records."""
        grouped = {}
        for activity in activities:
            grouped.setdefault(activity.res_model, set()).add(activity.res_id)
        return {model: sorted(ids) for model, ids in grouped.items()}

    def _move_followers(self, records, user):
        """Where the from-user follows ``records``, ``user`` follows instead (with the same
        subtypes, unless they already follow)."""
        if not records:
            return
        # sudo: the followers of records the user was checked to be allowed to write.
        Followers = self.env["mail.followers"].sudo()
        mine = Followers.search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("partner_id", "=", self.from_user_id.partner_id.id),
            ]
        )
        if not mine:
            return
        already = set(
            Followers.search(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", mine.mapped("res_id")),
                    ("partner_id", "=", user.partner_id.id),
                ]
            ).mapped("res_id")
        )
        duplicates = mine.filtered(lambda follower: follower.res_id in already)
        duplicates.unlink()
        (mine - duplicates).write({"partner_id": user.partner_id.id})

    def _notify_handover(self, customers, assignment):
        """One summary per receiving user listing their new customers; one to the from-user,
        when still active, listing those they no longer manage."""
        if not customers:
            return
        for user, theirs in customers.grouped(lambda c: assignment[c.id]).items():
            theirs._notify_account_manager_summary(user, assigned=True, origin="handover")
        if self.from_user_id.active:
            customers._notify_account_manager_summary(self.from_user_id, assigned=False, origin="handover")
