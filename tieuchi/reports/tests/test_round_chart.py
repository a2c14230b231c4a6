"""The report's picture of the share of sub-criteria met per round equals each round's stored run."""

import io

import docx
import pytest

from tieuchi.evaluation.models import NodeResult, Verdict
from tieuchi.evaluation.queries_scorecard import current_run
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.request import resolve_request
from tieuchi.reports.round_chart import rounds_met
from tieuchi.reports.tests.nd30 import demo_ward

pytestmark = pytest.mark.django_db


def stored_counts(evaluation_round) -> tuple[int, int]:
    """Met and total sub-criteria from the run's per-node rows (not the JSON tree the code reads)."""
    run = current_run(evaluation_round.plan.unit, round=evaluation_round)
    leaves = NodeResult.objects.filter(run=run, depth=1)  # 0: criteria, 1: sub-criteria
    return leaves.filter(verdict=Verdict.MET).count(), leaves.count()


def request_for(number: int):
    evaluation_round = EvaluationRound.objects.get(plan__unit__official_code="00121", number=number)
    kind = all_kinds()["bao-cao-ket-qua"]
    return resolve_request(kind, demo_ward(), None, round=evaluation_round), evaluation_round


def test_each_round_so_far_has_its_own_stored_counts():
    request, second = request_for(2)
    first = EvaluationRound.objects.get(plan=second.plan, number=1)
    assert rounds_met(request, request.scorecard) == [
        ("Đợt 1", *stored_counts(first)),
        ("Đợt 2", *stored_counts(second)),
    ]
    assert stored_counts(second)[1] == 52


def test_a_later_round_is_not_drawn_in_an_earlier_report():
    request, first = request_for(1)
    assert rounds_met(request, request.scorecard) == [("Đợt 1", *stored_counts(first))]


def test_the_report_carries_the_picture():
    request, _round = request_for(2)
    data, _name = generate(request)
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    captions = [p.text for p in document.paragraphs if p.text.startswith("Hình 1.")]
    assert captions == ["Hình 1. Tỷ lệ nội dung đạt qua các đợt đánh giá"]
