"""Writing and removing the synthetic rows fast.

The big tables (attempts, their items, answers, review cards) are built as model instances and
written as plain rows: bulk_create spends ~70 µs per row compiling SQL (measured: 367 s for the
full scale on SQLite), which would be most of the run. Each instance becomes a row of every
concrete field, as the ORM would have written it. Primary keys are handed out in advance (`Ids`), so children point at parents without
a round trip per batch.
"""

import contextlib
import operator

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from accounts.models import ThrottleEvent
from quiz.models import Answer, Attempt, AttemptItem, ReviewCard, ReviewLog

from .shape import PREFIX, bench_users

# Parents before children: a flush writes them in this order, so no row points at one not yet written.
BULK_MODELS = (Attempt, AttemptItem, Answer, ReviewCard)


class Ids:
    """Primary keys handed out in advance, after the table's last one."""

    def __init__(self, model):
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.next = last + 1

    def take(self):
        value = self.next
        self.next += 1
        return value


@contextlib.contextmanager
def explicit_timestamps(*fields):
    """Let bulk_create store the historical times we give instead of "now"."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _row_maker(fields):
    """instance -> row. Only datetimes and JSON differ from their Python values on the way to the
    driver; they go through their fields' own get_db_prep_save, the rest as they are."""
    conn = connections[DEFAULT_DB_ALIAS]  # not the proxy: it costs a lookup per value
    values = operator.attrgetter(*(f.attname for f in fields))
    adapt = [(i, f) for i, f in enumerate(fields) if f.get_internal_type() in ("DateTimeField", "JSONField")]

    def row(instance):
        row = list(values(instance))
        for i, field in adapt:
            row[i] = field.get_db_prep_save(row[i], conn)
        return row

    return row


def insert(model, instances):
    """Write the instances (primary keys set) as rows, every concrete field, in one statement (COPY
    on PostgreSQL)."""
    fields = model._meta.concrete_fields
    rows = map(_row_maker(fields), instances)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: several times faster than multi-row INSERTs.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # nosec B608 - our own names
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # nosec B608


def reset_sequences():
    """We chose the primary keys ourselves; PostgreSQL's sequences must move past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(BULK_MODELS)):
            cursor.execute(sql)


def _subquery(queryset):
    sql, params = queryset.values("pk").query.sql_with_params()
    return sql, list(params)


def reset_synthetic():
    """Remove every row owned by a `bench_` user; returns how many rows the last step, deleting
    the users, removed (them and what cascades from them).

    The big tables go first with one DELETE each (the ORM's cascade would load every row id into
    memory); the user delete then cascades the rest, whatever it is."""
    users_sql, params = _subquery(bench_users())
    attempts_sql = f"SELECT id FROM {Attempt._meta.db_table} WHERE student_id IN ({users_sql})"
    cards_sql = f"SELECT id FROM {ReviewCard._meta.db_table} WHERE student_id IN ({users_sql})"
    statements = [
        f"DELETE FROM {ReviewLog._meta.db_table} WHERE card_id IN ({cards_sql})",
        f"DELETE FROM {ReviewCard._meta.db_table} WHERE student_id IN ({users_sql})",
        f"DELETE FROM {Answer._meta.db_table} WHERE student_id IN ({users_sql})",
        f"DELETE FROM {AttemptItem._meta.db_table} WHERE attempt_id IN ({attempts_sql})",
        f"DELETE FROM {Attempt._meta.db_table} WHERE student_id IN ({users_sql})",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
        count, _ = bench_users().delete()
    # The log-in limits count failures by username, not by foreign key.
    ThrottleEvent.objects.filter(key__startswith=PREFIX).delete()
    return count
