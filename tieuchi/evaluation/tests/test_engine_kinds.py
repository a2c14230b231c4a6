"""Measure kinds of domain.md §7.2, part 1: booleans, zero events, counts, grades, benchmarks."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.evaluation.engine import (
    BenchmarkValue,
    EventRecord,
    UnitInfo,
    Verdict,
)

from .builders import fig, measure, ratio_fig, run, tdps, th

MET, NOT_MET, NO_DATA = Verdict.MET, Verdict.NOT_MET, Verdict.NO_DATA
D = Decimal

# ─────────────────────────────── boolean ───────────────────────────────

BOOLEAN = measure("boolean", th("is_true"))


@pytest.mark.parametrize(
    ("figures", "evidence_required", "verdict", "fragment", "no_fragment"),
    [
        ((fig(boolean=True, has_evidence=True),), True, MET, "Đạt: đã xác nhận", "minh chứng"),
        ((fig(boolean=True),), True, MET, "lưu ý: chưa đính kèm minh chứng", None),
        ((fig(boolean=True),), False, MET, "Đạt: đã xác nhận", "minh chứng"),
        ((fig(boolean=False, has_evidence=True),), True, NOT_MET, "báo cáo chưa đạt", None),
        ((fig(boolean=None),), False, NO_DATA, "chưa xác nhận đạt hay không đạt", None),
        ((), False, NO_DATA, "chưa có số liệu năm 2023", None),
        (
            (fig(boolean=True, source="Biên bản 12/BB"),),
            False,
            MET,
            "(nguồn: Biên bản 12/BB)",
            None,
        ),
    ],
    ids=[
        "true-with-evidence",
        "true-without-required-evidence",
        "true-evidence-not-required",
        "false",
        "unconfirmed",
        "no-figure",
        "source-shown",
    ],
)
def test_boolean(figures, evidence_required, verdict, fragment, no_fragment):
    result = run(BOOLEAN, figures=figures, evidence_required=evidence_required)
    assert result.verdict == verdict
    assert fragment in result.explanation
    if no_fragment:
        assert no_fragment not in result.explanation


def test_a_qualitative_national_requirement_cites_its_document():
    m = measure("boolean", th("is_true", source="04/2022/QĐ-TTg"))
    result = run(m, figures=(fig(boolean=True),))
    assert result.explanation == "Đạt: đã xác nhận, căn cứ QĐ 04/2022"


def test_boolean_evidence_flag_from_the_measure_config():
    m = measure("boolean", th("is_true"), config={"evidence_required": True})
    assert "chưa đính kèm minh chứng" in run(m, figures=(fig(boolean=True),)).explanation


def test_a_boolean_reported_by_tdps_needs_every_tdp():
    units = tdps(3)
    m = measure("boolean", th("is_true"), collected_at="residential_group", aggregation="all")
    figures = (fig(11, boolean=True), fig(12, boolean=False), fig(13, boolean=True))
    result = run(m, units=units, figures=figures)
    assert result.verdict == NOT_MET
    assert "báo cáo chưa đạt: TDP 2" in result.explanation
    assert run(m, units=units, figures=figures[:1]).missing_units == ("TDP 2", "TDP 3")


def test_a_numeric_plan_target_on_a_boolean_measure_uses_the_figure_value():
    m = measure("boolean", th("is_true"), code="3.5")
    plan = (th("eq", 100, layer="ward", measure_code="3.5"),)
    result = run(m, figures=(fig(code="3.5", boolean=True, value=97),), extra_thresholds=plan)
    assert result.layer_verdicts == {"national": MET, "ward": NOT_MET}


# ─────────────────────────────── zero events ───────────────────────────────

ENCROACHMENT = measure("zero_events", th("zero"), unit="trường hợp")
POISONING = measure("zero_events", th("zero"), unit="vụ", config={"min_cases": 30})


def event(day, cases=None, description="Ngộ độc tại đám cưới", unit_id=1, source="Trạm y tế"):
    return EventRecord(unit_id, "m", day, description, source, cases)


@pytest.mark.parametrize(
    ("m", "figures", "events", "verdict", "fragment"),
    [
        (ENCROACHMENT, (), (), NO_DATA, "chưa có báo cáo năm 2023 xác nhận không để xảy ra"),
        (ENCROACHMENT, (fig(value=0),), (), MET, "không để xảy ra (0 trường hợp năm 2023)"),
        (
            ENCROACHMENT,
            (fig(value=0),),
            (event(dt.date(2023, 3, 12), description="Lấn chiếm vỉa hè ngõ 12", source="BB 3"),),
            NOT_MET,
            "xảy ra 1 trường hợp năm 2023: 12/03/2023: Lấn chiếm vỉa hè ngõ 12 [nguồn: BB 3]",
        ),
        (ENCROACHMENT, (), (event(dt.date(2023, 5, 1)),), NOT_MET, "01/05/2023"),
        (ENCROACHMENT, (fig(value=2),), (), NOT_MET, "báo cáo 2 trường hợp"),
        (ENCROACHMENT, (fig(value=0),), (event(dt.date(2022, 12, 31)),), MET, "0 trường hợp"),
        (ENCROACHMENT, (fig(value=0),), (event(dt.date(2023, 12, 1)),), MET, "0 trường hợp"),
        (ENCROACHMENT, (fig(),), (), NO_DATA, "báo cáo chưa ghi số trường hợp"),
        (
            POISONING,
            (fig(value=0),),
            (event(dt.date(2023, 6, 2), cases=12),),
            MET,
            "1 vụ dưới 30 người không tính: 02/06/2023: Ngộ độc tại đám cưới (12 người)",
        ),
        (POISONING, (fig(value=0),), (event(dt.date(2023, 6, 2), 30),), NOT_MET, "(30 người)"),
        (POISONING, (fig(value=0),), (event(dt.date(2023, 6, 2)),), NO_DATA, "chưa rõ số người"),
    ],
    ids=[
        "nothing-reported",
        "confirmed-zero",
        "one-event",
        "event-without-figure",
        "figure-counts-without-records",
        "last-year-event-ignored",
        "event-after-as-of-ignored",
        "figure-without-value",
        "small-poisoning-not-counted",
        "poisoning-of-30",
        "poisoning-size-unknown",
    ],
)
def test_zero_events(m, figures, events, verdict, fragment):
    result = run(m, figures=figures, events=events)
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_an_event_in_a_tdp_counts_for_the_ward_and_names_it():
    units = tdps(2)
    result = run(ENCROACHMENT, units=units, events=(event(dt.date(2023, 4, 4), unit_id=12),))
    assert result.verdict == NOT_MET
    assert "04/04/2023 – TDP 2" in result.explanation
    assert result.figures["events"] == 1


# ─────────────────────────────── counts and "maintain" ───────────────────────────────


@pytest.mark.parametrize(
    ("threshold", "value", "verdict", "fragment"),
    [
        (th("gte", 35), 36, MET, "36 trường ≥ 35 trường"),
        (th("gte", 35), 30, NOT_MET, "30 trường < 35 trường"),
        (th("eq", 0), 0, MET, "0 trường = 0 trường"),
        (th("eq", 0), 1, NOT_MET, "1 trường ≠ 0 trường"),
        (th("maintain", 14, baseline_value=14), 14, MET, "Đạt: duy trì 14/14 trường"),
        (th("maintain", 14, baseline_value=14), 13, NOT_MET, "chỉ duy trì 13/14 trường, yêu cầu"),
        (th("maintain", 3), 4, MET, "duy trì 4/3 trường"),
        (th("between", 3, value_max=5), 2, NOT_MET, "2 trường < 3 trường (kế hoạch 3–5 trường)"),
        (th("between", 3, value_max=5), 4, MET, "trong khoảng kế hoạch 3–5 trường"),
        (th("between", 3, value_max=5), 6, MET, "vượt kế hoạch"),
    ],
    ids=[
        "gte-met",
        "gte-not-met",
        "eq-0-met",
        "eq-0-not-met",
        "maintain-14-of-14",
        "maintain-13-of-14",
        "maintain-more",
        "range-below",
        "range-inside",
        "range-above",
    ],
)
def test_count(threshold, value, verdict, fragment):
    result = run(measure("count", threshold, unit="trường"), figures=(fig(value=value),))
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_maintain_on_a_ratio_counts_the_numerator():
    m = measure("ratio", th("gte", 60), code="8.4b")
    plan = (th("maintain", 7, layer="ward", measure_code="8.4b"),)
    result = run(m, figures=(ratio_fig(7, 8, code="8.4b"),), extra_thresholds=plan)
    assert result.layer_verdicts["ward"] == MET
    assert "duy trì 7/8" in result.layer_explanations["ward"]


def test_a_count_summed_over_tdps():
    units = tdps(3)
    m = measure("count", th("gte", 5), collected_at="residential_group", aggregation="sum")
    result = run(m, units=units, figures=tuple(fig(u.id, value=2) for u in units))
    assert (result.verdict, result.figures["value"]) == (MET, 6)


# ─────────────────────────────── grades (level) ───────────────────────────────

SCALE = ["yếu", "trung bình", "khá", "vững mạnh"]
GRADE = measure("level", th("level_gte", level="khá"), config={"scale": SCALE})


@pytest.mark.parametrize(
    ("m", "level", "verdict", "fragment"),
    [
        (GRADE, "khá", MET, "xếp loại “khá”, từ “khá” trở lên"),
        (GRADE, "vững mạnh", MET, "từ “khá” trở lên"),
        (GRADE, "  Khá ", MET, "xếp loại “khá”"),
        (GRADE, "trung bình", NOT_MET, "thấp hơn mức yêu cầu “khá”"),
        (GRADE, "giỏi", NO_DATA, "mức “giỏi” không có trong thang xếp loại"),
        (GRADE, None, NO_DATA, "chưa có kết quả xếp loại"),
        (
            measure("level", th("level_gte", level="xuất sắc"), config={"scale": SCALE}),
            "khá",
            NO_DATA,
            "mức yêu cầu “xuất sắc” không có trong thang",
        ),
        (measure("level", th("level_gte", level="khá")), "khá", NO_DATA, "chưa có thang"),
        (
            measure(
                "level",
                th("held", level="mức độ 3"),
                config={"scale": ["mức độ 1", "mức độ 2", "mức độ 3"]},
            ),
            "mức độ 2",
            NOT_MET,
            "thấp hơn mức yêu cầu “mức độ 3”",
        ),
    ],
    ids=[
        "equal",
        "higher",
        "case-and-spaces",
        "lower",
        "unknown-level",
        "no-level",
        "unknown-required-level",
        "no-scale",
        "held-level-on-a-level-measure",
    ],
)
def test_level(m, level, verdict, fragment):
    result = run(m, figures=(fig(level=level),))
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_the_lowest_grade_of_several_organisations_counts():
    units = tdps(2)
    m = measure(
        "level",
        th("level_gte", level="khá"),
        config={"scale": SCALE},
        collected_at="residential_group",
        aggregation="min",
    )
    figures = (fig(11, level="vững mạnh"), fig(12, level="trung bình"))
    assert run(m, units=units, figures=figures).verdict == NOT_MET


# ─────────────────────────────── benchmarks ───────────────────────────────

INCOME_KEY = "thu nhập bình quân đầu người của thành phố"
CITY_2023 = BenchmarkValue(
    INCOME_KEY, "2023", D(70_000_000), "Cục Thống kê Hà Nội", dt.date(2024, 1, 15)
)
INCOME = measure("benchmark", th("gte_benchmark", benchmark=INCOME_KEY), unit="VND/người/năm")


@pytest.mark.parametrize(
    ("m", "value", "benchmarks", "verdict", "fragment"),
    [
        (
            INCOME,
            75_000_000,
            (CITY_2023,),
            MET,
            "75.000.000 VND/người/năm ≥ 70.000.000 VND/người/năm (thu nhập bình quân đầu người của "
            "thành phố năm 2023, nguồn: Cục Thống kê Hà Nội, công bố 15/01/2024)",
        ),
        (INCOME, 70_000_000, (CITY_2023,), MET, "≥ 70.000.000"),
        (INCOME, 65_000_000, (CITY_2023,), NOT_MET, "65.000.000 VND/người/năm < 70.000.000"),
        (INCOME, 75_000_000, (), NO_DATA, "chưa có mức chuẩn “thu nhập bình quân"),
        (
            INCOME,
            75_000_000,
            (BenchmarkValue(INCOME_KEY, "2022", D(1)),),
            NO_DATA,
            "chưa có mức chuẩn",
        ),
        (
            measure(
                "benchmark", th("gt_benchmark", benchmark="x"), config={"benchmark_key": "city"}
            ),
            71,
            (BenchmarkValue("city", "2023", D(70)),),
            MET,
            "71 > 70",
        ),
        (
            measure("benchmark", th("lt_benchmark", benchmark="tỷ lệ hộ nghèo"), unit="%"),
            1.5,
            (BenchmarkValue("tỷ lệ hộ nghèo", "2023", D("2.1")),),
            MET,
            "1,5% < 2,1%",
        ),
    ],
    ids=[
        "above",
        "equal",
        "below",
        "missing-benchmark",
        "benchmark-of-another-year",
        "config-key-wins",
        "poverty-rate-lower",
    ],
)
def test_benchmark(m, value, benchmarks, verdict, fragment):
    result = run(m, figures=(fig(value=value),), benchmarks=benchmarks)
    assert result.verdict == verdict
    assert fragment in result.explanation


def test_a_benchmark_on_a_rate_from_numerator_and_denominator():
    m = measure("benchmark", th("lt_benchmark", benchmark="nghèo"), unit="%")
    result = run(m, figures=(ratio_fig(3, 200),), benchmarks=(BenchmarkValue("nghèo", "2023", 2),))
    assert result.verdict == MET
    assert "1,5% (3/200) < 2%" in result.explanation


def test_an_event_of_a_unit_outside_the_tree_is_ignored():
    outsider = UnitInfo(999, "x", "Phường khác", "phuong", 100)
    result = run(
        ENCROACHMENT,
        units=(outsider,),
        figures=(fig(value=0),),
        events=(event(dt.date(2023, 2, 2), unit_id=999),),
    )
    assert result.verdict == MET
