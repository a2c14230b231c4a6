"""Rounds: Giang Biên's self-assessment, the district's inspection and the corrective actions,
through the services (refusals) and through the pages (the happy path, scope, query counts)."""

import datetime as dt

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.evaluation import rounds
from tieuchi.evaluation.models import (
    CorrectiveAction,
    ItemAssessment,
    RoundAssessment,
    Transition,
    Verdict,
)
from tieuchi.evaluation.rounds.rules import ItemChange, ItemsRefused
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound, PlanRow

DUE = dt.date(2024, 3, 31)


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def giang_bien(db):
    return AdminUnit.objects.get(official_code="00121")


@pytest.fixture
def round2(db):
    return EvaluationRound.objects.get(plan__key="giang-bien-2023", number=2)


@pytest.fixture
def own(giang_bien, round2):
    """Round 2's self-assessment, started by the ward leader."""
    return rounds.start_self_assessment(user("dong.giangbien"), round2, giang_bien)


@pytest.fixture
def inspection(own):
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    return rounds.start_inspection(user("kiemtra.longbien"), own)


def change(item: ItemAssessment, verdict: str, remark: str = "") -> ItemChange:
    return ItemChange(item.pk, verdict, remark, rounds.item_version(item))


def conclude_all(assessment: RoundAssessment, actor: User) -> None:
    """Give every item without a conclusion a 'not met', explained."""
    changes = [
        change(item, Verdict.NOT_MET, "Chưa có đủ hồ sơ chứng minh")
        for item in assessment.items.all()
        if item.verdict not in rounds.CONCLUSIVE
    ]
    rounds.update_items(actor, assessment, changes)


def item(assessment: RoundAssessment, code: str) -> ItemAssessment:
    return assessment.items.select_related("node").get(node__code=code)


def moves(obj) -> list[tuple[str, str, str]]:
    return list(
        Transition.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).values_list("action", "from_state", "to_state")
    )


# ─────────────────────────── services ───────────────────────────


@pytest.mark.django_db
def test_starting_copies_each_computed_verdict_of_the_rounds_date(own, round2):
    assert own.status == "draft"
    assert own.run.as_of == dt.date(2023, 11, 30) and own.run.round == round2
    items = list(own.items.select_related("node"))
    assert len(items) == 52
    assert all(i.verdict == i.computed_verdict for i in items)
    assert {i.verdict for i in items} == {"met", "not_met", "no_data"}
    assert item(own, "6.1").computed_verdict == "no_data"
    assert moves(own) == [("start", "", "draft")]
    event = AuditEvent.objects.filter(object_type="evaluation.roundassessment").first()
    assert (event.action, event.after["items"]) == ("start", 52)


@pytest.mark.django_db
def test_a_second_self_assessment_of_the_same_round_is_refused(own, giang_bien, round2):
    with pytest.raises(TransitionRefused, match="đã có bản tự đánh giá"):
        rounds.start_self_assessment(user("hoai.giangbien"), round2, giang_bien)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("canbo.giangbien", "Chỉ Lãnh đạo phường hoặc Phụ trách tiêu chí mới được bắt đầu tự"),
        ("xem.giangbien", "Chỉ Lãnh đạo phường hoặc Phụ trách tiêu chí"),
        ("kiemtra.longbien", "Chỉ Lãnh đạo phường hoặc Phụ trách tiêu chí"),
        ("lanhdao.phucloi", "Chỉ Lãnh đạo phường hoặc Phụ trách tiêu chí"),
    ],
)
@pytest.mark.django_db
def test_only_the_wards_leaders_start_a_self_assessment(username, message, giang_bien, round2):
    with pytest.raises(TransitionRefused, match=message):
        rounds.start_self_assessment(user(username), round2, giang_bien)
    assert not RoundAssessment.objects.filter(round=round2).exists()


@pytest.mark.django_db
def test_a_verdict_other_than_the_computed_one_needs_a_remark(own):
    target = item(own, "6.1")
    with pytest.raises(ItemsRefused, match="6.1: kết luận “Đạt” khác kết quả tính tự động"):
        rounds.update_items(user("hoai.giangbien"), own, [change(target, Verdict.MET)])
    assert item(own, "6.1").verdict == "no_data"
    saved = rounds.update_items(
        user("hoai.giangbien"), own, [change(target, Verdict.MET, "TDP 13 đã báo cáo bổ sung")]
    )
    assert [i.node.code for i in saved] == ["6.1"]
    event = AuditEvent.objects.filter(object_type="evaluation.itemassessment").first()
    assert (event.action, event.before["verdict"], event.after["verdict"]) == (
        "assess",
        "no_data",
        "met",
    )


@pytest.mark.django_db
def test_a_stale_row_is_refused_and_nothing_in_the_batch_is_written(own):
    first, second = item(own, "1.1"), item(own, "1.2")
    stale = change(first, Verdict.NOT_MET, "cũ")
    rounds.update_items(user("hoai.giangbien"), own, [change(first, first.verdict, "Tỉnh sửa")])
    with pytest.raises(ItemsRefused, match="1.1 vừa được người khác sửa") as refused:
        rounds.update_items(
            user("tinh.giangbien"), own, [stale, change(second, second.verdict, "ghi chú")]
        )
    assert list(refused.value.errors) == [first.pk]
    assert item(own, "1.1").remark == "Tỉnh sửa"
    assert item(own, "1.2").remark == ""


@pytest.mark.django_db
def test_after_submission_the_ward_can_no_longer_edit_or_submit_again(own):
    rounds.submit_self_assessment(user("dong.giangbien"), own, "Gửi quận")
    target = item(own, "1.1")
    with pytest.raises(
        TransitionRefused, match="Không thể sửa bản tự đánh giá khi bản tự đánh giá"
    ):
        rounds.update_items(user("dong.giangbien"), own, [change(target, "not_met", "x")])
    with pytest.raises(TransitionRefused, match="đang ở trạng thái “Đã gửi”"):
        rounds.submit_self_assessment(user("dong.giangbien"), own)
    assert moves(own) == [("start", "", "draft"), ("submit", "draft", "submitted")]


@pytest.mark.django_db
def test_the_inspection_starts_only_from_a_submitted_self_assessment_and_only_by_the_inspector(
    own,
):
    with pytest.raises(TransitionRefused, match="Không thể bắt đầu kiểm tra khi bản tự đánh giá"):
        rounds.start_inspection(user("kiemtra.longbien"), own)
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    with pytest.raises(TransitionRefused, match="Chỉ Cán bộ kiểm tra cấp trên mới được"):
        rounds.start_inspection(user("dong.giangbien"), own)
    with pytest.raises(TransitionRefused, match="Chỉ Cán bộ kiểm tra cấp trên"):
        rounds.start_inspection(user("admin"), own)


@pytest.mark.django_db
def test_the_inspection_is_prefilled_from_the_wards_verdicts_and_remarks(own):
    rounds.update_items(
        user("hoai.giangbien"), own, [change(item(own, "6.1"), "met", "Đã đủ số liệu")]
    )
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    inspection = rounds.start_inspection(user("kiemtra.longbien"), own)
    prefilled = item(inspection, "6.1")
    assert (prefilled.computed_verdict, prefilled.verdict, prefilled.remark) == (
        "no_data",
        "met",
        "Đã đủ số liệu",
    )
    assert inspection.items.count() == 52
    assert inspection.run_id == own.run_id


@pytest.mark.django_db
def test_confirming_with_an_unassessed_item_is_refused(inspection):
    open_codes = [
        i.node.code for i in inspection.items.select_related("node") if i.verdict == "no_data"
    ]
    assert open_codes
    with pytest.raises(TransitionRefused, match="còn .* nội dung chưa kết luận") as refused:
        rounds.confirm_inspection(user("kiemtra.longbien"), inspection)
    assert open_codes[0] in str(refused.value)
    inspection.refresh_from_db()
    assert inspection.status == "draft"


@pytest.mark.django_db
def test_the_ward_cannot_edit_or_confirm_the_inspection(inspection):
    target = item(inspection, "1.1")
    with pytest.raises(
        TransitionRefused, match="Chỉ Cán bộ kiểm tra cấp trên mới được ghi kết quả"
    ):
        rounds.update_items(user("dong.giangbien"), inspection, [change(target, "met")])
    conclude_all(inspection, user("kiemtra.longbien"))
    with pytest.raises(TransitionRefused, match="Chỉ Cán bộ kiểm tra cấp trên"):
        rounds.confirm_inspection(user("dong.giangbien"), inspection)


@pytest.mark.django_db
def test_returning_needs_a_reason_and_is_refused_once_the_inspection_started(own, giang_bien):
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    with pytest.raises(TransitionRefused, match="Cần ghi rõ lý do khi trả lại"):
        rounds.return_self_assessment(user("kiemtra.longbien"), own, "  ")
    rounds.return_self_assessment(user("kiemtra.longbien"), own, "Thiếu minh chứng tiêu chí 3")
    own.refresh_from_db()
    assert own.status == "returned"
    rounds.update_items(user("hoai.giangbien"), own, [change(item(own, "3.1"), "met", "Bổ sung")])
    rounds.submit_self_assessment(user("dong.giangbien"), own)
    rounds.start_inspection(user("kiemtra.longbien"), own)
    with pytest.raises(TransitionRefused, match="Đã bắt đầu kiểm tra"):
        rounds.return_self_assessment(user("kiemtra.longbien"), own, "Lần nữa")
    assert [m[0] for m in moves(own)] == ["start", "submit", "return", "submit"]


@pytest.mark.django_db
def test_a_corrective_action_defaults_to_the_plan_rows_owners(inspection, round2):
    inspector = user("kiemtra.longbien")
    failed = item(inspection, "9.5")
    with pytest.raises(TransitionRefused, match="sau khi kết quả kiểm tra đã được xác nhận"):
        rounds.add_corrective_action(inspector, failed, description="Làm lại", due_on=DUE)
    conclude_all(inspection, inspector)
    rounds.confirm_inspection(inspector, inspection, "Kết luận đợt 2")
    action = rounds.add_corrective_action(
        inspector, failed, description="Hoàn thiện hồ sơ tiếp cận pháp luật", due_on=DUE
    )
    row = PlanRow.objects.get(plan=round2.plan, node=failed.node)
    assert action.status == "open"
    assert action.responsible_person == row.lead_person
    implementing = row.parties.filter(role="implementing", organisation__isnull=False).first()
    assert action.responsible_organisation == (implementing.organisation if implementing else None)
    assert moves(action) == [("create", "", "open")]


@pytest.mark.parametrize(
    ("code", "username", "due", "message"),
    [
        ("9.5", "dong.giangbien", DUE, "Chỉ Cán bộ kiểm tra cấp trên mới được giao việc khắc phục"),
        ("9.5", "kiemtra.longbien", dt.date(2023, 11, 30), "Hạn khắc phục phải sau ngày"),
        ("8.4", "kiemtra.longbien", DUE, "không phải nội dung chưa đạt"),
    ],
)
@pytest.mark.django_db
def test_corrective_actions_are_refused_for_the_wrong_role_date_or_item(
    inspection, code, username, due, message
):
    conclude_all(inspection, user("kiemtra.longbien"))
    rounds.confirm_inspection(user("kiemtra.longbien"), inspection)
    with pytest.raises(TransitionRefused, match=message):
        rounds.add_corrective_action(
            user(username), item(inspection, code), description="x", due_on=due
        )
    assert not CorrectiveAction.objects.filter(item__assessment=inspection).exists()


@pytest.mark.django_db
def test_closing_an_action_records_the_date_and_it_cannot_be_closed_twice(inspection):
    inspector = user("kiemtra.longbien")
    conclude_all(inspection, inspector)
    rounds.confirm_inspection(inspector, inspection)
    action = rounds.add_corrective_action(
        inspector, item(inspection, "9.5"), description="Bổ sung", due_on=DUE
    )
    rounds.close_corrective_action(
        user("hoai.giangbien"), action, "Đã có quyết định mới", closed_on=dt.date(2024, 2, 1)
    )
    action.refresh_from_db()
    assert (action.status, action.closed_on) == ("done", dt.date(2024, 2, 1))
    with pytest.raises(TransitionRefused, match="Không thể đóng việc khắc phục khi"):
        rounds.close_corrective_action(user("hoai.giangbien"), action, "lần 2")
    with pytest.raises(TransitionRefused, match="Chỉ Cán bộ kiểm tra cấp trên mới được hủy"):
        rounds.close_corrective_action(user("dong.giangbien"), action, "x", cancel=True)


@pytest.mark.django_db
def test_every_step_of_the_round_leaves_a_transition_and_an_audit_event(giang_bien, round2):
    leader, inspector = user("dong.giangbien"), user("kiemtra.longbien")

    def steps():
        own = rounds.start_self_assessment(leader, round2, giang_bien)
        yield own, "start"
        rounds.submit_self_assessment(leader, own, "Gửi")
        yield own, "submit"
        inspection = rounds.start_inspection(inspector, own)
        yield inspection, "start"
        conclude_all(inspection, inspector)
        rounds.confirm_inspection(inspector, inspection, "Kết luận")
        yield inspection, "confirm"
        yield own, "confirm"
        action = rounds.add_corrective_action(
            inspector, item(inspection, "9.5"), description="Bổ sung", due_on=DUE
        )
        yield action, "create"
        rounds.close_corrective_action(leader, action, "Xong")
        yield action, "close"

    for obj, action in steps():
        key = {"object_type": obj._meta.label_lower, "object_id": str(obj.pk), "action": action}
        assert Transition.objects.filter(**key).count() == 1, key
        assert AuditEvent.objects.filter(**key).count() == 1, key
