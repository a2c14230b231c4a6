"""The path a programme target asks for, and where a unit stands on it. Pure, no Django.

One computation for the Programme 02 dashboard and the CTr02 progress report, so both say the
same thing for the same indicator on the same date. The rules, per target form of the catalog:

- "≥ 95% đến năm 2025", "≤ 35 phút", "= 100%", "25 – 30%": a straight line from the baseline to
  the value to reach in the target year (the programme's last year when none is stated). A range
  asks for its lower bound (above the upper bound is "vượt kế hoạch", still met). "= 0 cơ sở"
  is reached from above, "= 100%" from below. Lower is better for ≤, < and reductions.
- "giảm 3/4 so với đầu năm 2021", "−10% so với đầu nhiệm kỳ", "giảm 5 – 10%": the value to reach
  is baseline × (1 − r%) with r the (lower) reduction, from the baseline the engine judged against.
- "hằng năm", "mỗi năm", "giữ vững/duy trì 14/14", "không để xảy ra" (zero events): the target
  holds every year, there is no ramp: the required value is the target itself from the start.

`assess` says where a unit stands: met (the stored verdict says so: the engine knows the exact
comparator, "> 95" is not met at 95), the baseline year only (nothing to judge yet), on track
(not met, but at or beyond the value required for the year of its figure), behind (worse than
the line, a target year already past, or a yearly target not met this year), or not enough data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
UPWARD = frozenset({"gte", "gt", "between", "streak_gte"})
DOWNWARD = frozenset({"lte", "lt", "reduction_gte", "reduction_between"})
REDUCTIONS = frozenset({"reduction_gte", "reduction_between"})
HELD = frozenset({"maintain", "zero"})  # held every year by their nature
YEARLY_WORDS = ("hằng năm", "hàng năm", "mỗi năm")
PREFERRED_LAYERS = ("programme", "national")  # the programme's own target before local ones


class Direction(StrEnum):
    UP = "up"  # the value must rise to the target
    DOWN = "down"  # the value must fall to the target
    HOLD = "hold"  # the target holds every year (maintain, "hằng năm", zero events)


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    BASELINE_ONLY = "baseline_only"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class TargetForm:
    """What the threshold says: comparator, value(s), the year to reach it, yearly or not."""

    comparator: str
    value: Decimal | None
    value_max: Decimal | None = None
    target_year: int | None = None
    yearly: bool = False
    baseline_value: Decimal | None = None

    @classmethod
    def of(cls, threshold) -> TargetForm:
        """From a catalog threshold (any object with the Threshold model's attributes)."""
        due = (getattr(threshold, "due_text", "") or "").casefold()
        return cls(
            comparator=threshold.comparator,
            value=_decimal(threshold.value),
            value_max=_decimal(threshold.value_max),
            target_year=threshold.target_year,
            yearly=any(word in due for word in YEARLY_WORDS),
            baseline_value=_decimal(threshold.baseline_value),
        )


@dataclass(frozen=True)
class Point:
    year: int
    value: Decimal


@dataclass(frozen=True)
class Trajectory:
    direction: Direction
    start: Point | None  # the baseline the line starts from (None: no ramp)
    end_year: int
    end_value: Decimal | None  # the value to reach (None: not numeric, or no baseline for it)

    def required(self, year: int) -> Decimal | None:
        """The value required in `year`: the baseline before the start, the target after the end."""
        if self.end_value is None:
            return None
        if self.start is None or self.direction == Direction.HOLD:
            return self.end_value
        if year <= self.start.year:
            return self.start.value
        if year >= self.end_year:
            return self.end_value
        span = Decimal(self.end_year - self.start.year)
        done = Decimal(year - self.start.year)
        return self.start.value + (self.end_value - self.start.value) * done / span

    def points(self) -> list[Point]:
        """One required value per year from the start (or the end year alone) to the end year."""
        first = self.start.year if self.start is not None else self.end_year
        years = range(min(first, self.end_year), self.end_year + 1)
        return [Point(year, value) for year in years if (value := self.required(year)) is not None]


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def end_value(form: TargetForm, baseline: Decimal | None) -> Decimal | None:
    """The value to reach: baseline × (1 − r%) for a reduction, 0 for zero events, the (lower)
    bound otherwise."""
    if form.comparator == "zero":
        return Decimal(0)
    if form.value is None:
        return None
    if form.comparator in REDUCTIONS:
        return None if baseline is None else baseline * (HUNDRED - form.value) / HUNDRED
    return form.value


def direction(form: TargetForm, baseline: Decimal | None) -> Direction:
    if form.yearly or form.comparator in HELD:
        return Direction.HOLD
    if form.comparator in UPWARD:
        return Direction.UP
    if form.comparator in DOWNWARD:
        return Direction.DOWN
    if form.comparator != "eq":  # against last year or an external benchmark: no line to draw
        return Direction.HOLD
    # "= 100%" is reached from below, "= 0 cơ sở" from above (a count cannot go below zero).
    if form.value is None:
        return Direction.UP
    if form.value == 0 or (baseline is not None and baseline > form.value):
        return Direction.DOWN
    return Direction.UP


def plan(form: TargetForm, baseline: Point | None, programme_end: int) -> Trajectory:
    """The trajectory from the baseline to the target year (the programme's end when unstated)."""
    end_year = form.target_year or programme_end
    base_value = baseline.value if baseline is not None else None
    way = direction(form, base_value)
    start = baseline if way != Direction.HOLD and baseline is not None else None
    if start is not None and start.year >= end_year:
        start = None
    return Trajectory(way, start, end_year, end_value(form, base_value))


def assess(trajectory: Trajectory, current: Point | None, verdict: str) -> Status:
    """Met by the stored verdict; otherwise on track or behind the value required that year."""
    if verdict == "met":
        return Status.MET
    if verdict == "no_data" or current is None:
        return Status.NO_DATA
    required = trajectory.required(current.year)
    if required is None or trajectory.direction == Direction.HOLD:
        return Status.BEHIND
    if current.year >= trajectory.end_year:
        return Status.BEHIND
    if trajectory.start is not None and current.year <= trajectory.start.year:
        return Status.BASELINE_ONLY
    if trajectory.direction == Direction.UP:
        return Status.ON_TRACK if current.value >= required else Status.BEHIND
    return Status.ON_TRACK if current.value <= required else Status.BEHIND


def primary_threshold(thresholds: Iterable):
    """The threshold a programme indicator is followed against: the programme's (or national)
    one first, else the first one; None when the measure has none."""
    thresholds = list(thresholds)
    preferred = [t for t in thresholds if str(t.layer) in PREFERRED_LAYERS]
    return (preferred or thresholds or [None])[0]


def stored_number(figures: dict) -> Decimal | None:
    """The stored value of a measure (its event count for zero-event measures)."""
    value = figures.get("value")
    if value is None:
        value = figures.get("events")
    return _decimal(value)


def baseline_of(form: TargetForm, history: list[Point], newest: dict, start_year: int):
    """The stated baseline, the one a reduction was judged against, or the first year's value."""
    if form.comparator in REDUCTIONS:
        period = str(newest.get("baseline_period") or "")
        if newest.get("baseline") is None or not period.isdigit():
            return None
        return Point(max(int(period), start_year), Decimal(str(newest["baseline"])))
    if form.baseline_value is not None:
        return Point(start_year, form.baseline_value)
    return history[0] if history else None


@dataclass(frozen=True)
class Progress:
    """A measure followed year by year: what the dashboard row and the report line show."""

    form: TargetForm
    baseline: Point | None
    current: Point | None
    verdict: str
    explanation: str
    trajectory: Trajectory
    status: Status
    history: list[Point]

    @property
    def required_now(self) -> Decimal | None:
        return self.trajectory.required(self.current.year) if self.current else None


def follow(form: TargetForm, by_year: dict[int, dict], start_year: int, end_year: int) -> Progress:
    """`by_year`: the measure's stored line (verdict, figures, explanation) in the newest run of
    each year. The newest year gives the current value and verdict."""
    history = [
        Point(year, value)
        for year, data in sorted(by_year.items())
        if (value := stored_number(data.get("figures") or {})) is not None
    ]
    newest_year = max(by_year, default=None)
    newest = by_year[newest_year] if newest_year is not None else {}
    figures = newest.get("figures") or {}
    value = stored_number(figures)
    current = Point(newest_year, value) if value is not None and newest_year else None
    baseline = baseline_of(form, history, figures, start_year)
    trajectory = plan(form, baseline, end_year)
    verdict = newest.get("verdict", "no_data")
    status = assess(trajectory, current, verdict)
    explanation = newest.get("explanation", "")
    return Progress(form, baseline, current, verdict, explanation, trajectory, status, history)
