"""Reading cells of a filled-in template: Vietnamese numbers, Đạt / Chưa đạt, grades (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.collection.excel.cells import (
    CellRejected,
    Figures,
    parse_boolean,
    parse_level,
    parse_number,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (87.5, "87.5"),
        (700.0, "700"),
        (12, "12"),
        ("87,5", "87.5"),
        ("87.5", "87.5"),
        ("1.234", "1234"),
        ("1.234,5", "1234.5"),
        ("12.345.678", "12345678"),
        (" 90 % ", "90"),
        ("0,125", "0.125"),
        (92.10526315789474, "92.1053"),
        ("", None),
        (None, None),
        ("   ", None),
    ],
)
def test_numbers_are_read_the_vietnamese_way(raw, expected):
    number = parse_number(raw)
    assert (None if number is None else format(number.normalize(), "f")) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,3,4", "'12,3,4' không phải là số"),
        ("mười", "'mười' không phải là số"),
        ("-5", "'-5' là số âm"),
        (-0.5, "'-0.5' là số âm"),
        (dt.date(2023, 1, 2), "'02/01/2023' là ngày tháng"),
        (True, "không phải là số"),
        (10**13, "quá lớn"),
    ],
)
def test_what_is_not_a_number_is_refused_with_the_reason(raw, message):
    with pytest.raises(CellRejected, match=message):
        parse_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đạt", True),
        ("đạt ", True),
        ("Chưa đạt", False),
        ("Không đạt", False),
        (True, True),
        (0.0, False),
        ("", None),
    ],
)
def test_yes_no_cells(raw, expected):
    assert parse_boolean(raw) is expected


def test_a_yes_no_cell_with_something_else_is_refused():
    with pytest.raises(CellRejected, match="chọn 'Đạt' hoặc 'Chưa đạt'"):
        parse_boolean("có lẽ")


def test_grades_are_matched_on_the_scale_and_spelled_as_the_catalog_does():
    scale = ["yếu", "trung bình", "khá", "vững mạnh"]
    assert parse_level("  KHÁ ", scale) == "khá"
    assert parse_level("Trung  bình", scale) == "trung bình"
    with pytest.raises(CellRejected, match=r"'giỏi' không có trong thang xếp loại \(yếu; "):
        parse_level("giỏi", scale)


def test_figures_round_trip_through_json_and_compare_by_value():
    figures = Figures(Decimal("700.0000"), Decimal("760"), None, None, "")
    assert figures.canonical() == "n=700;d=760"
    assert Figures.from_json(figures.as_json()) == figures
    assert Figures().empty and not figures.empty
