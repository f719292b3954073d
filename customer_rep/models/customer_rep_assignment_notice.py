from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import formatLang

# Partners named in the body of a summary notice; the others are counted and in its list.
NAMES_SHOWN = 20


class CustomerRepAssignmentNotice(models.Model):
    """One summary notice telling a user that they now manage (or no longer manage) many
    customers or locations at once: sent by the bulk update, the handover and an import (one
    per account manager and import batch), instead of one notice per partner. The record keeps
    the partners it is about, so that the notice links to their list."""

    _name = "customer.rep.assignment.notice"
    _description = "Account Manager Summary Notice"
    _order = "id desc"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Told",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        help="The user the notice was sent to.",
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="customer_rep_assignment_notice_partner_rel",
        column1="notice_id",
        column2="partner_id",
        string="Partners",
        readonly=True,
        help="The customers or locations the notice is about (those the user may see).",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Number of Partners")
    subject = fields.Char(readonly=True, help="The subject of the notice.")
    origin = fields.Selection(
        selection=[("update", "Bulk update"), ("handover", "Handover"), ("import", "Import")],
        required=True,
        readonly=True,
        help="What changed the account manager of the partners.",
    )

    @api.depends("partner_ids")
    def _compute_partner_count(self):
        for notice in self:
            notice.partner_count = len(notice.partner_ids)

    @api.depends("subject")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = notice.subject or notice._description

    def action_open_partners(self):
        """The partners of the notice as a list (those the reader may see)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.subject,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.partner_ids.ids)],
            "context": {"create": False},
        }

    @api.model
    def _send(self, partners, user, subject, intro, origin):
        """Tell ``user`` in one notice about ``partners`` (those ``user`` may read; the caller
        filtered them): a message naming the first of them, with a link to the list of all,
        posted through mail.thread on the first partner so that the user's inbox updates live.
        Returns the notice."""
        notice = self.sudo().create(
            {
                "user_id": user.id,
                "partner_ids": [fields.Command.set(partners.ids)],
                "subject": subject,
                "origin": origin,
            }
        )
        shown = partners[:NAMES_SHOWN]
        items = Markup().join(Markup("<li>%s</li>") % name for name in shown.mapped("display_name"))
        more = (
            Markup("<p>%s</p>") % self.env._("… and %(count)s more.", count=len(partners) - len(shown))
            if len(partners) > len(shown)
            else Markup()
        )
        link = Markup('<p><a href="/odoo/%s/%s">%s</a></p>') % (
            self._name,
            notice.id,
            self.env._("See the list of all %(count)s", count=formatLang(self.env, len(partners), digits=0)),
        )
        shown[0]._get_notification_sender().message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=Markup("<p>%s</p><p>%s</p><ul>%s</ul>%s%s") % (intro, subject, items, more, link),
            record_name=shown[0].display_name,
            email_layout_xmlid="mail.mail_notification_light",
        )
        return notice
