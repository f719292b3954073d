from odoo import models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    def _customer_rep_draw(self, count):
        """``count`` next numbers of this sequence, formatted. A standard (PostgreSQL) sequence
        gives them in one query: numbering the customers at install draws hundreds of
        thousands."""
        self.ensure_one()
        if self.implementation != "standard" or self.use_date_range:
            return [self.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                f"ir_sequence_{self.id:03d}",
                count,
            )
        )
        prefix, suffix = self._get_prefix_suffix()
        return [f"{prefix}{number:0{self.padding}d}{suffix}" for (number,) in self.env.cr.fetchall()]
