from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CustomerRepCase


@tagged("post_install", "-at_install")
class TestIdentityNumbers(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.privacy_officer = new_test_user(
            cls.env,
            login="cr_privacy",
            name="Priya Privacy",
            groups="base.group_user,base.group_partner_manager,customer_rep.group_personal_data",
        )

    def test_valid_organisation_numbers_stored_compact(self):
        cases = [
            ("base.no", "974 760 673", "974760673"),
            ("base.se", "556703-7485", "5567037485"),
            ("base.dk", "13 58 56 28", "13585628"),
            ("base.fi", "2077474-0", "20774740"),
        ]
        for country, given, stored in cases:
            company = self.Partner.create(
                {
                    "name": f"Org {country}",
                    "is_company": True,
                    "country_id": self.env.ref(country).id,
                    "company_registry": given,
                }
            )
            self.assertEqual(company.company_registry, stored)

    def test_valid_personal_numbers_stored_compact(self):
        cases = [
            ("base.no", "151086 95088", "15108695088"),
            ("base.se", "811228-9874", "811228-9874"),
            ("base.dk", "211062-5629", "2110625629"),
            ("base.fi", "131052-308t", "131052-308T"),
        ]
        for country, given, stored in cases:
            person = self.Partner.create(
                {
                    "name": f"Person {country}",
                    "country_id": self.env.ref(country).id,
                    "personal_identity_number": given,
                }
            )
            self.assertEqual(person.personal_identity_number, stored)

    def test_invalid_organisation_number_refused(self):
        with self.assertRaises(ValidationError) as refusal:
            self.Partner.create(
                {
                    "name": "Bad Org AS",
                    "is_company": True,
                    "country_id": self.env.ref("base.no").id,
                    "company_registry": "974760674",
                }
            )
        self.assertIn("Orgnr (Organisasjonsnummer, Norwegian organisation number)", str(refusal.exception))
        self.assertFalse(self.Partner.search([("name", "=", "Bad Org AS")]))
        self.customer.write({"country_id": self.env.ref("base.fi").id, "company_registry": "2077474-0"})
        with self.assertRaises(ValidationError) as refusal:
            self.customer.company_registry = "2077474-1"
        self.assertIn("Y-tunnus", str(refusal.exception))
        self.env.invalidate_all()
        self.assertEqual(self.customer.company_registry, "20774740")

    def test_invalid_personal_number_refused(self):
        person = self.Partner.create({"name": "Sven Svensson", "country_id": self.env.ref("base.se").id})
        for country, number, expected in [
            ("base.se", "811228-9873", "Personnummer"),
            ("base.no", "15108695089", "Fødselsnummer"),
            ("base.dk", "3213625629", "CPR"),
            ("base.fi", "131052-308U", "HETU"),
        ]:
            with self.assertRaises(ValidationError) as refusal:
                person.write({"country_id": self.env.ref(country).id, "personal_identity_number": number})
            self.assertIn(expected, str(refusal.exception))
            self.env.invalidate_all()
            self.assertRecordValues(
                person, [{"country_id": self.env.ref("base.se").id, "personal_identity_number": False}]
            )

    def test_country_change_revalidates(self):
        company = self.Partner.create(
            {
                "name": "Moving AS",
                "is_company": True,
                "country_id": self.env.ref("base.no").id,
                "company_registry": "974760673",
            }
        )
        with self.assertRaises(ValidationError):
            company.country_id = self.env.ref("base.se")
        self.env.invalidate_all()
        self.assertEqual(company.country_id, self.env.ref("base.no"))

    def test_unknown_format_accepts_anything(self):
        company = self.Partner.create(
            {
                "name": "Faraway Inc",
                "is_company": True,
                "country_id": self.env.ref("base.us").id,
                "company_registry": " whatever 123 ",
            }
        )
        self.assertEqual(company.company_registry, "whatever 123")
        nowhere = self.Partner.create({"name": "Nowhere", "personal_identity_number": "x-1"})
        self.assertEqual(nowhere.personal_identity_number, "x-1")

    def test_batch_write_across_countries_compacts_per_country(self):
        norwegian = self.Partner.create({"name": "Ola", "country_id": self.env.ref("base.no").id})
        swede = self.Partner.create({"name": "Sven", "country_id": self.env.ref("base.se").id})
        with self.assertRaises(ValidationError):
            (norwegian | swede).personal_identity_number = "15108695088"
        self.env.invalidate_all()
        self.assertFalse(norwegian.personal_identity_number)

    def test_personal_number_needs_the_group(self):
        person = self.Partner.create(
            {
                "name": "Kari Secret",
                "country_id": self.env.ref("base.no").id,
                "personal_identity_number": "15108695088",
            }
        )
        as_salesman = person.with_user(self.salesman)
        with self.assertRaises(AccessError):
            as_salesman.read(["personal_identity_number"])
        with self.assertRaises(AccessError):
            as_salesman.write({"personal_identity_number": "15108695088"})
        with self.assertRaises(AccessError):
            self.Partner.with_user(self.salesman).create(
                {"name": "Sneaky", "personal_identity_number": "15108695088"}
            )
        self.assertEqual(as_salesman.read(["name"]), [{"id": person.id, "name": "Kari Secret"}])
        as_officer = person.with_user(self.privacy_officer)
        self.assertEqual(
            as_officer.read(["personal_identity_number"]),
            [{"id": person.id, "personal_identity_number": "15108695088"}],
        )
        as_officer.personal_identity_number = False
        self.assertFalse(person.personal_identity_number)
        self.assertNotIn("personal_identity_number", self.Partner.with_user(self.salesman).fields_get())
