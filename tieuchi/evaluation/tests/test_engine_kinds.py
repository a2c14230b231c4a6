"""Every measure kind of domain.md §7.2 and target form of §7.5, one table per kind."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.evaluation.engine import (
    BenchmarkValue,
    EventRecord,
    NodeDef,
    TitleRecord,
    UnitInfo,
    Verdict,
)
from tieuchi.evaluation.engine.evaluate import evaluate_node
from tieuchi.evaluation.engine.observe import Context

from .builders import AS_OF, fig, make_input, measure, ratio_fig, run, tdps, th

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


def test_an_event_of_a_unit_outside_the_tree_is_ignored():
    outsider = UnitInfo(999, "x", "Phường khác", "phuong", 100)
    result = run(
        ENCROACHMENT,
        units=(outsider,),
        figures=(fig(value=0),),
        events=(event(dt.date(2023, 2, 2), unit_id=999),),
    )
    assert result.verdict == MET
