from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """Win back lapsing customers: the daily job turns a lapse (engaged → lapsed) into an
    activity for the account manager, and engaged customers close to the end of the engagement
    window show as *lapsing soon*."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    days_until_lapse = fields.Integer(
        compute="_compute_days_until_lapse",
        groups="base.group_user",
        prefetch="customer_rep",
        help="Days until an engaged customer lapses if it orders nothing more (1: it lapses tomorrow).",
    )
    is_lapsing_soon = fields.Boolean(
        string="Lapsing Soon",
        compute="_compute_days_until_lapse",
        search="_search_is_lapsing_soon",
        groups="base.group_user",
        prefetch="customer_rep",
        help="Engaged customers that lapse within the days set in the settings (Lapsing soon).",
    )

    @api.depends("engagement_status", "last_order_date")
    def _compute_days_until_lapse(self):
        cutoff = self._get_engagement_cutoff_date()
        soon = self._get_customer_rep_setting("lapsing_soon_days")
        for partner in self:
            days = 0
            if partner.engagement_status == "engaged" and partner.last_order_date:
                days = (partner.last_order_date - cutoff).days + 1
            partner.days_until_lapse = days
            partner.is_lapsing_soon = 0 < days <= soon

    def _search_is_lapsing_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        # Lapses within N days: its last order is older than the window minus N days.
        soon_cutoff = self._get_engagement_cutoff_date() + timedelta(
            days=self._get_customer_rep_setting("lapsing_soon_days")
        )
        domain = [("engagement_status", "=", "engaged"), ("last_order_date", "<", soon_cutoff)]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.model
    def _update_engagement_status(self):
        """Schedule a win-back activity for every customer this run moves from engaged to
        lapsed (found with the same condition as the move, before it)."""
        lapsing = self._get_lapsing_customers()
        count = super()._update_engagement_status()
        if lapsing and self._get_customer_rep_setting("winback_activities"):
            lapsing._schedule_winback_activities()
        return count

    @api.model
    def _get_lapsing_customers(self):
        """The engaged customers whose last order is now outside the engagement window."""
        self.flush_model(["last_order_date", "engagement_status"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM res_partner
                    WHERE engagement_status = 'engaged' AND last_order_date < %s""",
                self._get_engagement_cutoff_date(),
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _schedule_winback_activities(self):
        """One win-back activity per customer, for its account manager, else its salesperson;
        none when it has neither (an activity needs someone to do it) or when the customer
        still has an open win-back activity.
        One create for the whole batch; the assignees are not sent an email each (they find the
        activities in their activity menu), which keeps 10,000 lapses within seconds."""
        activity_type = self._get_winback_activity_type()
        if not self or not activity_type:
            return self.env["mail.activity"]
        Activity = self.env["mail.activity"].sudo()
        open_ids = set(
            Activity.search(
                [("res_model", "=", "res.partner"), ("res_id", "in", self.ids), ("is_winback", "=", True)]
            ).mapped("res_id")
        )
        today = fields.Date.context_today(self)
        deadline = today + timedelta(days=self._get_customer_rep_setting("winback_deadline_days"))
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for customer in self:
            user = customer._get_winback_user()
            if not user or customer.id in open_ids or not customer.last_order_date:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": customer.id,
                    "activity_type_id": activity_type.id,
                    "summary": self.env._(
                        "Win back %(customer)s: no order for %(days)s days",
                        customer=customer.name,
                        days=(today - customer.last_order_date).days,
                    ),
                    "date_deadline": deadline,
                    "user_id": user.id,
                    "is_winback": True,
                }
            )
        return Activity.with_context(mail_activity_quick_update=True).create(vals_list)

    def _get_winback_user(self):
        """Who wins the customer back: its account manager, else its salesperson (active
        users only), else nobody."""
        self.ensure_one()
        for user in (self.account_manager_id, self.user_id):
            if user and user.active:
                return user
        return self.env["res.users"]

    @api.model
    def _get_winback_activity_type(self):
        type_id = self._get_customer_rep_setting("winback_activity_type_id")
        activity_type = self.env["mail.activity.type"].browse(type_id).exists() if type_id else None
        return activity_type or self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
