"""Writing a batch's checked rows with bulk statements (`write_rows`): figures, their audit
records, and the conflicts and locks that refuse the whole write."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog
from tieuchi.collection.excel.cells import Figures
from tieuchi.collection.excel.check_result import CHANGED, NEW, Problem
from tieuchi.collection.excel.context import approved_unit_ids
from tieuchi.collection.excel.created_audit import audit_created_in_sql
from tieuchi.collection.excel.template_rows import describe
from tieuchi.collection.models import Observation
from tieuchi.collection.services import period_bounds, unusual_note
from tieuchi.collection.signals import figures_changed
from tieuchi.orgs.models import AdminUnit, unit_labels

CHANNEL = AuditEvent.Channel.EXCEL
BATCH_SIZE = 2000


class CommitRefused(Exception):
    """Nothing was written; `problems` says why (conflicts, locks, scope, a closed period)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class CommitReport:
    created: int = 0
    updated: int = 0
    unit_ids: list[int] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.created + self.updated


def actor_of(user):
    return user if getattr(user, "pk", None) else None


# Positions in a stored row (check_result.ROW_FIELDS).
ROW, UNIT_ID, MEASURE_ID, CODE, STATUS, BASE, NEW_FIGURES, WARNING = 0, 2, 3, 4, 5, 6, 7, 9
SNAPSHOT_KEYS = ("numerator", "denominator", "value", "boolean_value", "level")


def write_rows(
    user, catalog: Catalog, period: str, rows: list[list], *, note: str = ""
) -> CommitReport:
    """Write the new and changed rows of a batch (stored rows, see check_result.ROW_FIELDS).
    Call inside a transaction; raises CommitRefused, writing nothing, on any conflict or lock."""
    todo = [row for row in rows if row[STATUS] in (NEW, CHANGED)]
    report = CommitReport()
    if not todo:
        return report
    actor = actor_of(user)
    start, end = period_bounds(period)
    unit_ids = {row[UNIT_ID] for row in todo}
    measure_ids = {row[MEASURE_ID] for row in todo}
    current = {
        (o.unit_id, o.measure_id): o
        for o in Observation.objects.select_for_update(of=("self",))
        .filter(unit_id__in=unit_ids, measure_id__in=measure_ids, period=period)
        .select_related("entered_by", "measure")
    }
    approved = approved_unit_ids(catalog, period, unit_ids)
    problems = []
    creates, updates = [], []
    for row in todo:
        observation = current.get((row[UNIT_ID], row[MEASURE_ID]))
        if observation is None:
            if row[BASE] is not None:
                problems.append(_conflict(row, None))
            elif row[UNIT_ID] in approved:
                problems.append(_locked(row))
            else:
                creates.append(row)
        elif observation.version != row[BASE]:
            problems.append(_conflict(row, observation))
        elif row[UNIT_ID] in approved or observation.status == Observation.Status.APPROVED:
            problems.append(_locked(row))
        else:
            updates.append((row, observation))
    if problems:
        raise CommitRefused(problems)

    units = AdminUnit.objects.in_bulk(unit_ids)
    labels = unit_labels(units.values())  # as str(Observation) starts
    now = timezone.now()
    created_ids = _insert_observations(creates, actor, now, period, start, end)
    if updates:
        _update(updates, actor, now, start, end)

    # The new figures' audit rows are made by the database from the rows just inserted; the
    # updates (with their snapshots of the old figures) go through Python.
    audit_created_in_sql(actor, now, note, created_ids, creates)
    audit.record_many(
        actor,
        Observation,
        _changes(updates, labels, period, note),
        channel=CHANNEL,
        note=note,
    )

    report.created, report.updated = len(creates), len(updates)
    report.unit_ids = sorted(unit_ids)

    def announce():
        refreshed = set()  # shared by the receivers: what one signal refreshed, the next skips
        for unit_id in report.unit_ids:
            figures_changed.send(
                sender=Observation, unit=units[unit_id], catalog=catalog, refreshed=refreshed
            )

    transaction.on_commit(announce)
    return report


def _changes(updates, labels, period, note):
    """One audit change per changed value, as `save_observation` records it (str(Observation)
    is "<unit> <measure code> <period>"); a confirmed unusual value says so in its note. The
    new figures' records are written in SQL (`created_audit`). The snapshots are encoded here
    directly (`snapshot_json`): json.dumps per value was a tenth of a 100,000-row import."""
    for row, observation in updates:
        own_note = None
        if len(row) > WARNING and row[WARNING]:
            warned = unusual_note(row[WARNING])
            own_note = f"{note}. {warned}" if note else warned
        after = snapshot_json(row[NEW_FIGURES], observation.status, observation.version + 1)
        label = f"{labels[row[UNIT_ID]]} {row[CODE]} {period}"
        yield ("update", observation.pk, label, _snapshot(observation), after, own_note)


_encode = json.encoder.encode_basestring_ascii  # what json.dumps does to a str, in C


def snapshot_json(figures: list, status: str, version: int) -> audit.JsonText:
    """The audit snapshot {numerator, denominator, value, boolean_value, level, status, version}
    of stored figures (numbers as exact text) as JSON text, equal to json.dumps of the dict."""
    numerator, denominator, value, boolean, level = figures
    return audit.JsonText(
        f'{{"numerator": {"null" if numerator is None else _encode(numerator)}, '
        f'"denominator": {"null" if denominator is None else _encode(denominator)}, '
        f'"value": {"null" if value is None else _encode(value)}, '
        f'"boolean_value": {"null" if boolean is None else ("true" if boolean else "false")}, '
        f'"level": {_encode(level or "")}, "status": {_encode(status)}, "version": {version}}}'
    )


def _ids_of(creates: list[list], period: str) -> dict[tuple[int, int], int]:
    """The ids the database gave the new figures (one query)."""
    if not creates:
        return {}
    unit_ids = sorted({row[UNIT_ID] for row in creates})
    measure_ids = sorted({row[MEASURE_ID] for row in creates})
    quote = connection.ops.quote_name
    sql = (
        f"SELECT id, unit_id, measure_id FROM {quote(Observation._meta.db_table)} "
        f"WHERE period = %s AND unit_id IN ({', '.join(['%s'] * len(unit_ids))}) "
        f"AND measure_id IN ({', '.join(['%s'] * len(measure_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [period, *unit_ids, *measure_ids])
        return {(unit_id, measure_id): pk for pk, unit_id, measure_id in cursor.fetchall()}


def _locked(row: list) -> Problem:
    return Problem(
        f"số liệu {row[CODE]} đã được duyệt và khóa; cần mở khóa trước khi sửa.",
        row[ROW],
        kind="locked",
    )


def _snapshot(observation: Observation) -> dict:
    figures = Figures(
        observation.numerator,
        observation.denominator,
        observation.value,
        observation.boolean_value,
        observation.level or "",
    )
    return figures.as_json() | {"status": observation.status, "version": observation.version}


def _bulk_insert(model, columns: tuple[str, ...], params: list[tuple]) -> None:
    """Every row in one bulk statement, without building model objects: one INSERT run for
    every row (executemany). PostgreSQL uses COPY instead (`_copy_observations`)."""
    if not params:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


OBSERVATION_COLUMNS = (
    "unit_id",
    "measure_id",
    "period",
    "period_start",
    "period_end",
    "numerator",
    "denominator",
    "value",
    "boolean_value",
    "level",
    "status",
    "source",
    "note",
    "entered_by_id",
    "entered_at",
    "version",
)


def _insert_observations(rows, actor, now, period, start, end) -> dict[tuple[int, int], int]:
    """Insert the new figures; returns their ids by (unit id, measure id)."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    first, last = ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)
    actor_id = actor.pk if actor is not None else None
    draft = Observation.Status.DRAFT.value
    if connection.vendor == "postgresql":
        _copy_observations(rows, actor_id, now, period, start, end)
        return _ids_of(rows, period)
    # SQLite: the ids are given here, after the highest ever used (AUTOINCREMENT never reuses
    # one); the transaction holds the write lock (IMMEDIATE), so no other writer can take them.
    # That saves reading 100,000 ids back. The exact number texts go in as they are (_decimal).
    first_id = _next_sqlite_id(Observation._meta.db_table)
    head = (period, first, last)
    tail = (draft, "", "", actor_id, stamp, 1)
    params = [
        (first_id + index, row[UNIT_ID], row[MEASURE_ID], *head, *row[NEW_FIGURES], *tail)
        for index, row in enumerate(rows)
    ]
    _bulk_insert(Observation, ("id", *OBSERVATION_COLUMNS), params)
    return {(row[UNIT_ID], row[MEASURE_ID]): first_id + i for i, row in enumerate(rows)}


def _next_sqlite_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0)) + 1",
            [table],
        )
        return cursor.fetchone()[0]


def _copy_observations(rows, actor_id, now, period, start, end) -> None:
    """PostgreSQL: the new figures as COPY lines; the numbers are already exact text."""
    field = audit.copy_field
    head = "\t".join(map(field, (period, start, end)))
    tail = "\t".join(map(field, (Observation.Status.DRAFT.value, "", "", actor_id, now, 1)))
    lines = (
        f"{row[UNIT_ID]}\t{row[MEASURE_ID]}\t{head}\t"
        + "\t".join(map(field, row[NEW_FIGURES]))
        + f"\t{tail}"
        for row in rows
    )
    audit.copy_lines(Observation._meta.db_table, OBSERVATION_COLUMNS, lines)


def _decimal(ops, text: str | None):
    """A number kept as exact text, as the database driver wants it. SQLite's adapter would turn a
    Decimal back into this very text (NUMERIC affinity stores it as a number), so it is passed
    as is; other databases get a Decimal."""
    if text is None or ops.connection.vendor == "sqlite":
        return text
    return ops.adapt_decimalfield_value(Decimal(text), 16, 4)


def _update(updates, actor, now, start, end) -> None:
    """One UPDATE statement run for every changed row (executemany), guarded by the version."""
    ops = connection.ops
    table = connection.ops.quote_name(Observation._meta.db_table)
    sql = (
        f"UPDATE {table} SET numerator = %s, denominator = %s, value = %s, boolean_value = %s, "
        "level = %s, entered_by_id = %s, entered_at = %s, period_start = %s, period_end = %s, "
        "version = version + 1 WHERE id = %s AND version = %s"
    )
    stamp = ops.adapt_datetimefield_value(now)
    first, last = ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)
    actor_id = actor.pk if actor is not None else None

    params = []
    for row, observation in updates:
        numerator, denominator, value, boolean, level = row[NEW_FIGURES]
        params.append(
            (
                _decimal(ops, numerator),
                _decimal(ops, denominator),
                _decimal(ops, value),
                boolean,
                level,
                actor_id,
                stamp,
                first,
                last,
                observation.pk,
                observation.version,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        changed = cursor.rowcount
    if changed not in (-1, len(params)):
        raise CommitRefused(
            [Problem("Có số liệu vừa được người khác sửa trong lúc ghi; hãy tải mẫu mới.")]
        )


def _conflict(row: list, observation: Observation | None) -> Problem:
    if observation is None:
        message = f"số liệu {row[CODE]} đã bị xóa sau khi kiểm tra tệp; hãy tải lên lại."
    else:
        who = observation.entered_by.display_name if observation.entered_by else "người khác"
        when = timezone.localtime(observation.entered_at).strftime("%H:%M %d/%m/%Y")
        shown = describe(Figures.from_json(_snapshot(observation)), observation.measure)
        message = (
            f"xung đột: số liệu {row[CODE]} đã được {who} sửa lúc {when}, sau khi kiểm tra "
            f"tệp (giá trị hiện tại: {shown or 'trống'}). Hãy tải mẫu mới."
        )
    return Problem(message, row[ROW], kind="conflict")
