"""Uploading a customer register through Odoo's import, as the import dialog calls it:
``base_import.import.execute_import`` in batches (``limit``, then ``skip`` = the ``nextrow``
returned), with the dialog's ``tracking_disable`` option."""

import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import file_open

from .common import CustomerRepCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CUSTOMERS_TEMPLATE = "customer_rep/static/xls/customer_rep_customers.xlsx"
LOCATIONS_TEMPLATE = "customer_rep/static/xls/customer_rep_locations.xlsx"
CUSTOMER_COLUMNS = {
    "External ID": "id",
    "Reference": "ref",
    "Name": "name",
    "Company Type": "company_type",
    "Company ID": "company_registry",
    "Personal Identity Number": "personal_identity_number",
    "Country": "country_id",
    "Street": "street",
    "Street2": "street2",
    "Zip": "zip",
    "City": "city",
    "Email": "email",
    "Phone": "phone",
    "Account Manager": "account_manager_id",
    "Salesperson": "user_id",
    "Customer Payment Terms": "property_payment_term_id",
    "Billing Status": "billing_status",
    "Payment Basis Date": "payment_basis_date",
    "Important Note": "important_note",
}
LOCATION_COLUMNS = {
    "Related Company": "parent_id",
    "Name": "name",
    "Address Type": "type",
    "Street": "street",
    "Street2": "street2",
    "Zip": "zip",
    "City": "city",
    "Country": "country_id",
    "Account Manager": "account_manager_id",
}


def xlsx(headers, rows):
    """An .xlsx file (bytes) with ``headers`` and ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filled_template(path, rows):
    """The shipped template ``path`` with its example rows replaced by ``rows``."""
    with file_open(path, "rb") as template:
        book = openpyxl.load_workbook(template)
    sheet = book.active
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@tagged("post_install", "-at_install")
class TestImport(CustomerRepCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_a.email = "alice@example.com"
        cls.manager_b.email = "bob@example.com"
        cls.assigner.email = "ada@example.com"
        cls.norway = cls.env.ref("base.no")
        cls.terms_30 = cls.env.ref("account.account_payment_term_30days")
        cls.env.cr.precommit.run()

    # -- helpers ---------------------------------------------------------------------------

    def _import(self, user, file, limit=2000, tracking=False):
        """Import ``file`` (xlsx bytes) into res.partner as ``user`` through base_import, the
        columns mapped as the dialog maps them, in batches of ``limit`` rows. Returns the
        results of the batches; stops at the first refused batch, as the dialog does."""
        wizard = (
            self.env["base_import.import"]
            .with_user(user)
            .create(
                {"res_model": "res.partner", "file": file, "file_name": "register.xlsx", "file_type": XLSX}
            )
        )
        options = {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "date_format": "",
            "datetime_format": "",
            "float_thousand_separator": ",",
            "float_decimal_separator": ".",
            "advanced": True,
            "keep_matches": False,
            "sheets": [],
            "sheet": "",
            "name_create_enabled_fields": {},
            "import_set_empty_fields": [],
            "import_skip_records": [],
            "fallback_values": {},
            "encoding": "",
            "skip": 0,
            "limit": limit,
        }
        preview = wizard.parse_preview(dict(options))
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = [
            "/".join(preview["matches"].get(index) or []) or False for index in range(len(preview["headers"]))
        ]
        results = []
        while True:
            result = wizard.with_context(tracking_disable=not tracking).execute_import(
                fields, preview["headers"], dict(options)
            )
            results.append(result)
            if result["messages"] or not result.get("nextrow"):
                return results
            options["skip"] = result["nextrow"]

    def _errors(self, results):
        return [message for result in results for message in result["messages"] if message["type"] == "error"]

    def _customer_rows(self, count, manager, start=0, salesperson=""):
        return [
            [
                f"__import__.reg_{n}",
                f"R{n:05d}",
                f"Register Customer {n}",
                "Company",
                "",
                "",
                "Norway",
                f"Gate {n}",
                "",
                "0150",
                "Oslo",
                "",
                "",
                manager.name if manager else "",
                salesperson,
                "",
                "",
                "",
                "",
            ]
            for n in range(start, start + count)
        ]

    def _summaries(self, user, after):
        return self.env["mail.message"].search(
            [
                ("id", ">", after),
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
            ],
            order="id",
        )

    def _last_message(self):
        return self.env["mail.message"].search([], order="id desc", limit=1).id

    def _partners(self, prefix="Register Customer"):
        return (
            self.env["res.partner"].with_context(active_test=False).search([("name", "=like", f"{prefix}%")])
        )

    # -- templates -------------------------------------------------------------------------

    def test_templates_offered_in_the_import_dialog(self):
        templates = self.env["res.partner"].get_import_templates()
        self.assertEqual(
            [template["template"] for template in templates],
            [f"/{CUSTOMERS_TEMPLATE}", f"/{LOCATIONS_TEMPLATE}"],
        )
        for template in templates:
            with file_open(template["template"].lstrip("/"), "rb") as shipped:
                self.assertTrue(shipped.read(4) == b"PK\x03\x04", template["template"])

    def test_shipped_templates_columns_map_by_themselves(self):
        for path, columns in ((CUSTOMERS_TEMPLATE, CUSTOMER_COLUMNS), (LOCATIONS_TEMPLATE, LOCATION_COLUMNS)):
            with file_open(path, "rb") as template:
                content = template.read()
            wizard = self.env["base_import.import"].create(
                {"res_model": "res.partner", "file": content, "file_name": "t.xlsx", "file_type": XLSX}
            )
            preview = wizard.parse_preview(
                {"has_headers": True, "quoting": '"', "separator": ",", "limit": 10}
            )
            self.assertEqual(preview["headers"], list(columns), path)
            self.assertEqual(
                [preview["matches"][index] for index in range(len(columns))],
                [[fname] for fname in columns.values()],
                path,
            )

    def test_customers_and_locations_templates_import_as_shipped(self):
        self.assigner.groups_id += self.env.ref("customer_rep.group_personal_data") + self.env.ref(
            "customer_rep.group_billing_manager"
        )
        rows = [
            [
                "__import__.tpl_1",
                "T1001",
                "Template Handel AS",
                "Company",
                "923 609 016",
                "",
                "Norway",
                "Storgata 1",
                "Bygg B",
                "0155",
                "Oslo",
                "post@tpl.example.com",
                "+47 22 00 00 00",
                self.manager_a.name,
                self.manager_b.name,
                self.terms_30.name,
                "On Hold",
                "End of Invoice Month",
                "Only deliveries before noon",
            ],
            [
                "__import__.tpl_2",
                "T1002",
                "Kari Template",
                "Individual",
                "",
                "",
                "Norway",
                "Fjordveien 2",
                "",
                "5003",
                "Bergen",
                "kari@tpl.example.com",
                "",
                self.manager_b.name,
                "",
                "",
                "Good",
                "Invoice Date",
                "",
            ],
        ]
        results = self._import(self.assigner, filled_template(CUSTOMERS_TEMPLATE, rows))
        self.assertEqual(self._errors(results), [])
        company = self.env.ref("__import__.tpl_1")
        private = self.env.ref("__import__.tpl_2")
        self.assertRecordValues(
            company,
            [
                {
                    "ref": "T1001",
                    "name": "Template Handel AS",
                    "is_company": True,
                    "company_registry": "923609016",
                    "country_id": self.norway.id,
                    "street": "Storgata 1",
                    "street2": "Bygg B",
                    "zip": "0155",
                    "city": "Oslo",
                    "email": "post@tpl.example.com",
                    "phone": "+47 22 00 00 00",
                    "account_manager_id": self.manager_a.id,
                    "user_id": self.manager_b.id,
                    "property_payment_term_id": self.terms_30.id,
                    "billing_status": "on_hold",
                    "payment_basis_date": "month_end",
                }
            ],
        )
        self.assertIn("Only deliveries before noon", company.important_note)
        self.assertRecordValues(
            private, [{"ref": "T1002", "is_company": False, "account_manager_id": self.manager_b.id}]
        )
        # Locations: the customer by its number (as shipped) or by its external id.
        locations = [
            ["T1001", "Lager Alnabru", "Delivery Address", "Alnaveien 10", "", "0668", "Oslo", "Norway", ""],
            [
                "T1001",
                "Lager Bergen",
                "Delivery Address",
                "Kokstadveien 5",
                "",
                "5257",
                "Bergen",
                "Norway",
                self.manager_b.name,
            ],
        ]
        self.assertEqual(
            self._errors(self._import(self.assigner, filled_template(LOCATIONS_TEMPLATE, locations))), []
        )
        by_xid = xlsx(
            ["Related Company/External ID", *list(LOCATION_COLUMNS)[1:]],
            [["__import__.tpl_2", "Hytta", "Delivery Address", "", "", "3580", "Geilo", "Norway", ""]],
        )
        self.assertEqual(self._errors(self._import(self.assigner, by_xid)), [])
        self.assertRecordValues(
            company.child_ids.sorted("name"),
            [
                {
                    "name": "Lager Alnabru",
                    "type": "delivery",
                    "city": "Oslo",
                    "effective_account_manager_id": self.manager_a.id,
                    "has_account_manager_override": False,
                },
                {
                    "name": "Lager Bergen",
                    "type": "delivery",
                    "city": "Bergen",
                    "effective_account_manager_id": self.manager_b.id,
                    "has_account_manager_override": True,
                },
            ],
        )
        self.assertRecordValues(private.child_ids, [{"name": "Hytta", "type": "delivery", "city": "Geilo"}])

    # -- notices ---------------------------------------------------------------------------

    def _check_one_summary_per_manager_per_batch(self, tracking):
        last = self._last_message()
        mails_before = self.env["mail.mail"].search_count([])
        rows = self._customer_rows(12, self.manager_a) + self._customer_rows(6, self.manager_b, start=12)
        for row in rows:
            row[14] = self.manager_b.name  # every customer with a salesperson as well
        results = self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows), limit=10, tracking=tracking)
        self.assertEqual(self._errors(results), [])
        self.assertEqual(len(results), 2)
        customers = self._partners()
        self.assertEqual(len(customers), 18)
        # Batch 1: rows 1-10 (manager A); batch 2: rows 11-12 (A) and 13-18 (B).
        summaries_a = self._summaries(self.manager_a, last)
        self.assertEqual(
            summaries_a.mapped("subject"),
            [
                "You are now the account manager of 10 customers, uploaded by Ada Assigner",
                "You are now the account manager of 2 customers, uploaded by Ada Assigner",
            ],
        )
        notices = self.env["customer.rep.assignment.notice"].with_user(self.manager_a).search([], order="id")
        self.assertEqual(len(notices), 2)
        self.assertEqual(notices.mapped("origin"), ["import", "import"])
        self.assertEqual(
            notices.partner_ids, customers.filtered(lambda c: c.account_manager_id == self.manager_a)
        )
        self.assertIn(f"/odoo/customer.rep.assignment.notice/{notices[0].id}", summaries_a[0].body)
        self.assertEqual(
            notices[0].action_open_partners()["domain"], [("id", "in", notices[0].partner_ids.ids)]
        )
        summaries_b = self._summaries(self.manager_b, last)
        addon_b = summaries_b.filtered(lambda m: "account manager" in (m.subject or ""))
        self.assertEqual(
            addon_b.mapped("subject"),
            ["You are now the account manager of 6 customers, uploaded by Ada Assigner"],
        )
        # Odoo's own notice of the salesperson stays as Odoo sends it: one per customer when
        # history is tracked, none when the dialog's default turns tracking off.
        odoo_b = summaries_b - addon_b
        self.assertEqual(len(odoo_b), 18 if tracking else 0)
        self.assertFalse(
            self._summaries(self.manager_a, last).filtered(lambda m: "assigned to" in (m.subject or ""))
        )
        # No per-customer e-mail from the addon: at most one e-mail per summary.
        addon_mails = self.env["mail.mail"].search([("mail_message_id", "in", (summaries_a | addon_b).ids)])
        self.assertLessEqual(len(addon_mails), 3)
        self.assertEqual(
            self.env["mail.mail"].search_count([]) - mails_before, len(addon_mails) + len(odoo_b)
        )
        # The account managers follow their customers.
        for customer in customers:
            self.assertIn(customer.account_manager_id.partner_id, customer.message_partner_ids)

    def test_one_summary_per_manager_per_batch(self):
        self._check_one_summary_per_manager_per_batch(tracking=False)

    def test_one_summary_per_manager_per_batch_with_history_tracked(self):
        self._check_one_summary_per_manager_per_batch(tracking=True)

    def test_summary_notice_opens_for_its_reader_only(self):
        rows = self._customer_rows(3, self.manager_a)
        self.assertEqual(self._errors(self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows))), [])
        notice = self.env["customer.rep.assignment.notice"].with_user(self.manager_a).search([])
        self.assertEqual(len(notice), 1)
        form = Form(notice)
        self.assertEqual(
            form.subject, "You are now the account manager of 3 customers, uploaded by Ada Assigner"
        )
        self.assertEqual(form.origin, "import")
        self.assertEqual(form.partner_count, 3)
        self.assertEqual(len(form.partner_ids), 3)
        action = notice.action_open_partners()
        self.assertEqual(
            self.env["res.partner"].with_user(self.manager_a).search(action["domain"]), self._partners()
        )
        self.assertFalse(self.env["customer.rep.assignment.notice"].with_user(self.manager_b).search([]))
        with self.assertRaises(AccessError):
            notice.with_user(self.manager_b).read(["subject"])
        with self.assertRaises(AccessError):
            self.env["customer.rep.assignment.notice"].with_user(self.manager_a).create(
                {"user_id": self.manager_a.id, "origin": "import"}
            )

    def test_account_managers_looked_up_once_per_batch(self):
        Users = self.env.registry["res.users"]
        calls = []
        name_search = Users.name_search

        def counting_name_search(records, name="", *args, **kwargs):
            calls.append(name)
            return name_search(records, name, *args, **kwargs)

        self.patch(Users, "name_search", counting_name_search)
        rows = self._customer_rows(8, self.manager_a) + self._customer_rows(4, self.manager_b, start=8)
        self.assertEqual(self._errors(self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows))), [])
        self.assertEqual(sorted(calls), [self.manager_a.name, self.manager_b.name])
        self.assertEqual(self._partners().mapped("account_manager_id"), self.manager_a | self.manager_b)

    def test_reimport_updates_and_tells_only_changed_managers(self):
        headers = list(CUSTOMER_COLUMNS)
        self.assertEqual(
            self._errors(self._import(self.assigner, xlsx(headers, self._customer_rows(4, self.manager_a)))),
            [],
        )
        last = self._last_message()
        rows = self._customer_rows(4, self.manager_a)
        for row in rows[:3]:
            row[13] = self.manager_b.name
            row[10] = "Bergen"
        self.assertEqual(self._errors(self._import(self.assigner, xlsx(headers, rows))), [])
        customers = self._partners()
        self.assertEqual(len(customers), 4, "a re-import updates the customers of its external ids")
        self.assertEqual(sorted(customers.mapped("city")), ["Bergen", "Bergen", "Bergen", "Oslo"])
        self.assertEqual(
            self._summaries(self.manager_b, last).mapped("subject"),
            ["You are now the account manager of 3 customers, uploaded by Ada Assigner"],
        )
        self.assertEqual(
            self._summaries(self.manager_a, last).mapped("subject"),
            ["You are no longer the account manager of 3 customers, uploaded by Ada Assigner"],
        )

    def test_no_summary_names_a_customer_the_manager_may_not_see(self):
        rep = new_test_user(
            self.env,
            login="cr_import_rep",
            name="Olga Own",
            email="olga@example.com",
            groups="sales_team.group_sale_salesman,customer_rep.group_own_accounts",
        )
        # Odoo copies the customer's commercial fields (credit limit included) onto a contact
        # or location it creates by import: the importer needs to read them.
        self.assigner.groups_id += self.env.ref("account.group_account_readonly")
        location = xlsx(
            ["Related Company", "Name", "Address Type", "Account Manager"],
            [[self.customer.name, "Depot Own", "Delivery Address", rep.name]],
        )
        last = self._last_message()
        self.assertEqual(self._errors(self._import(self.assigner, location)), [])
        depot = self.customer.child_ids.filtered(lambda p: p.name == "Depot Own")
        self.assertEqual(depot.account_manager_id, rep)
        self.assertFalse(self._summaries(rep, last))
        self.assertNotIn(rep.partner_id, depot.message_partner_ids)

    # -- refusals --------------------------------------------------------------------------

    def _assert_refused(self, results, row, *texts):
        """The batch was refused with an error at the file's ``row`` (1: the header) whose text
        holds ``texts``, and no customer of it was written."""
        errors = self._errors(results)
        self.assertTrue(errors, f"the batch was not refused: {results}")
        self.assertFalse(results[-1]["ids"])
        at_row = [error for error in errors if error.get("rows", {}).get("from") == row - 2]
        self.assertTrue(at_row, f"no error at row {row}: {errors}")
        for text in texts:
            self.assertIn(text, at_row[0]["message"])
        self.assertFalse(self._partners(), "nothing of a refused batch is written")
        return errors

    def test_duplicate_number_names_the_holder(self):
        self.customer.ref = "R00002"
        rows = self._customer_rows(5, self.manager_a)
        last = self._last_message()
        results = self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows))
        errors = self._assert_refused(results, 4, "R00002", "Nordlys Handel AS")
        self.assertEqual(len(errors), 1, errors)
        self.assertFalse(self._summaries(self.manager_a, last), "a refused batch tells nobody")

    def test_duplicate_number_within_the_file_names_the_row_holding_it(self):
        rows = self._customer_rows(5, self.manager_a)
        rows[3][1] = rows[1][1]
        results = self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows))
        self._assert_refused(results, 5, "R00001", "Register Customer 1")

    def test_invalid_organisation_number_names_number_and_country(self):
        rows = self._customer_rows(3, self.manager_a)
        rows[2][4] = "923609017"
        results = self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows))
        self._assert_refused(results, 4, "923609017", "Norway")

    def test_unknown_account_manager_names_the_value(self):
        rows = self._customer_rows(3, self.manager_a)
        rows[1][13] = "Nobody Known"
        results = self._import(self.assigner, xlsx(list(CUSTOMER_COLUMNS), rows))
        self._assert_refused(results, 3, "Nobody Known", "Account Manager")

    def test_import_without_the_assign_right_is_refused(self):
        results = self._import(
            self.salesman, xlsx(list(CUSTOMER_COLUMNS), self._customer_rows(3, self.manager_a))
        )
        errors = self._errors(results)
        self.assertTrue(errors)
        self.assertIn("not allowed to assign account managers", errors[0]["message"])
        self.assertFalse(self._partners())
