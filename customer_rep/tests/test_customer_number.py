from psycopg2 import errors

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestCustomerNumber(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="cr_sysadmin",
            name="Sys Admin",
            groups="base.group_system,base.group_partner_manager",
        )
        cls.sequence = cls.env.ref("customer_rep.seq_customer_number")
        # Customers are created in the register (its action's context): a customer is numbered
        # when it becomes one (tests/test_customer_definition.py for the other ways).
        cls.Partner = cls.env["res.partner"].with_context(res_partner_search_mode="customer")

    def _set(self, key, value):
        self.env["ir.config_parameter"].set_param(f"customer_rep.{key}", value)

    def setUp(self):
        super().setUp()
        self._set("generate_customer_numbers", "True")
        self._set("customer_number_min_length", "1")
        self._set("customer_number_max_length", "20")
        self._set("show_customer_number_in_names", False)

    def _next_number(self, offset=0):
        return self.sequence.get_next_char(self.sequence.number_next_actual + offset)

    def test_same_number_checked_by_two_transactions_at_once(self):
        """The second transaction to check a number fails with a serialization error once the
        first has committed (Odoo then runs the request again); run again, it is refused by
        name. Two real transactions, as two users' requests would be."""
        first_cr, second_cr = self.registry.cursor(), self.registry.cursor()
        first = api.Environment(first_cr, SUPERUSER_ID, {})["res.partner"]
        second = api.Environment(second_cr, SUPERUSER_ID, {})["res.partner"]
        values = {"name": "Race Two AS", "is_company": True, "ref": "RACE-7"}
        try:
            second_cr.execute("SELECT 1")  # its snapshot: before the first commits
            winner = first.create({"name": "Race One AS", "is_company": True, "ref": "race-7"})
            first_cr.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(errors.SerializationFailure):
                second.create(values)
            second_cr.rollback()
            with self.assertRaises(ValidationError) as refusal:
                second.create(values)
            self.assertIn("Race One AS", str(refusal.exception))
            second_cr.rollback()
        finally:
            second_cr.rollback()
            second_cr.close()
            first_cr.execute(SQL("DELETE FROM res_partner WHERE ref = %s", "race-7"))
            first_cr.commit()
            first_cr.close()
        self.assertTrue(winner)

    def test_same_number_from_two_transactions_at_once(self):
        """Each transaction checks before the other commits, so both checks pass: the database
        refuses the second commit. Plain SQL in two real connections, as two servers would."""
        template = self.env.company.partner_id  # committed before the test, a customer row
        insert = SQL(
            """CREATE TEMP TABLE race AS SELECT * FROM res_partner WHERE id = %s;
               UPDATE race SET id = nextval('res_partner_id_seq'), name = 'Race AS', ref = %s;
               INSERT INTO res_partner SELECT * FROM race""",
            template.id,
            "race-42",
        )
        first, second = (sql_db.db_connect(self.env.cr.dbname).cursor() for _i in range(2))
        try:
            for cr in (first, second):
                cr.execute("SET lock_timeout = '5s'")
                cr.execute(insert)
            first.commit()
            with mute_logger("odoo.sql_db"), self.assertRaises(errors.ExclusionViolation):
                second.commit()
            second.rollback()
            second.execute("SELECT count(*) FROM res_partner WHERE lower(ref) = 'race-42'")
            self.assertEqual(second.fetchone()[0], 1)
        finally:
            second.rollback()
            first.execute("DELETE FROM res_partner WHERE ref = 'race-42'")
            first.commit()
            first.close()
            second.close()

    def test_generated_in_order_for_customers_only(self):
        expected = [self._next_number(0), self._next_number(1)]
        company, individual = self.Partner.create(
            [{"name": "Numbered AS", "is_company": True}, {"name": "Numbered Person"}]
        )
        contact = self.Partner.create({"name": "Contact Person", "parent_id": company.id})
        self.assertEqual([company.ref, individual.ref], expected)
        self.assertFalse(contact.ref)

    def test_generation_off(self):
        self._set("generate_customer_numbers", False)
        customer = self.Partner.create({"name": "Unnumbered AS", "is_company": True})
        self.assertFalse(customer.ref)

    def test_given_number_kept_and_trimmed(self):
        customer = self.Partner.create({"name": "Own Number AS", "is_company": True, "ref": "  K-100 "})
        self.assertEqual(customer.ref, "K-100")
        customer.ref = " K-101"  # superuser: may change it
        self.assertEqual(customer.ref, "K-101")

    def test_contact_becoming_customer_is_numbered(self):
        expected = self._next_number()
        # Detached from its company, the contact is a partner of its own, no customer yet.
        self.contact.parent_id = False
        self.assertFalse(self.contact.ref)
        self.contact.account_manager_id = self.manager_b
        self.assertEqual(self.contact.ref, expected)

    def test_copy_gets_new_number(self):
        expected = self._next_number()
        copy = self.customer.copy()
        self.assertEqual(copy.ref, expected)
        self.assertNotEqual(copy.ref, self.customer.ref)

    def test_duplicate_refused_case_insensitive_on_create(self):
        self.customer.ref = "ABC-1"
        with self.assertRaises(ValidationError) as refusal:
            self.Partner.create({"name": "Copycat AS", "is_company": True, "ref": " abc-1 "})
        self.assertIn("Nordlys Handel AS", str(refusal.exception))
        self.assertIn("abc-1", str(refusal.exception))
        self.assertFalse(self.Partner.search([("name", "=", "Copycat AS")]))

    def test_duplicate_refused_in_batch(self):
        with self.assertRaises(ValidationError):
            self.Partner.create(
                [
                    {"name": "Twin One AS", "is_company": True, "ref": "TWIN"},
                    {"name": "Twin Two AS", "is_company": True, "ref": "twin"},
                ]
            )
        self.assertFalse(self.Partner.search([("name", "like", "Twin %")]))

    def test_duplicate_refused_on_write(self):
        before = self.other_customer.ref
        with self.assertRaises(ValidationError) as refusal:
            self.other_customer.ref = self.customer.ref.lower()
        self.assertIn("Nordlys Handel AS", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(self.other_customer.ref, before)

    def test_archived_customer_keeps_its_number(self):
        self.customer.action_archive()
        with self.assertRaises(ValidationError):
            self.other_customer.ref = self.customer.ref

    def test_contacts_references_are_not_customer_numbers(self):
        self.contact.ref = self.other_customer.ref
        self.assertEqual(self.contact.ref, self.other_customer.ref)

    def test_unique_per_company(self):
        company_a = self.env["res.company"].create({"name": "Company A"})
        company_b = self.env["res.company"].create({"name": "Company B"})
        in_a = self.Partner.create(
            {"name": "In A", "is_company": True, "ref": "SAME", "company_id": company_a.id}
        )
        in_b = self.Partner.create(
            {"name": "In B", "is_company": True, "ref": "same", "company_id": company_b.id}
        )
        self.assertEqual((in_a | in_b).mapped("ref"), ["SAME", "same"])
        with self.assertRaises(ValidationError) as refusal:
            self.Partner.create(
                {"name": "Again A", "is_company": True, "ref": "Same", "company_id": company_a.id}
            )
        self.assertIn("In A", str(refusal.exception))
        # A customer shared by all companies shares its number with every company.
        with self.assertRaises(ValidationError):
            self.Partner.create({"name": "Shared", "is_company": True, "ref": "SAME"})
        self.assertFalse(self.Partner.search([("name", "in", ["Again A", "Shared"])]))

    def test_sequence_skips_numbers_already_taken(self):
        taken, free = self._next_number(0), self._next_number(1)
        self.Partner.create({"name": "Early Bird AS", "is_company": True, "ref": taken})
        late = self.Partner.create({"name": "Late AS", "is_company": True})
        self.assertEqual(late.ref, free)

    def test_length_limits(self):
        self._set("customer_number_min_length", "3")
        self._set("customer_number_max_length", "5")
        with self.assertRaises(ValidationError) as refusal:
            self.Partner.create({"name": "Short AS", "is_company": True, "ref": "AB"})
        self.assertIn("3 to 5", str(refusal.exception))
        self.assertFalse(self.Partner.search([("name", "=", "Short AS")]))
        before = self.customer.ref
        with self.assertRaises(ValidationError):
            self.customer.ref = "ABCDEF"
        self.env.invalidate_all()
        self.assertEqual(self.customer.ref, before)
        self.customer.ref = "ABCDE"
        self.assertEqual(self.customer.ref, "ABCDE")

    def test_only_administrators_change_a_number(self):
        before = self.customer.ref
        salesman_view = self.customer.with_user(self.salesman)
        self.assertTrue(salesman_view.customer_number_locked)
        with self.assertRaises(AccessError):
            salesman_view.ref = "NEW-1"
        with self.assertRaises(AccessError):
            salesman_view.ref = False
        self.env.invalidate_all()
        self.assertEqual(self.customer.ref, before)
        # Writing the same number, or other fields, is no change.
        salesman_view.write({"ref": before, "phone": "+47 1"})
        self.assertEqual(self.customer.phone, "+47 1")
        # A customer without a number may be given one by anybody allowed to edit it.
        self._set("generate_customer_numbers", False)
        fresh = self.Partner.with_user(self.salesman).create({"name": "Fresh AS", "is_company": True})
        self.assertFalse(fresh.customer_number_locked)
        fresh.ref = "FRESH-1"
        self.assertEqual(fresh.ref, "FRESH-1")
        admin_view = self.customer.with_user(self.admin)
        self.assertFalse(admin_view.customer_number_locked)
        admin_view.ref = "NEW-1"
        self.assertEqual(self.customer.ref, "NEW-1")

    def test_number_in_names_and_search(self):
        self.customer.ref = "K-777"
        self.assertEqual(self.customer.display_name, "Nordlys Handel AS")
        self._set("show_customer_number_in_names", "True")
        self.env.invalidate_all()
        self.assertEqual(self.customer.display_name, "[K-777] Nordlys Handel AS")
        self.assertEqual(self.contact.display_name, "Nordlys Handel AS, Per Olsen")
        found = self.Partner.name_search("K-777")
        self.assertEqual(found, [(self.customer.id, "[K-777] Nordlys Handel AS")])
        found = self.Partner.with_user(self.manager_a).search([("display_name", "ilike", "k-777")])
        self.assertEqual(found, self.customer)
        # The displayed name, as copied from a list, finds the customer too.
        found = self.Partner.name_search("[K-777] Nordlys Handel")
        self.assertEqual([row[0] for row in found], self.customer.ids)
        self.assertFalse(self.Partner.name_search("[K-777] Fjord"))

    def test_existing_customers_numbered_oldest_first(self):
        self._set("generate_customer_numbers", False)
        newer, older = self.Partner.create(
            [{"name": "Newer AS", "is_company": True}, {"name": "Older AS", "is_company": True}]
        )
        archived = self.Partner.create({"name": "Archived AS", "is_company": True, "active": False})
        self.env.cr.execute(
            SQL("UPDATE res_partner SET create_date = %s WHERE id = %s", "2001-01-01 00:00:00", older.id)
        )
        self.env.cr.execute(
            SQL("UPDATE res_partner SET create_date = %s WHERE id = %s", "2001-01-02 00:00:00", archived.id)
        )
        self.env.invalidate_all()
        self._set("generate_customer_numbers", "True")
        expected = [self._next_number(0), self._next_number(1), self._next_number(2)]
        self.Partner._number_existing_customers()
        self.assertEqual([older.ref, archived.ref, newer.ref], expected)
