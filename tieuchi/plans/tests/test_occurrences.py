"""Expanding a normalised deadline into due dates (pure: runs with `-p no:django` too)."""

from datetime import date

import pytest

from tieuchi.plans.deadlines import parse_deadline
from tieuchi.plans.occurrences import derive_status, expand

Y2023 = (date(2023, 1, 1), date(2023, 12, 31))


def _expand(text, period=Y2023):
    deadline = parse_deadline(text, plan_start=period[0], plan_end=period[1]).to_dict()
    return expand(deadline, *period)


@pytest.mark.parametrize(
    ("text", "count", "first", "last", "cadence"),
    [
        ("sáng thứ 7 hàng tuần", 52, date(2023, 1, 7), date(2023, 12, 30), "weekly"),
        ("Hàng tuần", 53, date(2023, 1, 1), date(2023, 12, 31), "weekly"),  # Sundays
        ("Hàng tháng", 12, date(2023, 1, 31), date(2023, 12, 31), "monthly"),
        ("ít nhất 01 chương trình/tháng", 12, date(2023, 1, 31), date(2023, 12, 31), "monthly"),
        ("Hàng ngày", 12, date(2023, 1, 31), date(2023, 12, 31), "monthly"),
        ("Thường xuyên", 12, date(2023, 1, 31), date(2023, 12, 31), "monthly"),
        ("Định kỳ, hàng tháng, quý", 12, date(2023, 1, 31), date(2023, 12, 31), "monthly"),
        ("Định kỳ hàng quý", 4, date(2023, 3, 31), date(2023, 12, 31), "quarterly"),
        ("hằng năm", 1, date(2023, 12, 31), date(2023, 12, 31), "yearly"),
        ("Tháng 10/2023", 1, date(2023, 10, 31), date(2023, 10, 31), "once"),
        ("Tháng 1O/2023", 1, date(2023, 10, 31), date(2023, 10, 31), "once"),
        ("Quý I/2023", 1, date(2023, 3, 31), date(2023, 3, 31), "once"),
        ("Năm 2023", 1, date(2023, 12, 31), date(2023, 12, 31), "once"),
        ("Năm học 2022 - 2023", 1, date(2023, 5, 31), date(2023, 5, 31), "once"),
        ("giai đoạn 2021 - 2025", 1, date(2025, 12, 31), date(2025, 12, 31), "once"),
        ("", 1, date(2023, 12, 31), date(2023, 12, 31), "once"),  # inherits the plan end
    ],
)
def test_expand(text, count, first, last, cadence):
    result = _expand(text)
    dates = [o.due for o in result.occurrences]
    assert (len(dates), dates[0], dates[-1], result.cadence) == (count, first, last, cadence)
    assert dates == sorted(set(dates))
    assert not result.flags


def test_weekly_saturdays_all_saturdays_and_53_in_2022():
    result = _expand("sáng thứ 7 hàng tuần")
    assert {o.due.weekday() for o in result.occurrences} == {5}
    in_2022 = _expand("sáng thứ 7 hàng tuần", (date(2022, 1, 1), date(2022, 12, 31)))
    assert len(in_2022.occurrences) == 53  # 01/01/2022 was a Saturday


def test_labels_are_vietnamese():
    assert _expand("Hàng tháng").occurrences[9].label == "Tháng 10/2023"
    assert _expand("Định kỳ hàng quý").occurrences[3].label == "Quý IV/2023"
    assert _expand("sáng thứ 7 hàng tuần").occurrences[0].label == "Tuần 07/01/2023"


@pytest.mark.parametrize("text", ["Theo tiến độ dự án", "Theo Kế hoạch", "trước Tết âm lịch"])
def test_linked_and_unreadable_have_no_dates_and_are_flagged(text):
    result = _expand(text)
    assert result.occurrences == ()
    assert result.cadence == "none"
    assert result.flags and "cần người xác định ngày" in result.flags[0]


def test_recurring_respects_a_later_start():
    result = _expand("Từ năm 2021, hàng năm", (date(2021, 1, 1), date(2023, 12, 31)))
    assert [o.due.year for o in result.occurrences] == [2021, 2022, 2023]


@pytest.mark.parametrize(
    ("manual", "due", "today", "expected"),
    [
        ("done", date(2023, 1, 1), date(2026, 1, 1), "done"),
        ("in_progress", date(2023, 1, 1), date(2023, 1, 2), "overdue"),
        ("not_started", date(2023, 1, 10), date(2023, 1, 5), "at_risk"),
        ("not_started", date(2023, 2, 10), date(2023, 1, 5), "not_started"),
        ("in_progress", date(2023, 1, 10), date(2023, 1, 5), "in_progress"),
        ("at_risk", date(2023, 2, 10), date(2023, 1, 5), "at_risk"),
        ("not_started", None, date(2023, 1, 5), "not_started"),
        ("in_progress", date(2023, 1, 5), date(2023, 1, 5), "in_progress"),  # due today: not late
    ],
)
def test_derive_status(manual, due, today, expected):
    assert derive_status(manual, due, today) == expected
