"""Saving one row typed in the entry form (`save_row`), with its outcome for the page."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.entry.figures import figure_problem, observation_values, unusual
from tieuchi.collection.entry.measures import unit_title
from tieuchi.collection.entry.sheet import Row, build_sheet
from tieuchi.collection.models import (
    Observation,
)
from tieuchi.collection.services import (
    ConflictError,
    ValueRejected,
    save_observation,
    set_observation_status,
    unusual_note,
)
from tieuchi.orgs.models import AdminUnit


class EntryClosed(Exception):
    """The row cannot be changed now (period closed, set submitted or approved, no right)."""


@dataclass
class RowOutcome:
    row: Row
    saved: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    warning: str = ""
    conflict: str = ""
    unchanged: bool = False
    pending: str = ""  # half a ratio typed: waiting for the other number, nothing wrong yet


def save_row(
    user,
    unit: AdminUnit,
    catalog: Catalog,
    period: str,
    measure: Measure,
    values: dict,
    *,
    expected_version: int | None,
    confirm: bool = False,
) -> RowOutcome:
    """Store one row of the form. `values` are already parsed (Decimal / bool / str / None).

    Raises EntryClosed when the sheet is not open to this user; every other problem comes back
    in the outcome, to be shown next to the field.
    """
    sheet = build_sheet(user, unit, catalog, period, only=measure)
    if not sheet.rows:
        raise EntryClosed(f"{measure.code} không thuộc các chỉ tiêu {unit_title(unit)} nhập.")
    row = sheet.rows[0]
    if not sheet.editable:
        raise EntryClosed(sheet.reason)
    if row.mode == "title":
        raise EntryClosed("Chỉ tiêu này xác định theo quyết định công nhận, không nhập ở đây.")
    outcome = RowOutcome(row)
    if row.locked:
        outcome.message = _("Số liệu đã được duyệt và khóa; cần mở khóa (có lý do) trước khi sửa.")
        return outcome
    if row.mode == "ratio" and (values.get("numerator") is None) != (
        values.get("denominator") is None
    ):
        if values.get("denominator") is None:
            outcome.pending = _("Nhập tiếp mẫu số để lưu.")
        else:
            outcome.pending = _("Nhập tiếp tử số để lưu.")
        return outcome
    problem = figure_problem(row.mode, measure, values)
    if problem:
        field_name, reason = problem
        outcome.errors[field_name] = reason
        return outcome
    empty = all(values.get(name) in (None, "") for name in _fields(row.mode))
    if row.observation is None and empty:
        outcome.unchanged = True
        return outcome
    if row.observation is not None and _same(row, values):
        outcome.unchanged = True
        return outcome
    warning = unusual(row.mode, measure, values, row.previous)
    if warning and not confirm:
        outcome.warning = warning
        return outcome
    stored = {name: values.get(name) for name in _fields(row.mode)}
    try:
        with transaction.atomic():
            observation = save_observation(
                user,
                unit,
                measure,
                period,
                stored,
                expected_version=expected_version,
                note=unusual_note(warning) if warning else "",
            )
            if observation.status in (
                Observation.Status.SUBMITTED,
                Observation.Status.RETURNED,
            ):
                set_observation_status(
                    user,
                    [observation],
                    Observation.Status.DRAFT,
                    action="status",
                    note="Sửa số liệu: trở lại trạng thái nháp.",
                )
    except ConflictError as error:
        outcome.conflict = str(error)
        row.observation = error.current
        return outcome
    except ValueRejected as error:
        outcome.message = str(error)
        return outcome
    row.observation = observation
    outcome.saved = True
    outcome.warning = warning or ""
    return outcome


def _fields(mode: str) -> tuple[str, ...]:
    return {
        "ratio": ("numerator", "denominator"),
        "boolean": ("boolean_value",),
        "level": ("level",),
        "value": ("value",),
    }.get(mode, ())


def _same(row: Row, values: dict) -> bool:
    current = observation_values(row.mode, row.observation)

    def plain(value):
        return None if value == "" else value

    return all(plain(current.get(n)) == plain(values.get(n)) for n in _fields(row.mode))
