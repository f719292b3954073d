from pathlib import Path

import polib
from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

I18N = Path(__file__).resolve().parent.parent / "i18n"
# The addon's languages and the file names of Odoo's own translations of them.
LANGUAGES = {"nb_NO": "nb", "sv_SE": "sv"}
# Models whose views show the addon's labels beside Odoo's (fields in forms and lists, filters
# and the custom group-by, which lists every stored field).
MODELS = ("res.partner", "sale.order", "customer.rep.mass.update", "customer.rep.location.manager")


@tagged("post_install", "-at_install")
class TestTranslationCollisions(TransactionCase):
    """An addon label must not translate to a word Odoo's own translation gives to a different
    label of the same view: "Engagement Status" as "Aktivitetsstatus" (Odoo's "Activity State")
    lists twice in the group-by, "Engaged" as "Aktiv" reads as "not archived"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addon_po = {lang: cls._read_po(I18N / f"{lang}.po") for lang in LANGUAGES}
        modules = cls.env["ir.module.module"].search(
            [("state", "=", "installed"), ("name", "!=", "customer_rep")]
        )
        cls.core_po = {}
        for lang, code in LANGUAGES.items():
            files = [
                Path(get_module_path(name) or "/nonexistent") / "i18n" / f"{code}.po"
                for name in modules.mapped("name")
            ]
            cls.core_po[lang] = [cls._read_po(path) for path in files if path.exists()]

    @staticmethod
    def _read_po(path):
        """{msgid: {translations}} of a .po file."""
        translations = {}
        for entry in polib.pofile(str(path)):
            if entry.msgstr and not entry.obsolete:
                translations.setdefault(entry.msgid, set()).add(entry.msgstr.strip().casefold())
        return translations

    def _labels(self, model):
        """{English label: True if it is the addon's}: the model's field labels and selection
        values, and the filters and group-bys of its search view."""
        addon_msgids = set(self.addon_po["nb_NO"])
        addon_fields = set(
            self.env["ir.model.fields"]
            .search([("model", "=", model), ("modules", "ilike", "customer_rep")])
            .mapped("name")
        )
        labels = {}

        def add(label, mine):
            labels[label] = labels.get(label, False) or (mine and label in addon_msgids)

        for name, description in self.env[model].fields_get(attributes=["string", "selection"]).items():
            add(description["string"], name in addon_fields)
            for _value, label in description.get("selection") or ():
                add(label, name in addon_fields)
        arch = self.env[model].get_views([(False, "search")])["views"]["search"]["arch"]
        for node in etree.fromstring(arch).iter("filter"):
            if node.get("string"):
                add(node.get("string"), True)
        return labels

    def test_no_addon_label_takes_a_core_word(self):
        for lang in LANGUAGES:
            if not self.core_po[lang]:
                self.skipTest(f"Odoo's own {lang} translations (addons/*/i18n/*.po) are not on this machine")
            core = {}
            for po in self.core_po[lang]:
                for msgid, translations in po.items():
                    core.setdefault(msgid, set()).update(translations)
            for model in MODELS:
                labels = self._labels(model)
                words = {}  # translated word -> English labels that show it
                for label, mine in labels.items():
                    translations = self.addon_po[lang].get(label) if mine else core.get(label)
                    for word in translations or ():
                        words.setdefault(word, set()).add(label)
                collisions = sorted(
                    (word, sorted(english))
                    for word, english in words.items()
                    if len({label.casefold() for label in english}) > 1
                    and any(labels[label] for label in english)
                )
                with self.subTest(lang=lang, model=model):
                    self.assertEqual(collisions, [])

    def test_module_name_and_summary_translated(self):
        """The Apps page shows the module's name and summary in the user's language (kept by
        hand in the .po files: Odoo exports them with base, not with the addon)."""
        for lang in LANGUAGES:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["customer_rep"], list(LANGUAGES))
        module = self.env["ir.module.module"].search([("name", "=", "customer_rep")])
        for lang, name in (("nb_NO", "Kunderegister"), ("sv_SE", "Kundregister")):
            with self.subTest(lang=lang):
                translated = module.with_context(lang=lang)
                self.assertEqual(translated.shortdesc, name)
                self.assertIn(
                    translated.summary.casefold(),
                    self.addon_po[lang][module.with_context(lang="en_US").summary],
                )
