"""The engine on the real data files: QĐ 04/2022, CTr 02 and the Giang Biên 2023 plan."""

import ast
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tieuchi.evaluation.engine import (
    EvaluationInput,
    Figure,
    TitleRecord,
    UnitInfo,
    Verdict,
    evaluate,
)
from tieuchi.evaluation.engine.catalog import (
    leaves,
    nodes_from_catalog,
    recognition_rule_from,
    targets_from_plan,
)

from .builders import AS_OF, TOWN, WARD, tdps

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "tieuchi" / "evaluation" / "engine"
MET, NOT_MET, NO_DATA = Verdict.MET, Verdict.NOT_MET, Verdict.NO_DATA


def load(relative: str) -> dict:
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


QD04 = load("data/catalogs/qd04-2022.yaml")
CTR02 = load("data/catalogs/ctr02-longbien-2020-2025.yaml")
PLAN = load("data/plans/giang-bien-2023.yaml")
QD04_NODES = nodes_from_catalog(QD04)
CTR02_NODES = nodes_from_catalog(CTR02)
PLAN_TARGETS = targets_from_plan(PLAN)


def all_measures(result):
    return [m for criterion in result.children for node in criterion.walk() for m in node.measures]


@pytest.mark.parametrize(
    ("nodes", "leaf_count", "criteria"),
    [(QD04_NODES, 52, 9), (CTR02_NODES, 32, 5)],
    ids=["qd04-52-sub-criteria", "ctr02-32-indicators"],
)
def test_the_catalogs_convert_to_engine_nodes(nodes, leaf_count, criteria):
    assert len(nodes) == criteria
    assert len(leaves(nodes)) == leaf_count


@pytest.mark.parametrize(
    ("nodes", "unit"),
    [
        (QD04_NODES, WARD),
        (QD04_NODES, TOWN),
        (CTR02_NODES, UnitInfo(100, "004", "Long Biên", "quan")),
    ],
    ids=["qd04-phuong", "qd04-thi-tran", "ctr02-district"],
)
def test_without_data_nothing_is_met_and_every_comparator_is_understood(nodes, unit):
    inp = EvaluationInput(as_of=AS_OF, unit=unit, nodes=nodes, extra_thresholds=PLAN_TARGETS)
    measures = all_measures(evaluate(inp))
    assert measures
    for result in measures:
        assert result.verdict != MET, result.code
        assert "chưa được hỗ trợ" not in result.explanation, result.code
        # Only a title with no decision on record is "not met" without data.
        assert result.verdict == NO_DATA or result.kind == "title", result.code


def test_plan_targets_attach_to_catalog_measures():
    codes = {m.code for leaf in leaves(QD04_NODES) for m in leaf.measures}
    assert {target.measure_code for target in PLAN_TARGETS} <= codes
    assert all(target.layer == "ward" and target.source == "68/KH-UBND" for target in PLAN_TARGETS)


TDPS = tdps(20)


def scorecard(unit=WARD, figures=(), titles=()):
    inp = EvaluationInput(
        as_of=AS_OF,
        unit=unit,
        units=TDPS,
        nodes=QD04_NODES,
        figures=figures,
        titles=titles,
        extra_thresholds=PLAN_TARGETS,
        recognition_rule=recognition_rule_from(QD04),
        catalog_key="qd04-2022",
    )
    return evaluate(inp)


def test_8_4_seven_of_eight_schools_pass_the_national_and_the_ward_target():
    figures = (
        Figure(1, "8.4a", "2023", numerator=8, denominator=8),
        Figure(1, "8.4b", "2023", numerator=7, denominator=8),
    )
    result = scorecard(figures=figures)
    school = result.measure("8.4b")
    assert school.layer_verdicts == {"national": MET, "ward": MET}
    assert "87,5% ≥ 60% (7/8), ngưỡng theo QĐ 04/2022" in school.explanation
    assert "chỉ tiêu của phường theo 68/KH-UBND (≥ 85%): đạt" in school.explanation
    assert result.node("8.4").verdict == MET


@pytest.mark.parametrize(
    ("unit", "verdict"), [(WARD, NOT_MET), (TOWN, MET)], ids=["phuong-85", "thi-tran-85"]
)
def test_6_1_from_tdp_reports_with_the_real_thresholds(unit, verdict):
    figures = tuple(Figure(t.id, "6.1", "2023", numerator=85, denominator=100) for t in TDPS)
    result = scorecard(unit, figures)
    assert result.measure("6.1").verdict == verdict
    assert result.measure("6.1").figures["denominator"] == 2000


def test_6_1_with_missing_tdps_names_them():
    figures = tuple(
        Figure(t.id, "6.1", "2023", numerator=95, denominator=100)
        for t in TDPS
        if t.name not in ("TDP 7", "TDP 13")
    )
    result = scorecard(figures=figures).measure("6.1")
    assert result.verdict == NO_DATA
    assert result.explanation.startswith("Chưa đủ dữ liệu: TDP 7, TDP 13 chưa báo cáo")


def test_an_expired_antt_title_fails_criterion_4():
    titles = (
        TitleRecord(
            1,
            "an_toan_antt",
            "An toàn về ANTT",
            dt.date(2022, 1, 1),
            dt.date(2022, 12, 31),
            None,
            "QĐ 55/QĐ-CAHN",
        ),
    )
    result = scorecard(titles=titles)
    assert result.measure("4.6").verdict == NOT_MET
    assert "hết hiệu lực từ 01/01/2023" in result.measure("4.6").explanation
    assert result.node("4").verdict == NOT_MET
    assert result.recognisable is False


# ─────────────────────────────── purity ───────────────────────────────


@pytest.mark.parametrize("path", sorted(ENGINE.glob("*.py")), ids=lambda p: p.name)
def test_the_engine_imports_no_django(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] != "django", f"{path.name} imports {name}"


def test_importing_the_engine_loads_no_django_module():
    code = (
        "import sys, tieuchi.evaluation.engine, tieuchi.evaluation.engine.catalog;"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
