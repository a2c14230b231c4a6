"""Engine rules that compare over time or against references: trends, titles, ranges, reductions, streaks."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.evaluation.engine import (
    NodeDef,
    TitleRecord,
    Verdict,
)
from tieuchi.evaluation.engine.evaluate import evaluate_node
from tieuchi.evaluation.engine.observe import Context

from .builders import AS_OF, fig, make_input, measure, ratio_fig, run, th

MET, NOT_MET, NO_DATA = Verdict.MET, Verdict.NOT_MET, Verdict.NO_DATA
D = Decimal


# ─────────────────────────────── trend vs previous year ───────────────────────────────


@pytest.mark.parametrize(
    ("comparator", "now", "before", "verdict", "fragment"),
    [
        ("lte_previous", 12, 15, MET, "12 vụ năm 2023 ≤ 15 vụ năm 2022"),
        ("lte_previous", 15, 15, MET, "15 vụ năm 2023 ≤ 15 vụ năm 2022"),
        ("lte_previous", 16, 15, NOT_MET, "16 vụ năm 2023 > 15 vụ năm 2022"),
        ("lt_previous", 15, 15, NOT_MET, "15 vụ năm 2023 ≥ 15 vụ năm 2022"),
        ("lt_previous", 14, 15, MET, "14 vụ năm 2023 < 15 vụ năm 2022"),
        ("lte_previous", 12, None, NO_DATA, "thiếu số liệu năm trước (2022)"),
        ("lte_previous", None, 15, NO_DATA, "chưa có số liệu năm 2023"),
    ],
    ids=["lower", "equal", "higher", "strict-equal", "strict-lower", "no-previous", "no-current"],
)
def test_trend(comparator, now, before, verdict, fragment):
    figures = []
    if now is not None:
        figures.append(fig(value=now))
    if before is not None:
        figures.append(fig(period="2022", value=before))
    result = run(measure("trend", th(comparator), unit="vụ"), figures=tuple(figures))
    assert result.verdict == verdict
    assert fragment in result.explanation


# ─────────────────────────────── titles ───────────────────────────────

ANTT = measure("title", th("held"), config={"title_code": "an_toan_antt"})


def title(valid_from, valid_to=None, revoked_on=None, unit_id=1, code="an_toan_antt"):
    return TitleRecord(
        unit_id, code, "An toàn về ANTT", valid_from, valid_to, revoked_on, "QĐ 123/QĐ-UBND"
    )


@pytest.mark.parametrize(
    ("titles", "verdict", "fragment"),
    [
        (
            (title(dt.date(2023, 1, 10), dt.date(2023, 12, 31)),),
            MET,
            "có danh hiệu “An toàn về ANTT” theo QĐ 123/QĐ-UBND, hiệu lực đến 31/12/2023",
        ),
        ((title(dt.date(2023, 1, 10), AS_OF),), MET, "hiệu lực đến 30/11/2023"),
        ((title(dt.date(2022, 1, 10)),), MET, "có danh hiệu"),
        (
            (title(dt.date(2022, 1, 10), dt.date(2022, 12, 31)),),
            NOT_MET,
            "danh hiệu “An toàn về ANTT” (QĐ 123/QĐ-UBND) hết hiệu lực từ 01/01/2023 "
            "(hiệu lực đến 31/12/2022)",
        ),
        (
            (title(dt.date(2023, 1, 10), revoked_on=dt.date(2023, 9, 1)),),
            NOT_MET,
            "bị thu hồi ngày 01/09/2023",
        ),
        ((title(dt.date(2024, 1, 1)),), NOT_MET, "chỉ có hiệu lực từ 01/01/2024"),
        ((), NOT_MET, "chưa có quyết định công nhận “an_toan_antt” còn hiệu lực"),
        ((title(dt.date(2023, 1, 1), unit_id=99),), NOT_MET, "chưa có quyết định công nhận"),
        ((title(dt.date(2023, 1, 1), code="khac"),), NOT_MET, "chưa có quyết định công nhận"),
        (
            (title(dt.date(2021, 1, 1), dt.date(2021, 12, 31)), title(dt.date(2023, 1, 1))),
            MET,
            "có danh hiệu",
        ),
    ],
    ids=[
        "valid",
        "valid-to-as-of-inclusive",
        "open-ended",
        "expired",
        "revoked",
        "not-yet-valid",
        "none",
        "another-unit",
        "another-title",
        "renewed-after-expiry",
    ],
)
def test_title(titles, verdict, fragment):
    result = run(ANTT, titles=titles)
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_a_title_measure_without_a_title_code_has_no_data():
    assert run(measure("title", th("held"))).verdict == NO_DATA


# ─────────────────────────────── ranges ───────────────────────────────


@pytest.mark.parametrize(
    ("num", "verdict", "above"),
    [(24, NOT_MET, False), (27, MET, False), (31, MET, True)],
    ids=["below-25", "inside", "above-30"],
)
def test_range_25_to_30_percent_of_tdps(num, verdict, above):
    m = measure("range", th("between", 25, value_max=30, layer="programme"), code="1.3b")
    result = run(m, figures=(ratio_fig(num, 100, code="1.3b"),))
    assert result.verdict == verdict
    assert ("vượt kế hoạch" in result.explanation) is above


# ─────────────────────────────── reductions ───────────────────────────────


def reduction(comparator, value, value_max=None, **kw):
    return th(comparator, value, value_max=value_max, layer="programme", **kw)


@pytest.mark.parametrize(
    ("threshold", "config", "figures", "verdict", "fragment"),
    [
        (
            reduction("reduction_gte", 75, baseline_value=40, baseline_text="đầu năm 2021"),
            {},
            (fig(value=10),),
            MET,
            "giảm 75% (từ 40 hộ (đầu năm 2021) xuống 10 hộ năm 2023) ≥ mức",
        ),
        (
            reduction("reduction_gte", 75, baseline_value=40),
            {},
            (fig(value=11),),
            NOT_MET,
            "giảm 72,5% (từ 40 hộ xuống 11 hộ năm 2023) < mức giảm yêu cầu 75%",
        ),
        (
            reduction("reduction_between", 5, 10),
            {"baseline_period": "2020"},
            (fig(value=93), fig(period="2020", value=100)),
            MET,
            "giảm 7% (từ 100 hộ năm 2020 xuống 93 hộ năm 2023) ≥ mức giảm yêu cầu 5% (kế hoạch 5–10%)",
        ),
        (
            reduction("reduction_between", 5, 10),
            {"baseline_period": "2020"},
            (fig(value=85), fig(period="2020", value=100)),
            MET,
            "vượt kế hoạch giảm 5–10%",
        ),
        (
            reduction("reduction_between", 5, 10),
            {"baseline_period": "2020"},
            (fig(value=97), fig(period="2020", value=100)),
            NOT_MET,
            "giảm 3%",
        ),
        (
            reduction("reduction_gte", 10),
            {"baseline_period": "2020"},
            (fig(value=110), fig(period="2020", value=100)),
            NOT_MET,
            "tăng 10% (từ 100 hộ năm 2020 lên 110 hộ năm 2023)",
        ),
        (
            reduction("reduction_gte", 10, baseline_value=0),
            {},
            (fig(value=1),),
            NO_DATA,
            "số liệu mốc bằng 0",
        ),
        (
            reduction("reduction_gte", 10),
            {"baseline_period": "2020"},
            (fig(value=90),),
            NO_DATA,
            "thiếu số liệu mốc năm 2020",
        ),
        (reduction("reduction_gte", 10), {}, (fig(value=90),), NO_DATA, "chưa có số liệu mốc"),
        (
            reduction("reduction_gte", 10, baseline_text="đầu nhiệm kỳ (2020)"),
            {},
            (fig(value=90), fig(period="2020", value=100)),
            MET,
            "giảm 10% (từ 100 hộ năm 2020",
        ),
        (
            reduction("reduction_gte", 10),
            {"baseline_period": "2020"},
            (fig(period="2020", value=100),),
            NO_DATA,
            "chưa có số liệu năm 2023",
        ),
    ],
    ids=[
        "three-quarters-met",
        "three-quarters-not-met",
        "5-10-inside",
        "5-10-above-plan",
        "5-10-below",
        "increase",
        "baseline-zero",
        "baseline-missing",
        "baseline-not-configured",
        "baseline-year-from-text",
        "current-missing",
    ],
)
def test_reduction(threshold, config, figures, verdict, fragment):
    result = run(measure("reduction", threshold, unit="hộ", config=config), figures=figures)
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_a_baseline_from_a_different_year_names_both_years():
    m = measure(
        "reduction", reduction("reduction_gte", 10), unit="vụ", config={"baseline_period": "2021"}
    )
    figures = (fig(value=80), fig(period="2020", value=100), fig(period="2017", value=500))
    result = run(m, figures=figures)
    assert result.verdict == MET
    assert "mốc yêu cầu năm 2021 chưa có số liệu, dùng số liệu mốc năm 2020" in result.explanation
    assert result.figures["baseline_period"] == "2020"


def test_an_absolute_target_with_a_baseline_just_compares_the_value():
    m = measure("reduction", th("lte", 35, baseline_value=56, baseline_text="năm 2020"), unit="hộ")
    result = run(m, figures=(fig(value=30),))
    assert result.verdict == MET
    assert "30 hộ ≤ 35 hộ (mốc 56 hộ năm 2020)" in result.explanation


def test_traffic_accidents_must_fall_on_all_three_measures():
    thresholds = (reduction("reduction_between", 5, 10),)
    config = {"baseline_period": "2020"}
    node = NodeDef(
        "5.3",
        "Giảm tai nạn giao thông",
        "indicator",
        measures=tuple(
            measure("reduction", *thresholds, code=code, config=config)
            for code in ("5.3a", "5.3b", "5.3c")
        ),
    )
    figures = (
        fig(code="5.3a", value=90),
        fig(code="5.3a", period="2020", value=100),
        fig(code="5.3b", value=19),
        fig(code="5.3b", period="2020", value=20),
        fig(code="5.3c", value=99),
        fig(code="5.3c", period="2020", value=100),
    )
    result = evaluate_node(Context(make_input(figures=figures)), node)
    assert result.verdict == NOT_MET
    assert (result.met_count, result.total_count) == (2, 3)
    assert result.explanation == ("Chưa đạt: 2/3 chỉ số đạt (phải đạt cả 3 chỉ số); chưa đạt: 5.3c")


# ─────────────────────────────── streaks and due years ───────────────────────────────


@pytest.mark.parametrize(
    ("num", "verdict", "fragment"),
    [(72, MET, "tỷ lệ giữ danh hiệu 3 năm liên tục: 72% ≥ 70% (72/100)"), (69, NOT_MET, "69%")],
    ids=["streak-met", "streak-not-met"],
)
def test_streak(num, verdict, fragment):
    m = measure("streak", th("streak_gte", 70), unit="%", config={"years": 3})
    result = run(m, figures=(ratio_fig(num, 100),))
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_a_target_due_later_says_so():
    m = measure("count", th("gte", 35, target_year=2025, layer="programme"), unit="trường")
    result = run(m, figures=(fig(value=20),))
    assert "chỉ tiêu đến năm 2025, số liệu năm 2023" in result.explanation


def test_an_unknown_comparator_is_never_met():
    result = run(measure("count", th("roughly", 3)), figures=(fig(value=3),))
    assert result.verdict == NO_DATA
    assert "phép so sánh “roughly” chưa được hỗ trợ" in result.explanation
