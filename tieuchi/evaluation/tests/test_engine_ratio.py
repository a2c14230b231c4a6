"""Ratios: Σ numerators ÷ Σ denominators over the unit tree, thresholds by unit type and layer."""

from decimal import Decimal

import pytest

from tieuchi.evaluation.engine import UnitInfo, Verdict

from .builders import (
    COMMUNE,
    DISTRICT,
    QD04,
    TOWN,
    WARD,
    fig,
    measure,
    ratio_fig,
    run,
    target,
    tdps,
    th,
)

MET, NOT_MET, NO_DATA = Verdict.MET, Verdict.NOT_MET, Verdict.NO_DATA


@pytest.mark.parametrize(
    ("comparator", "value", "value_max", "num", "den", "verdict", "fragment"),
    [
        ("gte", 80, None, 157, 200, NOT_MET, "78,5% < 80% (157/200)"),
        ("gte", 80, None, 160, 200, MET, "80% ≥ 80% (160/200)"),
        ("gt", 50, None, 100, 200, NOT_MET, "50% ≤ 50%"),
        ("gt", 50, None, 101, 200, MET, "50,5% > 50%"),
        ("lte", 15, None, 30, 200, MET, "15% ≤ 15%"),
        ("lte", 15, None, 31, 200, NOT_MET, "15,5% > 15%"),
        ("lt", 5, None, 9, 200, MET, "4,5% < 5%"),
        ("lt", 5, None, 10, 200, NOT_MET, "5% ≥ 5%"),
        ("eq", 100, None, 200, 200, MET, "100% = 100%"),
        ("eq", 100, None, 199, 200, NOT_MET, "99,5% ≠ 100%"),
        ("between", 91, 93, 181, 200, NOT_MET, "90,5% < 91% (kế hoạch 91–93%)"),
        ("between", 91, 93, 182, 200, MET, "91% trong khoảng kế hoạch 91–93%"),
        ("between", 91, 93, 186, 200, MET, "93% trong khoảng kế hoạch 91–93%"),
        ("between", 91, 93, 188, 200, MET, "94% > 93%: vượt kế hoạch (91–93%)"),
    ],
    ids=[
        "gte-below",
        "gte-equal",
        "gt-equal",
        "gt-above",
        "lte-equal",
        "lte-above",
        "lt-below",
        "lt-equal",
        "eq-100",
        "eq-99.5",
        "between-below",
        "between-low-end",
        "between-high-end",
        "between-above-plan",
    ],
)
def test_comparators_on_a_ratio(comparator, value, value_max, num, den, verdict, fragment):
    m = measure("ratio", th(comparator, value, value_max=value_max, source=QD04))
    result = run(m, figures=(ratio_fig(num, den),))
    assert result.verdict == verdict
    assert fragment in result.explanation
    assert result.explanation.startswith(verdict.label + ":")
    assert result.figures["value"] == Decimal(num) * 100 / Decimal(den)
    assert result.layer_verdicts == {"national": verdict}


def test_between_above_plan_is_flagged_in_the_figures():
    m = measure("range", th("between", 25, value_max=30, layer="programme"))
    result = run(m, figures=(ratio_fig(31, 100),))
    assert result.verdict == MET
    assert result.figures["above_plan"] is True
    assert result.judged_by == "programme"


def test_the_issue_example_reads_in_vietnamese_with_type_and_source():
    m = measure(
        "ratio",
        th("gte", 90, unit_type="phuong", source=QD04),
        th("gte", 80, unit_type="thi_tran", source=QD04),
        config={"count_unit": "người"},
    )
    result = run(m, TOWN, figures=(ratio_fig(157, 200),))
    assert result.explanation == (
        "Chưa đạt: 78,5% < 80% (157/200 người), ngưỡng thị trấn theo QĐ 04/2022"
    )


MEASURE_6_1 = measure(
    "ratio",
    th("gte", 90, unit_type="phuong", source=QD04),
    th("gte", 80, unit_type="thi_tran", source=QD04),
    code="6.1",
    collected_at="residential_group",
)


@pytest.mark.parametrize(
    ("unit", "num", "den", "verdict", "fragment"),
    [
        (WARD, 85, 100, NOT_MET, "85% < 90%"),
        (TOWN, 85, 100, MET, "85% ≥ 80%"),
        (WARD, 90, 100, MET, "90% ≥ 90% (90/100), ngưỡng phường"),
        (TOWN, 79, 100, NOT_MET, "79% < 80% (79/100), ngưỡng thị trấn"),
        (COMMUNE, 95, 100, NO_DATA, "chưa có ngưỡng cho xã"),
    ],
    ids=["phuong-85", "thi-tran-85", "phuong-90", "thi-tran-79", "xa-has-no-threshold"],
)
def test_6_1_uses_the_threshold_of_the_unit_type(unit, num, den, verdict, fragment):
    result = run(MEASURE_6_1, unit, figures=(fig(1, "6.1", numerator=num, denominator=den),))
    assert result.verdict == verdict
    assert fragment in result.explanation


@pytest.mark.parametrize(
    ("unit", "num", "verdict", "fragment"),
    [(WARD, 75, NOT_MET, "75% < 80%"), (TOWN, 75, MET, "75% ≥ 70%"), (COMMUNE, 75, MET, "≥ 70%")],
    ids=["phuong-specific-wins", "thi-tran-falls-back-to-any", "xa-uses-any"],
)
def test_a_type_specific_threshold_wins_over_any(unit, num, verdict, fragment):
    m = measure("ratio", th("gte", 70), th("gte", 80, unit_type="phuong"))
    result = run(m, unit, figures=(ratio_fig(num, 100),))
    assert (result.verdict, fragment in result.explanation) == (verdict, True)


@pytest.mark.parametrize(
    ("figures", "fragment"),
    [
        ((ratio_fig(0, 0),), "mẫu số bằng 0 (0/0)"),
        ((ratio_fig(5, 0),), "mẫu số bằng 0 (5/0)"),
        (tuple(ratio_fig(0, 0, unit.id) for unit in tdps(3)), "mẫu số bằng 0 (0/0)"),
    ],
    ids=["ward-0-of-0", "ward-5-of-0", "all-tdps-0-of-0"],
)
def test_a_zero_denominator_gives_no_data_with_a_reason(figures, fragment):
    m = measure("ratio", th("gte", 90), collected_at="residential_group")
    result = run(m, units=tdps(3), figures=figures)
    assert result.verdict == NO_DATA
    assert fragment in result.explanation
    assert "không tính được tỷ lệ" in result.explanation


TDP_MEASURE = measure("ratio", th("gte", 80, source=QD04), collected_at="residential_group")
TWENTY = tdps(20)


def tdp_figures(skip=(), num=9, den=10):
    return tuple(ratio_fig(num, den, u.id) for u in TWENTY if u.name not in skip)


@pytest.mark.parametrize(
    ("skip", "missing"),
    [
        (("TDP 7", "TDP 13"), ("TDP 7", "TDP 13")),
        (("TDP 13", "TDP 7"), ("TDP 7", "TDP 13")),
        (("TDP 20",), ("TDP 20",)),
        (tuple(f"TDP {i}" for i in range(1, 21)), tuple(f"TDP {i}" for i in range(1, 21))),
    ],
    ids=["two-missing", "listed-in-natural-order", "last-missing", "none-reported"],
)
def test_missing_tdps_give_no_data_and_are_named(skip, missing):
    result = run(TDP_MEASURE, units=TWENTY, figures=tdp_figures(skip))
    assert result.verdict == NO_DATA
    assert result.missing_units == missing
    assert result.explanation.startswith(f"Chưa đủ dữ liệu: {', '.join(missing)} chưa báo cáo")


def test_missing_tdps_still_show_the_partial_figure():
    result = run(TDP_MEASURE, units=TWENTY, figures=tdp_figures(("TDP 7", "TDP 13")))
    assert "(số đã có: 90% (162/180) từ 18/20 đơn vị)" in result.explanation
    assert result.figures["partial"] is True
    assert result.figures["expected_units"] == 20


def test_the_ward_reporting_the_whole_ratio_directly_wins_over_missing_tdps():
    figures = (*tdp_figures(("TDP 7",)), ratio_fig(170, 200, unit_id=1))
    result = run(TDP_MEASURE, units=TWENTY, figures=figures)
    assert result.verdict == MET
    assert result.missing_units == ()
    assert (result.figures["numerator"], result.figures["denominator"]) == (170, 200)


def test_a_ward_figure_with_only_a_percentage_is_used_as_is():
    result = run(TDP_MEASURE, units=TWENTY, figures=(fig(1, value=Decimal("82.5")),))
    assert result.verdict == MET
    assert "82,5% ≥ 80%" in result.explanation


def test_a_tdp_figure_without_numerator_and_denominator_cannot_be_summed():
    figures = (*tdp_figures(("TDP 4",)), fig(TWENTY[3].id, value=95))
    result = run(TDP_MEASURE, units=TWENTY, figures=figures)
    assert result.verdict == NO_DATA
    assert "TDP 4 báo cáo thiếu tử số hoặc mẫu số" in result.explanation
    assert result.missing_units == ("TDP 4",)


def test_percentages_are_never_averaged():
    # 1/1 = 100% and 1/9 = 11,1%: the average would be 55,6%; the ratio of sums is 2/10 = 20%.
    units = tdps(2)
    figures = (ratio_fig(1, 1, units[0].id), ratio_fig(1, 9, units[1].id))
    result = run(
        measure("ratio", th("gte", 50), collected_at="residential_group"),
        units=units,
        figures=figures,
    )
    assert result.figures["value"] == Decimal(20)
    assert result.verdict == NOT_MET


@pytest.mark.parametrize(
    ("figures", "fragment"),
    [
        ((), "chưa có số liệu năm 2023"),
        ((ratio_fig(9, 10, period="2022"),), "chưa có số liệu năm 2023"),
        ((ratio_fig(9, 10, status="rejected"),), "chưa có số liệu năm 2023"),
    ],
    ids=["nothing", "only-last-year", "rejected-figure"],
)
def test_a_ward_collected_ratio_without_a_figure_has_no_data(figures, fragment):
    result = run(measure("ratio", th("gte", 80)), figures=figures)
    assert result.verdict == NO_DATA
    assert fragment in result.explanation


def test_a_value_just_below_the_threshold_is_not_displayed_as_equal():
    result = run(measure("ratio", th("gte", 90)), figures=(ratio_fig(179999, 200000),))
    assert result.verdict == NOT_MET
    assert "89,9995% < 90%" in result.explanation


MEASURE_8_4B = measure("ratio", th("gte", 60, source=QD04), code="8.4b")


@pytest.mark.parametrize(
    ("num", "den", "national", "ward", "fragments"),
    [
        (
            7,
            8,
            MET,
            MET,
            [
                "Đạt: 87,5% ≥ 60% (7/8), ngưỡng theo QĐ 04/2022",
                "chỉ tiêu của phường theo 68/KH-UBND (≥ 85%): đạt",
            ],
        ),
        (6, 8, MET, NOT_MET, ["Đạt: 75% ≥ 60% (6/8)", "(≥ 85%): chưa đạt"]),
        (4, 8, NOT_MET, NOT_MET, ["Chưa đạt: 50% < 60% (4/8)"]),
    ],
    ids=["7-of-8-passes-both", "6-of-8-national-only", "4-of-8-fails-both"],
)
def test_layers_are_judged_separately_and_shown_side_by_side(num, den, national, ward, fragments):
    plan = (target("8.4b", "gte", 85),)
    result = run(MEASURE_8_4B, figures=(ratio_fig(num, den, code="8.4b"),), extra_thresholds=plan)
    assert result.verdict == national
    assert result.judged_by == "national"
    assert result.layer_verdicts == {"national": national, "ward": ward}
    assert set(result.layer_explanations) == {"national", "ward"}
    for fragment in fragments:
        assert fragment in result.explanation


def test_plan_targets_on_other_measures_are_ignored():
    plan = (target("8.4a", "gte", 99), target("", "gte", 99))
    result = run(MEASURE_8_4B, figures=(ratio_fig(7, 8, code="8.4b"),), extra_thresholds=plan)
    assert result.layer_verdicts == {"national": MET}


@pytest.mark.parametrize(
    ("num", "verdict"), [(100, MET), (99, NOT_MET)], ids=["plan-met", "plan-not-met"]
)
def test_without_a_national_threshold_the_plan_target_judges_and_says_so(num, verdict):
    m = measure("ratio", code="2.5", collected_at="ward")
    plan = (target("2.5", "eq", 100),)
    result = run(m, figures=(ratio_fig(num, 100, code="2.5"),), extra_thresholds=plan)
    assert result.verdict == verdict
    assert result.judged_by == "ward"
    assert "chưa có ngưỡng quốc gia, đánh giá theo chỉ tiêu của phường" in result.explanation


def test_a_threshold_missing_for_the_unit_type_falls_back_to_the_plan_target():
    m = measure("ratio", th("gt", 50, unit_type="phuong"), code="8.8")
    plan = (target("8.8", "gt", 50),)
    result = run(m, TOWN, figures=(ratio_fig(60, 100, code="8.8"),), extra_thresholds=plan)
    assert result.verdict == MET
    assert "chưa có ngưỡng quốc gia cho thị trấn" in result.explanation
    assert result.layer_verdicts == {"national": NO_DATA, "ward": MET}


@pytest.mark.parametrize(
    ("figures", "fragment"),
    [
        ((ratio_fig(95, 100),), "Chưa đủ dữ liệu: chưa có ngưỡng (số liệu năm 2023: 95% (95/100))"),
        ((), "Chưa đủ dữ liệu: chưa có ngưỡng"),
    ],
    ids=["with-data", "without-data"],
)
def test_no_threshold_at_all_gives_no_data(figures, fragment):
    result = run(measure("ratio"), figures=figures)
    assert result.verdict == NO_DATA
    assert result.explanation.startswith(fragment)


WARDS = (
    UnitInfo(1, "00121", "Phường Giang Biên", "phuong", 100),
    UnitInfo(2, "00118", "Phường Ngọc Lâm", "phuong", 100),
    UnitInfo(3, "00127", "Phường Việt Hưng", "phuong", 100),
)


@pytest.mark.parametrize(
    ("figures", "verdict", "missing"),
    [
        ((ratio_fig(8, 10, 1), ratio_fig(9, 10, 2), ratio_fig(10, 10, 3)), MET, ()),
        ((ratio_fig(8, 10, 1), ratio_fig(9, 10, 2)), NO_DATA, ("Phường Việt Hưng",)),
        ((ratio_fig(2, 10, 100),), NOT_MET, ()),
    ],
    ids=["all-wards", "one-ward-missing", "district-own-figure-wins"],
)
def test_a_district_sums_its_wards(figures, verdict, missing):
    m = measure("ratio", th("gte", 90, layer="programme"))
    result = run(m, DISTRICT, units=(*WARDS, *tdps(2)), figures=figures)
    assert (result.verdict, result.missing_units) == (verdict, missing)
