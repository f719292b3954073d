from odoo import models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _customer_rep_draw(self, count):
        """``count`` next numbers of this sequence, formatted, in one query: numbering the
        customers at install draws hundreds of thousands.

        Customer numbers come from a no-gap sequence: the number is taken in the transaction
        that saves the customer, so a refused save gives it back. Its row stays locked until
        that transaction ends; a concurrent one fails to lock it (NOWAIT, as Odoo's own no-gap
        sequences) and Odoo runs that request again: customers are numbered one transaction at
        a time. A standard sequence (PostgreSQL's, never rolled back) is drawn with nextval."""
        self.ensure_one()
        if self.use_date_range:
            return [self.next_by_id() for _i in range(count)]
        if self.implementation == "standard":
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                    f"ir_sequence_{self.id:03d}",
                    count,
                )
            )
            numbers = [number for (number,) in self.env.cr.fetchall()]
        else:
            self.flush_recordset(["number_next", "number_increment"])
            self.env.cr.execute(
                SQL("SELECT number_next FROM ir_sequence WHERE id = %s FOR UPDATE NOWAIT", self.id)
            )
            (first,) = self.env.cr.fetchone()
            self.env.cr.execute(
                SQL(
                    "UPDATE ir_sequence SET number_next = number_next + %s WHERE id = %s",
                    self.number_increment * count,
                    self.id,
                )
            )
            self.invalidate_recordset(["number_next"])
            numbers = [first + self.number_increment * index for index in range(count)]
        prefix, suffix = self._get_prefix_suffix()
        return [f"{prefix}{number:0{self.padding}d}{suffix}" for number in numbers]
