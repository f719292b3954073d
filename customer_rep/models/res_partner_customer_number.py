import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .res_partner import COMMERCIAL_PARTNER_CONDITION

# "[number] name", as customers are displayed when the setting shows numbers in names.
NUMBERED_NAME = re.compile(r"^\[([^\]]+)\]\s*(.*)$", re.S)
# Partner fields whose change can make a partner a customer (_on_become_customers).
CUSTOMER_TRIGGERS = frozenset({"parent_id", "is_company", "account_manager_id", "customer_rank"})


class ResPartner(models.Model):
    """Customer numbers: the *Reference* (``ref``) of a customer, drawn from the sequence
    ``customer_rep.seq_customer_number`` when the partner becomes a customer (created as one,
    its first order confirmed, an account manager or a customer rank given: never for vendors,
    users' partners or partners made from an e-mail address, which so never wait on the no-gap
    sequence), trimmed, of a length within the settings, and changed only by administrators
    once set. Unique per company case-insensitively among the commercial partners, customers or
    not, so that a partner that becomes a customer keeps the reference it has."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The customer number of a customer (a commercial partner); a copy gets a new one.
    ref = fields.Char(copy=False)
    customer_number_locked = fields.Boolean(
        compute="_compute_customer_number_locked",
        help="The customer number is set and only administrators may change it.",
    )

    @api.model
    def _get_customer_rep_input_fields(self):
        return {**super()._get_customer_rep_input_fields(), "ref": None}

    # Backs _check_customer_number against two transactions that each give a customer the same
    # number before the other commits (both checks pass): checked at commit, it refuses the
    # second for customers of the same company or both shared. Ordinary duplicates never reach
    # it (the ValidationError naming the holder comes first). Where customers share numbers
    # already, Odoo logs that it cannot add it and the check alone applies.
    _sql_constraints = [
        (
            "customer_number_excl",
            "EXCLUDE USING btree (lower(ref) WITH =, COALESCE(company_id, 0) WITH =) "
            f"WHERE (ref IS NOT NULL AND {COMMERCIAL_PARTNER_CONDITION}) DEFERRABLE INITIALLY DEFERRED",
            "Another customer of the same company already has this customer number.",
        ),
    ]

    def init(self):
        res = super().init()
        # Customer numbers are looked up case-insensitively (uniqueness, generation): an
        # expression index, which fields cannot declare.
        create_index(
            self.env.cr,
            "res_partner_customer_number_idx",
            self._table,
            ["lower(ref)"],
            where=f"ref IS NOT NULL AND {COMMERCIAL_PARTNER_CONDITION}",
        )
        # One row per number being checked, to serialise the checks (_lock_customer_numbers).
        self.env.cr.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS customer_rep_number_lock (number varchar PRIMARY KEY)"
        )
        return res

    @api.depends("ref")
    @api.depends_context("uid")
    def _compute_customer_number_locked(self):
        may_change = self.env.su or self.env.user.has_group("base.group_system")
        for partner in self:
            partner.customer_number_locked = bool(partner._origin.ref) and not may_change

    @api.depends("ref", "parent_id", "is_company", "is_customer_account")
    def _compute_display_name(self):
        super()._compute_display_name()
        if not self._get_customer_rep_setting("show_customer_number_in_names"):
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
        domain = [("ref", "=ilike", number.strip()), *self._get_customer_domain()]
        if name.strip():
            domain = expression.AND([domain, super()._search_display_name(operator, name.strip())])
        return domain

    @api.constrains("ref", "parent_id", "is_company", "company_id")
    def _check_customer_number(self):
        customers = self.filtered(lambda p: p.ref and p.is_commercial_partner)
        if not customers:
            return
        min_length = self._get_customer_rep_setting("customer_number_min_length")
        max_length = self._get_customer_rep_setting("customer_number_max_length")
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "ref" in vals:
                vals["ref"] = self._normalize_customer_number(vals["ref"])
        self._prefill_customer_numbers(vals_list)
        # Before the rows exist: a concurrent transaction with the same number then waits here,
        # not at its commit on ours (which would deadlock with the exclusion constraint).
        self._lock_customer_numbers([vals["ref"] for vals in vals_list if isinstance(vals.get("ref"), str)])
        partners = super().create(vals_list)
        # Customers the values did not show (a rep restricted to their own accounts becomes the
        # account manager of what they create).
        partners._on_become_customers()
        return partners

    def write(self, vals):
        if "ref" in vals:
            vals = dict(vals, ref=self._normalize_customer_number(vals["ref"]))
            self._check_customer_number_change_right(vals["ref"])
            if vals["ref"]:
                # Before any row changes, as in create.
                self._lock_customer_numbers([vals["ref"]])
        result = super().write(vals)
        if not CUSTOMER_TRIGGERS.isdisjoint(vals):
            self._on_become_customers()  # an account manager or rank given, a contact detached
        return result

    @api.model
    def _get_customer_number_sequence(self):
        """The sequence customer numbers are drawn from (sudo), or an empty recordset."""
        sequence = self.env.ref("customer_rep.seq_customer_number", raise_if_not_found=False)
        return (sequence or self.env["ir.sequence"]).sudo()

    @api.model
    def _normalize_customer_number(self, number):
        """Customer numbers are stored without surrounding spaces. Empty (False or "") means
        none: that is how a number is cleared. Spaces alone are refused: they are a mistake,
        not a deliberate clearing (which only administrators may do once a number is set)."""
        if not isinstance(number, str):
            return number
        if number and not number.strip():
            raise ValidationError(
                self.env._(
                    "A customer number cannot be only spaces. To remove the number, clear the "
                    "field (only administrators may remove a number once set)."
                )
            )
        return number.strip() or False

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
        """{lowercased number: [(partner id, company id)]} of every commercial partner (customer
        or not), archived or not,
        holding one of ``numbers`` (compared case-insensitively); a single query that uses the
        functional index ``res_partner_customer_number_idx`` on ``lower(ref)``, which the ORM
        cannot express."""
        self.flush_model(["ref", "parent_id", "is_company", "company_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT lower(ref), id, company_id FROM res_partner WHERE lower(ref) IN %s AND %s",
                tuple({number.lower() for number in numbers}),
                self._get_commercial_partner_sql(),
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

    def _on_become_customers(self):
        # The number is bookkeeping of the register, drawn whoever made the partner a customer
        # (an accountant posting its first invoice may not edit it).
        result = super()._on_become_customers()
        self.sudo()._assign_customer_numbers()
        return result

    def _assign_customer_numbers(self):
        """Give the customers in ``self`` that have no number one from the sequence,
        in ``self``'s order, while the setting "Generate customer numbers" is on."""
        missing = self.filtered(lambda p: not p.ref and p._is_customer())
        if not missing or not self._get_customer_rep_setting("generate_customer_numbers"):
            return
        for partner, number in zip(missing, self._next_customer_numbers(len(missing)), strict=True):
            partner.ref = number

    def _prefill_customer_numbers(self, vals_list):
        """Number the customers about to be created without a number, in their order."""
        missing = [vals for vals in vals_list if not vals.get("ref") and self._is_new_customer(vals)]
        if not missing or not self._get_customer_rep_setting("generate_customer_numbers"):
            return
        for vals, number in zip(missing, self._next_customer_numbers(len(missing)), strict=True):
            vals["ref"] = number

    @api.model
    def _number_existing_customers(self, partner_ids=None):
        """Give every customer without a number one (of ``partner_ids`` when given), in
        ``create_date, id`` order.

        Runs at install over possibly hundreds of thousands of customers: the numbers are
        written in one UPDATE rather than one ORM write (and constraint query) per customer.
        """
        if not self._get_customer_rep_setting("generate_customer_numbers"):
            return
        domain = [*self._get_customer_domain(), ("ref", "=", False)]
        if partner_ids is not None:
            domain.append(("id", "in", list(partner_ids)))
        customers = self.with_context(active_test=False).search(domain, order="create_date, id")
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
        sequence = self._get_customer_number_sequence()
        if not sequence:
            raise UserError(
                self.env._("The customer number sequence is missing: update the Customer Register app.")
            )
        numbers = []
        while len(numbers) < count:
            drawn = sequence._customer_rep_draw(count - len(numbers))
            taken = self._get_customer_number_holders(drawn)
            numbers += [number for number in drawn if number.lower() not in taken]
        return numbers
