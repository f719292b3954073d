from odoo import models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from .res_partner import FROM_EMAIL_KEY

# Rows per INSERT statement of the bulk chatter logs.
INSERT_BATCH_SIZE = 5000


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _mail_find_partner_from_emails(self, emails, records=None, force_create=False, extra_domain=False):
        # The partners the mail gateway and the composer make from e-mail addresses are no
        # customers (res.partner._is_new_customer), whoever's the transaction.
        from_email = super(MailThread, self.with_context(**{FROM_EMAIL_KEY: True}))
        partners = from_email._mail_find_partner_from_emails(
            emails, records=records, force_create=force_create, extra_domain=extra_domain
        )
        return [partner.with_env(self.env) if partner else partner for partner in partners]

    def _write_with_batched_tracking(self, vals):
        """``write(vals)`` for thousands of records at once, logging the tracked changes in the
        chatter of each record as Odoo does, but with one batched creation of all the log
        messages instead of one creation per record at commit time (tens of seconds for 10,000
        records). The logs are posted under ``_get_bulk_tracking_subtype`` (a plain note unless
        the model says otherwise, as partners do with "Customer Updated") and notify the
        record's followers of that subtype in their inbox; rights are the caller's."""
        result, logs = self._write_collecting_tracking(vals)
        if logs:
            self._insert_tracking_logs(*logs)
        return result

    def _write_collecting_tracking(self, vals):
        """``write(vals)`` and the chatter logs it calls for, not yet inserted: ``(result,
        logs)``, where ``logs`` are the arguments of ``_insert_tracking_logs`` (or None). A
        caller writing several models at once inserts them after its last write, so that
        all its writes are flushed together."""
        context = self.env.context
        tracked = set(self._track_get_fields()) & vals.keys()
        if not tracked or context.get("tracking_disable") or context.get("mail_notrack"):
            return self.write(vals), None
        initial_values = {record.id: {fname: record[fname] for fname in tracked} for record in self}
        result = self.with_context(mail_notrack=True).write(vals)
        tracked_fields = self.fields_get(
            tracked, attributes=("string", "type", "selection", "currency_field")
        )
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        tracking_lists = {}
        for record in self:
            _changes, tracking_value_ids = record._mail_track(tracked_fields, initial_values[record.id])
            if tracking_value_ids:
                tracking_lists[record.id] = [values for _command, _id, values in tracking_value_ids]
        return result, ((tracking_lists, author_id, email_from) if tracking_lists else None)

    def _insert_tracking_logs(self, tracking_lists, author_id, email_from):
        """Insert one log message per record with its tracking values, as ``_message_log``
        does, in a few statements. Raw SQL for a named reason: the ORM creates messages and
        tracking values one ``default_get`` at a time, over a millisecond each, which alone
        made a bulk update of 10,000 customers miss its 20 s. The followers of the logs' subtype
        get an inbox notification (_insert_follower_notifications)."""
        self.env.flush_all()
        res_ids = list(tracking_lists)
        message_ids = self._insert_log_messages(res_ids, author_id, email_from)
        tracking_rows = [
            dict(values, mail_message_id=message_id)
            for res_id, message_id in zip(res_ids, message_ids, strict=True)
            for values in tracking_lists[res_id]
        ]
        self._insert_tracking_values(tracking_rows)
        self._insert_follower_notifications(message_ids)
        self.env["mail.message"].invalidate_model()
        self.env["mail.notification"].invalidate_model()
        self.env["mail.tracking.value"].invalidate_model()
        self.invalidate_recordset()

    def _get_bulk_tracking_subtype(self):
        """The subtype of the tracking logs of bulk writes: a note, which notifies nobody."""
        return self.env.ref("mail.mt_note")

    def _insert_log_messages(self, res_ids, author_id, email_from):
        """Insert an empty log message (subtype ``_get_bulk_tracking_subtype``) on each record
        of ``res_ids``; returns their ids in the same order."""
        now = self.env.cr.now()
        uid = self.env.uid
        subtype_id = self._get_bulk_tracking_subtype().id
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False]
        message_ids = []
        for start in range(0, len(res_ids), INSERT_BATCH_SIZE):
            rows = [
                SQL(
                    "(%s, %s, 'notification', %s, %s, %s, '', TRUE, FALSE, %s, %s, %s, %s, %s, %s, %s)",
                    self._name,
                    res_id,
                    subtype_id,
                    author_id or None,
                    email_from or None,
                    generate_tracking_message_id("message-notify"),
                    reply_to or None,
                    now,
                    uid,
                    now,
                    uid,
                    now,
                )
                for res_id in res_ids[start : start + INSERT_BATCH_SIZE]
            ]
            self.env.cr.execute(
                SQL(
                    """INSERT INTO mail_message (model, res_id, message_type, subtype_id, author_id,
                           email_from, body, is_internal, email_add_signature, message_id, reply_to,
                           date, create_uid, create_date, write_uid, write_date)
                       VALUES %s RETURNING id""",
                    SQL(", ").join(rows),
                )
            )
            message_ids += [row[0] for row in self.env.cr.fetchall()]
        return message_ids

    def _insert_tracking_values(self, tracking_rows):
        """Insert the tracking values ``tracking_rows`` (dicts of column values)."""
        if not tracking_rows:
            return
        now = self.env.cr.now()
        uid = self.env.uid
        columns = sorted({column for row in tracking_rows for column in row})
        for start in range(0, len(tracking_rows), INSERT_BATCH_SIZE):
            rows = [
                SQL("(%s, %s, %s, %s, %s)", SQL(", ").join(row.get(c) for c in columns), uid, now, uid, now)
                for row in tracking_rows[start : start + INSERT_BATCH_SIZE]
            ]
            self.env.cr.execute(
                SQL(
                    """INSERT INTO mail_tracking_value (%s, create_uid, create_date, write_uid, write_date)
                       VALUES %s""",
                    SQL(", ").join(SQL.identifier(c) for c in columns),
                    SQL(", ").join(rows),
                )
            )

    def _insert_follower_notifications(self, message_ids):
        """Notify, in their inbox, the followers of each record subscribed to its log's subtype
        (not the author), in one statement for all the logs: internal users only (the subtype
        is internal); also those who take notifications by e-mail get them in their inbox, as
        e-mailing each of thousands of changes would flood them."""
        if not message_ids:
            return
        self.env.cr.execute(
            SQL(
                """INSERT INTO mail_notification (mail_message_id, res_partner_id, author_id,
                           notification_type, notification_status, is_read)
                   SELECT DISTINCT message.id, follower.partner_id, message.author_id, 'inbox', 'sent', FALSE
                     FROM mail_message message
                     JOIN mail_followers follower
                       ON follower.res_model = message.model AND follower.res_id = message.res_id
                     JOIN mail_followers_mail_message_subtype_rel follower_subtype
                       ON follower_subtype.mail_followers_id = follower.id
                      AND follower_subtype.mail_message_subtype_id = message.subtype_id
                     JOIN res_users recipient
                       ON recipient.partner_id = follower.partner_id AND recipient.active
                      AND NOT recipient.share
                    WHERE message.id = ANY(%s)
                      AND follower.partner_id IS DISTINCT FROM message.author_id""",
                message_ids,
            )
        )
