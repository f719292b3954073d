from odoo import api, fields, models


class ResUsers(models.Model):
    """Account teams and covers, as the own-accounts record rules see them: which account
    managers' customers a user has today (their own and those of the colleagues they cover) and
    which customers' teams they are on today. The rules in ``security/customer_rep_security.xml``
    compare these ids with stored, indexed columns (``customer_account_manager_id``,
    ``commercial_partner_id``, ``sale_order.partner_id``), so an index still answers them."""

    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    team_member_ids = fields.One2many(
        comodel_name="customer.rep.team.member",
        inverse_name="user_id",
        string="Account Teams",
        groups="base.group_user",
    )

    def action_customer_rep_my_cover(self):
        """*My cover while I'm away* (user preferences): the covers of the current user."""
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_rep.customer_rep_cover_action")
        action["domain"] = [("user_id", "=", self.env.uid)]
        action["context"] = {"default_user_id": self.env.uid}
        action["name"] = self.env._("My Cover While I'm Away")
        return action

    @api.model
    def _customer_rep_today(self):
        """The day memberships and covers count for: today in the current user's time zone."""
        return fields.Date.context_today(self.with_context(tz=self.env.user.tz))

    def _customer_rep_manager_ids(self, access="read"):
        """This user's id and those of the users they cover today (with edit access when
        ``access`` is ``edit``): the account managers whose customers they have."""
        self.ensure_one()
        domain = [("cover_user_id", "=", self.id), ("is_current", "=", True)]
        if access == "edit":
            domain.append(("access", "=", "edit"))
        # sudo: which covers give this user access, read to compute their own rights.
        covered = self.env["customer.rep.cover"].sudo().search(domain).user_id
        return [self.id, *sorted(set(covered.ids) - {self.id})]

    def _customer_rep_covered_users(self):
        """The users this user covers today (res.users)."""
        return self.browse(self._customer_rep_manager_ids()[1:])

    def _customer_rep_team_customer_ids(self, access="read"):
        """The customers (commercial partners) whose account team this user is on today (with
        edit access when ``access`` is ``edit``)."""
        self.ensure_one()
        domain = [("user_id", "=", self.id), ("is_current", "=", True)]
        if access == "edit":
            domain.append(("access", "=", "edit"))
        # sudo: the memberships that give this user access, read to compute their own rights.
        members = self.env["customer.rep.team.member"].sudo().search(domain)
        return sorted(set(members.partner_id.ids))

    def _customer_rep_team_partner_ids(self, access="read"):
        """Those customers with all their contacts and locations (archived ones too): what their
        orders' ``partner_id`` may be."""
        customer_ids = self._customer_rep_team_customer_ids(access)
        if not customer_ids:
            return []
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search([("commercial_partner_id", "in", customer_ids)], order="id")
            .get_result_ids()
        )

    def _customer_rep_current_cover(self):
        """The cover of this user running today, the one ending last first (customer.rep.cover)."""
        self.ensure_one()
        return (
            self.env["customer.rep.cover"]
            .sudo()
            .search([("user_id", "=", self.id), ("is_current", "=", True)], order="date_to desc, id")
        )
