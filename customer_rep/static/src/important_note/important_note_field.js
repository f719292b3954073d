import { Component, useEffect } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { isHtmlEmpty } from "@web/views/kanban/kanban_record";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { ImportantNoteDialog } from "./important_note_dialog";

/**
 * Field widget for a customer's important note (an html field, read-only here).
 *
 * It opens the note in a modal dialog:
 * - ``open_on: "load"`` (default): whenever the form shows another record, e.g. a customer,
 *   one of its contacts or locations. Saving or reloading the same record does not open it
 *   again.
 * - ``open_on: "change"``: whenever the field named by ``trigger_field`` changes, e.g. the
 *   customer picked on a sale order; not when the form opens, nor when the record is saved
 *   or reloaded (e.g. after Confirm).
 * In the form it shows a small bar that reopens the note, and nothing when there is no note.
 */
export class ImportantNoteField extends Component {
    static template = "customer_rep.ImportantNoteField";
    static props = {
        ...standardFieldProps,
        openOn: { type: String, optional: true },
        triggerField: { type: String, optional: true },
    };
    static defaultProps = { openOn: "load" };

    setup() {
        this.dialog = useService("dialog");
        this.closeDialog = null;
        // What the dialog was last decided on: the record shown (its datapoint, and its id in
        // the database once saved) and the trigger field's value.
        this.last = null;
        useEffect(
            (datapointId, resId, value) => {
                const last = this.last;
                this.last = { datapointId, resId, value };
                // The same record: the same datapoint (also when a new record is saved), or
                // the same saved record reloaded, e.g. after a button (Confirm) ran.
                const sameRecord =
                    last && (last.datapointId === datapointId || (resId && last.resId === resId));
                const open =
                    this.props.openOn === "change"
                        ? sameRecord && value !== last.value
                        : !sameRecord;
                if (open) {
                    this.openDialog();
                }
            },
            () => [this.props.record.id, this.props.record.resId, this.triggerValue]
        );
        useEffect(
            () => () => this.closeDialog?.(),
            () => []
        );
    }

    /** The id of the trigger field's value (``open_on: "change"``), else nothing. */
    get triggerValue() {
        if (this.props.openOn !== "change" || !this.props.triggerField) {
            return undefined;
        }
        const value = this.props.record.data[this.props.triggerField];
        return Array.isArray(value) ? value[0] : value?.id ?? value;
    }

    get note() {
        return this.props.record.data[this.props.name];
    }

    get hasNote() {
        return Boolean(this.note) && !isHtmlEmpty(this.note.toString());
    }

    openDialog() {
        if (!this.hasNote) {
            return;
        }
        this.closeDialog?.();
        this.closeDialog = this.dialog.add(
            ImportantNoteDialog,
            { note: this.note, title: _t("Important Note") },
            { onClose: () => (this.closeDialog = null) }
        );
    }
}

export const importantNoteField = {
    component: ImportantNoteField,
    displayName: _t("Important Note Dialog"),
    supportedTypes: ["html"],
    supportedOptions: [
        {
            label: _t("Open on"),
            name: "open_on",
            type: "selection",
            choices: [
                { label: _t("Record shown"), value: "load" },
                { label: _t("Trigger field changed"), value: "change" },
            ],
        },
        { label: _t("Trigger field"), name: "trigger_field", type: "field" },
    ],
    extractProps: ({ options }) => ({
        openOn: options.open_on || "load",
        triggerField: options.trigger_field,
    }),
};

registry.category("fields").add("important_note_popup", importantNoteField);
