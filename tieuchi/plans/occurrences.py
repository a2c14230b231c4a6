"""Expand a plan row's normalised deadline into the dates work is due, and derive a task's status.

`expand` takes the dict `Deadline.to_dict()` stores on a plan row (see `plans/deadlines.py`) and the
plan's period, and returns the occurrences a task must meet:

- recurring weekly: one per week on the named weekday (Sunday, the week's end, when none is
  named), within the plan period;
- recurring monthly, "monthly or quarterly" and daily: one check-in per month end (a daily duty is
  an activity log, checked monthly; "hàng tháng, quý" is met monthly, so quarters add nothing);
- recurring quarterly: one per quarter end; yearly: one per 31/12 (the period end if none falls
  inside it);
- continuous ("Thường xuyên"): monthly check-ins at each month end, so a standing duty is looked at
  twelve times a year rather than never;
- month, quarter, year, school year, range, unspecified (with the inherited plan end): one
  occurrence on the due date;
- linked ("Theo tiến độ dự án") and unreadable: none, flagged for a person to set a date.

Standard library only: an import-linter contract forbids Django here.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

NOT_STARTED, IN_PROGRESS, AT_RISK, OVERDUE, DONE = (
    "not_started",
    "in_progress",
    "at_risk",
    "overdue",
    "done",
)
STATUSES = (NOT_STARTED, IN_PROGRESS, AT_RISK, OVERDUE, DONE)
# Manual statuses a person may set; OVERDUE is only ever derived from the date.
MANUAL_STATUSES = (NOT_STARTED, IN_PROGRESS, AT_RISK, DONE)
WARN_DAYS = 7

NO_DATE_FLAG = "Không có ngày hạn cụ thể ('{text}'); cần người xác định ngày để theo dõi"
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Occurrence:
    due: date
    label: str


@dataclass(frozen=True)
class Expansion:
    occurrences: tuple[Occurrence, ...]
    cadence: str  # once, weekly, monthly, quarterly, yearly, none
    flags: tuple[str, ...] = ()


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _month_ends(start: date, end: date, step: int = 1) -> list[date]:
    """Month ends (every `step`-th calendar month, aligned to January) between start and end."""
    result = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if (month - 1) % step == step - 1:
            due = month_end(year, month)
            if start <= due <= end:
                result.append(due)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return result


def _monthly(start: date, end: date) -> tuple[Occurrence, ...]:
    return tuple(Occurrence(d, f"Tháng {d.month:02d}/{d.year}") for d in _month_ends(start, end))


def _weekly(start: date, end: date, weekday: int | None) -> tuple[Occurrence, ...]:
    weekday = 6 if weekday is None else weekday
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    result = []
    while day <= end:
        result.append(Occurrence(day, f"Tuần {day:%d/%m/%Y}"))
        day += timedelta(days=7)
    return tuple(result)


def expand(deadline: dict, period_start: date, period_end: date) -> Expansion:
    """The occurrences of `deadline` (a `Deadline.to_dict()`) within the plan period."""
    kind = deadline.get("kind") or "unreadable"
    text = (deadline.get("text") or "").strip()
    due = _date(deadline.get("due"))
    start = max(period_start, _date(deadline.get("start")) or period_start)
    if kind == "continuous":
        return Expansion(_monthly(start, period_end), "monthly")
    if kind == "recurring":
        frequency = deadline.get("frequency")
        if frequency == "weekly":
            return Expansion(_weekly(start, period_end, deadline.get("weekday")), "weekly")
        if frequency in ("monthly", "daily", "monthly_or_quarterly"):
            return Expansion(_monthly(start, period_end), "monthly")
        if frequency == "quarterly":
            ends = _month_ends(start, period_end, step=3)
            return Expansion(
                tuple(Occurrence(d, f"Quý {_ROMAN[d.month // 3]}/{d.year}") for d in ends),
                "quarterly",
            )
        if frequency == "yearly":
            ends = _month_ends(start, period_end, step=12) or [period_end]
            return Expansion(tuple(Occurrence(d, f"Năm {d.year}") for d in ends), "yearly")
    if kind in ("month", "quarter", "year", "school_year", "range", "unspecified") and due:
        label = text or f"Hạn {due:%d/%m/%Y}"
        return Expansion((Occurrence(due, label),), "once")
    return Expansion((), "none", (NO_DATE_FLAG.format(text=text or "trống"),))


def derive_status(manual: str, due: date | None, today: date, *, warn_days: int = WARN_DAYS) -> str:
    """The status shown: done stays done; past its due date it is overdue; close to it, at risk."""
    if manual == DONE:
        return DONE
    if due is not None and due < today:
        return OVERDUE
    if manual == AT_RISK:
        return AT_RISK
    if manual == NOT_STARTED and due is not None and (due - today).days <= warn_days:
        return AT_RISK
    return manual if manual in (NOT_STARTED, IN_PROGRESS) else NOT_STARTED
