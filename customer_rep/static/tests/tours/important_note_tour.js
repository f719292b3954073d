import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Data comes from customer_rep/tests/test_important_note_tour.py.
const DIALOG = ".o_dialog:not(.o_inactive_modal) .o_customer_rep_important_note_dialog";
const NO_DIALOG = "body:not(:has(.o_customer_rep_important_note_dialog))";

/** The dialog is open, and the form behind it cannot be reached by the mouse. */
function dialogBlocksForm(noteText) {
    return {
        content: "the important note opens in a modal dialog",
        trigger: `${DIALOG} .o_customer_rep_important_note_body:contains(${noteText})`,
        run() {
            const field = document.querySelector(".o_form_view .o_field_widget[name=name]");
            const { left, top, width, height } = field.getBoundingClientRect();
            const hit = document.elementFromPoint(left + width / 2, top + height / 2);
            if (!hit?.closest(".modal")) {
                throw new Error("the form can be used while the important note is open");
            }
        },
    };
}

const dismissDialog = [
    {
        content: "dismiss the important note",
        trigger: `${DIALOG} .o_customer_rep_important_note_dismiss`,
        run: "click",
    },
    {
        content: "the dialog is gone, the note is still shown on the form",
        trigger: `${NO_DIALOG} .o_form_view .o_customer_rep_important_note .alert`,
    },
];

registry.category("web_tour.tours").add("customer_rep_important_note_tour", {
    steps: () => [
        dialogBlocksForm("Deliveries only before noon"),
        ...dismissDialog,
        {
            content: "the form can be edited",
            trigger: ".o_form_view .o_field_widget[name=phone] input",
            run: "edit +47 22 33 44 55",
        },
        ...stepUtils.saveForm(),
        {
            content: "saving does not open the note again",
            trigger: `${NO_DIALOG} .o_form_view .o_form_saved`,
        },
        {
            content: "the note is on the card's Important Note page",
            trigger: ".o_notebook .nav-link:contains(Important Note)",
            run: "click",
        },
        {
            trigger: ".o_notebook .o_field_widget[name=important_note]:contains(Deliveries only before noon)",
        },
        {
            content: "the bar on the form opens the note again",
            trigger: ".o_customer_rep_important_note_show",
            run: "click",
        },
        dialogBlocksForm("Deliveries only before noon"),
        ...dismissDialog,
    ],
});

registry.category("web_tour.tours").add("customer_rep_important_note_dismiss_tour", {
    steps: () => [dialogBlocksForm("Deliveries only before noon"), ...dismissDialog],
});

registry.category("web_tour.tours").add("customer_rep_no_important_note_tour", {
    steps: () => [
        {
            content: "no dialog and no note bar on a customer without note",
            trigger: `${NO_DIALOG} .o_form_view .o_field_widget[name=phone] input`,
            // An open dialog would make this step fail: tours refuse to act below a modal.
            run: "edit +47 99 88 77 66",
        },
        {
            trigger: "body:not(:has(.o_customer_rep_important_note .alert))",
        },
        ...stepUtils.saveForm(),
        {
            trigger: `${NO_DIALOG} .o_form_view .o_form_saved`,
        },
    ],
});

registry.category("web_tour.tours").add("customer_rep_important_note_sale_order_tour", {
    steps: () => [
        {
            content: "pick a customer without note",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Tour Plain Kunde",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Plain Kunde)",
            run: "click",
        },
        {
            content: "no dialog for a customer without note",
            trigger: `${NO_DIALOG} .o_field_widget[name=partner_id] input:value(Tour Plain Kunde AS)`,
        },
        {
            content: "pick a customer with a note",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit Tour Note Kunde",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Note Kunde)",
            run: "click",
        },
        {
            content: "the customer's important note opens",
            trigger: `${DIALOG} .o_customer_rep_important_note_body:contains(Deliveries only before noon)`,
        },
        {
            content: "dismiss it",
            trigger: `${DIALOG} .o_customer_rep_important_note_dismiss`,
            run: "click",
        },
        {
            content: "the quotation can be used again",
            trigger: `${NO_DIALOG} .o_form_view .o_notebook .nav-link:contains(Other Info)`,
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=client_order_ref] input",
            run: "edit PO-4711",
        },
        ...stepUtils.saveForm(),
        {
            content: "saving does not open the note again",
            trigger: `${NO_DIALOG} .o_form_view .o_form_saved`,
        },
    ],
});
