"""The report charts are real PNG images of the expected size, whatever the data."""

import io

import pytest
from PIL import Image

from tieuchi.reports import charts

LABELS = {"met": "Đạt", "not_met": "Chưa đạt", "no_data": "Chưa đủ dữ liệu"}


def image(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture


@pytest.mark.parametrize(
    ("series", "path", "target"),
    [
        ({2020: 88.2, 2021: 90.1, 2022: 91.0, 2023: 92.4}, [(2020, 88.2), (2025, 95.0)], 95.0),
        ({2020: 56.0, 2023: 41.0}, [(2020, 56.0), (2023, 43.4), (2025, 35.0)], 35.0),
        ({}, [(2025, 83.0)], 83.0),  # nothing reported yet: target line only
        ({2022: 1.0, 2023: 0.0}, [], None),  # verdict-only target: the figures alone
    ],
)
def test_indicator_chart_is_a_png_of_the_requested_size(series, path, target):
    png = charts.indicator_chart(
        "Tỷ lệ bao phủ bảo hiểm y tế", series, path, target, size_in=(6, 3)
    )
    assert image(png).size == (6 * charts.DPI, 3 * charts.DPI)


def test_indicator_chart_draws_the_trajectory_when_given():
    plain = charts.indicator_chart("Chỉ số", {2023: 90.0}, [], 95.0)
    with_path = charts.indicator_chart("Chỉ số", {2023: 90.0}, [(2020, 80.0), (2025, 95.0)], 95.0)
    assert plain != with_path


def test_heat_map_grows_with_units_and_criteria():
    criteria = [str(n) for n in range(1, 10)]
    wards = [f"Phường {n}" for n in range(1, 15)]
    verdicts = {
        (w, c): ("met", "not_met", "no_data")[i % 3]
        for i, (w, c) in enumerate((w, c) for w in wards for c in criteria)
    }
    small = image(charts.heat_map(wards[:2], criteria, verdicts, verdict_labels=LABELS))
    large = image(
        charts.heat_map(wards, criteria, verdicts, verdict_labels=LABELS, title="Ma trận")
    )
    assert large.size[0] == small.size[0]
    assert large.size[1] > small.size[1]


def test_heat_map_cells_change_with_the_verdict_text():
    """The verdict is written in the cell: another label gives another picture."""
    cells = {("Giang Biên", "1"): "met"}
    first = charts.heat_map(["Giang Biên"], ["1"], cells, verdict_labels=LABELS)
    second = charts.heat_map(["Giang Biên"], ["1"], cells, verdict_labels={"met": "Đ"})
    assert first != second


def test_share_met_by_round_is_a_png_of_the_requested_size():
    png = charts.share_met_by_round(
        [("Đợt 1 – tháng 05/2023", 40, 52), ("Đợt 2 – tháng 11/2023", 44, 52), ("Đợt 3", 0, 0)],
        size_in=(5, 3),
    )
    assert image(png).size == (5 * charts.DPI, 3 * charts.DPI)


def test_vietnamese_letters_are_drawn_not_left_as_empty_boxes():
    """A font without "ạ", "ư", "ế" (an old Liberation Serif) hands them to the next family."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.heat_map(
            ["Thượng Thanh", "Ngọc Thụy", "Đức Giang"],
            ["1", "2"],
            {("Thượng Thanh", "1"): "met", ("Ngọc Thụy", "2"): "not_met"},
            verdict_labels=LABELS,
            title="Kết quả từng tiêu chí",
        )
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]
