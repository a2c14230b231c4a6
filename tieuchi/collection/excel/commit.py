"""Storing a checked file as an ImportBatch (the preview) and writing it in one transaction.

The batch variant of `services.save_observation`: the same rules (figures checked by
`validate`, optimistic locking per value, approved figures locked), but every row of the file
is written in ONE transaction with bulk statements, one audit record per value (channel
"excel"), and `figures_changed` is sent once per unit after the commit, not once per value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog
from tieuchi.collection.excel.cells import Figures
from tieuchi.collection.excel.context import approved_unit_ids, period_closed, unit_label
from tieuchi.collection.excel.template import describe
from tieuchi.collection.excel.validate import (
    CHANGED,
    NEW,
    CheckResult,
    Problem,
    check_upload,
)
from tieuchi.collection.models import ImportBatch, Observation
from tieuchi.collection.services import period_bounds
from tieuchi.collection.signals import figures_changed
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_edit_unit

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


def _actor(user):
    return user if getattr(user, "pk", None) else None


def save_batch(result: CheckResult, user) -> ImportBatch | None:
    """Keep the check as an ImportBatch: a preview to commit, or a refusal with its errors.
    Files that could not even be identified (no unit or catalog) leave no batch."""
    if result.unit is None or result.catalog is None:
        return None
    return ImportBatch.objects.create(
        unit=result.unit,
        catalog=result.catalog,
        period=result.period,
        file_name=result.file_name[:255],
        sha256=result.sha256,
        status=ImportBatch.Status.PREVIEW if result.ok else ImportBatch.Status.REFUSED,
        rows=[row.as_list() for row in result.rows] if result.ok else [],
        errors=[problem.as_json() for problem in result.problems],
        uploaded_by=_actor(user),
    )


def commit_batch(batch: ImportBatch, user) -> CommitReport:
    """Write a previewed batch. On any problem nothing is written and the batch is refused."""
    rows = batch.rows  # as checked and shown in the preview
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update(of=("self",)).select_related(
                "unit", "catalog"
            )
            batch = locked.defer("rows", "errors").get(pk=batch.pk)
            if batch.status != ImportBatch.Status.PREVIEW:
                label = batch.get_status_display().lower()
                raise CommitRefused([Problem(f"Lần nhập này {label}; không ghi lại được.")])
            if not can_edit_unit(user, batch.unit):
                raise CommitRefused(
                    [
                        Problem(
                            f"Bạn không có quyền nhập số liệu cho {unit_label(batch.unit)}.",
                            kind="file",
                        )
                    ]
                )
            if period_closed(batch.catalog, batch.period):
                raise CommitRefused(
                    [Problem(f"Kỳ {batch.period} đã khóa; không nhập thêm được.", kind="file")]
                )
            note = f"Nhập từ tệp Excel {batch.file_name} (lần nhập #{batch.pk})"
            report = write_rows(user, batch.catalog, batch.period, rows, note=note)
            batch.status = ImportBatch.Status.COMMITTED
            batch.committed_at = timezone.now()
            batch.save(update_fields=["status", "committed_at"])
    except CommitRefused as refused:
        if batch.status == ImportBatch.Status.PREVIEW:
            ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
                status=ImportBatch.Status.REFUSED,
                errors=[problem.as_json() for problem in refused.problems],
            )
        raise
    return report


def discard_batch(batch: ImportBatch) -> bool:
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
            status=ImportBatch.Status.DISCARDED
        )
    )


# Positions in a stored row (validate.ROW_FIELDS).
ROW, UNIT_ID, MEASURE_ID, CODE, STATUS, BASE, NEW_FIGURES = 0, 2, 3, 4, 5, 6, 7
SNAPSHOT_KEYS = ("numerator", "denominator", "value", "boolean_value", "level")


def write_rows(
    user, catalog: Catalog, period: str, rows: list[list], *, note: str = ""
) -> CommitReport:
    """Write the new and changed rows of a batch (stored rows, see validate.ROW_FIELDS).
    Call inside a transaction; raises CommitRefused, writing nothing, on any conflict or lock."""
    todo = [row for row in rows if row[STATUS] in (NEW, CHANGED)]
    report = CommitReport()
    if not todo:
        return report
    actor = _actor(user)
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
    labels = {pk: str(unit) for pk, unit in units.items()}  # as str(Observation) starts
    now = timezone.now()
    _insert_observations(creates, actor, now, period, start, end)
    created_ids = _ids_of(creates, period)
    if updates:
        _update(updates, actor, now, start, end)

    audits = []
    for row in creates:
        after = dict(zip(SNAPSHOT_KEYS, row[NEW_FIGURES], strict=True))
        after["status"], after["version"] = Observation.Status.DRAFT.value, 1
        audits.append(("create", created_ids[row[UNIT_ID], row[MEASURE_ID]], row, None, after))
    for row, observation in updates:
        after = dict(zip(SNAPSHOT_KEYS, row[NEW_FIGURES], strict=True))
        after["status"], after["version"] = observation.status, observation.version + 1
        audits.append(("update", observation.pk, row, _snapshot(observation), after))
    _insert_audit(audits, actor, now, labels, period, note)

    report.created, report.updated = len(creates), len(updates)
    report.unit_ids = sorted(unit_ids)

    def announce():
        for unit_id in report.unit_ids:
            figures_changed.send(sender=Observation, unit=units[unit_id], catalog=catalog)

    transaction.on_commit(announce)
    return report


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


def _executemany(model, columns: tuple[str, ...], params: list[tuple]) -> None:
    """One INSERT run for every row (executemany): the bulk path, without building model objects."""
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


def _insert_observations(rows, actor, now, period, start, end) -> None:
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    first, last = ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)
    actor_id = actor.pk if actor is not None else None
    draft = Observation.Status.DRAFT.value
    params = []
    for row in rows:
        numerator, denominator, value, boolean, level = row[NEW_FIGURES]
        params.append(
            (
                row[UNIT_ID],
                row[MEASURE_ID],
                period,
                first,
                last,
                _decimal(ops, numerator),
                _decimal(ops, denominator),
                _decimal(ops, value),
                boolean,
                level,
                draft,
                "",
                "",
                actor_id,
                stamp,
                1,
            )
        )
    _executemany(Observation, OBSERVATION_COLUMNS, params)


AUDIT_COLUMNS = (
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


def _insert_audit(audits, actor, now, labels, period, note) -> None:
    """One audit record per value, as `accounts.audit.record` writes them (channel "excel")."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    actor_id = actor.pk if actor is not None else None
    object_type = Observation._meta.label_lower
    params = [
        (
            stamp,
            actor_id,
            CHANNEL.value,
            action,
            object_type,
            str(pk),
            f"{labels[row[UNIT_ID]]} {row[CODE]} {period}"[:255],
            None if before is None else ops.adapt_json_value(before, None),
            ops.adapt_json_value(after, None),
            note,
        )
        for action, pk, row, before, after in audits
    ]
    _executemany(AuditEvent, AUDIT_COLUMNS, params)


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


@dataclass
class ImportOutcome:
    """What `import_file` did: the check, the batch kept, and what was written (if anything)."""

    result: CheckResult
    batch: ImportBatch | None = None
    report: CommitReport | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def import_file(
    data: bytes,
    file_name: str,
    user,
    *,
    unit: AdminUnit | None = None,
    period: str | None = None,
    catalog: Catalog | None = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Check, keep the batch and commit it: what `tieuchi import_values` does (and the bench)."""
    result = check_upload(data, file_name, user, unit=unit, period=period, catalog=catalog)
    if dry_run:
        return ImportOutcome(result, problems=list(result.problems))
    batch = save_batch(result, user)
    if not result.ok or batch is None:
        return ImportOutcome(result, batch, problems=list(result.problems))
    try:
        report = commit_batch(batch, user)
    except CommitRefused as refused:
        return ImportOutcome(result, batch, problems=refused.problems)
    return ImportOutcome(result, batch, report)
