from datetime import timedelta

from odoo import fields, models


class CustomerRepHandover(models.TransientModel):
    """Handover and account teams: teams stay as they are, the covers *of* the user handing over
    end (their customers have a new manager), and their own team memberships move to the
    receiving user when asked (``include_team_memberships``)."""

    _inherit = "customer.rep.handover"  # pylint: disable=consider-merging-classes-inherited

    include_team_memberships = fields.Boolean(
        string="Team Memberships",
        default=False,
        help="Their places on other customers' account teams go to the (first) receiving user.",
    )

    def action_apply(self):
        result = super().action_apply()
        self._end_covers_of_from_user()
        if self.include_team_memberships and self.to_user_ids:
            self._move_team_memberships(self.to_user_ids[0])
        return result

    def _end_covers_of_from_user(self):
        """Covers of the user handing over end yesterday; those not begun yet are removed."""
        today = self.env["res.users"]._customer_rep_today()
        covers = self.env["customer.rep.cover"].search(
            [("user_id", "=", self.from_user_id.id), ("date_to", ">=", today)]
        )
        not_begun = covers.filtered(lambda cover: cover.date_from >= today)
        not_begun.unlink()
        (covers - not_begun).write({"date_to": today - timedelta(days=1)})

    def _move_team_memberships(self, user):
        """The user's memberships that have not ended go to ``user``; where ``user`` is on that
        team already, the membership is removed instead."""
        today = self.env["res.users"]._customer_rep_today()
        Member = self.env["customer.rep.team.member"]
        memberships = Member.search(
            [("user_id", "=", self.from_user_id.id), "|", ("date_to", "=", False), ("date_to", ">=", today)]
        )
        taken = set(
            Member.search(
                [("user_id", "=", user.id), ("partner_id", "in", memberships.partner_id.ids)]
            ).partner_id.ids
        )
        duplicate = memberships.filtered(lambda member: member.partner_id.id in taken)
        duplicate.unlink()
        (memberships - duplicate).write({"user_id": user.id})
