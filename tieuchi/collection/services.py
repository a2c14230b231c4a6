"""Writes of observed values: one transaction, one audit record, optimistic locking.

After the transaction commits, `figures_changed` tells the evaluation app to refresh the stored
results of the unit and its ancestors only.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation
from tieuchi.collection.signals import figures_changed
from tieuchi.core.formatting import vn_number
from tieuchi.orgs.models import AdminUnit

VALUE_FIELDS = ("numerator", "denominator", "value", "boolean_value", "level")


class ConflictError(Exception):
    """Someone else saved this figure after the form was loaded; nothing was written."""

    def __init__(self, current: Observation):
        self.current = current
        who = current.entered_by.display_name if current.entered_by else "người khác"
        when = timezone.localtime(current.entered_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            f"Số liệu {current.measure.code} của {current.unit.name} kỳ {current.period} vừa được {who} "
            f"lưu lúc {when} (giá trị hiện tại: {_describe(current)}). Thay đổi của bạn chưa được lưu."
        )


class ValueRejected(ValueError):
    """A figure that cannot be stored, with the reason in Vietnamese."""


def _describe(observation: Observation) -> str:
    if observation.numerator is not None or observation.denominator is not None:
        return f"{vn_number(observation.numerator)}/{vn_number(observation.denominator)}"
    if observation.boolean_value is not None:
        return "đạt" if observation.boolean_value else "chưa đạt"
    return observation.level or vn_number(observation.value)


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValueRejected(f"'{value}' không phải là số.") from exc
    if not number.is_finite():
        raise ValueRejected(f"'{value}' không phải là số.")
    return number


def _snapshot(observation: Observation | None) -> dict | None:
    if observation is None:
        return None
    data = {name: getattr(observation, name) for name in VALUE_FIELDS}
    return {
        k: format(v.normalize(), "f") if isinstance(v, Decimal) else v for k, v in data.items()
    } | {
        "status": observation.status,
        "version": observation.version,
    }


def unusual_note(warning: str) -> str:
    """How a confirmed unusual value is recorded in its history (the audit note)."""
    return f"Đã xác nhận giá trị bất thường: {warning}"


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """ "2023" → the year; "2023-Q4" → the quarter; "2023-11" → the month."""
    import calendar

    try:
        if len(period) == 4:
            year = int(period)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        year_text, part = period.split("-")
        year = int(year_text)
        if part.upper().startswith("Q"):
            quarter = int(part[1:])
            if not 1 <= quarter <= 4:
                raise ValueError
            start = dt.date(year, 3 * quarter - 2, 1)
            end_month = 3 * quarter
            return start, dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
        month = int(part)
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, TypeError) as exc:
        raise ValueRejected(
            f"Kỳ '{period}' không hợp lệ; dùng dạng 2023, 2023-Q4 hoặc 2023-11."
        ) from exc


def save_observation(
    actor,
    unit: AdminUnit,
    measure: Measure,
    period: str,
    values: dict,
    *,
    expected_version: int | None,
    channel: str = "web",
    source: str = "",
    note: str = "",
) -> Observation:
    """Create or change one figure. `expected_version` is None for a new figure. `note` goes
    into the audit record (the confirmation of an unusual value, with its reason)."""
    start, end = period_bounds(period)
    values = dict(values)
    for name in ("numerator", "denominator", "value"):
        values[name] = _number(values.get(name))
    numerator, denominator = values["numerator"], values["denominator"]
    if (denominator is not None and denominator < 0) or (numerator is not None and numerator < 0):
        raise ValueRejected("Tử số và mẫu số không được âm.")
    if numerator is not None and denominator is not None and numerator > denominator:
        raise ValueRejected("Tử số không được lớn hơn mẫu số.")
    with transaction.atomic():
        current = (
            Observation.objects.select_for_update(of=("self",))
            .select_related("measure", "unit", "entered_by")
            .filter(unit=unit, measure=measure, period=period)
            .first()
        )
        if (current.version if current else None) != expected_version:
            raise (
                ConflictError(current)
                if current
                else ValueRejected("Số liệu đã bị xóa; hãy tải lại trang.")
            )
        if current and current.status == Observation.Status.APPROVED:
            raise ValueRejected(
                "Số liệu đã được duyệt và khóa; cần mở khóa (có lý do) trước khi sửa."
            )
        before = _snapshot(current)
        observation = current or Observation(unit=unit, measure=measure, period=period, version=0)
        observation.period_start, observation.period_end = start, end
        for name in VALUE_FIELDS:
            setattr(observation, name, values.get(name, "" if name == "level" else None))
        observation.source = source or observation.source
        observation.entered_by = actor if getattr(actor, "pk", None) else None
        observation.version += 1
        observation.save()
        audit.record(
            actor,
            "update" if current else "create",
            observation,
            before=before,
            after=_snapshot(observation),
            channel=channel,
            note=note,
        )
        catalog = Catalog.objects.get(nodes__measures=measure)
        # Naming the one figure lets the evaluation re-judge only that measure.
        transaction.on_commit(
            lambda: figures_changed.send(
                sender=Observation, unit=unit, catalog=catalog, measure=measure, period=period
            )
        )
    return observation


def set_observation_status(
    actor,
    observations,
    status: str,
    *,
    action: str,
    channel: str = "web",
    note: str = "",
) -> int:
    """Move figures to a workflow status (submitted, returned, approved, draft) with one audit
    record each. The values, their version and `entered_at` are left as they are.

    Called inside the caller's transaction (the submission workflow); returns how many changed.
    """
    changed = 0
    now = timezone.now()
    for observation in observations:
        if observation.status == status:
            continue
        before = _snapshot(observation)
        observation.status = status
        fields = {"status": status}
        if status == Observation.Status.APPROVED:
            observation.approved_by = actor if getattr(actor, "pk", None) else None
            observation.approved_at = now
            fields |= {"approved_by": observation.approved_by, "approved_at": now}
        elif observation.approved_at is not None:
            observation.approved_by, observation.approved_at = None, None
            fields |= {"approved_by": None, "approved_at": None}
        Observation.objects.filter(pk=observation.pk).update(**fields)
        audit.record(
            actor,
            action,
            observation,
            before=before,
            after=_snapshot(observation),
            channel=channel,
            note=note,
        )
        changed += 1
    return changed
