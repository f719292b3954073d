from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestSettings(CustomerRepCase):
    def _param(self, key):
        return self.env["ir.config_parameter"].get_param(f"customer_rep.{key}")

    def test_defaults_after_install(self):
        settings = self.env["res.config.settings"].create({})
        self.assertRecordValues(
            settings,
            [
                {
                    "generate_customer_numbers": True,
                    "customer_number_min_length": 1,
                    "customer_number_max_length": 20,
                    "show_customer_number_in_names": False,
                    "only_archived_deletable": True,
                }
            ],
        )

    def test_settings_stored_and_applied(self):
        self.env["res.config.settings"].create(
            {
                "generate_customer_numbers": False,
                "customer_number_min_length": 4,
                "customer_number_max_length": 8,
                "show_customer_number_in_names": True,
                "only_archived_deletable": False,
            }
        ).execute()
        self.assertEqual(
            [
                self._param(key)
                for key in (
                    "generate_customer_numbers",
                    "customer_number_min_length",
                    "customer_number_max_length",
                    "show_customer_number_in_names",
                    "only_archived_deletable",
                )
            ],
            [False, "4", "8", "True", False],
        )
        self.assertFalse(self.env["res.partner"].create({"name": "No Number AS", "is_company": True}).ref)
        settings = self.env["res.config.settings"].create({})
        self.assertRecordValues(
            settings,
            [
                {
                    "generate_customer_numbers": False,
                    "customer_number_min_length": 4,
                    "only_archived_deletable": False,
                }
            ],
        )

    def test_lengths_validated(self):
        for low, high in ((0, 5), (3, 0), (6, 5)):
            with self.assertRaises(ValidationError):
                self.env["res.config.settings"].create(
                    {"customer_number_min_length": low, "customer_number_max_length": high}
                )
        self.assertEqual(self._param("customer_number_min_length"), "1")

    def test_lengths_must_fit_generated_numbers(self):
        sequence = self.env.ref("customer_rep.seq_customer_number")
        number = sequence.get_next_char(sequence.number_next_actual)  # C00042: 6 characters
        for low, high in ((len(number) + 1, 20), (1, len(number) - 1)):
            with self.subTest(min=low, max=high):
                with self.assertRaises(ValidationError) as refusal:
                    self.env["res.config.settings"].create(
                        {"customer_number_min_length": low, "customer_number_max_length": high}
                    )
                self.assertIn(number, str(refusal.exception))
        self.assertEqual(self._param("customer_number_min_length"), "1")
        # Longer minimums are fine where numbers are typed, not generated.
        self.env["res.config.settings"].create(
            {"generate_customer_numbers": False, "customer_number_min_length": len(number) + 1}
        ).execute()
        self.assertEqual(self._param("customer_number_min_length"), str(len(number) + 1))

    def test_open_sequence(self):
        action = self.env["res.config.settings"].create({}).action_open_customer_number_sequence()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("ir.sequence", self.env.ref("customer_rep.seq_customer_number").id),
        )
