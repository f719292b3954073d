from markupsafe import Markup

from odoo import api, models


class MailActivity(models.Model):
    """An activity assigned to a user who is away (a current ``customer.rep.cover``) goes to the
    colleague covering them, with a line saying for whom; win-back activities too. Activities
    assigned before or after the cover are left as they are."""

    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        user_ids = {vals.get("user_id") for vals in vals_list if isinstance(vals.get("user_id"), int)}
        covers = self.env["customer.rep.cover"]._get_current_covers(self.env["res.users"].browse(user_ids))
        if covers:
            cover_of = {}
            for cover in covers:  # the cover ending last (then the first made) takes them
                cover_of.setdefault(cover.user_id.id, cover)
            for vals in vals_list:
                cover = cover_of.get(vals.get("user_id"))
                if cover:
                    vals["user_id"] = cover.cover_user_id.id
                    line = Markup("<p><em>%s</em></p>") % self.env._(
                        "For %(user)s, who is away until %(date)s: you cover them.",
                        user=cover.user_id.name,
                        date=cover.date_to,
                    )
                    vals["note"] = line + Markup(vals.get("note") or "")
        return super().create(vals_list)
