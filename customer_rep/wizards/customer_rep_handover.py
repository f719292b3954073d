import heapq

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from .customer_rep_mass_update import QUOTATION_STATES

DISTRIBUTIONS = [
    ("single", "All to one user"),
    ("even_count", "Evenly by number of customers"),
    ("even_revenue", "Evenly by revenue"),
]


class CustomerRepHandover(models.TransientModel):
    """Hand over the book of a user (a rep who leaves, active or already archived) to one or
    more users in one step: their customers, location overrides, quotations, open activities
    and follower subscriptions, all or nothing.

    Everything of one customer (the customer, its locations, the quotations and activities of
    either) goes to the same receiving user: the *unit* of the handover is the commercial
    partner."""

    _name = "customer.rep.handover"
    _description = "Account Handover"

    from_user_id = fields.Many2one(
        comodel_name="res.users",
        string="From",
        required=True,
        ondelete="cascade",
        context={"active_test": False},
        domain=[("share", "=", False)],
        help="The user whose accounts move, active or archived.",
    )
    from_user_active = fields.Boolean(related="from_user_id.active", string="From User Active")
    to_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="customer_rep_handover_to_user_rel",
        column1="wizard_id",
        column2="user_id",
        string="To",
        domain="[('share', '=', False), ('id', '!=', from_user_id)]",
        help="The active internal users who take the accounts over.",
    )
    distribution = fields.Selection(
        selection=DISTRIBUTIONS,
        required=True,
        default="single",
        help="All to one user, or spread over the receiving users evenly by number of customers "
        "or by total ordered. A customer and its locations always go to the same user.",
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="customer_rep_handover_partner_rel",
        column1="wizard_id",
        column2="partner_id",
        string="Only These Customers",
        help="Hand over only these customers (with their locations, quotations and activities). "
        "Empty: all the customers the user manages.",
    )
    include_customers = fields.Boolean(
        string="Customers", default=True, readonly=True, help="The customers they manage. Always on."
    )
    include_locations = fields.Boolean(
        string="Location Overrides", default=True, help="Locations whose own account manager they are."
    )
    include_quotations = fields.Boolean(
        string="Quotations",
        default=True,
        help="Draft and sent orders whose account manager they are. Confirmed and cancelled "
        "orders keep their account manager.",
    )
    include_activities = fields.Boolean(
        string="Activities",
        default=True,
        help="Their open activities on these customers (with their contacts and locations) and quotations.",
    )
    include_followers = fields.Boolean(
        string="Follower Subscriptions",
        default=True,
        help="Where they follow these customers and quotations, the new account manager follows instead.",
    )
    customer_count = fields.Integer(compute="_compute_counts", string="Customers to Hand Over")
    location_count = fields.Integer(compute="_compute_counts", string="Locations to Hand Over")
    quotation_count = fields.Integer(compute="_compute_counts", string="Quotations to Hand Over")
    activity_count = fields.Integer(compute="_compute_counts", string="Activities to Hand Over")
    summary = fields.Char(compute="_compute_counts", help="What applying the handover moves.")
    archived_warning = fields.Char(
        compute="_compute_counts",
        help="Shown when the user handing over is archived but still manages customers.",
    )
    line_ids = fields.One2many(
        comodel_name="customer.rep.handover.line",
        inverse_name="wizard_id",
        compute="_compute_line_ids",
        store=True,
        string="Per Receiving User",
        help="How many customers and how much revenue each receiving user gets.",
    )

    @api.depends(
        "from_user_id",
        "partner_ids",
        "include_locations",
        "include_quotations",
        "include_activities",
        "from_user_id.active",
    )
    def _compute_counts(self):
        for wizard in self:
            records = wizard._get_handover_records() if wizard.from_user_id else {}
            wizard.customer_count = len(records.get("customers", ()))
            wizard.location_count = len(records.get("locations", ()))
            wizard.quotation_count = len(records.get("quotations", ()))
            wizard.activity_count = len(records.get("activities", ()))
            # Whole sentences with named placeholders (a translation may order them freely),
            # each count with its noun in the singular or the plural.
            wizard.summary = self.env._(
                "Moves %(customers)s, %(locations)s, %(quotations)s and %(activities)s, all at once or "
                "not at all. Confirmed and cancelled orders keep their account manager.",
                customers=wizard._count_phrase("customers", wizard.customer_count),
                locations=wizard._count_phrase("locations", wizard.location_count),
                quotations=wizard._count_phrase("quotations", wizard.quotation_count),
                activities=wizard._count_phrase("activities", wizard.activity_count),
            )
            wizard.archived_warning = wizard._get_archived_warning()

    def _get_archived_warning(self):
        """When the user handing over is archived: what they still manage, all of it (whatever
        the selected customers and ticks), as the archiving of the user counted it."""
        user = self.from_user_id
        if not user or user.active:
            return False
        Partner = self.env["res.partner"].with_context(active_test=False)
        customer_domain, location_domain = self._get_managed_domains(selected=False)
        customers = Partner.search_count(customer_domain)
        locations = Partner.search_count(location_domain)
        if not (customers or locations):
            return False
        return self.env._(
            "%(user)s is archived and still manages %(customers)s and %(locations)s: hand them over "
            "to users who can act on them.",
            user=user.name,
            customers=self._count_phrase("customers", customers),
            locations=self._count_phrase("locations", locations),
        )

    def _count_phrase(self, kind, count):
        """A count with its noun: 1 customer, 2 customers..."""
        if kind == "customers":
            return self.env._("1 customer") if count == 1 else self.env._("%(count)s customers", count=count)
        if kind == "locations":
            return self.env._("1 location") if count == 1 else self.env._("%(count)s locations", count=count)
        if kind == "quotations":
            return (
                self.env._("1 quotation") if count == 1 else self.env._("%(count)s quotations", count=count)
            )
        return self.env._("1 activity") if count == 1 else self.env._("%(count)s activities", count=count)

    @api.depends("from_user_id", "to_user_ids", "distribution", "partner_ids")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create(values) for values in wizard._get_distribution_values()
            ]

    def _get_distribution_values(self):
        """What each receiving user gets: their number of customers and revenue."""
        users = (self.to_user_ids - self.from_user_id).sorted("id")
        if not (self.from_user_id and users and self.distribution):
            return []
        customers = self._get_handover_customers()
        assignment = self._distribute(customers, users)
        by_user = customers.grouped(lambda customer: assignment[customer.id])
        return [
            {
                "user_id": user.id,
                "customer_count": len(by_user.get(user, ())),
                "revenue": sum(by_user.get(user, customers.browse()).mapped("order_amount_total")),
            }
            for user in users
        ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        active_ids = context.get("active_ids") or []
        if context.get("active_model") == "res.users" and active_ids and "from_user_id" in fields_list:
            values.setdefault("from_user_id", active_ids[0])
        elif context.get("active_model") == "res.partner" and active_ids:
            # From the customers list: the selection (a contact or location stands for its
            # customer), from the account manager they share.
            customers = self.env["res.partner"].browse(active_ids).commercial_partner_id
            values["partner_ids"] = [Command.set(customers.ids)]
            managers = customers.account_manager_id
            if len(managers) == 1:
                values.setdefault("from_user_id", managers.id)
        return values

    @api.model_create_multi
    def create(self, vals_list):
        self._check_handover_right()
        for vals in vals_list:
            self._check_handover_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_handover_values(vals)
        return super().write(vals)

    def action_apply(self):
        """Hand everything over in one transaction: all or nothing."""
        self.ensure_one()
        self._check_handover_right()
        self._check_handover_users()
        records = self._get_handover_records()
        if not any(records.values()):
            raise UserError(
                self.env._("%(user)s has nothing to hand over.", user=self.from_user_id.sudo().name)
            )
        self._check_handover_access(records)
        assignment = self._distribute(records["customers"], self.to_user_ids)
        for user, part in self._split_by_user(records, assignment).items():
            self._hand_over_to(user, part)
        self._notify_handover(records["customers"], assignment)
        return self._get_done_action(records)

    def _get_done_action(self, records):
        """Close the form and say what moved (the web client shows it as a notification)."""
        message = self.env._(
            "Handed over %(customers)s, %(locations)s, %(quotations)s and %(activities)s to %(users)s.",
            customers=self._count_phrase("customers", len(records["customers"])),
            locations=self._count_phrase("locations", len(records["locations"])),
            quotations=self._count_phrase("quotations", len(records["quotations"])),
            activities=self._count_phrase("activities", len(records["activities"])),
            users=", ".join(self.to_user_ids.sudo().mapped("name")),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # Checks

    @api.model
    def _check_handover_right(self):
        """Only users who may assign account managers hand accounts over."""
        if self.env["res.partner"]._may_assign_account_manager():
            return
        raise AccessError(
            self.env._(
                "You are not allowed to hand accounts over: it takes the right “Assign account "
                "managers”. Ask a sales administrator."
            )
        )

    @api.model
    def _check_handover_values(self, vals):
        """Unknown users and distributions get a clear error instead of a database one."""
        distributions = [key for key, _label in DISTRIBUTIONS]
        if "distribution" in vals and vals["distribution"] not in distributions:
            raise UserError(
                self.env._(
                    "Unknown distribution %(value)s: use one of %(values)s.",
                    value=vals["distribution"],
                    values=", ".join(distributions),
                )
            )
        user_ids = [vals["from_user_id"]] if vals.get("from_user_id") else []
        for command in vals.get("to_user_ids") or []:
            if isinstance(command, (list, tuple)) and command[0] == Command.SET:
                user_ids += command[2] if isinstance(command[2], (list, tuple)) else [command[2]]
            elif isinstance(command, (list, tuple)) and command[0] == Command.LINK:
                user_ids.append(command[1])
        if not all(isinstance(user_id, int) for user_id in user_ids):
            raise UserError(self.env._("Users are given by their ids (integers)."))
        user_ids = set(user_ids)
        existing = self.env["res.users"].sudo().with_context(active_test=False).browse(user_ids).exists()
        missing = user_ids - set(existing.ids)
        if missing:
            raise UserError(
                self.env._(
                    "No user has the id %(ids)s.", ids=", ".join(str(user_id) for user_id in sorted(missing))
                )
            )

    def _check_handover_users(self):
        """The receiving users are one or more active internal users, never the from-user;
        *All to one user* takes exactly one."""
        from_user = self.from_user_id
        users = self.with_context(active_test=False).to_user_ids.sudo()
        if not users:
            raise UserError(self.env._("Choose the users who take the accounts over."))
        if from_user in users:
            raise UserError(
                self.env._(
                    "%(user)s cannot hand their accounts over to themselves.", user=from_user.sudo().name
                )
            )
        unfit = users.filtered(lambda user: not self.env["res.partner"]._can_be_account_manager(user))
        if unfit:
            raise UserError(
                self.env._(
                    "%(users)s cannot take accounts over: "
                    "only active internal users can be account managers.",
                    users=", ".join(unfit.mapped("name")),
                )
            )
        if self.distribution == "single" and len(users) > 1:
            raise UserError(
                self.env._(
                    "“All to one user” hands over to one user: choose one, or spread the accounts evenly."
                )
            )

    def _check_handover_access(self, records):
        """The user must be allowed to change everything that moves. The writes of customers,
        locations and quotations check it themselves (a refusal in the middle undoes the whole
        transaction); the activities, moved in SQL, are checked here, before anything is written."""
        records["activities"].check_access("write")

    # What moves, and to whom

    def _get_managed_domains(self, selected=True):
        """(customers, location overrides): the domains of the partners the from-user manages,
        restricted to the customers of ``partner_ids`` when ``selected`` and given."""
        customer = self.env["res.partner"]._get_commercial_partner_domain()
        managed = [("account_manager_id", "=", self.from_user_id.id)]
        customers, locations = [*managed, *customer], [*managed, "!", *customer]
        if selected and self.partner_ids:
            customers.append(("id", "in", self.partner_ids.ids))
            locations.append(("commercial_partner_id", "in", self.partner_ids.ids))
        return customers, locations

    def _get_handover_customers(self):
        """The customers (commercial partners, archived ones too) the from-user manages,
        restricted to ``partner_ids`` when given."""
        customer_domain, _location_domain = self._get_managed_domains()
        return self.env["res.partner"].with_context(active_test=False).search(customer_domain, order="id")

    def _get_handover_records(self):
        """{"customers", "locations", "quotations", "activities"}: what moves, as recordsets."""
        self.ensure_one()
        from_user = self.from_user_id
        Partner = self.env["res.partner"].with_context(active_test=False)
        customers = self._get_handover_customers()
        locations, quotations = Partner, self.env["sale.order"]
        if self.include_locations:
            _customer_domain, location_domain = self._get_managed_domains()
            locations = Partner.search(location_domain, order="id")
        if self.include_quotations:
            domain = [("account_manager_id", "=", from_user.id), ("state", "in", QUOTATION_STATES)]
            if self.partner_ids:
                domain.append(("partner_id.commercial_partner_id", "in", self.partner_ids.ids))
            quotations = quotations.search(domain, order="id")
        activities = self.env["mail.activity"]
        if self.include_activities:
            activities = self._get_handover_activities(customers, locations, quotations)
        return {
            "customers": customers,
            "locations": locations,
            "quotations": quotations,
            "activities": activities,
        }

    def _get_handover_activities(self, customers, locations, quotations):
        """The from-user's open activities on the customers (with their contacts and locations),
        the location overrides and the quotations that move."""
        partners = locations
        if customers:
            partners |= (
                self.env["res.partner"]
                .with_context(active_test=False)
                .search([("commercial_partner_id", "in", customers.ids)])
            )
        domain = expression.OR(
            [
                [("res_model", "=", records._name), ("res_id", "in", records.ids)]
                for records in (partners, quotations)
                if records
            ]
        )
        if not domain:
            return self.env["mail.activity"]
        return self.env["mail.activity"].search([("user_id", "=", self.from_user_id.id), *domain])

    def _distribute(self, customers, users):
        """{customer id: receiving user}: all to the one user, or greedily to the user with the
        least load so far (by number of customers, or by total ordered, largest first)."""
        users = users.sorted("id")
        if self.distribution == "single" or len(users) == 1:
            return dict.fromkeys(customers.ids, users[:1])
        by_revenue = self.distribution == "even_revenue"
        weights = dict(zip(customers.ids, customers.mapped("order_amount_total"), strict=True))
        order = sorted(customers.ids, key=lambda cid: (-weights[cid], cid) if by_revenue else (0, cid))
        heap = [(0.0, 0, index) for index in range(len(users))]
        assignment = {}
        for customer_id in order:
            load, count, index = heapq.heappop(heap)
            assignment[customer_id] = users[index]
            heapq.heappush(heap, (load + (weights[customer_id] if by_revenue else 1), count + 1, index))
        return assignment
