"""18.0.1.4.0: one definition of a customer.

A customer is a commercial partner that has a confirmed order, an account manager or a customer
rank, or was created as a customer. Before, a partner sold to but not yet invoiced had no
customer rank and so was no customer account (missing from *Customers*, seen as a prospect by
own-accounts reps). This gives such partners customer rank 1, and ``is_customer_account`` follows
on them, their contacts, locations and orders, in set-based statements; a second run changes
nothing. Customer numbers are not renumbered: partners that are no customers (vendors, users'
partners, partners made from e-mails) keep the reference they have; only a partner made a
customer here that has no number yet gets the next one, while numbers are generated.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    customers, numbered = env["res.partner"]._make_customers_with_confirmed_orders()
    _logger.info(
        "customer_rep 18.0.1.4.0: %s partner(s) with a confirmed order but no customer rank made "
        "customers (customer rank 1, is_customer_account on them, their contacts, locations and "
        "orders); %s of them numbered; no existing customer number changed.",
        len(customers),
        len(numbered),
    )
