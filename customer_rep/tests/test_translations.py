import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, new_test_user, tagged

I18N = Path(__file__).resolve().parent.parent / "i18n"
LANGUAGES = ("nb_NO", "sv_SE")

# Python placeholders (%s, %(name)s, %d...), format fields ({name}) and markup tags must survive
# translation unchanged, or the message breaks at runtime.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdrif]|\{[^{}]*\}|</?[a-zA-Z][^>]*>")


def _placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(str(I18N / "customer_rep.pot"))
        cls.pot_msgids = {entry.msgid for entry in cls.pot}
        cls.po_files = {lang: polib.pofile(str(I18N / f"{lang}.po")) for lang in LANGUAGES}

    def test_every_template_string_is_translated(self):
        for lang, po in self.po_files.items():
            with self.subTest(lang=lang):
                self.assertEqual(po.metadata.get("Language"), lang)
                translations = {entry.msgid: entry.msgstr for entry in po if not entry.obsolete}
                untranslated = sorted(
                    msgid for msgid in self.pot_msgids if not translations.get(msgid, "").strip()
                )
                self.assertEqual(untranslated, [])
                fuzzy = sorted(entry.msgid for entry in po if "fuzzy" in entry.flags)
                self.assertEqual(fuzzy, [])

    def test_translations_keep_placeholders_and_markup(self):
        for lang, po in self.po_files.items():
            for entry in po:
                if entry.obsolete or not entry.msgstr:
                    continue
                with self.subTest(lang=lang, msgid=entry.msgid):
                    self.assertEqual(_placeholders(entry.msgstr), _placeholders(entry.msgid))

    def test_template_covers_the_addons_labels(self):
        """Every field, group and menu label the addon defines is in the template, so a field
        added without re-exporting the .pot fails here rather than showing up in English."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "customer_rep"),
                ("model", "in", ["ir.model.fields", "res.groups", "ir.ui.menu"]),
            ]
        )
        labels = {}
        for model, records in data.grouped("model").items():
            label_field = "field_description" if model == "ir.model.fields" else "name"
            for record in self.env[model].browse(records.mapped("res_id")).exists():
                labels[record[label_field]] = f"{model},{record.id}"
        self.assertIn("Account Manager", labels)
        missing = sorted(label for label in labels if label not in self.pot_msgids)
        self.assertEqual(missing, [])
        for known in (
            "Account Manager",
            "Effective Account Manager",
            "Assign account managers",
            "My Accounts",
        ):
            self.assertIn(known, self.pot_msgids)

    def test_loaded_translations_show_in_the_interface(self):
        field = self.env["ir.model.fields"]._get("res.partner", "account_manager_id")
        group = self.env.ref("customer_rep.group_assign_account_manager")
        expected = {
            "nb_NO": ("Kundeansvarlig", "Tildele kundeansvarlige"),
            "sv_SE": ("Kundansvarig", "Tilldela kundansvariga"),
        }
        for lang in LANGUAGES:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["customer_rep"], list(LANGUAGES))
        # An archived user who still manages one customer, for the handover's sentences.
        leaver = new_test_user(self.env, login="tr_leaver", groups="sales_team.group_sale_salesman")
        self.env["res.partner"].create(
            {"name": "Kunde AS", "is_company": True, "account_manager_id": leaver.id}
        )
        leaver.active = False
        for lang, (field_label, group_name) in expected.items():
            with self.subTest(lang=lang):
                self.assertEqual(field.with_context(lang=lang).field_description, field_label)
                self.assertEqual(group.with_context(lang=lang).name, group_name)
                search_arch = (
                    self.env["res.partner"]
                    .with_context(lang=lang)
                    .get_views([(False, "search")])["views"]["search"]["arch"]
                )
                self.assertIn({"nb_NO": "Mine kunder", "sv_SE": "Mina kunder"}[lang], search_arch)
                # Sentences built in Python carry their numbers inside the translation.
                wizard = (
                    self.env["customer.rep.handover"]
                    .with_context(lang=lang)
                    .create({"from_user_id": leaver.id})
                )
                self.assertTrue(
                    wizard.summary.startswith(
                        {
                            "nb_NO": "Flytter 1 kunde, 0 leveringssteder",
                            "sv_SE": "Flyttar 1 kund, 0 leveransplatser",
                        }[lang]
                    ),
                    wizard.summary,
                )
                self.assertIn(
                    {"nb_NO": "er arkivert og er fortsatt", "sv_SE": "är arkiverad och är fortfarande"}[lang],
                    wizard.archived_warning,
                )
