"""The programme trajectory, table-driven (no database): one row per target form of the catalog
(ctr02-longbien-2020-2025) and per edge of the line."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from tieuchi.evaluation.trajectory import (
    Direction,
    Point,
    Status,
    TargetForm,
    assess,
    follow,
    plan,
    primary_threshold,
)


def form(comparator, value, value_max=None, target_year=None, yearly=False, baseline=None):
    value = None if value is None else D(value)
    value_max = None if value_max is None else D(value_max)
    baseline = None if baseline is None else D(baseline)
    return TargetForm(comparator, value, value_max, target_year, yearly, baseline)


BHYT = form("gte", 95, target_year=2025)  # "Năm 2025 tỷ lệ bao phủ BHYT đạt trên 95%" (2.8)
OUTAGE = form("lte", 35, target_year=2025)  # "dưới 35 phút" from 56 in 2020 (3.3b)

# (target form, baseline (year, value), year asked, required value, direction)
REQUIRED = [
    # ≥ 95% in 2025 from 90% in 2020: a fifth of the way each year.
    (BHYT, (2020, 90), 2020, D(90), Direction.UP),
    (BHYT, (2020, 90), 2023, D(93), Direction.UP),
    (BHYT, (2020, 90), 2025, D(95), Direction.UP),
    (BHYT, (2020, 90), 2027, D(95), Direction.UP),  # after the target year: the target
    (BHYT, (2020, 85), 2019, D(85), Direction.UP),  # before the baseline: the baseline
    (BHYT, (2020, 85), 2021, D(87), Direction.UP),
    (BHYT, (2025, 90), 2025, D(95), Direction.UP),  # baseline in the target year: the target
    (BHYT, (2026, 90), 2026, D(95), Direction.UP),  # baseline after the target year
    # No stated year: the programme's end (2025). "= 100%" rises.
    (form("eq", 100), (2020, 60), 2024, D(92), Direction.UP),
    # "= 0 cơ sở" from 12: falls (was "up" in the report's table, which made any count "met").
    (form("eq", 0, target_year=2025), (2020, 12), 2024, D("2.4"), Direction.DOWN),
    # ≤ 35 minutes from 56 in 2020: lower is better.
    (OUTAGE, (2020, 56), 2022, D("47.6"), Direction.DOWN),
    (OUTAGE, (2020, 56), 2024, D("39.2"), Direction.DOWN),
    # "giảm 3/4 so với đầu năm 2021": 412 → 103 over 2021–2025.
    (form("reduction_gte", 75, target_year=2025), (2021, 412), 2025, D(103), Direction.DOWN),
    (form("reduction_gte", 75, target_year=2025), (2021, 412), 2023, D("257.5"), Direction.DOWN),
    # "giảm 10% so với đầu nhiệm kỳ (2020)": 80 → 72.
    (form("reduction_gte", 10, target_year=2025), (2020, 80), 2025, D(72), Direction.DOWN),
    # "giảm 5–10%": the lower bound of the reduction, 22 → 20,9.
    (form("reduction_between", 5, 10, 2025), (2020, 22), 2025, D("20.9"), Direction.DOWN),
    # A range "25 – 30%" asks for its lower bound; "3 – 5 phường đến năm 2025" too.
    (form("between", 25, 30), (2020, 12), 2025, D(25), Direction.UP),
    (form("between", 3, 5, target_year=2025), (2020, 0), 2023, D("1.8"), Direction.UP),
    # "91–93% hằng năm": held every year, no ramp.
    (form("between", 91, 93, yearly=True), (2020, 90), 2021, D(91), Direction.HOLD),
    # "> 5.000 lượt mỗi năm", "≥ 3 trường mỗi năm", streaks "hằng năm": held every year.
    (form("gt", 5000, yearly=True), (2020, 4000), 2022, D(5000), Direction.HOLD),
    (form("streak_gte", 70, yearly=True), (2020, 60), 2022, D(70), Direction.HOLD),
    # "Giữ vững 14/14": maintained from the start.
    (form("maintain", 14, baseline=14), (2020, 14), 2022, D(14), Direction.HOLD),
    # "Không để phát sinh hộ tái nghèo": zero events, every year.
    (form("zero", None), (2021, 2), 2023, D(0), Direction.HOLD),
]


@pytest.mark.parametrize(("target", "baseline", "year", "required", "way"), REQUIRED)
def test_required_value(target, baseline, year, required, way):
    trajectory = plan(target, Point(baseline[0], D(baseline[1])), programme_end=2025)
    assert trajectory.direction == way
    assert trajectory.required(year) == required


def test_reduction_without_baseline_has_no_required_value():
    trajectory = plan(form("reduction_gte", 10, target_year=2025), None, programme_end=2025)
    assert trajectory.required(2023) is None
    assert trajectory.points() == []


def test_points_run_from_the_baseline_year_to_the_target_year():
    trajectory = plan(form("gte", 35, target_year=2025), Point(2020, D(10)), programme_end=2025)
    assert [(p.year, p.value) for p in trajectory.points()] == [
        (2020, D(10)),
        (2021, D(15)),
        (2022, D(20)),
        (2023, D(25)),
        (2024, D(30)),
        (2025, D(35)),
    ]


def test_a_baseline_after_the_target_year_gives_a_flat_line():
    trajectory = plan(form("gte", 2, target_year=2022), Point(2023, D(0)), programme_end=2025)
    assert [(p.year, p.value) for p in trajectory.points()] == [(2022, D(2))]


# (target form, baseline, current (year, value) or None, stored verdict, status)
STATUSES = [
    (BHYT, (2020, 90), (2024, 96), "met", Status.MET),
    (BHYT, (2020, 90), (2024, 94), "not_met", Status.ON_TRACK),
    (BHYT, (2020, 90), (2024, D("93.9")), "not_met", Status.BEHIND),
    (BHYT, (2020, 85), (2023, 91), "not_met", Status.ON_TRACK),  # exactly on the line
    (BHYT, (2020, 85), (2023, D("90.9")), "not_met", Status.BEHIND),
    (BHYT, (2020, 90), None, "no_data", Status.NO_DATA),
    (BHYT, (2020, 90), (2024, 94), "no_data", Status.NO_DATA),
    # Only the baseline year is known: nothing to judge yet (the dashboard said "on track").
    (BHYT, (2020, 85), (2020, 85), "not_met", Status.BASELINE_ONLY),
    # "trên 95%": 95 is not met. The report judged "met" itself from ≥ and said so; the stored
    # verdict is the engine's, which knows the comparator.
    (form("gt", 95, target_year=2025), (2020, 90), (2024, 95), "not_met", Status.ON_TRACK),
    # The target year has passed and it is still not met.
    (form("gte", 70, target_year=2024), (2020, 38), (2024, 66), "not_met", Status.BEHIND),
    # Falling targets: at or below the line is on track.
    (OUTAGE, (2020, 56), (2024, 39), "not_met", Status.ON_TRACK),
    (OUTAGE, (2020, 56), (2022, 47), "not_met", Status.ON_TRACK),
    (OUTAGE, (2020, 56), (2022, 50), "not_met", Status.BEHIND),
    (OUTAGE, (2020, 56), (2022, 34), "met", Status.MET),
    (form("eq", 0, target_year=2025), (2020, 12), (2024, 3), "not_met", Status.BEHIND),
    (form("eq", 0, target_year=2025), (2020, 12), (2023, 4), "not_met", Status.ON_TRACK),
    # Reductions: on the line from the baseline to baseline × (1 − r%) (the report had none).
    (
        form("reduction_gte", 75, target_year=2025),
        (2021, 412),
        (2024, 130),
        "not_met",
        Status.ON_TRACK,
    ),
    (form("reduction_between", 5, 10, 2025), (2020, 100), (2023, 98), "not_met", Status.BEHIND),
    # Ranges: the lower bound is the line's end.
    (form("between", 25, 30), (2020, 10), (2023, 20), "not_met", Status.ON_TRACK),
    (form("between", 3, 5, target_year=2025), (2020, 0), (2023, 1), "not_met", Status.BEHIND),
    # Held every year: not met this year is behind, whatever the trend.
    (form("gte", 83, yearly=True), (2020, 80), (2022, 82), "not_met", Status.BEHIND),
    (form("between", 91, 93, yearly=True), (2020, 90), (2022, 94), "met", Status.MET),
    (form("maintain", 14, baseline=14), (2020, 14), (2023, 13), "not_met", Status.BEHIND),
    (form("maintain", 14, baseline=14), (2020, 14), (2023, 14), "met", Status.MET),
    (form("zero", None), None, (2024, 1), "not_met", Status.BEHIND),
    # Against last year: no line, only the verdict speaks.
    (form("lte_previous", None), (2020, 5), (2024, 4), "not_met", Status.BEHIND),
]


@pytest.mark.parametrize(("target", "baseline", "current", "verdict", "status"), STATUSES)
def test_status(target, baseline, current, verdict, status):
    base = Point(baseline[0], D(baseline[1])) if baseline else None
    trajectory = plan(target, base, programme_end=2025)
    now = Point(current[0], D(current[1])) if current else None
    assert assess(trajectory, now, verdict) == status


def line(verdict, **figures):
    return {"verdict": verdict, "figures": figures, "explanation": f"{verdict}: {figures}"}


# (target form, stored lines by year, baseline found, current, status)
FOLLOWED = [
    ({}, None, None, Status.NO_DATA),
    # No stated baseline: the first stored year; the dict order does not matter.
    (
        {2023: line("not_met", value=92), 2020: line("not_met", value=85)},
        Point(2020, D(85)),
        Point(2023, D(92)),
        Status.ON_TRACK,
    ),
    ({2020: line("not_met", value=85)}, Point(2020, D(85)), Point(2020, D(85)), "baseline_only"),
    # The newest year has no figure: no current value, the verdict says no data.
    ({2020: line("not_met", value=85), 2021: line("no_data")}, Point(2020, D(85)), None, "no_data"),
]


@pytest.mark.parametrize(("by_year", "baseline", "current", "status"), FOLLOWED)
def test_follow_reads_the_stored_lines(by_year, baseline, current, status):
    progress = follow(BHYT, by_year, start_year=2020, end_year=2025)
    assert (progress.baseline, progress.current, progress.status) == (baseline, current, status)
    assert progress.history == [
        Point(year, D(data["figures"]["value"]))
        for year, data in sorted(by_year.items())
        if "value" in data["figures"]
    ]


def test_follow_takes_the_stated_baseline_at_the_programme_start():
    by_year = {2022: line("not_met", value=48), 2023: line("not_met", value=44)}
    progress = follow(form("lte", 35, target_year=2025, baseline=56), by_year, 2020, 2025)
    assert progress.baseline == Point(2020, D(56))
    assert progress.required_now == D("43.4")
    assert progress.status == Status.BEHIND
    assert progress.explanation == "not_met: {'value': 44}"


def test_follow_takes_a_reductions_baseline_from_the_engines_figures():
    stored = line("not_met", value=200, baseline=412, baseline_period="2021", reduction_percent=51)
    progress = follow(form("reduction_gte", 75, target_year=2025), {2023: stored}, 2020, 2025)
    assert progress.baseline == Point(2021, D(412))
    assert progress.trajectory.end_value == D(103)
    assert progress.status == Status.ON_TRACK  # 200 ≤ 257,5 required in 2023
    older = line("not_met", value=70, baseline=80, baseline_period="2015")  # previous term
    assert follow(
        form("reduction_gte", 10, target_year=2025), {2024: older}, 2020, 2025
    ).baseline == Point(2020, D(80))
    unknown = line("no_data", value=70)
    assert (
        follow(form("reduction_gte", 10, target_year=2025), {2024: unknown}, 2020, 2025).baseline
        is None
    )


def test_zero_events_are_counted_from_their_events():
    progress = follow(form("zero", None), {2023: line("not_met", events=2)}, 2020, 2025)
    assert progress.current == Point(2023, D(2))
    assert progress.status == Status.BEHIND


@pytest.mark.parametrize(
    ("due", "yearly"),
    [
        ("hằng năm", True),
        ("Mỗi năm", True),
        ("Hàng năm", True),
        ("Đến năm 2025", False),
        ("", False),
    ],
)
def test_target_form_of_a_threshold(due, yearly):
    threshold = SimpleNamespace(
        comparator="between",
        value=D(91),
        value_max=D(93),
        target_year=None,
        due_text=due,
        baseline_value=None,
    )
    assert TargetForm.of(threshold) == form("between", 91, 93, yearly=yearly)


def test_the_programme_threshold_comes_before_a_local_one():
    ward, programme = SimpleNamespace(layer="ward"), SimpleNamespace(layer="programme")
    assert primary_threshold([ward, programme]) is programme
    assert primary_threshold([ward]) is ward
    assert primary_threshold([]) is None
