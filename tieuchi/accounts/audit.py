"""The one way to write the audit log; called only from services.

`record` writes one event. `record_many` writes the events of a batch (an Excel import of
100,000 figures) in bulk statements: the same rows, one per object, as `record` would write
them one by one, without building model objects (COPY on PostgreSQL, executemany elsewhere).
"""

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection, models
from django.utils import timezone

from tieuchi.accounts.models import AuditEvent


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    channel: str = AuditEvent.Channel.SYSTEM,
    note: str = "",
) -> AuditEvent:
    """Write one audit event for `obj`. `actor` may be None for system jobs (seeding, loading)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        channel=channel,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        note=note,
    )


class Change(NamedTuple):
    """One object's change in a batch: what `record` takes for one object. `before` and `after`
    may be dicts or `JsonText` (already encoded by a caller that writes 100,000 of them). A
    tuple, not a frozen dataclass: building 100,000 of those took half a second."""

    action: str
    object_id: Any
    object_repr: str
    before: "dict[str, Any] | JsonText | None"
    after: "dict[str, Any] | JsonText | None"
    note: str | None = None  # None: the batch's note


class JsonText(str):
    """A snapshot already encoded as JSON text: written as it is, never encoded again."""

    __slots__ = ()


COLUMNS = (
    "at",
    "actor_id",
    "channel",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
)


def record_many(
    actor: Any,
    model: type[models.Model],
    changes: Iterable[Change],
    *,
    channel: str = AuditEvent.Channel.SYSTEM,
    note: str = "",
) -> int:
    """Write one audit event per change (objects of `model`), all with the same actor, time and
    channel. Call inside the caller's transaction; returns how many events were written."""
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    object_type = model._meta.label_lower
    channel = str(channel)
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _copy(now, actor_id, channel, object_type, changes, note)
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    adapt = ops.adapt_json_value
    params = []
    append = params.append
    # Unpacked as plain tuples (a Change is one): this loop runs once per imported value.
    for action, object_id, object_repr, before, after, own_note in changes:
        append(
            (
                stamp,
                actor_id,
                channel,
                action,
                object_type,
                str(object_id),
                object_repr[:255],
                before if before is None or type(before) is JsonText else adapt(before, None),
                after if after is None or type(after) is JsonText else adapt(after, None),
                note if own_note is None else own_note,
            )
        )
    if not params:
        return 0
    quote = ops.quote_name
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "
        f"({', '.join(quote(column) for column in COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)


def _copy(now, actor_id, channel: str, object_type: str, changes, note: str) -> int:
    """PostgreSQL: COPY … FROM STDIN, several times faster than INSERTs for a large batch. The
    lines are built here directly: the columns shared by the batch are formatted once."""
    shared = "\t".join(map(copy_field, (now, actor_id, channel)))
    batch_note = copy_field(note)

    def lines():
        for action, object_id, object_repr, before, after, note_ in changes:
            before = "\\N" if before is None else copy_field(Json(before))
            after = "\\N" if after is None else copy_field(Json(after))
            own_note = batch_note if note_ is None else copy_field(note_)
            yield (
                f"{shared}\t{copy_field(action)}\t{object_type}\t"
                f"{copy_field(str(object_id))}\t{copy_field(object_repr[:255])}\t"
                f"{before}\t{after}\t{own_note}"
            )

    return copy_lines(AuditEvent._meta.db_table, COLUMNS, lines())


class Json:
    """A value for a json/jsonb column, for `copy_field`."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


# COPY's text format: tab-separated fields, \N for NULL, backslash escapes.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_CHUNK = 5000


def copy_field(value) -> str:
    """One value in COPY's text format (str, numbers, dates, booleans, None, `Json`)."""
    kind = type(value)
    if kind is str:
        return _escaped(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is Json:
        if type(value.value) is JsonText:
            return _escaped(value.value)
        return _escaped(json.dumps(value.value, ensure_ascii=False, separators=(",", ":")))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _escaped(text: str) -> str:
    # Most values need no escape; `in` is much cheaper than translate on Vietnamese text.
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def copy_lines(table: str, columns, lines) -> int:
    """PostgreSQL: write `lines` (rows in COPY's text format, fields made with `copy_field`)
    into `table` with one COPY … FROM STDIN, sent in large chunks. The fast path for bulk writes
    (the audit records and the figures of an Excel import); call inside a transaction."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    written = 0
    connection.ensure_connection()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        chunk = []
        for line in lines:
            chunk.append(line)
            if len(chunk) == _COPY_CHUNK:
                copy.write("\n".join(chunk) + "\n")
                written += len(chunk)
                chunk.clear()
        if chunk:
            copy.write("\n".join(chunk) + "\n")
            written += len(chunk)
    return written
