"""Storing a checked file as an ImportBatch (the preview) and writing it in one transaction.

The batch variant of `services.save_observation`: the same rules (figures checked by
`validate`, optimistic locking per value, approved figures locked), but every row of the file
is written in ONE transaction with bulk statements, one audit record per value (channel
"excel"), and `figures_changed` is sent once per unit after the commit, not once per value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tieuchi.catalog.models import Catalog
from tieuchi.collection.excel.check_result import CheckResult, Problem, row_dict
from tieuchi.collection.excel.context import period_closed, unit_label
from tieuchi.collection.excel.row_writer import (
    WARNING,
    CommitRefused,
    CommitReport,
    actor_of,
    write_rows,
)
from tieuchi.collection.excel.unusual import unusual_problems
from tieuchi.collection.excel.validate import check_upload
from tieuchi.collection.models import ImportBatch
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_edit_unit


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
        uploaded_by=actor_of(user),
    )


class ConfirmationNeeded(Exception):
    """The batch holds figures far from the units' history and the user has not confirmed them;
    nothing was written and the batch is still a preview."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def commit_batch(batch: ImportBatch, user, *, confirm_unusual: bool = False) -> CommitReport:
    """Write a previewed batch. On any problem nothing is written and the batch is refused.
    Unusual figures (see excel.unusual) are written only with `confirm_unusual`."""
    rows = batch.rows  # as checked and shown in the preview
    if not confirm_unusual:
        flagged = unusual_problems(row_dict(row) for row in rows if len(row) > WARNING)
        if flagged:
            raise ConfirmationNeeded(flagged)
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
    confirm_unusual: bool = False,
) -> ImportOutcome:
    """Check, keep the batch and commit it: what `tieuchi import_values` does (and the bench).
    Unusual figures are refused (the batch stays a preview) unless `confirm_unusual`."""
    result = check_upload(data, file_name, user, unit=unit, period=period, catalog=catalog)
    if dry_run:
        return ImportOutcome(result, problems=list(result.problems))
    batch = save_batch(result, user)
    if not result.ok or batch is None:
        return ImportOutcome(result, batch, problems=list(result.problems))
    try:
        report = commit_batch(batch, user, confirm_unusual=confirm_unusual)
    except (CommitRefused, ConfirmationNeeded) as refused:
        return ImportOutcome(result, batch, problems=refused.problems)
    return ImportOutcome(result, batch, report)
