import importlib
import logging
import re
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, is_html_empty, str2bool
from odoo.tools.sql import (
    column_exists,
    constraint_definition,
    create_column,
    create_index,
    drop_index,
    index_exists,
)

_logger = logging.getLogger(__name__)

BILLING_STATUSES = [("good", "Good"), ("on_hold", "On Hold"), ("blocked", "Blocked")]
PAYMENT_BASIS_DATES = [("invoice_date", "Invoice Date"), ("month_end", "End of Invoice Month")]

ASSIGN_GROUP = "customer_rep.group_assign_account_manager"
OWN_ACCOUNTS_GROUP = "customer_rep.group_own_accounts"
ENGAGEMENT_WINDOW_PARAM = "customer_rep.engagement_window_days"
DEFAULT_ENGAGEMENT_WINDOW_DAYS = 365
# Maintained by _recompute_order_metrics() only; values sent by clients are ignored.
ORDER_METRIC_FIELDS = frozenset(
    {
        "order_count",
        "order_amount_total",
        "order_amount_average",
        "first_order_date",
        "last_order_date",
        "engagement_status",
    }
)
PERSONAL_DATA_GROUP = "customer_rep.group_personal_data"
CUSTOMER_NUMBER_SEQUENCE = "customer_rep.seq_customer_number"
CUSTOMER_NUMBER_CONSTRAINT = "res_partner_customer_number_excl"
# Partners named in a summary notification of a bulk account manager change.
SUMMARY_NAMES_SHOWN = 20
# Context key of bulk writes that sync contacts and locations themselves, all at once.
BULK_SYNC_KEY = "customer_rep_bulk_sync"

# stdnum modules validating identity numbers, by country code: (organisation, person).
IDENTITY_NUMBER_FORMATS = {
    "NO": ("stdnum.no.orgnr", "stdnum.no.fodselsnummer"),
    "SE": ("stdnum.se.orgnr", "stdnum.se.personnummer"),
    "DK": ("stdnum.dk.cvr", "stdnum.dk.cpr"),
    "FI": ("stdnum.fi.ytunnus", "stdnum.fi.hetu"),
    "IS": ("stdnum.is_.kennitala", "stdnum.is_.kennitala"),
    "EE": ("stdnum.ee.registrikood", "stdnum.ee.ik"),
}
IDENTITY_FIELDS = ("company_registry", "personal_identity_number")
# "[number] name", as customers are displayed when the setting shows numbers in names.
NUMBERED_NAME = re.compile(r"^\[([^\]]+)\]\s*(.*)$", re.S)


def get_customer_rep_param(env, key, default):
    """A setting of the customer register, read from its ``ir.config_parameter``
    (absent means ``default``). Booleans are stored as text and parsed with ``str2bool``."""
    value = env["ir.config_parameter"].sudo().get_param(f"customer_rep.{key}")
    if value in (None, False, ""):
        return default
    if isinstance(default, bool):
        return str2bool(value, default)
    try:
        return int(value)
    except ValueError:
        return default


def can_be_account_manager(user):
    """Only active internal users can be account managers."""
    return bool(user) and user.active and not user.share


def check_account_managers(records):
    """Refuse ``records`` (partners or orders) whose account manager is not an active internal
    user, naming the user and the record."""
    for record in records:
        user = record.account_manager_id.sudo()
        if user and not can_be_account_manager(user):
            raise ValidationError(
                records.env._(
                    "%(user)s cannot be the account manager of %(partner)s: "
                    "only active internal users can be account managers.",
                    user=user.name,
                    partner=record.display_name,
                )
            )


def account_manager_followers(records, updated_values, default_subtype_ids):
    """Follower data for ``_message_auto_subscribe_followers``: a user made account manager
    follows the record and is told of the assignment, as Odoo does for the salesperson."""
    user_id = updated_values.get("account_manager_id")
    if not user_id:
        return []
    user = records.env["res.users"].sudo().browse(user_id)
    if not user.active:
        return []
    template = "customer_rep.message_account_manager_assigned" if user != records.env.user else False
    return [(user.partner_id.id, default_subtype_ids, template)]


def notification_sender(records):
    """``records`` as the author of their notifications: the current user, or OdooBot when the
    user has no email address. Odoo refuses to send a notification without the author's address,
    and assigning an account manager must not fail for it."""
    if records.env.user.email:
        return records
    return records.with_user(SUPERUSER_ID)


class ResPartner(models.Model):
    _inherit = "res.partner"

    account_manager_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        domain="[('share', '=', False)]",
        help="The customer's account manager, distinct from the salesperson. "
        "On a delivery location it overrides the customer's account manager; "
        "empty means the location follows its customer.",
    )
    effective_account_manager_id = fields.Many2one(
        comodel_name="res.users",
        compute="_compute_effective_account_manager_id",
        store=True,
        index=True,
        help="The partner's own account manager when set, otherwise its customer's.",
    )
    has_account_manager_override = fields.Boolean(
        string="Overrides Account Manager",
        compute="_compute_has_account_manager_override",
        store=True,
        help="This contact or location has an account manager of its own, different from its customer's.",
    )
    is_commercial_partner = fields.Boolean(
        string="Is a Customer Entity",
        compute="_compute_is_commercial_partner",
        help="A company, or an individual without a parent company: the partner that carries the "
        "customer's number, account manager, billing rules and metrics.",
    )
    location_count = fields.Integer(
        string="Locations",
        compute="_compute_location_count",
        help="Delivery addresses of the customer.",
    )
    is_customer_account = fields.Boolean(
        string="Belongs to a Customer",
        compute="_compute_is_customer_account",
        store=True,
        help="The partner's customer (its commercial partner) has a customer rank or an account "
        "manager. Users restricted to their own accounts only see such partners when they manage them.",
    )
    important_note = fields.Html(
        tracking=True,
        help="Shown in a dialog to everyone who opens this customer, its contacts or locations, "
        "or picks it on a sale order.",
    )
    commercial_important_note = fields.Html(
        string="Customer's Important Note",
        related="commercial_partner_id.important_note",
        help="The important note of this partner's customer.",
    )
    # Order metrics of a customer (commercial partner), counting the confirmed orders of the
    # customer, its contacts and locations. Plain stored columns, kept exact by
    # _recompute_order_metrics() from the order and partner hooks and by the daily cron; a
    # compute chain on sale_order_ids would not scale to millions of orders.
    order_count = fields.Integer(
        string="Number of Orders",
        default=0,
        readonly=True,
        copy=False,
        index=True,
        help="Confirmed sales orders of the customer, its contacts and locations.",
    )
    order_amount_total = fields.Monetary(
        string="Total Ordered",
        currency_field="currency_id",
        default=0.0,
        readonly=True,
        copy=False,
        index=True,
        help="Untaxed total of the confirmed orders in the company currency; an order in "
        "another currency is converted at the order's own rate.",
    )
    order_amount_average = fields.Monetary(
        string="Average per Order",
        currency_field="currency_id",
        default=0.0,
        readonly=True,
        copy=False,
        index=True,
        help="Untaxed average of the confirmed orders in the company currency.",
    )
    first_order_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Order date of the customer's first confirmed order.",
    )
    last_order_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Order date of the customer's latest confirmed order.",
    )
    engagement_status = fields.Selection(
        selection=[("new", "New"), ("engaged", "Engaged"), ("lapsed", "Lapsed")],
        readonly=True,
        copy=False,
        index=True,
        help="New: no confirmed order yet. Engaged: the last confirmed order lies within the "
        "engagement window (Sales settings). Lapsed: confirmed orders, none within the window.",
    )
    # Billing rules of the customer; commercial fields, so Odoo syncs them onto its contacts
    # and locations (as it does the payment terms) and orders and invoices to them follow.
    billing_status = fields.Selection(
        selection=BILLING_STATUSES,
        default="good",
        required=True,
        tracking=True,
        index=True,
        help="Good: business as usual. On Hold: new orders show a warning. "
        "Blocked: orders cannot be confirmed (quotations can still be made).",
    )
    payment_basis_date = fields.Selection(
        selection=PAYMENT_BASIS_DATES,
        default="invoice_date",
        required=True,
        tracking=True,
        help="The date the customer's payment terms count from: the invoice date (Odoo's "
        "standard), or the last day of the invoice's month.",
    )

    # The customer number of a customer (a commercial partner); a copy gets a new one.
    ref = fields.Char(copy=False)
    customer_number_locked = fields.Boolean(
        compute="_compute_customer_number_locked",
        help="The customer number is set and only administrators may change it.",
    )
    personal_identity_number = fields.Char(
        groups=PERSONAL_DATA_GROUP,
        copy=False,
        help="The national identity number of an individual customer (e.g. the Norwegian "
        "fødselsnummer), validated for the customer's country.",
    )
    link_ids = fields.One2many(comodel_name="res.partner.link", inverse_name="partner_id", string="Links")
    favorite_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="res_partner_favorite_user_rel",
        column1="partner_id",
        column2="user_id",
        string="Favourite of",
        copy=False,
        help="The users who starred this customer.",
    )
    is_favorite = fields.Boolean(
        string="Favourite",
        compute="_compute_is_favorite",
        inverse="_inverse_is_favorite",
        search="_search_is_favorite",
        help="You starred this customer.",
    )

    def init(self):
        res = super().init()
        # Customer numbers are looked up case-insensitively (uniqueness, generation).
        create_index(
            self.env.cr,
            "res_partner_customer_number_idx",
            self._table,
            ["lower(ref)"],
            where="ref IS NOT NULL AND (parent_id IS NULL OR is_company)",
        )
        # "My Accounts" with an engagement filter, the reps' daily question: counted from the
        # index alone (an index-only scan) instead of visiting every partner of the manager. It
        # carries the columns of Odoo's multi-company partner rule (partner_share, company_id),
        # which every non-superuser search adds; without them PostgreSQL visits the table.
        if not index_exists(self.env.cr, "res_partner_manager_engagement_idx"):
            drop_index(self.env.cr, "res_partner_account_manager_engagement_idx", self._table)
            self.env.cr.execute(
                SQL(
                    """CREATE INDEX res_partner_manager_engagement_idx ON %s
                       (effective_account_manager_id, engagement_status)
                       INCLUDE (partner_share, company_id) WHERE active""",
                    SQL.identifier(self._table),
                )
            )
        self.env.cr.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS customer_rep_number_lock (number varchar PRIMARY KEY)"
        )
        self._init_customer_number_constraint()
        return res

    def _init_customer_number_constraint(self):
        """Backs ``_check_customer_number`` against two transactions that each give a customer
        the same number before the other commits (both checks pass): a deferred exclusion
        constraint, checked at commit, refuses the second commit for customers of the same
        company or both shared. Ordinary duplicates never reach it: the ValidationError naming
        the holder comes first. A database that already holds duplicate numbers cannot have it;
        the check alone applies there, and a warning says so."""
        cr = self.env.cr
        if constraint_definition(cr, self._table, CUSTOMER_NUMBER_CONSTRAINT):
            return
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        """ALTER TABLE %s ADD CONSTRAINT %s
                           EXCLUDE USING btree (lower(ref) WITH =, COALESCE(company_id, 0) WITH =)
                           WHERE (ref IS NOT NULL AND (parent_id IS NULL OR is_company))
                           DEFERRABLE INITIALLY DEFERRED""",
                        SQL.identifier(self._table),
                        SQL.identifier(CUSTOMER_NUMBER_CONSTRAINT),
                    )
                )
        except psycopg2.Error as error:
            _logger.warning(
                "Customers share customer numbers already (%s): new duplicates are refused, "
                "but two made at the same instant are not. Give them distinct numbers and update "
                "the Customer Register app.",
                error.pgerror or error,
            )

    @api.depends("account_manager_id", "commercial_partner_id.account_manager_id")
    def _compute_effective_account_manager_id(self):
        for partner in self:
            partner.effective_account_manager_id = (
                partner.account_manager_id or partner.commercial_partner_id.account_manager_id
            )

    @api.depends("commercial_partner_id.customer_rank", "commercial_partner_id.account_manager_id")
    def _compute_is_customer_account(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.is_customer_account = bool(commercial.customer_rank > 0 or commercial.account_manager_id)

    @api.depends("account_manager_id", "parent_id", "is_company")
    def _compute_has_account_manager_override(self):
        for partner in self:
            # parent_id and not is_company: the partner is not its own commercial partner.
            partner.has_account_manager_override = bool(
                partner.account_manager_id and partner.parent_id and not partner.is_company
            )

    @api.depends("parent_id", "is_company")
    def _compute_is_commercial_partner(self):
        for partner in self:
            partner.is_commercial_partner = bool(partner.is_company or not partner.parent_id)

    def _compute_location_count(self):
        customers = self.filtered("id")
        counts = dict(
            self._read_group(
                [*self._get_location_domain(), ("commercial_partner_id", "in", customers.ids)],
                groupby=["commercial_partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.location_count = counts.get(partner._origin, 0)

    @api.depends("ref")
    @api.depends_context("uid")
    def _compute_customer_number_locked(self):
        may_change = self.env.su or self.env.user.has_group("base.group_system")
        for partner in self:
            partner.customer_number_locked = bool(partner._origin.ref) and not may_change

    @api.depends("favorite_user_ids")
    @api.depends_context("uid")
    def _compute_is_favorite(self):
        for partner in self:
            partner.is_favorite = self.env.user in partner.favorite_user_ids

    def _inverse_is_favorite(self):
        starred = self.filtered("is_favorite")
        starred._set_favorite(True)
        (self - starred)._set_favorite(False)

    def _search_is_favorite(self, operator, value):
        if operator in ("in", "not in"):
            # [True], [False, True]...: starred or not, or both (no condition).
            values = {bool(v) for v in (value if isinstance(value, (list, tuple, set)) else [value])}
            if len(values) != 1:
                return [] if (operator == "in") == bool(values) else expression.FALSE_DOMAIN
            operator, value = ("=" if operator == "in" else "!="), values.pop()
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Unsupported search on favourites: %(op)s", op=operator))
        positive = (operator == "=") == bool(value)
        return [("favorite_user_ids", "in" if positive else "not in", [self.env.uid])]

    @api.depends("ref", "parent_id", "is_company")
    def _compute_display_name(self):
        super()._compute_display_name()
        if not get_customer_rep_param(self.env, "show_customer_number_in_names", False):
            return
        for partner in self:
            if partner.ref and partner._is_customer():
                partner.display_name = f"[{partner.ref}] {partner.display_name}"

    @api.model
    def _search_display_name(self, operator, value):
        """Also find customers by their displayed name "[number] Name" (typing the number
        alone is covered by ``ref`` in ``_rec_names_search``)."""
        match = NUMBERED_NAME.match(value) if isinstance(value, str) and operator.endswith("like") else None
        if not match or operator.startswith("not"):
            return super()._search_display_name(operator, value)
        number, name = match.groups()
        domain = [
            ("ref", "=ilike", number.strip()),
            "|",
            ("parent_id", "=", False),
            ("is_company", "=", True),
        ]
        if name.strip():
            domain = expression.AND([domain, super()._search_display_name(operator, name.strip())])
        return domain

    @api.constrains("ref", "parent_id", "is_company", "company_id")
    def _check_customer_number(self):
        customers = self.filtered(lambda p: p.ref and p._is_customer())
        if not customers:
            return
        min_length = get_customer_rep_param(self.env, "customer_number_min_length", 1)
        max_length = get_customer_rep_param(self.env, "customer_number_max_length", 20)
        for customer in customers:
            if not min_length <= len(customer.ref) <= max_length:
                raise ValidationError(
                    self.env._(
                        "The customer number %(number)s of %(customer)s must be %(min)s to %(max)s "
                        "characters long.",
                        number=customer.ref,
                        customer=customer.name,
                        min=min_length,
                        max=max_length,
                    )
                )
        self._lock_customer_numbers(customers.mapped("ref"))
        holders = self._get_customer_number_holders(customers.mapped("ref"))
        for customer in customers:
            for other_id, other_company_id in holders.get(customer.ref.lower(), ()):
                if other_id != customer.id and customer._customer_numbers_clash(other_company_id):
                    other = self.browse(other_id).sudo()
                    raise ValidationError(
                        self.env._(
                            "The customer number %(number)s is already used by %(holder)s.",
                            number=customer.ref,
                            holder=other.with_context(active_test=False).name,
                        )
                    )

    @api.constrains(*IDENTITY_FIELDS, "country_id")
    def _check_identity_numbers(self):
        for partner in self.sudo():
            for field_name in IDENTITY_FIELDS:
                number = partner[field_name]
                module = partner._get_identity_number_format(field_name)
                if number and module and not module.is_valid(number):
                    raise ValidationError(
                        self.env._(
                            "%(number)s is not a valid %(field)s for %(country)s: expected %(format)s.",
                            number=number,
                            field=self._fields[field_name].get_description(self.env)["string"],
                            country=partner.country_id.name,
                            format=module.__doc__.splitlines()[0].strip(". "),
                        )
                    )

    @api.constrains("account_manager_id")
    def _check_account_manager_id(self):
        check_account_managers(self)

    @api.constrains("important_note", "parent_id", "is_company")
    def _check_important_note(self):
        for partner in self:
            if partner.commercial_partner_id != partner and not is_html_empty(partner.important_note):
                raise ValidationError(
                    self.env._(
                        "The important note belongs to the customer: edit it on %(customer)s.",
                        customer=partner.commercial_partner_id.display_name,
                    )
                )

    def _auto_init(self):
        """Columns that must be filled for every partner at install are created and filled
        here, each with one set-based statement, rather than computed through the ORM for
        hundreds of thousands of partners (the ORM would then skip its own fill)."""
        self._init_effective_account_manager_column()
        self._init_billing_columns()
        self._init_is_customer_account_column()
        self._init_has_account_manager_override_column()
        self._init_order_metrics_columns()
        return super()._auto_init()

    def _init_effective_account_manager_column(self):
        cr = self.env.cr
        if column_exists(cr, self._table, "effective_account_manager_id"):
            return
        create_column(cr, self._table, "effective_account_manager_id", "int4")
        if column_exists(cr, self._table, "account_manager_id"):  # no manager at a first install
            cr.execute(
                SQL(
                    """UPDATE res_partner partner
                          SET effective_account_manager_id = manager.id
                         FROM res_partner commercial, res_users manager
                        WHERE commercial.id = COALESCE(partner.commercial_partner_id, partner.id)
                          AND manager.id = COALESCE(partner.account_manager_id,
                                                    commercial.account_manager_id)"""
                )
            )

    def _init_billing_columns(self):
        """PostgreSQL adds a column with a constant default without rewriting the table; the
        default is dropped right after, the ORM sets values from then on."""
        cr = self.env.cr
        for fname in ("billing_status", "payment_basis_date"):
            if column_exists(cr, self._table, fname):
                continue
            column, default = SQL.identifier(fname), self._fields[fname].default(self)
            cr.execute(
                SQL("ALTER TABLE res_partner ADD COLUMN %s varchar NOT NULL DEFAULT %s", column, default)
            )
            cr.execute(SQL("ALTER TABLE res_partner ALTER COLUMN %s DROP DEFAULT", column))

    def _init_is_customer_account_column(self):
        cr = self.env.cr
        if column_exists(cr, self._table, "is_customer_account"):
            return
        create_column(cr, self._table, "is_customer_account", "boolean")
        managed = (
            SQL("OR commercial.account_manager_id IS NOT NULL")
            if column_exists(cr, self._table, "account_manager_id")
            else SQL()
        )
        cr.execute(
            SQL(
                """UPDATE res_partner partner
                      SET is_customer_account = (commercial.customer_rank > 0 %s)
                     FROM res_partner commercial
                    WHERE commercial.id = COALESCE(partner.commercial_partner_id, partner.id)""",
                managed,
            )
        )

    def _init_has_account_manager_override_column(self):
        cr = self.env.cr
        if column_exists(cr, self._table, "has_account_manager_override"):
            return
        create_column(cr, self._table, "has_account_manager_override", "boolean")
        if column_exists(cr, self._table, "account_manager_id"):  # no override at a first install
            cr.execute(
                SQL(
                    """UPDATE res_partner SET has_account_manager_override = TRUE
                        WHERE account_manager_id IS NOT NULL AND parent_id IS NOT NULL
                          AND NOT COALESCE(is_company, FALSE)"""
                )
            )

    def _init_order_metrics_columns(self):
        """The order metrics, filled before their indexes exist."""
        cr = self.env.cr
        if column_exists(cr, self._table, "order_count"):
            return
        for fname in ORDER_METRIC_FIELDS:
            create_column(cr, self._table, fname, self._fields[fname].column_type[1])
        cr.execute(self._get_order_metrics_update_sql())

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("account_manager_id") for vals in vals_list):
            self._check_account_manager_assign_right()
        self._assign_own_accounts_creator(vals_list)
        for vals in vals_list:
            for fname in ORDER_METRIC_FIELDS:
                vals.pop(fname, None)
            if self._is_new_customer(vals):
                vals["engagement_status"] = "new"  # a new customer has no order yet
        if any(vals.get("personal_identity_number") for vals in vals_list):
            # Odoo checks the groups of fields on read and write, not on create.
            self.check_field_access_rights("create", ["personal_identity_number"])
        default_country = self.env.context.get("default_country_id")
        for vals in vals_list:
            if "ref" in vals:
                vals["ref"] = self._normalize_customer_number(vals["ref"])
            country = self.env["res.country"].browse(vals.get("country_id", default_country))
            self._compact_identity_numbers(vals, country)
        self._prefill_customer_numbers(vals_list)
        # Before the rows exist: a concurrent transaction with the same number then waits here,
        # not at its commit on ours (which would deadlock with the exclusion constraint).
        self._lock_customer_numbers([vals["ref"] for vals in vals_list if isinstance(vals.get("ref"), str)])
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active_customer(self):
        if not get_customer_rep_param(self.env, "only_archived_deletable", False):
            return
        active_customers = self.filtered(lambda p: p.active and p._is_customer())
        if active_customers:
            raise UserError(
                self.env._(
                    "Archive the customer %(customers)s before deleting it: "
                    "only archived customers can be deleted.",
                    customers=", ".join(active_customers[:5].mapped("display_name")),
                )
            )

    def write(self, vals):
        if "is_favorite" in vals:
            vals = dict(vals)
            self._set_favorite(vals.pop("is_favorite"))
            if not vals:
                return True
        if "ref" in vals:
            vals = self._prepare_customer_number_write(vals)
        if set(IDENTITY_FIELDS) & vals.keys():
            if "country_id" not in vals and len(self.country_id) > 1:
                # Each country compacts its numbers its own way.
                for partners in self.grouped("country_id").values():
                    partners.write(vals)
                return True
            vals = dict(vals)
            country = self.env["res.country"].browse(vals.get("country_id")) or self.country_id
            self._compact_identity_numbers(vals, country)
        if not ORDER_METRIC_FIELDS.isdisjoint(vals):
            vals = {fname: value for fname, value in vals.items() if fname not in ORDER_METRIC_FIELDS}
        # Moving a contact to another customer moves its orders: both customers change.
        customers_before = None
        if "parent_id" in vals or "is_company" in vals:
            customers_before = self | self.commercial_partner_id
        changed, previous_managers = self.browse(), {}
        if "account_manager_id" in vals:
            new_manager = self.env["res.users"].browse(vals["account_manager_id"])
            changed = self.filtered(lambda p: p.account_manager_id != new_manager)
            if changed:
                self._check_account_manager_assign_right()
            previous_managers = {partner: partner.account_manager_id for partner in changed}
        result = super().write(vals)
        changed._notify_account_manager_removed(previous_managers)
        if "parent_id" in vals or "is_company" in vals:
            self._assign_customer_numbers()
        if customers_before is not None:
            (customers_before | self.commercial_partner_id)._recompute_order_metrics()
        return result

    @api.model
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "billing_status", "payment_basis_date"]

    def _increase_rank(self, field, n=1):
        # account raises ranks in SQL and only invalidates the cache: recompute what follows them.
        result = super()._increase_rank(field, n)
        if field == "customer_rank":
            self.modified([field])
        return result

    @api.model
    def _assign_own_accounts_creator(self, vals_list):
        """A user restricted to their own accounts becomes the account manager of the customers
        they create: otherwise the customer would vanish from their sight as soon as it gets a
        customer rank. Contacts and locations follow their customer; vendors stay nobody's."""
        if self.env.su or not self.env.user.has_group(OWN_ACCOUNTS_GROUP):
            return
        for vals in vals_list:
            if vals.get("account_manager_id") or vals.get(
                "parent_id", self.env.context.get("default_parent_id")
            ):
                continue
            is_vendor = (
                vals.get("supplier_rank", 0) > 0
                or self.env.context.get("res_partner_search_mode") == "supplier"
            )
            if not is_vendor:
                vals["account_manager_id"] = self.env.uid

    def action_view_order_history(self):
        """All sales orders of the customer, its contacts and locations, quotations and
        cancelled orders included."""
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.act_res_partner_2_sale_order")
        search_view = self.env.ref("sale.sale_order_view_search_inherit_quotation").sudo()
        action.update(
            name=self.env._("Order History of %(customer)s", customer=customer.display_name),
            domain=[("partner_id", "child_of", customer.ids)],
            context={"default_partner_id": customer.id},
            search_view_id=[search_view.id, search_view.name],
        )
        return action

    def action_view_locations(self):
        """The customer's delivery locations, in the locations list; new ones are created
        under the customer."""
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_rep.res_partner_location_action")
        action.update(
            name=self.env._("Locations of %(customer)s", customer=customer.display_name),
            domain=[*self._get_location_domain(), ("commercial_partner_id", "=", customer.id)],
            context={
                "default_parent_id": customer.id,
                "default_type": "delivery",
            },
        )
        return action

    @api.model
    def _get_location_domain(self):
        """Locations: the delivery addresses of customers."""
        return [("type", "=", "delivery"), ("parent_id", "!=", False)]

    @api.model
    def _is_new_customer(self, vals):
        """Whether the partner created from ``vals`` is a customer (commercial partner)."""
        context = self.env.context
        return bool(
            vals.get("is_company", context.get("default_is_company"))
            or not vals.get("parent_id", context.get("default_parent_id"))
        )

    def _is_customer(self):
        """A customer is a commercial partner: a company, or an individual without parent."""
        self.ensure_one()
        return self.is_company or not self.parent_id

    @api.model
    def _normalize_customer_number(self, number):
        """Customer numbers are stored without surrounding spaces; blank means none."""
        if isinstance(number, str):
            return number.strip() or False
        return number

    def _check_customer_number_change_right(self, number):
        """Refuse to change a customer's number once set, unless the user is an administrator."""
        if self.env.su or self.env.user.has_group("base.group_system"):
            return
        changed = self.filtered(lambda p: p.ref and p.ref != number and p._is_customer())
        if changed:
            raise AccessError(
                self.env._(
                    "Only administrators may change the customer number of %(customer)s (%(number)s).",
                    customer=changed[0].name,
                    number=changed[0].ref,
                )
            )

    @api.model
    def _lock_customer_numbers(self, numbers):
        """Serialise the uniqueness check of ``numbers`` between transactions.

        Each transaction checks against its own snapshot, so two giving the same number at the
        same instant would each miss the other. Both touch the number's row in
        ``customer_rep_number_lock``: the second waits for the first and, once that one has
        committed, fails with a serialization error, which Odoo answers by running the request
        again; the new run sees the first customer and refuses the number by name."""
        if not numbers:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO customer_rep_number_lock (number)
                   SELECT unnest(%s::varchar[])
                   ON CONFLICT (number) DO UPDATE SET number = EXCLUDED.number""",
                sorted({number.lower() for number in numbers}),
            )
        )

    def _get_customer_number_holders(self, numbers):
        """{lowercased number: [(partner id, company id)]} of every customer, archived or not,
        holding one of ``numbers`` (compared case-insensitively); a single query that uses the
        functional index ``res_partner_customer_number_idx`` on ``lower(ref)``, which the ORM
        cannot express."""
        self.flush_model(["ref", "parent_id", "is_company", "company_id"])
        numbers = tuple({number.lower() for number in numbers})
        rows = self.env.execute_query(
            SQL(
                "SELECT lower(ref), id, company_id FROM res_partner "
                "WHERE lower(ref) IN %s AND (parent_id IS NULL OR is_company)",
                numbers,
            )
        )
        holders = {}
        for number, partner_id, company_id in rows:
            holders.setdefault(number, []).append((partner_id, company_id))
        return holders

    def _customer_numbers_clash(self, other_company_id):
        """Customer numbers are unique per company; a customer shared by all companies
        (no company) shares its number space with every company."""
        self.ensure_one()
        return not self.company_id or not other_company_id or self.company_id.id == other_company_id

    def _assign_customer_numbers(self):
        """Give the customers in ``self`` that have no number one from the sequence,
        in ``self``'s order, while the setting "Generate customer numbers" is on."""
        missing = self.filtered(lambda p: not p.ref and p._is_customer())
        if not missing or not get_customer_rep_param(self.env, "generate_customer_numbers", False):
            return
        for partner, number in zip(missing, self._next_customer_numbers(len(missing)), strict=True):
            partner.ref = number

    @api.model
    def _prepare_customer_number_write(self, vals):
        """``vals`` with its customer number trimmed, once the user may change the number; the
        number is locked for the uniqueness check before any row changes."""
        vals = dict(vals, ref=self._normalize_customer_number(vals["ref"]))
        self._check_customer_number_change_right(vals["ref"])
        if vals["ref"]:
            self._lock_customer_numbers([vals["ref"]])
        return vals

    def _prefill_customer_numbers(self, vals_list):
        """Number the customers about to be created without a number, in their order."""
        missing = [vals for vals in vals_list if not vals.get("ref") and self._is_new_customer(vals)]
        if not missing or not get_customer_rep_param(self.env, "generate_customer_numbers", False):
            return
        for vals, number in zip(missing, self._next_customer_numbers(len(missing)), strict=True):
            vals["ref"] = number

    @api.model
    def _number_existing_customers(self):
        """Give every customer without a number one, in ``create_date, id`` order.

        Runs at install over possibly hundreds of thousands of customers: the numbers are
        written in one UPDATE rather than one ORM write (and constraint query) per customer.
        """
        if not get_customer_rep_param(self.env, "generate_customer_numbers", False):
            return
        customers = self.with_context(active_test=False).search(
            ["|", ("parent_id", "=", False), ("is_company", "=", True), ("ref", "=", False)],
            order="create_date, id",
        )
        if not customers:
            return
        numbers = self._next_customer_numbers(len(customers))
        self.flush_model(["ref"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET ref = numbered.ref FROM "
                "(SELECT unnest(%s::int[]) AS id, unnest(%s::varchar[]) AS ref) AS numbered "
                "WHERE res_partner.id = numbered.id",
                customers.ids,
                numbers,
            )
        )
        customers.invalidate_recordset(["ref", "display_name"])

    @api.model
    def _next_customer_numbers(self, count):
        """``count`` customer numbers from the sequence, skipping numbers customers already hold."""
        sequence = self.env.ref(CUSTOMER_NUMBER_SEQUENCE, raise_if_not_found=False)
        if not sequence:
            raise UserError(
                self.env._("The customer number sequence is missing: update the Customer Register app.")
            )
        sequence = sequence.sudo()
        numbers = []
        while len(numbers) < count:
            drawn = sequence._customer_rep_draw(count - len(numbers))
            taken = self._get_customer_number_holders(drawn)
            numbers += [number for number in drawn if number.lower() not in taken]
        return numbers

    def _get_identity_number_format(self, field_name):
        """The stdnum module validating ``field_name`` for the partner's country, or None."""
        self.ensure_one()
        return self._identity_number_module(field_name, self.country_id)

    @api.model
    def _identity_number_module(self, field_name, country):
        formats = IDENTITY_NUMBER_FORMATS.get(country.code or "")
        if not formats:
            return None
        module_name = formats[IDENTITY_FIELDS.index(field_name)]
        try:
            return importlib.import_module(module_name)
        except ImportError:
            return None

    @api.model
    def _compact_identity_numbers(self, vals, country):
        """Store identity numbers in ``vals`` in their compact form for ``country``."""
        for field_name in IDENTITY_FIELDS:
            number = vals.get(field_name)
            if not isinstance(number, str):
                continue
            number = number.strip()
            module = self._identity_number_module(field_name, country)
            if module and number:
                number = module.compact(number)
            vals[field_name] = number or False

    def _set_favorite(self, starred):
        """Star (or unstar) the partners for the current user.

        Starring is a personal preference, not a change of the customer: it needs read access
        only, and must neither touch ``write_date`` nor post in the chatter. Hence the relation
        table is written directly, after the read access was checked.
        """
        if not self:
            return
        if self.env.user.share:
            raise AccessError(self.env._("Only internal users can star customers."))
        self.check_access("read")
        user_id = self.env.uid
        if starred:
            query = SQL(
                "INSERT INTO res_partner_favorite_user_rel (partner_id, user_id) "
                "SELECT unnest(%s::int[]), %s ON CONFLICT DO NOTHING",
                list(self.ids),
                user_id,
            )
        else:
            query = SQL(
                "DELETE FROM res_partner_favorite_user_rel WHERE partner_id = ANY(%s) AND user_id = %s",
                list(self.ids),
                user_id,
            )
        self.flush_recordset(["favorite_user_ids"])
        self.env.cr.execute(query)
        self.invalidate_recordset(["favorite_user_ids", "is_favorite"])

    def action_toggle_favorite(self):
        """Star the partners the current user has not starred, unstar the others."""
        starred = self.filtered("is_favorite")
        (self - starred)._set_favorite(True)
        starred._set_favorite(False)
        return True

    def _check_account_manager_assign_right(self):
        """Refuse to set account managers unless the user holds the assign right."""
        if self.env.su or self.env.user.has_group(ASSIGN_GROUP):
            return
        raise AccessError(
            self.env._(
                "You are not allowed to assign account managers. "
                "Ask a sales administrator for the right “Assign account managers”."
            )
        )

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        res = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        return res + account_manager_followers(self, updated_values, default_subtype_ids)

    def _message_auto_subscribe_notify(self, partner_ids, template):
        return super(ResPartner, notification_sender(self))._message_auto_subscribe_notify(
            partner_ids, template
        )

    def _notify_account_manager_removed(self, previous):
        """Tell former account managers that they no longer manage the partner.

        :param previous: {partner: former account manager (res.users)}
        """
        if not self.env.registry.ready or self.env.context.get("mail_auto_subscribe_no_notify"):
            return
        for partner in self:
            former = previous.get(partner)
            if not former or former in (partner.account_manager_id, self.env.user):
                continue
            notification_sender(partner).message_notify(
                partner_ids=former.partner_id.ids,
                subject=self.env._(
                    "You are no longer the account manager of %(partner)s",
                    partner=partner.display_name,
                ),
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s changed the account manager of %(partner)s: "
                    "you are no longer its account manager.",
                    user=self.env.user.name,
                    partner=partner.display_name,
                ),
                record_name=partner.display_name,
                email_layout_xmlid="mail.mail_notification_light",
            )

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
        bulk = self.with_context(mail_auto_subscribe_no_notify=True, **{BULK_SYNC_KEY: True})
        bulk._write_with_batched_tracking(vals)
        synced = {fname: value for fname, value in vals.items() if fname in self._commercial_fields()}
        customers = self.filtered(lambda p: p.commercial_partner_id == p)
        if synced and customers:
            descendants = self.search(
                [("commercial_partner_id", "in", customers.ids), ("id", "not in", customers.ids)]
            )
            descendants.with_context(mail_notrack=True, **{BULK_SYNC_KEY: True}).write(synced)
        if changed and manager:
            changed._notify_account_manager_summary(manager, assigned=True, locations=locations)
        for former, partners in former_managers.items():
            if former:
                partners._notify_account_manager_summary(former, assigned=False, locations=locations)

    def _children_sync(self, values):
        # Bulk writes sync all the descendants at once themselves (_write_in_bulk).
        if self.env.context.get(BULK_SYNC_KEY):
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
        shown = self[:SUMMARY_NAMES_SHOWN]
        items = Markup().join(Markup("<li>%s</li>") % name for name in shown.mapped("display_name"))
        more = (
            Markup("<p>%s</p>") % self.env._("… and %(count)s more.", count=count - len(shown))
            if count > len(shown)
            else Markup()
        )
        intro = self.env._("%(user)s changed the account manager:", user=self.env.user.name)
        notification_sender(self[0]).message_notify(
            partner_ids=user.partner_id.ids,
            subject=subject,
            body=Markup("<p>%s</p><p>%s</p><ul>%s</ul>%s") % (intro, subject, items, more),
            record_name=self[0].display_name,
            email_layout_xmlid="mail.mail_notification_light",
        )

    # Order metrics

    @api.model
    def _cron_update_engagement_status(self):
        """Daily scheduled action: apply the time-based engaged → lapsed change."""
        return self._update_engagement_status()

    @api.model
    def _get_engagement_window_days(self):
        days = get_customer_rep_param(self.env, "engagement_window_days", DEFAULT_ENGAGEMENT_WINDOW_DAYS)
        return days if days > 0 else DEFAULT_ENGAGEMENT_WINDOW_DAYS

    @api.model
    def _get_engagement_cutoff_date(self):
        """A customer whose last confirmed order is on or after this date is engaged."""
        return fields.Date.today() - timedelta(days=self._get_engagement_window_days())

    def _recompute_order_metrics(self):
        """Recompute the order metrics of these partners from the orders themselves.

        Customers (commercial partners) get the aggregate over the confirmed orders of their
        whole family; other partners (contacts, locations) are reset to empty. One locking
        query and one UPDATE ... FROM (aggregate) per call, whatever the batch size.

        Concurrency: the values are recomputed from an aggregate over the orders, never
        incremented, and each customer's row is locked (FOR NO KEY UPDATE, in id order to
        avoid deadlocks; it does not block new orders, whose foreign key takes only a KEY SHARE
        lock). Odoo runs transactions in REPEATABLE READ: when two users confirm orders of the
        same customer at once, the second waits for the first's lock and, once the first
        commits, gets a serialization failure instead of writing an aggregate that misses the
        first's order. Odoo retries such failures (RPC and web requests), and the retry sees
        both orders: no lost update. The UPDATE must therefore always touch the row, even when
        the values do not change.
        """
        partner_ids = sorted(set(self.ids))
        if not partner_ids:
            return
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "currency_rate", "amount_untaxed"]
        )
        self.env["res.partner"].flush_model(["parent_id", "commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                partner_ids,
            )
        )
        # Raw SQL, reason: one set-based aggregate and update for the whole batch, with the
        # per-order currency conversion the ORM's aggregates cannot express.
        self.env.cr.execute(self._get_order_metrics_update_sql(partner_ids))
        self.browse(partner_ids).invalidate_recordset(list(ORDER_METRIC_FIELDS))

    @api.model
    def _get_order_metrics_update_sql(self, partner_ids=None):
        """UPDATE setting the order metrics of the given partners (all partners when None).

        An order counts in its company's currency: amount_untaxed / currency_rate (the rate of
        the order's own date), rounded to that currency; dates are the UTC dates of date_order.
        """
        order_filter = SQL("TRUE")
        partner_filter = SQL("TRUE")
        if partner_ids is not None:
            order_filter = SQL("rp.commercial_partner_id = ANY(%s)", list(partner_ids))
            partner_filter = SQL("src.id = ANY(%s)", list(partner_ids))
        return SQL(
            """
            WITH metrics AS (
                SELECT rp.commercial_partner_id AS partner_id,
                       COUNT(*) AS order_count,
                       SUM(ROUND(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                                 / cur.rounding) * cur.rounding) AS amount_total,
                       MAX(cur.rounding) AS rounding,
                       MIN(so.date_order)::date AS first_order_date,
                       MAX(so.date_order)::date AS last_order_date
                  FROM sale_order so
                  JOIN res_partner rp ON rp.id = so.partner_id
                  JOIN res_company company ON company.id = so.company_id
                  JOIN res_currency cur ON cur.id = company.currency_id
                 WHERE so.state = 'sale' AND %(order_filter)s
              GROUP BY rp.commercial_partner_id
            )
            UPDATE res_partner p
               SET order_count = COALESCE(m.order_count, 0),
                   order_amount_total = COALESCE(m.amount_total, 0),
                   order_amount_average = COALESCE(
                       ROUND(m.amount_total / m.order_count / m.rounding) * m.rounding, 0),
                   first_order_date = m.first_order_date,
                   last_order_date = m.last_order_date,
                   engagement_status = CASE
                       WHEN COALESCE(src.commercial_partner_id, src.id) != src.id THEN NULL
                       WHEN m.partner_id IS NULL THEN 'new'
                       WHEN m.last_order_date >= %(cutoff)s THEN 'engaged'
                       ELSE 'lapsed'
                   END
              FROM res_partner src
         LEFT JOIN metrics m
                ON m.partner_id = src.id AND COALESCE(src.commercial_partner_id, src.id) = src.id
             WHERE p.id = src.id AND %(partner_filter)s
            """,
            order_filter=order_filter,
            partner_filter=partner_filter,
            cutoff=self._get_engagement_cutoff_date(),
        )

    @api.model
    def _update_engagement_status(self):
        """Move customers between engaged and lapsed after the window, set-based.

        One UPDATE over the customers whose status is due to change (index on
        engagement_status and last_order_date); returns how many changed.
        """
        self.flush_model(["last_order_date", "engagement_status"])
        cutoff = self._get_engagement_cutoff_date()
        # Raw SQL, reason: one set-based update of every customer past the window.
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET engagement_status = CASE WHEN last_order_date >= %(cutoff)s
                                                THEN 'engaged' ELSE 'lapsed' END
                 WHERE (engagement_status = 'engaged' AND last_order_date < %(cutoff)s)
                    OR (engagement_status = 'lapsed' AND last_order_date >= %(cutoff)s)
                """,
                cutoff=cutoff,
            )
        )
        count = self.env.cr.rowcount
        self.invalidate_model(["engagement_status"])
        return count
