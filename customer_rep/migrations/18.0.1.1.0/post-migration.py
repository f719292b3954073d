from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Customer numbers come from a no-gap sequence since 18.0.1.1.0 (a refused save no longer
    uses up a number); the sequence is noupdate data, so existing databases switch here,
    continuing from the number the PostgreSQL sequence would have given next."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    sequence = env.ref("customer_rep.seq_customer_number", raise_if_not_found=False)
    if sequence and sequence.implementation == "standard":
        sequence.write({"implementation": "no_gap", "number_next": sequence.number_next_actual})
