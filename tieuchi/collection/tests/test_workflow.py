"""The submission workflow: the transition table, who may move a set, and every refusal."""

import datetime as dt

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection import entry, workflow
from tieuchi.collection.models import Observation, ReportingWindow, Submission, SubmissionEvent
from tieuchi.collection.services import save_observation
from tieuchi.orgs.models import AdminUnit, Membership

CATALOG = "qd04-2022"

# --- the table ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "target"),
    [
        ("submit", "draft", "submitted"),
        ("submit", "returned", "submitted"),
        ("return", "submitted", "returned"),
        ("approve", "submitted", "approved"),
        ("reopen", "approved", "draft"),
    ],
)
def test_allowed_moves(action, state, target):
    assert workflow.transition(action, state).target == target


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("submit", "submitted"),
        ("submit", "approved"),
        ("return", "draft"),
        ("return", "approved"),
        ("approve", "draft"),
        ("approve", "returned"),
        ("reopen", "submitted"),
        ("reopen", "draft"),
        ("delete", "draft"),
    ],
)
def test_every_other_move_is_refused_in_vietnamese(action, state):
    with pytest.raises(workflow.TransitionRefused, match="Không"):
        workflow.transition(action, state)


def test_reasons_and_roles_per_move():
    table = {a: (t.who, t.needs_reason) for a, t in workflow.TRANSITIONS.items()}
    assert table == {
        "submit": ("editor", False),
        "return": ("reviewer", True),
        "approve": ("approver", False),
        "reopen": ("approver", True),
    }
    assert [workflow.entry_open(s) for s in ("draft", "returned", "submitted", "approved")] == [
        True,
        True,
        False,
        False,
    ]


# --- the services ---------------------------------------------------------------------------------


def user(name: str) -> User:
    return User.objects.get(username=name)


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(official_code=code)


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code, node__catalog__key=CATALOG)


@pytest.fixture
def catalog(db):
    return Catalog.objects.get(key=CATALOG)


@pytest.fixture
def tdp13(db):
    return unit("00121-TDP13")


@pytest.fixture
def head13(db, tdp13):
    head = User.objects.create(username="tdp13.giangbien", full_name="Tổ trưởng TDP số 13")
    Membership.objects.create(user=head, unit=tdp13, role=Role.TDP_HEAD)
    return head


def fill_tdp13(head, tdp13) -> None:
    for code, figures in {"6.1": (700, 760), "8.2": (2100, 2280)}.items():
        save_observation(
            head,
            tdp13,
            measure(code),
            "2023",
            {"numerator": figures[0], "denominator": figures[1]},
            expected_version=None,
        )


def status(tdp13) -> str:
    return Submission.objects.get(unit=tdp13, period="2023").status


@pytest.mark.django_db
def test_submitting_with_required_items_still_empty_lists_them(head13, tdp13, catalog):
    with pytest.raises(entry.MissingItems) as refused:
        entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    assert [code for code, _name, _why in refused.value.items] == ["6.1", "8.2"]
    assert "còn 2 nội dung chưa nhập đủ: 6.1" in str(refused.value)
    assert not SubmissionEvent.objects.exists()
    assert not Submission.objects.filter(unit=tdp13, status="submitted").exists()


@pytest.mark.django_db
def test_a_ward_cannot_submit_without_its_missing_items(catalog):
    officer, ward = user("canbo.giangbien"), unit("00121")
    with pytest.raises(entry.MissingItems) as refused:
        entry.apply_transition(officer, "submit", ward, catalog, "2023")
    codes = [code for code, _name, _why in refused.value.items]
    assert codes == ["5.5", "8.7b"]  # titles (4.6, 8.1, 9.5) come from recognition decisions


@pytest.mark.django_db
def test_a_submission_is_one_transaction_with_event_audit_and_figure_statuses(
    head13, tdp13, catalog
):
    fill_tdp13(head13, tdp13)
    submission = entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    assert (submission.status, submission.submitted_by, submission.version) == (
        "submitted",
        head13,
        2,
    )
    event = submission.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == (
        "submit",
        "draft",
        "submitted",
        head13,
    )
    assert AuditEvent.objects.filter(
        object_type="collection.submission",
        object_id=str(submission.pk),
        action="submission.submit",
    ).exists()
    statuses = dict(
        Observation.objects.filter(unit=tdp13, period="2023").values_list("measure__code", "status")
    )
    assert statuses["6.1"] == statuses["8.2"] == "submitted"
    assert statuses["2.5"] == "approved"  # approved before stays approved


@pytest.mark.parametrize(
    ("username", "action", "error"),
    [
        ("tdp13.giangbien", "approve", entry.NotAllowed),  # the unit's own editor
        ("tdp01.giangbien", "return", entry.NotAllowed),  # another TDP
        ("xem.giangbien", "return", entry.NotAllowed),  # a viewer at the ward
        ("lanhdao.phucloi", "approve", entry.NotAllowed),  # another ward's leader
        ("canbo.giangbien", "approve", entry.NotAllowed),  # the ward's officer checks, returns
        (
            "kiemtra.longbien",
            "approve",
            entry.SelfApproval,
        ),  # …but see below: set up as the enterer
    ],
)
@pytest.mark.django_db
def test_only_someone_above_who_entered_nothing_approves(
    head13, tdp13, catalog, username, action, error
):
    fill_tdp13(head13, tdp13)
    if error is entry.SelfApproval:  # the district inspector typed one of TDP 13's figures
        Observation.objects.filter(unit=tdp13, measure=measure("8.2")).update(
            entered_by=user(username)
        )
    entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    with pytest.raises(error):
        entry.apply_transition(user(username), action, tdp13, catalog, "2023", reason="x")
    assert status(tdp13) == "submitted"
    assert SubmissionEvent.objects.filter(submission__unit=tdp13).count() == 1


@pytest.mark.django_db
def test_a_ward_leader_who_typed_a_figure_cannot_approve_it(head13, tdp13, catalog):
    leader = user("dong.giangbien")
    fill_tdp13(head13, tdp13)
    current = Observation.objects.get(unit=tdp13, measure=measure("8.2"), period="2023")
    save_observation(
        leader,
        tdp13,
        measure("8.2"),
        "2023",
        {"numerator": 2101, "denominator": 2280},
        expected_version=current.version,
    )
    entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    with pytest.raises(entry.SelfApproval, match="không được là người đã nhập"):
        entry.apply_transition(leader, "approve", tdp13, catalog, "2023")
    assert status(tdp13) == "submitted"


@pytest.mark.django_db
def test_returning_needs_a_reason_and_marks_the_named_figures(head13, tdp13, catalog):
    officer = user("canbo.giangbien")
    fill_tdp13(head13, tdp13)
    entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    for reason in ["", "   "]:
        with pytest.raises(entry.WorkflowError, match="Cần ghi lý do khi trả lại"):
            entry.apply_transition(officer, "return", tdp13, catalog, "2023", reason=reason)
    assert status(tdp13) == "submitted"
    entry.apply_transition(
        officer,
        "return",
        tdp13,
        catalog,
        "2023",
        reason="6.1: mẫu số chưa khớp sổ theo dõi lao động",
        returned_measure_ids=[measure("6.1").pk],
    )
    submission = Submission.objects.get(unit=tdp13, period="2023")
    assert (submission.status, submission.note, submission.reviewed_by) == (
        "returned",
        "6.1: mẫu số chưa khớp sổ theo dõi lao động",
        officer,
    )
    statuses = dict(
        Observation.objects.filter(unit=tdp13, period="2023").values_list("measure__code", "status")
    )
    assert (statuses["6.1"], statuses["8.2"], statuses["2.5"]) == ("returned", "draft", "approved")


@pytest.mark.django_db
def test_approval_locks_and_reopening_needs_a_reason_and_an_approver(head13, tdp13, catalog):
    fill_tdp13(head13, tdp13)
    entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    leader = user("dong.giangbien")
    entry.apply_transition(leader, "approve", tdp13, catalog, "2023")
    figure = Observation.objects.get(unit=tdp13, measure=measure("6.1"), period="2023")
    assert (figure.status, figure.approved_by, figure.version) == ("approved", leader, 1)
    with pytest.raises(entry.NotAllowed):
        entry.apply_transition(head13, "reopen", tdp13, catalog, "2023", reason="sửa")
    with pytest.raises(entry.WorkflowError, match="Cần ghi lý do khi mở khóa"):
        entry.apply_transition(leader, "reopen", tdp13, catalog, "2023")
    assert status(tdp13) == "approved"
    entry.apply_transition(
        leader, "reopen", tdp13, catalog, "2023", reason="Điều tra lại số người có việc làm"
    )
    figure.refresh_from_db()
    assert (status(tdp13), figure.status, figure.approved_by) == ("draft", "draft", None)
    steps = list(
        SubmissionEvent.objects.filter(submission__unit=tdp13).values_list("action", "note")
    )
    assert steps[-1] == ("reopen", "Điều tra lại số người có việc làm")


@pytest.mark.django_db
def test_the_chain_tdp_ward_district(catalog):
    """A ward's own set is approved at the district, not by the ward's own leader."""
    ward, officer = unit("00121"), user("canbo.giangbien")
    for code, values in {
        "5.5": {"boolean_value": True},
        "8.7b": {"numerator": 300, "denominator": 320},
    }.items():
        save_observation(officer, ward, measure(code), "2023", values, expected_version=None)
    entry.apply_transition(officer, "submit", ward, catalog, "2023")
    with pytest.raises(entry.NotAllowed):
        entry.apply_transition(user("dong.giangbien"), "approve", ward, catalog, "2023")
    entry.apply_transition(user("kiemtra.longbien"), "approve", ward, catalog, "2023")
    assert Submission.objects.get(unit=ward, period="2023").status == "approved"
    assert Observation.objects.get(unit=ward, measure=measure("5.5"), period="2023").status == (
        "approved"
    )


@pytest.mark.django_db
def test_figures_approved_before_the_workflow_count_as_an_approved_set(catalog):
    tdp01, leader = unit("00121-TDP01"), user("dong.giangbien")
    with pytest.raises(entry.WorkflowError, match="Không thể gửi duyệt"):
        entry.apply_transition(user("tdp01.giangbien"), "submit", tdp01, catalog, "2023")
    entry.apply_transition(leader, "reopen", tdp01, catalog, "2023", reason="Rà soát lại")
    assert set(
        Observation.objects.filter(unit=tdp01, period="2023").values_list("status", flat=True)
    ) == {"draft"}


@pytest.mark.django_db
def test_submitting_outside_the_window_is_refused(head13, tdp13, catalog):
    fill_tdp13(head13, tdp13)
    ReportingWindow.objects.create(
        catalog=catalog,
        period="2023",
        opens_on=dt.date(2023, 1, 1),
        due_on=dt.date(2024, 1, 15),
        closed=True,
    )
    with pytest.raises(entry.WorkflowError, match="đã khóa"):
        entry.apply_transition(head13, "submit", tdp13, catalog, "2023")
    assert not Submission.objects.filter(unit=tdp13, status="submitted").exists()


@pytest.mark.django_db
def test_the_workflow_buttons_follow_the_rules(login, head13, tdp13):
    url = f"/data/units/{tdp13.pk}/2023/submission/?catalog={CATALOG}"
    page = f"/data/units/{tdp13.pk}/2023/?catalog={CATALOG}"
    head = login("tdp13.giangbien")
    refused = head.post(url, {"action": "submit"}, follow=True)
    assert "Chưa gửi được: còn 2 nội dung chưa nhập đủ" in refused.content.decode()
    fill_tdp13(head13, tdp13)
    done = head.post(url, {"action": "submit"}, follow=True)
    assert "Đã gửi số liệu cho cấp trên duyệt." in done.content.decode()
    # The head may not approve their own set: 403 and nothing moved.
    assert head.post(url, {"action": "approve"}).status_code == 403
    officer = login("canbo.giangbien")
    html = officer.get(page).content.decode()
    assert ">Trả lại</button>" in html and ">Duyệt</button>" not in html
    no_reason = officer.post(url, {"action": "return", "reason": ""}, follow=True)
    assert "Cần ghi lý do khi trả lại." in no_reason.content.decode()
    leader = login("dong.giangbien")
    assert ">Duyệt</button>" in leader.get(page).content.decode()
    # Had the leader typed one of the figures, the button would be gone and the move refused.
    Observation.objects.filter(unit=tdp13, measure__code="6.1").update(
        entered_by=user("dong.giangbien")
    )
    html = leader.get(page).content.decode()
    assert ">Duyệt</button>" not in html and "không thể tự duyệt" in html
    self_approval = leader.post(url, {"action": "approve"}, follow=True)
    assert "Người duyệt không được là người đã nhập" in self_approval.content.decode()
    assert status(tdp13) == "submitted"
