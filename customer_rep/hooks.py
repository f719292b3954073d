def post_init_hook(env):
    """Number the customers that exist before the addon, oldest first."""
    env["res.partner"]._number_existing_customers()
