import { expect, test } from "@odoo/hoot";
import { mailModels } from "@mail/../tests/mail_test_helpers";
import {
    clickSave,
    contains,
    defineModels,
    fields,
    models,
    mountView,
    onRpc,
    selectFieldDropdownItem,
} from "@web/../tests/web_test_helpers";

// The widget `important_note_popup` (static/src/important_note/important_note_field.js) on a
// customer form (opens on load) and on a sale order form (opens when the customer changes).

const DIALOG = ".o_dialog .o_customer_rep_important_note_dialog";
const NOTE_BAR = ".o_customer_rep_important_note .alert";

class ResPartner extends mailModels.ResPartner {
    important_note = fields.Html({ string: "Important Note" });

    _records = [
        // The partners the mock server needs (company, current user, ...), then ours.
        ...this._records,
        { id: 11, name: "Fjord Kunde AS", important_note: "<p>Deliveries only before noon</p>" },
        { id: 12, name: "Plain Kunde AS", important_note: false },
        { id: 13, name: "Blank Kunde AS", important_note: "<p><br></p>" },
        { id: 14, name: "Bakeri Kunde AS", important_note: "<p>Invoices by post only</p>" },
    ];

    _views = {
        form: /* xml */ `
            <form>
                <field name="important_note" widget="important_note_popup" nolabel="1"/>
                <field name="name"/>
                <field name="phone"/>
            </form>
        `,
    };
}

class SaleOrder extends models.Model {
    _name = "sale.order";

    name = fields.Char();
    partner_id = fields.Many2one({ relation: "res.partner" });
    partner_important_note = fields.Html({ string: "Customer's Important Note" });

    _records = [
        { id: 1, name: "S00001", partner_id: 12, partner_important_note: false },
        {
            id: 2,
            name: "S00002",
            partner_id: 11,
            partner_important_note: "<p>Deliveries only before noon</p>",
        },
    ];

    _onChanges = {
        // The server's related field `partner_id.commercial_important_note`, in short.
        partner_id(record) {
            const partner = ResPartner._records.find((p) => p.id === record.partner_id);
            record.partner_important_note = partner?.important_note || false;
        },
    };

    _views = {
        form: /* xml */ `
            <form>
                <header>
                    <button name="action_confirm" type="object" string="Confirm"/>
                </header>
                <field name="partner_id"/>
                <field name="partner_important_note" widget="important_note_popup" nolabel="1"
                       options="{'open_on': 'change', 'trigger_field': 'partner_id'}"/>
                <field name="name"/>
            </form>
        `,
    };
}

defineModels({ ...mailModels, ResPartner, SaleOrder });

test("a customer with a note opens it in a modal dialog on load", async () => {
    await mountView({ type: "form", resModel: "res.partner", resId: 11 });

    expect(DIALOG).toHaveCount(1);
    expect(".o_dialog .modal").toHaveClass("d-block");
    expect(".o_dialog .modal-title").toHaveText("Important Note");
    expect(`${DIALOG} .o_customer_rep_important_note_body`).toHaveText(
        "Deliveries only before noon"
    );
    expect(`${DIALOG} .o_customer_rep_important_note_dismiss`).toHaveText("I have read it");
    // The dialog has only the one button: nothing else to do but read it.
    expect(`${DIALOG} .modal-footer button`).toHaveCount(1);
});

test("'I have read it' closes the dialog and keeps the note", async () => {
    onRpc("web_save", () => {
        expect.step("web_save");
    });
    await mountView({ type: "form", resModel: "res.partner", resId: 11 });
    expect(DIALOG).toHaveCount(1);

    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();

    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);
    expect(NOTE_BAR).toHaveText("Important note\nShow");
    // Dismissing writes nothing: the note stays on the customer.
    expect.verifySteps([]);
    expect(".o_form_view .o_form_saved").toHaveCount(1);
});

test("the note bar on the form opens the note again", async () => {
    await mountView({ type: "form", resModel: "res.partner", resId: 11 });
    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();
    expect(".o_dialog").toHaveCount(0);

    await contains(".o_customer_rep_important_note_show").click();

    expect(DIALOG).toHaveCount(1);
    expect(`${DIALOG} .o_customer_rep_important_note_body`).toHaveText(
        "Deliveries only before noon"
    );
    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);
});

test("a customer without a note opens no dialog and shows no bar", async () => {
    await mountView({ type: "form", resModel: "res.partner", resId: 12 });

    expect(".o_dialog").toHaveCount(0);
    expect(".o_customer_rep_important_note").toHaveCount(1);
    expect(NOTE_BAR).toHaveCount(0);
    expect(".o_field_widget[name=name] input").toHaveValue("Plain Kunde AS");
});

test("a note that is only empty markup counts as no note", async () => {
    await mountView({ type: "form", resModel: "res.partner", resId: 13 });

    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(0);
});

test("saving the customer does not open the note again", async () => {
    await mountView({ type: "form", resModel: "res.partner", resId: 11 });
    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();

    await contains(".o_field_widget[name=phone] input").edit("+47 22 33 44 55");
    await clickSave();

    expect(".o_form_view .o_form_saved").toHaveCount(1);
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);
});

test("moving to another customer opens that customer's note", async () => {
    await mountView({ type: "form", resModel: "res.partner", resId: 11, resIds: [11, 12, 14] });
    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();

    await contains(".o_pager_next").click();
    expect(".o_field_widget[name=name] input").toHaveValue("Plain Kunde AS");
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(0);

    await contains(".o_pager_next").click();
    expect(".o_field_widget[name=name] input").toHaveValue("Bakeri Kunde AS");
    expect(DIALOG).toHaveCount(1);
    expect(`${DIALOG} .o_customer_rep_important_note_body`).toHaveText("Invoices by post only");
});

test("on a sale order the note opens when a customer with a note is picked", async () => {
    await mountView({ type: "form", resModel: "sale.order", resId: 1 });
    // open_on "change": never when the form opens.
    expect(".o_dialog").toHaveCount(0);

    await selectFieldDropdownItem("partner_id", "Fjord Kunde AS");

    expect(DIALOG).toHaveCount(1);
    expect(`${DIALOG} .o_customer_rep_important_note_body`).toHaveText(
        "Deliveries only before noon"
    );
    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);

    await selectFieldDropdownItem("partner_id", "Plain Kunde AS");
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(0);
});

test("confirming the quotation does not open the note again", async () => {
    onRpc("action_confirm", () => {
        expect.step("action_confirm");
        return true;
    });
    await mountView({ type: "form", resModel: "sale.order" });
    await selectFieldDropdownItem("partner_id", "Fjord Kunde AS");
    expect(DIALOG).toHaveCount(1);
    await contains(`${DIALOG} .o_customer_rep_important_note_dismiss`).click();

    // The button saves the new quotation, runs, and the form reloads it.
    await contains(".o_form_view button[name=action_confirm]").click();

    expect.verifySteps(["action_confirm"]);
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);
});

test("an existing order's note opens neither on load nor after a button", async () => {
    onRpc("action_confirm", () => {
        expect.step("action_confirm");
        return true;
    });
    await mountView({ type: "form", resModel: "sale.order", resId: 2 });
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);

    await contains(".o_form_view button[name=action_confirm]").click();

    expect.verifySteps(["action_confirm"]);
    expect(".o_dialog").toHaveCount(0);
    expect(NOTE_BAR).toHaveCount(1);
});
