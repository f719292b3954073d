import threading

from odoo import sql_db
from odoo.tests import tagged

from .common import CustomerRepCase
from .test_own_accounts import OwnAccountsMixin

# The models the addon adds fields to, and its own models.
MODELS = (
    "res.partner",
    "sale.order",
    "sale.order.line",
    "sale.report",
    "res.partner.link",
    "res.config.settings",
)


@tagged("post_install", "-at_install")
class TestReadOnlyCursor(OwnAccountsMixin, CustomerRepCase):
    """Odoo sends ``@api.readonly`` calls (read, search, read_group, web_search_read, ...) to a
    read-only cursor, on a streaming replica when ``db_replica_host`` is set. None of the addon's
    read paths may write: every addon field is read, searched, sorted and grouped by on a
    read-only cursor, as an administrator and as a rep restricted to their own accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_own_accounts()
        cls.order_mine.action_confirm()
        cls.env["res.partner.link"].create(
            {"partner_id": cls.mine.id, "name": "Web shop", "url": "https://shop.example.com"}
        )
        cls.env.flush_all()

    def _addon_fields(self, env, model):
        """The fields the addon defines on ``model`` that the user may read."""
        return [
            field
            for field in env[model]._fields.values()
            if field._module == "customer_rep" and field.type != "binary" and field.is_accessible(env)
        ]

    def _exercise(self, env, model):
        Model = env[model]
        fields = self._addon_fields(env, model)
        names = [field.name for field in fields]
        if Model._transient:
            Model.default_get(names)
            return
        records = Model.search([], limit=20)
        if names:
            records.read(names)
            Model.web_search_read([], {name: {} for name in names}, limit=20)
        for field in fields:
            if field._description_searchable:
                Model.search_count([(field.name, "!=", False)])
            if field._description_sortable(env):
                Model.search([], order=f"{field.name} desc", limit=5)
            if field._description_groupable(env) and field.type not in ("many2many", "one2many"):
                Model.read_group([], [], [field.name], lazy=False)
                Model.web_read_group([], [], [field.name], limit=5)
        env.flush_all()

    def test_no_write_on_a_readonly_cursor(self):
        for user in (self.env.ref("base.user_admin"), self.rep):
            for model in MODELS:
                # The cursor Odoo's test mode gives @api.readonly calls: the test's transaction
                # made read-only (SET TRANSACTION READ ONLY), rolled back when closed.
                cr = sql_db.TestCursor(self.env.cr, threading.RLock(), readonly=True)
                with self.subTest(user=user.login, model=model), cr:
                    env = self.env(cr=cr, user=user)
                    self._exercise(env, model)
                    self.assertFalse(env.transaction.tocompute, "pending computations would be written")
