"""Verdicts up the tree (measure → sub-criterion → criterion → unit) and recognition conditions."""

import datetime as dt
import json

import pytest

from tieuchi.evaluation.engine import NodeDef, Registration, Survey, Verdict, evaluate
from tieuchi.evaluation.engine.recognition import add_years
from tieuchi.evaluation.engine.rollup import combine

from .builders import AS_OF, WARD, fig, make_input, measure, ratio_fig, th

MET, NOT_MET, NO_DATA = Verdict.MET, Verdict.NOT_MET, Verdict.NO_DATA


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([MET, MET], MET),
        ([MET, NOT_MET], NOT_MET),
        ([MET, NO_DATA], NO_DATA),
        ([NO_DATA, NOT_MET], NOT_MET),
        ([NO_DATA], NO_DATA),
        ([], NO_DATA),
    ],
    ids=["all-met", "one-not-met", "one-no-data", "not-met-beats-no-data", "only-no-data", "empty"],
)
def test_combine(verdicts, expected):
    assert combine(verdicts) == expected


def leaf(code, kind="boolean", *thresholds, evidence_required=False, **kw):
    thresholds = thresholds or (th("is_true"),)
    return NodeDef(
        code,
        f"Nội dung {code}",
        "subcriterion",
        measures=(measure(kind, *thresholds, code=code, **kw),),
        evidence_required=evidence_required,
    )


CATALOG = (
    NodeDef("1", "Quy hoạch đô thị", "criterion", children=(leaf("1.1"), leaf("1.2"), leaf("1.3"))),
    NodeDef("2", "Giao thông đô thị", "criterion", children=(leaf("2.1"),)),
)


def yes(*codes, value=True):
    return tuple(fig(code=code, boolean=value, has_evidence=True) for code in codes)


@pytest.mark.parametrize(
    ("figures", "verdict", "explanation"),
    [
        (yes("1.1", "1.2", "1.3"), MET, "Đạt: 3/3 nội dung đạt"),
        (
            (*yes("1.1", "1.3"), *yes("1.2", value=False)),
            NOT_MET,
            "Chưa đạt: 2/3 nội dung đạt; chưa đạt: 1.2",
        ),
        (yes("1.1", "1.2"), NO_DATA, "Chưa đủ dữ liệu: 2/3 nội dung đạt; chưa đủ dữ liệu: 1.3"),
        (
            yes("1.1", value=False),
            NOT_MET,
            "Chưa đạt: 0/3 nội dung đạt; chưa đạt: 1.1; chưa đủ dữ liệu: 1.2, 1.3",
        ),
    ],
    ids=["all-met", "one-not-met", "one-missing", "mixed"],
)
def test_a_criterion_is_met_only_when_all_its_sub_criteria_are(figures, verdict, explanation):
    result = evaluate(make_input(nodes=CATALOG, figures=figures))
    criterion = result.node("1")
    assert criterion.verdict == verdict
    assert criterion.explanation == explanation
    met = int(explanation.split(": ", 1)[1].split("/", 1)[0])
    assert (criterion.met_count, criterion.total_count) == (met, 3)


def test_a_single_measure_leaf_reads_as_its_measure():
    result = evaluate(make_input(nodes=CATALOG, figures=yes("1.1")))
    assert result.node("1.1").explanation == result.measure("1.1").explanation


def test_the_node_evidence_flag_reaches_its_measure():
    nodes = (NodeDef("5", "TT", "criterion", children=(leaf("5.1", evidence_required=True),)),)
    result = evaluate(make_input(nodes=nodes, figures=(fig(code="5.1", boolean=True),)))
    assert "chưa đính kèm minh chứng" in result.measure("5.1").explanation
    assert result.measure("5.1").verdict == MET


def test_a_leaf_without_measures_has_no_data():
    nodes = (NodeDef("9", "X", "criterion", children=(NodeDef("9.9", "Y"),)),)
    result = evaluate(make_input(nodes=nodes))
    assert result.node("9.9").verdict == NO_DATA
    assert "chưa có chỉ số" in result.node("9.9").explanation


RULE = {
    "all_criteria_met": True,
    "min_registration_years": 2,
    "min_registration_years_renewal": 5,
    "min_satisfaction_percent": 90,
}
ALL_MET = yes("1.1", "1.2", "1.3", "2.1")


@pytest.mark.parametrize(
    ("registration", "verdict", "fragment"),
    [
        (
            Registration(dt.date(2021, 11, 30)),
            MET,
            "đăng ký (lần đầu) ngày 30/11/2021, đủ 2 năm từ 30/11/2023",
        ),
        (
            Registration(dt.date(2021, 12, 1)),
            NOT_MET,
            "đến 30/11/2023 chưa đủ 2 năm (đủ từ 01/12/2023)",
        ),
        (Registration(dt.date(2018, 11, 30), "renewal"), MET, "(công nhận lại)"),
        (Registration(dt.date(2019, 1, 1), "renewal"), NOT_MET, "chưa đủ 5 năm"),
        (Registration(dt.date(2024, 1, 1)), NOT_MET, "chưa đủ 2 năm"),
        (None, NO_DATA, "chưa có thông tin đăng ký"),
    ],
    ids=["exactly-2-years", "one-day-short", "renewal-5-years", "renewal-short", "future", "none"],
)
def test_registration_condition(registration, verdict, fragment):
    result = evaluate(
        make_input(
            nodes=CATALOG,
            figures=ALL_MET,
            registration=registration,
            survey=Survey(100, 95),
            recognition_rule=RULE,
        )
    )
    condition = next(c for c in result.conditions if c.key == "registration")
    assert condition.verdict == verdict
    assert fragment in condition.explanation


@pytest.mark.parametrize(
    ("survey", "verdict", "fragment"),
    [
        (Survey(1000, 900), MET, "Đạt: 90% (900/1.000 người hài lòng, đồng ý) ≥ 90%"),
        (Survey(1000, 923), MET, "92,3%"),
        (Survey(1000, 899), NOT_MET, "Chưa đạt: 89,9% (899/1.000 người hài lòng, đồng ý) < 90%"),
        (Survey(0, 0), NO_DATA, "không hợp lệ"),
        (Survey(10, 11), NO_DATA, "không hợp lệ"),
        (None, NO_DATA, "chưa có kết quả lấy ý kiến"),
    ],
    ids=["exactly-90", "above", "below", "no-respondents", "more-satisfied-than-asked", "none"],
)
def test_survey_condition(survey, verdict, fragment):
    result = evaluate(
        make_input(
            nodes=CATALOG,
            figures=ALL_MET,
            survey=survey,
            registration=Registration(dt.date(2020, 1, 1)),
            recognition_rule=RULE,
        )
    )
    condition = next(c for c in result.conditions if c.key == "survey")
    assert condition.verdict == verdict
    assert fragment in condition.explanation


REGISTERED = Registration(dt.date(2020, 1, 1))


@pytest.mark.parametrize(
    ("figures", "registration", "survey", "rule", "recognisable", "verdict"),
    [
        (ALL_MET, REGISTERED, Survey(100, 95), RULE, True, MET),
        (ALL_MET[:3], REGISTERED, Survey(100, 95), RULE, None, NO_DATA),
        (
            (*ALL_MET[:3], *yes("2.1", value=False)),
            REGISTERED,
            Survey(100, 95),
            RULE,
            False,
            NOT_MET,
        ),
        (ALL_MET, REGISTERED, Survey(100, 80), RULE, False, NOT_MET),
        (ALL_MET, None, Survey(100, 95), RULE, None, NO_DATA),
        (ALL_MET[:3], REGISTERED, Survey(100, 80), RULE, False, NOT_MET),
        (ALL_MET, None, None, {}, None, MET),
    ],
    ids=[
        "everything-met",
        "a-criterion-without-data",
        "a-criterion-not-met",
        "survey-too-low",
        "no-registration",
        "not-met-beats-no-data",
        "no-rule-programme",
    ],
)
def test_recognisable(figures, registration, survey, rule, recognisable, verdict):
    result = evaluate(
        make_input(
            nodes=CATALOG,
            figures=figures,
            registration=registration,
            survey=survey,
            recognition_rule=rule,
        )
    )
    assert result.recognisable is recognisable
    assert result.verdict == verdict
    expected_keys = ["criteria", "registration", "survey"] if rule else ["criteria"]
    assert [condition.key for condition in result.conditions] == expected_keys


def test_the_criteria_condition_counts_criteria():
    result = evaluate(make_input(nodes=CATALOG, figures=ALL_MET[:3], recognition_rule=RULE))
    assert result.conditions[0].explanation == (
        "Chưa đủ dữ liệu: 1/2 tiêu chí đạt; chưa đủ dữ liệu: 2"
    )


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2021, 3, 15), 2, dt.date(2023, 3, 15)),
        (dt.date(2020, 2, 29), 2, dt.date(2022, 2, 28)),
        (dt.date(2020, 2, 29), 4, dt.date(2024, 2, 29)),
    ],
    ids=["plain", "leap-day-to-common-year", "leap-day-to-leap-year"],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_the_json_tree_has_code_verdict_figures_explanation_and_children():
    nodes = (
        *CATALOG,
        NodeDef(
            "8",
            "Y tế",
            "criterion",
            children=(leaf("8.4", "ratio", th("gte", 60, source="04/2022/QĐ-TTg"), unit="%"),),
        ),
    )
    figures = (*ALL_MET, ratio_fig(7, 8, code="8.4"))
    result = evaluate(
        make_input(nodes=nodes, figures=figures, recognition_rule=RULE, catalog_key="qd04-2022")
    )
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert (data["code"], data["as_of"], data["catalog"]) == (
        WARD.code,
        AS_OF.isoformat(),
        "qd04-2022",
    )
    assert data["verdict"] in ("met", "not_met", "no_data")

    def check(node):
        assert {"code", "verdict", "figures", "explanation", "children"} <= set(node)
        assert node["verdict"] in ("met", "not_met", "no_data")
        for child in node["children"]:
            check(child)
        for item in node.get("measures", []):
            check(item)

    for criterion in data["children"]:
        check(criterion)
    school = data["children"][2]["children"][0]["measures"][0]
    assert school["figures"]["value"] == 87.5
    assert school["figures"]["numerator"] == 7
    assert school["layer_verdicts"] == {"national": "met"}
    assert {c["code"] for c in data["conditions"]} == {"criteria", "registration", "survey"}
