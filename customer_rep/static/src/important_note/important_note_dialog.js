import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";

/**
 * Shows a customer's important note. The dialog is modal: the form behind it cannot be used
 * until the user dismisses it with its only button (or Escape). Dismissing keeps the note.
 */
export class ImportantNoteDialog extends Component {
    static template = "customer_rep.ImportantNoteDialog";
    static components = { Dialog };
    static props = {
        close: Function,
        note: Object, // markup: the note as sanitized by the server
        title: String,
    };
}
