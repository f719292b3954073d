from odoo import models
from odoo.tools.mail import generate_tracking_message_id


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _write_with_batched_tracking(self, vals):
        """``write(vals)`` for thousands of records at once, logging the tracked changes in the
        chatter of each record as Odoo does, but with one batched creation of all the log
        messages instead of one creation per record at commit time (tens of seconds for 10,000
        records). Meant for fields whose change triggers no message subtype (a plain log, as
        the account manager, billing fields and payment terms); rights are the caller's."""
        context = self.env.context
        tracked = set(self._track_get_fields()) & vals.keys()
        if not tracked or context.get("tracking_disable") or context.get("mail_notrack"):
            return self.write(vals)
        initial_values = {record.id: {fname: record[fname] for fname in tracked} for record in self}
        result = self.with_context(mail_notrack=True).write(vals)
        tracked_fields = self.fields_get(
            tracked, attributes=("string", "type", "selection", "currency_field")
        )
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        base_values = {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
            "body": "",
        }
        values_list, tracking_lists = [], []
        for record in self:
            _changes, tracking_value_ids = record._mail_track(tracked_fields, initial_values[record.id])
            if tracking_value_ids:
                values_list.append(
                    dict(
                        base_values,
                        res_id=record.id,
                        message_id=generate_tracking_message_id("message-notify"),
                    )
                )
                tracking_lists.append([values for _command, _id, values in tracking_value_ids])
        if values_list:
            # The tracking values are created apart, in one batch: as commands of each message
            # they would be created message by message.
            messages = self.sudo()._message_create(values_list)
            self.env["mail.tracking.value"].sudo().create(
                [
                    dict(values, mail_message_id=message.id)
                    for message, tracking_values in zip(messages, tracking_lists, strict=True)
                    for values in tracking_values
                ]
            )
        return result
