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
 *   one of its contacts or locations. Saving the same record does not open it again.
 * - ``open_on: "change"``: whenever the field named by ``trigger_field`` changes, e.g. the
 *   customer picked on a sale order; not when the form opens.
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
        this.lastKey = undefined;
        useEffect(
            (key) => {
                const first = this.lastKey === undefined;
                const changed = key !== this.lastKey;
                this.lastKey = key;
                if (changed && (this.props.openOn === "load" || !first)) {
                    this.openDialog();
                }
            },
            () => [this.triggerKey]
        );
        useEffect(
            () => () => this.closeDialog?.(),
            () => []
        );
    }

    /** What opens the dialog when it changes: the record shown, or the trigger field's value. */
    get triggerKey() {
        const record = this.props.record;
        if (this.props.openOn === "change" && this.props.triggerField) {
            const value = record.data[this.props.triggerField];
            const id = Array.isArray(value) ? value[0] : value?.id ?? value;
            return `${record.id}:${id}`;
        }
        return record.id;
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
