"""Row locks held until the end of the transaction, the way a job shares work with its
twin running in another Odoo process."""

from psycopg2 import sql


def lock_rows(records, skip_locked=True):
    """Lock the table rows of ``records`` (``SELECT ... FOR UPDATE``) for this transaction.

    :param skip_locked: leave the rows another transaction holds (``SKIP LOCKED``) instead of
        waiting for it to end.
    :return: the records locked, in the order of ``records``
    """
    if not records:
        return records
    query = sql.SQL("SELECT id FROM {} WHERE id IN %s FOR UPDATE{}").format(
        sql.Identifier(records._table), sql.SQL(" SKIP LOCKED" if skip_locked else "")
    )
    records.env.cr.execute(query, [tuple(records.ids)])
    locked = {row[0] for row in records.env.cr.fetchall()}
    return records.filtered(lambda record: record.id in locked)
