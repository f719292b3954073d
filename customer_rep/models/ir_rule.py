from odoo import api, models, tools
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval

# Groups whose record rules restrict their members even when another of their groups grants more.
RESTRICTIVE_GROUPS = ("customer_rep.group_own_accounts", "customer_rep.group_edit_own_accounts")


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    @tools.conditional(
        "xml" not in config["dev_mode"],
        tools.ormcache(
            "self.env.uid",
            "self.env.su",
            "model_name",
            "mode",
            "tuple(self._compute_domain_context_values())",
        ),
    )
    def _compute_domain(self, model_name, mode="read"):
        """AND the rules of the restrictive groups the user belongs to with every other rule.

        Odoo ORs the rules of a user's groups, so the rule of "Sales / User: All Documents"
        (``[(1, '=', 1)]``) would cancel the "Own accounts only" rule. Members of a restrictive
        group get its rules as a condition on top of all others, as a global rule would be.
        """
        domain = super()._compute_domain(model_name, mode=mode)
        rules = self._get_restrictive_rules(model_name, mode)
        if not rules:
            return domain
        eval_context = self._eval_context()
        return expression.AND(
            [domain]
            + [expression.normalize_domain(safe_eval(rule.domain_force, eval_context)) for rule in rules]
        )

    def _compute_domain_context_values(self):
        """Today's date is part of the key of the cached domains: account team memberships and
        covers (``customer.rep.access.period``) give access on their days only, and nobody has
        to act when a period starts or ends."""
        yield from super()._compute_domain_context_values()
        yield self.env["res.users"]._customer_rep_today()

    def _get_failing(self, for_records, mode="read"):
        failing = super()._get_failing(for_records, mode=mode)
        Model = for_records.browse().sudo()
        eval_context = self._eval_context()
        for rule in self._get_restrictive_rules(Model._name, mode):
            domain = expression.normalize_domain(safe_eval(rule.domain_force, eval_context))
            if Model.search_count(expression.AND([[("id", "in", for_records.ids)], domain])) < len(
                for_records
            ):
                failing |= rule.with_user(self.env.user)
        return failing

    def _make_access_error(self, operation, records):
        """Say why: a refusal by a restrictive group's rule starts with what the group allows."""
        error = super()._make_access_error(operation, records)
        failing = (
            self._get_restrictive_rules(records._name, operation)
            & self._get_failing(records, mode=operation).sudo()
        )
        groups = failing.groups & self.env.user.sudo().groups_id
        if not groups:
            return error
        reasons = "\n".join(
            self.env._("Your access “%(group)s”: %(comment)s", group=group.name, comment=group.comment or "")
            for group in groups
        )
        refusal = AccessError(f"{reasons}\n\n{error.args[0]}")
        refusal.context = getattr(error, "context", None)
        return refusal

    def _get_restrictive_rules(self, model_name, mode):
        """The active rules of ``model_name`` for ``mode`` that belong to a restrictive group of the user."""
        if self.env.su:
            return self.browse()
        groups = self.env["res.groups"]
        for xmlid in RESTRICTIVE_GROUPS:
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if group and self.env.user.has_group(xmlid):
                groups |= group
        if not groups:
            return self.browse()
        return (
            self._get_rules(model_name, mode=mode)
            .sudo()
            .filtered(lambda rule: rule.domain_force and rule.groups & groups)
        )
