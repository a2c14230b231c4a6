"""Recognition: registration, survey, dossier, council, decision, upkeep and revocation.

The demo ward does not meet all criteria, so the passing case is a test ward ("Phường Thử", under
quận Long Biên) on a small catalog of 9 criteria with one confirmed item each, judged by the real
engine with the recognition rule of QĐ 04/2022.
"""

import datetime as dt
import textwrap

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.catalog.services import load_catalog
from tieuchi.collection.models import Observation
from tieuchi.evaluation import recognition
from tieuchi.evaluation.models import RecognitionDossier, Transition
from tieuchi.evaluation.recognition.council import MemberSpec
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.orgs.models import AdminUnit, Membership

ON = dt.date(2024, 6, 28)
ALL_DOCUMENTS = {key for key, _label in recognition.CHECKLIST}
NINE = "\n".join(
    textwrap.dedent(
        f"""\
          - code: "{n}"
            type: criterion
            name: "Tiêu chí {n}"
            children:
              - code: "{n}.1"
                type: subcriterion
                name: "Nội dung {n}.1"
                kind: boolean
                thresholds:
                  - {{comparator: is_true, text: "Nội dung {n}.1 được xác nhận"}}"""
    )
    for n in range(1, 10)
)
CATALOG = f"""\
key: thu-dtvm
version: "1"
name: "Bộ tiêu chí thử"
kind: criteria_set
legal_document: {{number: "01/THU", doc_type: "QĐ", title: "Thử", issuer: "Thử"}}
applies_to_unit_types: [phuong]
effective_from: 2022-04-15
recognition:
  all_criteria_met: true
  min_registration_years: 2
  min_registration_years_renewal: 5
  min_satisfaction_percent: 90
  validity_years: 5
  council_quorum_percent: 70
nodes:
{textwrap.indent(NINE, "  ")}
"""


def user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def inspector(db):
    return user("kiemtra.longbien")


@pytest.fixture
def ward(db, tmp_path):
    """A ward that meets all 9 criteria of the test catalog, with its own leader."""
    path = tmp_path / "thu.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    catalog, _changed = load_catalog(path)
    district = AdminUnit.objects.get(official_code="004")
    unit = AdminUnit.objects.create(
        official_code="99991", name="Thử", level="commune", unit_type="phuong", parent=district
    )
    leader = User.objects.create(username="lanhdao.thu", full_name="Lãnh đạo phường Thử")
    Membership.objects.create(user=leader, unit=unit, role=Role.WARD_LEADER)
    for measure in Measure.objects.filter(node__catalog=catalog):
        Observation.objects.create(
            unit=unit,
            measure=measure,
            period="2024",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            boolean_value=True,
            status="approved",
            source="Biên bản kiểm tra",
        )
    return {"unit": unit, "catalog": catalog, "leader": leader}


def registered(ward, *, on=dt.date(2021, 3, 1), kind="first", satisfied=950):
    registration = recognition.register(
        ward["leader"],
        ward["unit"],
        ward["catalog"],
        kind=kind,
        registered_on=on,
        registered_with="UBND quận Long Biên",
    )
    recognition.record_survey(
        ward["leader"],
        registration,
        organiser="Ủy ban MTTQ phường Thử",
        opened_on=dt.date(2024, 4, 1),
        closed_on=dt.date(2024, 5, 1),
        respondents=1000,
        satisfied=satisfied,
    )
    return registration


def complete_dossier(ward, **kw) -> RecognitionDossier:
    dossier = recognition.open_dossier(ward["leader"], registered(ward, **kw))
    return recognition.update_checklist(ward["leader"], dossier, ALL_DOCUMENTS)


def members(count: int) -> list[MemberSpec]:
    chair = MemberSpec("Nguyễn Văn Chủ", "Chủ tịch UBND quận", "chair")
    return [chair] + [
        MemberSpec(f"Thành viên {n}", "Trưởng phòng", "member") for n in range(2, count + 1)
    ]


def at_council(ward, inspector, size=10) -> RecognitionDossier:
    dossier = complete_dossier(ward)
    recognition.submit_dossier(ward["leader"], dossier, on=ON)
    recognition.accept_dossier(inspector, dossier, on=dt.date(2024, 7, 1))
    recognition.form_council(
        inspector, dossier, formed_on=dt.date(2024, 7, 3), members=members(size)
    )
    return dossier


def meet(inspector, dossier, present: int, votes_for: int, votes_against: int = 0):
    council = dossier.council
    ids = set(council.members.order_by("id").values_list("pk", flat=True)[:present])
    return recognition.record_meeting(
        inspector,
        council,
        meeting_on=dt.date(2024, 7, 8),
        present_ids=ids,
        votes_for=votes_for,
        votes_against=votes_against,
    )


def states(obj) -> list[str]:
    return list(
        Transition.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_a_ward_meeting_every_condition_goes_from_registration_to_a_decision_valid_5_years(
    ward, inspector
):
    events = AuditEvent.objects.count()
    dossier = at_council(ward, inspector)
    assert dossier.run.recognisable is True
    assert dossier.submitted_on == ON
    meet(inspector, dossier, present=7, votes_for=6, votes_against=1)
    decision = recognition.recognise(
        inspector,
        dossier,
        number="1234/QĐ-UBND",
        decided_on=dt.date(2024, 7, 12),
        signer="Chủ tịch",
    )
    dossier.refresh_from_db()
    assert dossier.status == "recognised"
    assert decision.valid_until == dt.date(2029, 7, 12)
    assert states(dossier) == [
        "open",
        "submit",
        "accept",
        "form_council",
        "record_meeting",
        "recognise",
    ]
    registration = dossier.registration
    assert states(registration) == ["register"]
    assert states(registration.surveys.get()) == ["record"]
    # every step and the checklist edit are audited (plus the evaluation stored at submission)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[events:])
    assert actions == [
        "register",
        "record",
        "open",
        "checklist",
        "evaluate",
        "submit",
        "accept",
        "form_council",
        "record_meeting",
        "recognise",
    ]


@pytest.mark.django_db
def test_submission_is_refused_while_the_checklist_is_incomplete(ward):
    dossier = recognition.open_dossier(ward["leader"], registered(ward))
    recognition.update_checklist(ward["leader"], dossier, ALL_DOCUMENTS - {"bao_cao_mttq"})
    with pytest.raises(TransitionRefused, match="Hồ sơ chưa đủ, còn thiếu: Báo cáo của UBMTTQ"):
        recognition.submit_dossier(ward["leader"], dossier, on=ON)
    dossier.refresh_from_db()
    assert dossier.status == "preparing"


@pytest.mark.parametrize(
    ("registration", "message"),
    [
        ({"on": dt.date(2023, 3, 1)}, "chưa đủ 2 năm"),
        ({"on": dt.date(2021, 3, 1), "kind": "renewal"}, "chưa đủ 5 năm"),
        ({"satisfied": 899}, r"89,9% \(899/1.000 người hài lòng, đồng ý\) < 90%"),
    ],
)
@pytest.mark.django_db
def test_submission_is_refused_when_registration_is_too_recent_or_the_survey_below_90(
    ward, registration, message
):
    dossier = complete_dossier(ward, **registration)
    with pytest.raises(TransitionRefused, match=message):
        recognition.submit_dossier(ward["leader"], dossier, on=ON)


@pytest.mark.django_db
def test_giang_bien_cannot_submit_because_not_all_its_criteria_are_met():
    unit = AdminUnit.objects.get(official_code="00121")
    leader = user("dong.giangbien")
    catalog = Catalog.objects.get(key="qd04-2022")
    registration = recognition.register(
        leader,
        unit,
        catalog,
        kind="first",
        registered_on=dt.date(2021, 1, 15),
        registered_with="UBND quận Long Biên",
    )
    dossier = recognition.open_dossier(leader, registration)
    recognition.update_checklist(leader, dossier, ALL_DOCUMENTS)
    with pytest.raises(TransitionRefused, match="Chưa đủ điều kiện đề nghị công nhận") as refused:
        recognition.submit_dossier(leader, dossier, on=dt.date(2023, 11, 30))
    assert "tiêu chí đạt" in str(refused.value)
    assert "chưa có kết quả lấy ý kiến" in str(refused.value)


@pytest.mark.parametrize(("present", "ok"), [(6, False), (7, True)])
@pytest.mark.django_db
def test_the_council_needs_70_percent_of_its_members_present(ward, inspector, present, ok):
    dossier = at_council(ward, inspector, size=10)
    if ok:
        council = meet(inspector, dossier, present=present, votes_for=present)
        assert council.members.filter(present=True).count() == 7
        assert recognition.quorum(council).ok
    else:
        with pytest.raises(TransitionRefused, match=r"6/10 \(60%\) < 70%"):
            meet(inspector, dossier, present=present, votes_for=present)
        assert dossier.council.members.filter(present=True).count() == 0


@pytest.mark.parametrize(
    ("votes_for", "votes_against", "message"),
    [
        (4, 4, "Số phiếu đồng ý \\(4/8 thành viên có mặt\\) chưa quá bán"),
        (5, 3, None),
    ],
)
@pytest.mark.django_db
def test_recognition_needs_more_than_half_of_those_present_to_vote_for(
    ward, inspector, votes_for, votes_against, message
):
    dossier = at_council(ward, inspector)
    meet(inspector, dossier, present=8, votes_for=votes_for, votes_against=votes_against)
    decide = dict(number="99/QĐ-UBND", decided_on=dt.date(2024, 7, 10))
    if message:
        with pytest.raises(TransitionRefused, match=message):
            recognition.recognise(inspector, dossier, **decide)
        recognition.refuse(inspector, dossier, "Không đủ phiếu đồng ý")
        dossier.refresh_from_db()
        assert dossier.status == "refused"
    else:
        assert recognition.recognise(inspector, dossier, **decide).valid_until.year == 2029


@pytest.mark.django_db
def test_more_ballots_than_members_present_are_refused(ward, inspector):
    dossier = at_council(ward, inspector)
    with pytest.raises(TransitionRefused, match="Tổng số phiếu \\(9\\)"):
        meet(inspector, dossier, present=8, votes_for=6, votes_against=3)


@pytest.mark.parametrize(
    ("step", "username", "message"),
    [
        ("accept", "lanhdao.thu", "Chỉ Cán bộ kiểm tra cấp trên hoặc Quản trị hệ thống"),
        ("accept", "dong.giangbien", "Chỉ Cán bộ kiểm tra cấp trên hoặc Quản trị hệ thống"),
        ("return", "kiemtra.longbien", "Cần ghi rõ lý do khi trả lại hồ sơ"),
        ("submit", "kiemtra.longbien", "Chỉ Lãnh đạo phường mới được gửi hồ sơ"),
    ],
)
@pytest.mark.django_db
def test_dossier_moves_are_refused_to_the_wrong_role_or_without_a_reason(
    ward, inspector, step, username, message
):
    dossier = complete_dossier(ward)
    if step != "submit":
        recognition.submit_dossier(ward["leader"], dossier, on=ON)
    calls = {
        "accept": lambda who: recognition.accept_dossier(who, dossier),
        "return": lambda who: recognition.return_dossier(who, dossier, ""),
        "submit": lambda who: recognition.submit_dossier(who, dossier, on=ON),
    }
    with pytest.raises(TransitionRefused, match=message):
        calls[step](user(username))


@pytest.mark.django_db
def test_a_returned_dossier_is_completed_and_submitted_again(ward, inspector):
    dossier = complete_dossier(ward)
    recognition.submit_dossier(ward["leader"], dossier, on=ON)
    recognition.return_dossier(inspector, dossier, "Thiếu minh chứng tiêu chí 5")
    recognition.update_checklist(ward["leader"], dossier, ALL_DOCUMENTS)
    recognition.submit_dossier(ward["leader"], dossier, on=ON)
    assert states(dossier) == ["open", "submit", "return", "submit"]
    with pytest.raises(TransitionRefused, match="Không thể sửa hồ sơ khi hồ sơ đang ở trạng thái"):
        recognition.update_checklist(ward["leader"], dossier, set())


@pytest.mark.django_db
def test_maintenance_checks_once_a_year_and_revocation_with_a_reason(ward, inspector):
    dossier = at_council(ward, inspector)
    meet(inspector, dossier, present=10, votes_for=10)
    decision = recognition.recognise(
        inspector, dossier, number="5/QĐ-UBND", decided_on=dt.date(2024, 7, 12)
    )
    check = recognition.maintenance_check(
        inspector, decision, year=2024, checked_on=dt.date(2024, 12, 20)
    )
    assert check.verdict == "met" and check.run.as_of == dt.date(2024, 12, 20)
    with pytest.raises(TransitionRefused, match="Năm 2024 đã có kết quả kiểm tra duy trì"):
        recognition.maintenance_check(inspector, decision, year=2024)
    with pytest.raises(TransitionRefused, match="Chỉ Cán bộ kiểm tra cấp trên hoặc Quản trị"):
        recognition.revoke(ward["leader"], decision, "Tự nguyện")
    with pytest.raises(TransitionRefused, match="Cần ghi rõ lý do khi thu hồi"):
        recognition.revoke(inspector, decision, "")
    recognition.revoke(
        user("admin"), decision, "Không duy trì tiêu chí 4", revoked_on=dt.date(2025, 3, 1)
    )
    decision.refresh_from_db()
    assert (decision.revoked_on, decision.revoke_reason, decision.revoked_by.username) == (
        dt.date(2025, 3, 1),
        "Không duy trì tiêu chí 4",
        "admin",
    )
    assert states(decision) == ["check", "revoke"]
    with pytest.raises(TransitionRefused, match="đang ở trạng thái “Đã thu hồi”"):
        recognition.maintenance_check(inspector, decision, year=2025)


@pytest.mark.parametrize(
    ("respondents", "satisfied", "message"),
    [(100, 101, "phải từ 0 đến số người được hỏi"), (0, 0, "phải từ 0 đến")],
)
@pytest.mark.django_db
def test_a_survey_with_impossible_counts_is_refused(ward, respondents, satisfied, message):
    registration = recognition.register(
        ward["leader"],
        ward["unit"],
        ward["catalog"],
        kind="first",
        registered_on=dt.date(2021, 3, 1),
        registered_with="UBND quận Long Biên",
    )
    with pytest.raises(TransitionRefused, match=message):
        recognition.record_survey(
            ward["leader"],
            registration,
            organiser="MTTQ",
            opened_on=dt.date(2024, 4, 1),
            closed_on=dt.date(2024, 5, 1),
            respondents=respondents,
            satisfied=satisfied,
        )
