"""Re-judging some measures of a stored tree gives the tree a full evaluation gives (pure engine)."""

import dataclasses

import pytest

from tieuchi.evaluation.engine import NodeDef, Registration, Survey, evaluate
from tieuchi.evaluation.engine.partial import StaleTree, reevaluate

from .builders import AS_OF, WARD, fig, make_input, measure, ratio_fig, tdps, th

TDPS = tdps(3)
NODES = (
    NodeDef(
        "1",
        "Tiêu chí 1",
        "criterion",
        children=(
            NodeDef("1.1", "Nội dung 1.1", measures=(measure("boolean", th("is_true"), code="a"),)),
            NodeDef(
                "1.2",
                "Nội dung 1.2",
                measures=(
                    measure("ratio", th("gte", 80), code="r", collected_at="residential_group"),
                    measure("count", th("lte", 0), code="c"),
                ),
            ),
        ),
    ),
    NodeDef(
        "2", "Tiêu chí 2", "criterion", measures=(measure("boolean", th("is_true"), code="b"),)
    ),
)
BASE = (
    fig(code="a", boolean=True),
    fig(code="b", boolean=True),
    fig(code="c", value=0),
    *(ratio_fig(90, 100, unit_id=t.id, code="r") for t in TDPS),
)
RULE = {"min_registration_years": 2, "min_satisfaction_percent": 90}


def full(figures) -> tuple:
    inp = make_input(
        WARD,
        units=TDPS,
        nodes=NODES,
        figures=tuple(figures),
        registration=Registration(AS_OF.replace(year=2020)),
        survey=Survey(100, 95),
        recognition_rule=RULE,
    )
    return inp, evaluate(inp).to_dict()


def replaced(code: str, new) -> list:
    return [f for f in BASE if f.measure_code != code] + list(new)


@pytest.mark.parametrize(
    ("code", "new"),
    [
        (
            "r",
            [
                ratio_fig(10, 100, unit_id=TDPS[0].id, code="r"),
                *[ratio_fig(90, 100, unit_id=t.id, code="r") for t in TDPS[1:]],
            ],
        ),
        ("r", [ratio_fig(90, 100, unit_id=t.id, code="r") for t in TDPS[1:]]),  # a TDP is missing
        ("r", [ratio_fig(0, 0, unit_id=t.id, code="r") for t in TDPS]),  # zero denominators
        ("a", [fig(code="a", boolean=False)]),
        ("b", []),  # the ward's own yes/no deleted
        ("c", [fig(code="c", value=2)]),
    ],
    ids=["ratio-fails", "tdp-missing", "zero-denominator", "yes-no-fails", "deleted", "count"],
)
def test_rejudging_one_measure_over_the_stored_tree_equals_a_full_evaluation(code, new):
    _, before = full(BASE)
    inp, after = full(replaced(code, new))
    narrow = dataclasses.replace(
        inp, figures=tuple(f for f in inp.figures if f.measure_code == code)
    )
    assert after != before
    assert reevaluate(narrow, before, {code}).to_dict() == after


def test_a_stored_tree_missing_a_measure_of_the_catalog_is_refused():
    inp, before = full(BASE)
    before["children"][1]["measures"] = []  # stored under an older catalog without measure "b"
    with pytest.raises(StaleTree, match="b"):
        reevaluate(inp, before, {"a"})
