"""Every figure in the documents equals what the scorecard page shows for the same stored run."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tieuchi.catalog.models import CatalogNode
from tieuchi.collection.evidence import store_evidence
from tieuchi.evaluation.models import Verdict
from tieuchi.evaluation.queries_scorecard import current_run, scorecard
from tieuchi.plans.exports import leader_label
from tieuchi.plans.models import EvaluationRound, Plan
from tieuchi.plans.queries import plan_rows
from tieuchi.reports.tests.nd30 import render

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


def page_scorecard(evaluation_round):
    """What the scorecard page builds for ?round=<id> (views_scorecard.unit_scorecard)."""
    run = current_run(evaluation_round.plan.unit, round=evaluation_round)
    return scorecard(run, evaluation_round.plan)


@pytest.fixture(params=[1, 2], ids=["dot-1", "dot-2"])
def evaluation_round(request):
    return EvaluationRound.objects.select_related("plan__unit").get(
        plan__unit__official_code="00121", number=request.param
    )


def test_the_report_gives_each_criterion_the_scorecards_count_and_verdict(evaluation_round):
    card = page_scorecard(evaluation_round)
    _request, back = render("bao-cao-ket-qua", round=evaluation_round)
    table = back.table_with("Số nội dung đạt")
    assert table.rows[1:] == [
        [c.code, c.name, f"{c.met_count}/{c.total_count}", c.verdict.label] for c in card.criteria
    ]
    met = sum(item.verdict.code == Verdict.MET for item in card.items)
    summary = (
        f"đạt {card.met_count}/{card.total_count} tiêu chí; {met}/{len(card.items)} nội dung đạt"
    )
    assert any(summary in paragraph for paragraph in back.paragraphs)


def test_the_report_lists_exactly_the_open_subcriteria_with_figures_reason_and_owner(
    evaluation_round,
):
    card = page_scorecard(evaluation_round)
    open_items = [item for item in card.items if item.verdict.code != Verdict.MET]
    _request, back = render("bao-cao-ket-qua", round=evaluation_round)
    table = back.table_with("Nguyên nhân")
    codes = [cell.split(". ")[0] for cell in table.column("Nội dung")]
    assert codes == [item.code for item in open_items]
    for item, row in zip(open_items, table.rows[1:], strict=True):
        assert row[1] == item.verdict.label
        for line in item.measures:
            assert line.fraction in row[2] and line.percent in row[2]
        assert row[3] == item.explanation
        assert row[4].startswith(item.leader)
        assert row[5] == "; ".join(item.implementing)


def test_the_self_assessment_has_every_subcriterion_with_the_scorecards_verdict(evaluation_round):
    card = page_scorecard(evaluation_round)
    _request, back = render("tu-danh-gia", round=evaluation_round)
    table = back.table_with("Tự đánh giá")
    expected_codes = [code for c in card.criteria for code in [c.code, *(i.code for i in c.items)]]
    assert table.column("TT") == expected_codes
    assert len(card.items) == 52
    rows = {row[0]: row for row in table.rows[1:]}
    for criterion in card.criteria:
        assert (
            rows[criterion.code][2] == f"{criterion.met_count}/{criterion.total_count} nội dung đạt"
        )
        assert rows[criterion.code][3] == criterion.verdict.label
        for item in criterion.items:
            assert rows[item.code][3] == item.verdict.label
            for line in item.measures:
                assert line.fraction in rows[item.code][2]


def test_the_self_assessment_lists_the_evidence_filed_up_to_the_rounds_day(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first, second = EvaluationRound.objects.filter(plan__unit__official_code="00121").order_by(
        "number"
    )
    node = CatalogNode.objects.get(catalog__key="qd04-2022", code="1.5")
    upload = SimpleUploadedFile("bien-ban-dat-cong.pdf", PDF, content_type="application/pdf")
    store_evidence(None, upload, unit=second.plan.unit, node=node, captured_on=dt.date(2023, 10, 2))
    listed = {}
    for evaluation_round in (first, second):
        _request, back = render("tu-danh-gia", round=evaluation_round)
        table = back.table_with("Minh chứng")
        codes, evidence = table.column("TT"), table.column("Minh chứng")
        listed[evaluation_round.number] = dict(zip(codes, evidence, strict=True))
    item = next(i for i in page_scorecard(second).items if i.code == "1.5")
    assert item.evidence_count == 1
    assert "bien-ban-dat-cong.pdf" in listed[2]["1.5"].split("\n")
    assert "bien-ban-dat-cong.pdf" not in listed[1]["1.5"]


def test_the_plans_appendix_has_every_row_with_its_leader_and_deadline():
    plan = Plan.objects.get(unit__official_code="00121")
    rows = list(plan_rows(plan))
    _request, back = render("ke-hoach")
    table = back.table_with("Giải pháp thực hiện")
    assert len(table.rows) - 1 == len(rows)
    assert table.column("Lãnh đạo phụ trách") == [leader_label(row) for row in rows]
    assert table.column("Thời gian hoàn thành") == [row.deadline_text for row in rows]
    assert table.column("Giải pháp thực hiện") == [row.solution for row in rows]
