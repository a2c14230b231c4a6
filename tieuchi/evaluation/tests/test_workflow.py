"""The transition tables: every (state, action, role) of every workflow, legal and illegal, and
what `apply` writes. The table walk needs no database: objects are built in memory."""

import datetime as dt
import itertools

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.accounts.roles import Role
from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import (
    CorrectiveAction,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
    RoundAssessment,
    SatisfactionSurvey,
    Transition,
)
from tieuchi.evaluation.workflow import NEW, TransitionRefused
from tieuchi.orgs.models import AdminUnit

FAR = dt.date(2099, 1, 1)


def in_state(factory, state: str):
    """An unsaved object in `state` (NEW = not created yet)."""
    obj = factory()
    if state != NEW:
        obj.pk = 1
    if isinstance(obj, RecognitionDecision):
        obj.valid_until = dt.date(2000, 1, 1) if state == workflow.EXPIRED else FAR
        obj.revoked_on = dt.date(2024, 1, 1) if state == workflow.REVOKED else None
    elif state != NEW and hasattr(obj, "status"):
        obj.status = state
    return obj


FLOWS = [
    ("self", lambda: RoundAssessment(stage="self"), workflow.SELF_ASSESSMENT),
    ("inspection", lambda: RoundAssessment(stage="inspection"), workflow.INSPECTION),
    ("action", CorrectiveAction, workflow.CORRECTIVE_ACTION),
    ("registration", Registration, workflow.REGISTRATION),
    ("survey", SatisfactionSurvey, workflow.SURVEY),
    ("dossier", RecognitionDossier, workflow.DOSSIER),
    ("decision", RecognitionDecision, workflow.DECISION),
]
ROLES = [None, *Role.values]


def _states(factory, table) -> list[str]:
    return sorted({NEW, *workflow.flow_for(factory()).states, *(s for s, _a in table)})


CASES = [
    pytest.param(factory, table, state, action, role, id=f"{name}-{state or 'new'}-{action}-{role}")
    for name, factory, table in FLOWS
    for state, action, role in itertools.product(
        _states(factory, table), sorted({a for _s, a in table}), ROLES
    )
]


def expected(table, state: str, action: str, role: str | None):
    """(new_state, None) when allowed, else (None, the start of the refusal message)."""
    anywhere = set().union(*(roles for (_s, a), (_n, roles) in table.items() if a == action))
    if role not in anywhere:
        return None, "Chỉ "
    if (state, action) not in table:
        return None, "Không thể "
    new_state, roles = table[(state, action)]
    if role not in roles:
        return None, "Chỉ "
    return new_state, None


@pytest.mark.parametrize(("factory", "table", "state", "action", "role"), CASES)
def test_every_state_action_and_role(factory, table, state, action, role):
    obj = in_state(factory, state)
    roles = frozenset({role}) if role else frozenset()
    new_state, refusal = expected(table, state, action, role)
    if refusal:
        with pytest.raises(TransitionRefused) as refused:
            workflow.check(None, obj, action, "lý do", roles=roles)
        assert str(refused.value).startswith(refusal)
        assert action not in workflow.allowed(obj, roles)
    else:
        assert workflow.check(None, obj, action, "lý do", roles=roles) == new_state
        assert action in workflow.allowed(obj, roles)


@pytest.mark.parametrize(
    ("factory", "state", "action", "role"),
    [
        (lambda: RoundAssessment(stage="self"), "submitted", "return", Role.DISTRICT_INSPECTOR),
        (RecognitionDossier, "submitted", "return", Role.DISTRICT_INSPECTOR),
        (RecognitionDossier, "council", "refuse", Role.SYSTEM_ADMIN),
        (RecognitionDecision, workflow.IN_FORCE, "revoke", Role.DISTRICT_INSPECTOR),
        (CorrectiveAction, "open", "cancel", Role.DISTRICT_INSPECTOR),
    ],
)
def test_returns_refusals_revocations_and_cancellations_need_a_reason(factory, state, action, role):
    obj = in_state(factory, state)
    with pytest.raises(TransitionRefused, match="^Cần ghi rõ lý do khi"):
        workflow.check(None, obj, action, " ", roles=frozenset({role}))


def test_the_messages_are_vietnamese_and_name_the_state_and_the_roles():
    dossier = in_state(RecognitionDossier, "submitted")
    with pytest.raises(TransitionRefused) as refused:
        workflow.check(None, dossier, "submit", roles=frozenset({Role.WARD_LEADER}))
    assert str(refused.value) == "Không thể gửi hồ sơ khi hồ sơ đang ở trạng thái “Đã nộp”."
    with pytest.raises(TransitionRefused) as refused:
        workflow.check(None, dossier, "accept", roles=frozenset({Role.WARD_LEADER}))
    assert str(refused.value) == (
        "Chỉ Cán bộ kiểm tra cấp trên hoặc Quản trị hệ thống mới được tiếp nhận hồ sơ."
    )
    with pytest.raises(TransitionRefused, match="Thao tác không hợp lệ"):
        workflow.check(None, dossier, "fly", roles=frozenset({Role.WARD_LEADER}))


def test_an_expired_decision_can_no_longer_be_checked_or_revoked():
    decision = in_state(RecognitionDecision, workflow.EXPIRED)
    with pytest.raises(TransitionRefused, match="đang ở trạng thái “Hết hiệu lực”"):
        workflow.check(None, decision, "revoke", "x", roles=frozenset({Role.SYSTEM_ADMIN}))


# ─────────────────────────── roles on units (database) ───────────────────────────


@pytest.mark.parametrize(
    ("username", "code", "roles"),
    [
        ("dong.giangbien", "00121", {Role.WARD_LEADER}),
        ("dong.giangbien", "00121-TDP01", {Role.WARD_LEADER}),
        ("dong.giangbien", "00136", set()),
        ("kiemtra.longbien", "00121", {Role.DISTRICT_INSPECTOR}),
        ("kiemtra.longbien", "004", set()),  # an inspector does not inspect their own unit
        ("lanhdao.phucloi", "00121", set()),
        ("tdp01.giangbien", "00121", set()),
        ("admin", "00121", {Role.SYSTEM_ADMIN}),
    ],
)
@pytest.mark.django_db
def test_roles_cover_the_unit_ward_roles_on_it_inspectors_from_above(username, code, roles):
    unit = AdminUnit.objects.filter(official_code=code).first()
    assert workflow.roles_on(User.objects.get(username=username), unit) == roles


@pytest.mark.django_db
def test_apply_writes_the_state_a_transition_and_an_audit_event_together():
    unit = AdminUnit.objects.get(official_code="00121")
    leader = User.objects.get(username="dong.giangbien")
    registration = Registration.objects.create(
        unit=unit,
        catalog_id=unit.plans.first().catalog_id,
        registered_on=dt.date(2021, 3, 1),
        registered_with="UBND quận Long Biên",
    )
    dossier = RecognitionDossier(registration=registration)
    transition = workflow.apply(leader, dossier, "open", "Lập hồ sơ")
    dossier.refresh_from_db()
    assert dossier.status == "preparing"
    assert (transition.object_type, transition.object_id) == (
        "evaluation.recognitiondossier",
        str(dossier.pk),
    )
    assert (transition.from_state, transition.to_state, transition.actor) == (
        "",
        "preparing",
        leader,
    )
    event = AuditEvent.objects.first()
    assert (event.action, event.object_id, event.after["state"], event.note) == (
        "open",
        str(dossier.pk),
        "preparing",
        "Lập hồ sơ",
    )
    # a stale copy in memory does not fool the check: the state is re-read under a lock
    stale = RecognitionDossier.objects.get(pk=dossier.pk)
    workflow.apply(leader, dossier, "submit")
    with pytest.raises(TransitionRefused, match="Đã nộp"):
        workflow.apply(leader, stale, "submit")
    transitions = Transition.objects.filter(
        object_type="evaluation.recognitiondossier", object_id=str(dossier.pk)
    )
    assert transitions.count() == 2


@pytest.mark.django_db
def test_a_refused_move_writes_nothing():
    unit = AdminUnit.objects.get(official_code="00121")
    registration = Registration(
        unit=unit,
        catalog_id=unit.plans.first().catalog_id,
        registered_on=dt.date(2021, 3, 1),
        registered_with="UBND quận Long Biên",
    )
    events, transitions = AuditEvent.objects.count(), Transition.objects.count()
    with pytest.raises(TransitionRefused, match="Chỉ Lãnh đạo phường mới được đăng ký"):
        workflow.apply(User.objects.get(username="hoai.giangbien"), registration, "register")
    assert registration.pk is None
    assert (AuditEvent.objects.count(), Transition.objects.count()) == (events, transitions)
