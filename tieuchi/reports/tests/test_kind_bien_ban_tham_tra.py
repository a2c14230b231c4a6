"""Biên bản thẩm tra of Giang Biên's round 1 inspection, read back from the .docx: layout, and
every verdict, remark and corrective action equal to the stored inspection."""

import datetime as dt

import pytest

from tieuchi.accounts.models import User
from tieuchi.evaluation import rounds
from tieuchi.evaluation.models import CorrectiveAction, ItemAssessment, RoundAssessment, Verdict
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.kinds.bien_ban_tham_tra import UNASSIGNED, action_owner
from tieuchi.reports.request import ReportInputError
from tieuchi.reports.tests.official_layout import assert_official_layout, render

ITEM_COLUMN = "Tiêu chí, nội dung"


def user(username: str) -> User:
    return User.objects.get(username=username)


def round_(number: int) -> EvaluationRound:
    return EvaluationRound.objects.get(plan__key="giang-bien-2023", number=number)


def inspection() -> RoundAssessment:
    return RoundAssessment.objects.get(
        round=round_(1), unit__official_code="00121", stage=RoundAssessment.Stage.INSPECTION
    )


@pytest.mark.django_db
def test_the_record_is_issued_by_the_district_in_the_official_layout():
    doc, request, data = render("bien-ban-tham-tra", "00121", round=round_(1), number="7")
    assert_official_layout(doc, request, "Số: 07/BB-ĐKT")
    assert request.header.issuing_body == "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"
    assert request.header.date == round_(1).judged_on
    assert "BIÊN BẢN" in doc.text and "TM. ĐOÀN KIỂM TRA" in doc.text
    assert data[:2] == b"PK"
    table = doc.table_with(ITEM_COLUMN)
    assert table.header_repeats


@pytest.mark.django_db
def test_each_item_shows_the_wards_and_the_districts_verdict_and_remark():
    doc, _request, _name = render("bien-ban-tham-tra", "00121", round=round_(1))
    rows = {row[0]: row for row in doc.table_with(ITEM_COLUMN).rows[1:]}
    found = inspection()
    items = ItemAssessment.objects.filter(assessment=found).select_related("node")
    own = {
        item.node_id: item
        for item in ItemAssessment.objects.filter(
            assessment__round=found.round,
            assessment__unit=found.unit,
            assessment__stage=RoundAssessment.Stage.SELF,
        )
    }
    assert len(items) > 40
    for item in items:
        row = rows[item.node.code]
        assert row[2] == own[item.node_id].get_verdict_display()
        assert row[3] == item.get_verdict_display()
        assert row[4] == item.remark
    remarked = [item for item in items if item.remark]
    assert remarked, "the demo inspection has remarks"
    # criterion lines: met only when every sub-criterion of the criterion is met
    by_criterion: dict[str, list] = {}
    for item in items:
        by_criterion.setdefault(item.node.parent.code, []).append(item.verdict)
    for code, verdicts in by_criterion.items():
        expected = Verdict.MET if all(v == Verdict.MET for v in verdicts) else Verdict.NOT_MET
        assert rows[code][3] == str(expected.label)


@pytest.mark.django_db
def test_corrective_actions_are_listed_with_owner_deadline_and_status():
    inspector, leader = user("kiemtra.longbien"), user("dong.giangbien")
    not_met = list(
        ItemAssessment.objects.filter(assessment=inspection(), verdict=Verdict.NOT_MET)
        .select_related("node")
        .order_by("node__position")
    )
    assert len(not_met) >= 3, "the demo inspection found items not met"
    first, second = not_met[:2]
    fix = rounds.add_corrective_action(
        inspector, first, description="Giải tỏa điểm lấn chiếm", due_on=dt.date(2023, 8, 31)
    )
    rounds.add_corrective_action(
        inspector, second, description="Lập lại trật tự vỉa hè", due_on=dt.date(2023, 9, 30)
    )
    rounds.close_corrective_action(leader, fix, "Đã giải tỏa", closed_on=dt.date(2023, 8, 20))
    doc, _request, _data = render("bien-ban-tham-tra", "00121", round=round_(1))
    table = doc.table_with("Việc cần khắc phục")
    actions = CorrectiveAction.objects.filter(item__assessment=inspection()).select_related(
        "item__node", "responsible_organisation", "responsible_person"
    )
    expected = [
        [a.item.node.code, a.description, action_owner(a), a.due_on.strftime("%d/%m/%Y")]
        for a in actions
    ]
    expected += [[i.node.code, i.remark, "", ""] for i in not_met[2:]]
    assert sorted(row[:4] for row in table.rows[1:]) == sorted(expected)
    statuses = {row[0]: row[4] for row in table.rows[1:]}
    assert statuses[first.node.code] == "Đã khắc phục ngày 20/08/2023"
    assert statuses[second.node.code] == "Đang khắc phục"
    assert all(statuses[i.node.code] == UNASSIGNED for i in not_met[2:])
    assert all(action_owner(a) for a in actions), "owners default to the plan row's"


@pytest.mark.django_db
def test_a_round_without_inspection_names_the_rounds_that_have_one():
    with pytest.raises(ReportInputError) as refused:
        render("bien-ban-tham-tra", "00121", round=round_(2))
    message = str(refused.value)
    assert "Đợt 2 – tháng 11/2023 chưa có kết quả kiểm tra" in message
    assert f"Đợt 1 – tháng 05/2023 (--round {round_(1).pk})" in message
