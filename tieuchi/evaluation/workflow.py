"""Workflow of rounds and recognition: who may move which object from which state, and the record.

Each stateful object has a table `{(state, action): (new_state, allowed_roles)}`. `apply` checks
the table and the actor's roles on the object's unit, then writes the move, a `Transition` row and
an audit event in one transaction. Self-loops (`edit`, `inspect`, `record_meeting`, `check`) are
permissions as well: services call `check` for edits that are audited but are not steps.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tieuchi.accounts import audit
from tieuchi.accounts.roles import Role
from tieuchi.evaluation.models import (
    CorrectiveAction,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
    RoundAssessment,
    SatisfactionSurvey,
    Transition,
)
from tieuchi.orgs.scope import active_memberships

NEW = ""  # the state of an object that does not exist yet
WARD = frozenset({Role.WARD_LEADER, Role.CRITERION_LEAD})
LEADER = frozenset({Role.WARD_LEADER})
INSPECTOR = frozenset({Role.DISTRICT_INSPECTOR})
UPPER = frozenset({Role.DISTRICT_INSPECTOR, Role.SYSTEM_ADMIN})
# Actions that must say why: a return, a refusal, a revocation or a cancellation.
NEEDS_NOTE = frozenset({"return", "refuse", "revoke", "cancel"})

Table = dict[tuple[str, str], tuple[str, frozenset]]

_A = RoundAssessment.Status
SELF_ASSESSMENT: Table = {
    (NEW, "start"): (_A.DRAFT, WARD),
    (_A.DRAFT, "edit"): (_A.DRAFT, WARD),
    (_A.RETURNED, "edit"): (_A.RETURNED, WARD),
    (_A.DRAFT, "submit"): (_A.SUBMITTED, WARD),
    (_A.RETURNED, "submit"): (_A.SUBMITTED, WARD),
    (_A.SUBMITTED, "return"): (_A.RETURNED, INSPECTOR),
    (_A.SUBMITTED, "inspect"): (_A.SUBMITTED, INSPECTOR),
    (_A.SUBMITTED, "confirm"): (_A.CONFIRMED, INSPECTOR),
}
INSPECTION: Table = {
    (NEW, "start"): (_A.DRAFT, INSPECTOR),
    (_A.DRAFT, "edit"): (_A.DRAFT, INSPECTOR),
    (_A.DRAFT, "confirm"): (_A.CONFIRMED, INSPECTOR),
}
_C = CorrectiveAction.Status
CORRECTIVE_ACTION: Table = {
    (NEW, "create"): (_C.OPEN, INSPECTOR),
    (_C.OPEN, "close"): (_C.DONE, WARD | INSPECTOR),
    (_C.OPEN, "cancel"): (_C.CANCELLED, INSPECTOR),
}
REGISTRATION: Table = {(NEW, "register"): ("registered", LEADER)}
SURVEY: Table = {(NEW, "record"): ("recorded", WARD)}
_D = RecognitionDossier.Status
DOSSIER: Table = {
    (NEW, "open"): (_D.PREPARING, WARD),
    (_D.PREPARING, "edit"): (_D.PREPARING, WARD),
    (_D.RETURNED, "edit"): (_D.RETURNED, WARD),
    (_D.PREPARING, "submit"): (_D.SUBMITTED, LEADER),
    (_D.RETURNED, "submit"): (_D.SUBMITTED, LEADER),
    (_D.SUBMITTED, "accept"): (_D.ACCEPTED, UPPER),
    (_D.SUBMITTED, "return"): (_D.RETURNED, UPPER),
    (_D.ACCEPTED, "form_council"): (_D.COUNCIL, UPPER),
    (_D.COUNCIL, "record_meeting"): (_D.COUNCIL, UPPER),
    (_D.COUNCIL, "recognise"): (_D.RECOGNISED, UPPER),
    (_D.COUNCIL, "refuse"): (_D.REFUSED, UPPER),
}
IN_FORCE, REVOKED, EXPIRED = "in_force", "revoked", "expired"
DECISION: Table = {
    (IN_FORCE, "check"): (IN_FORCE, UPPER),
    (IN_FORCE, "revoke"): (REVOKED, UPPER),
}

# The words of the workflow are Vietnamese (msgids); `phrase`, `state_label` and `history`
# translate them for the reader.
VERBS = {
    "start": gettext_noop("bắt đầu"),
    "edit": gettext_noop("sửa"),
    "submit": gettext_noop("gửi"),
    "return": gettext_noop("trả lại"),
    "inspect": gettext_noop("kiểm tra"),
    "confirm": gettext_noop("xác nhận"),
    "create": gettext_noop("giao"),
    "close": gettext_noop("đóng"),
    "cancel": gettext_noop("hủy"),
    "open": gettext_noop("lập"),
    "accept": gettext_noop("tiếp nhận"),
    "form_council": gettext_noop("thành lập hội đồng thẩm định cho"),
    "record_meeting": gettext_noop("ghi kết quả họp hội đồng cho"),
    "recognise": gettext_noop("ra quyết định công nhận theo"),
    "refuse": gettext_noop("kết luận không công nhận theo"),
    "check": gettext_noop("kiểm tra duy trì theo"),
    "revoke": gettext_noop("thu hồi"),
}


@dataclass(frozen=True)
class Flow:
    """How one kind of object moves: its table, the words for it and its state labels."""

    table: Table
    noun: str
    states: dict[str, str]
    status_field: str | None = "status"
    phrases: tuple[tuple[str, str], ...] = ()

    def phrase(self, action: str) -> str:
        """What `action` does to this kind of object, in the reader's language."""
        phrase = dict(self.phrases).get(action)
        if phrase:
            return _(phrase)
        return f"{_(VERBS.get(action, action))} {_(self.noun)}"

    def actions(self) -> set[str]:
        return {action for _state, action in self.table}


def _labels(choices) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices.choices}


SELF_FLOW = Flow(
    SELF_ASSESSMENT,
    gettext_noop("bản tự đánh giá"),
    _labels(RoundAssessment.Status),
    phrases=(
        ("start", gettext_noop("bắt đầu tự đánh giá")),
        ("inspect", gettext_noop("bắt đầu kiểm tra")),
    ),
)
INSPECTION_FLOW = Flow(
    INSPECTION,
    gettext_noop("kết quả kiểm tra"),
    _labels(RoundAssessment.Status),
    phrases=(
        ("start", gettext_noop("bắt đầu kiểm tra")),
        ("edit", gettext_noop("ghi kết quả kiểm tra")),
    ),
)
ACTION_FLOW = Flow(
    CORRECTIVE_ACTION, gettext_noop("việc khắc phục"), _labels(CorrectiveAction.Status)
)
REGISTRATION_FLOW = Flow(
    REGISTRATION,
    gettext_noop("đăng ký xây dựng"),
    {"registered": gettext_noop("Đã đăng ký")},
    status_field=None,
    phrases=(("register", gettext_noop("đăng ký xây dựng đô thị văn minh")),),
)
SURVEY_FLOW = Flow(
    SURVEY,
    gettext_noop("kết quả lấy ý kiến"),
    {"recorded": gettext_noop("Đã ghi nhận")},
    status_field=None,
    phrases=(("record", gettext_noop("ghi kết quả lấy ý kiến sự hài lòng")),),
)
DOSSIER_FLOW = Flow(DOSSIER, gettext_noop("hồ sơ"), _labels(RecognitionDossier.Status))
DECISION_FLOW = Flow(
    DECISION,
    gettext_noop("quyết định công nhận"),
    {
        IN_FORCE: gettext_noop("Còn hiệu lực"),
        REVOKED: gettext_noop("Đã thu hồi"),
        EXPIRED: gettext_noop("Hết hiệu lực"),
    },
    status_field=None,
)


class TransitionRefused(Exception):
    """A move the workflow does not allow; the message is for the user, in Vietnamese."""


def flow_for(obj: models.Model) -> Flow:
    if isinstance(obj, RoundAssessment):
        return SELF_FLOW if obj.stage == RoundAssessment.Stage.SELF else INSPECTION_FLOW
    flows = {
        CorrectiveAction: ACTION_FLOW,
        Registration: REGISTRATION_FLOW,
        SatisfactionSurvey: SURVEY_FLOW,
        RecognitionDossier: DOSSIER_FLOW,
        RecognitionDecision: DECISION_FLOW,
    }
    return flows[type(obj)]


def state_of(obj: models.Model) -> str:
    if obj.pk is None:
        return NEW
    if isinstance(obj, RecognitionDecision):
        if obj.revoked_on:
            return REVOKED
        return EXPIRED if obj.valid_until < timezone.localdate() else IN_FORCE
    if isinstance(obj, Registration):
        return "registered"
    if isinstance(obj, SatisfactionSurvey):
        return "recorded"
    return obj.status


def state_label(obj: models.Model) -> str:
    label = flow_for(obj).states.get(state_of(obj))
    return _(label) if label else _("chưa có")


def unit_of(obj: models.Model):
    """The administrative unit whose memberships decide who may act on `obj`."""
    if isinstance(obj, CorrectiveAction):
        return obj.item.assessment.unit
    if isinstance(obj, SatisfactionSurvey | RecognitionDossier):
        return obj.registration.unit
    return obj.unit


def memberships(user) -> list:
    """The user's active memberships, read once per request and passed to `roles_on`."""
    return list(active_memberships(user))


def roles_on(user, unit, member_list: list | None = None) -> frozenset[str]:
    """Roles the user holds over `unit`: ward roles on the unit or above it, the inspector role on
    a unit above it (an inspector never inspects the unit they belong to), system admin anywhere."""
    if not getattr(user, "is_authenticated", False) or unit is None:
        return frozenset()
    found = set()
    for membership in memberships(user) if member_list is None else member_list:
        if membership.role == Role.SYSTEM_ADMIN:
            found.add(Role.SYSTEM_ADMIN)
            continue
        if not unit.path.startswith(membership.unit.path):
            continue
        if membership.role == Role.DISTRICT_INSPECTOR and membership.unit.path == unit.path:
            continue
        found.add(membership.role)
    if user.is_superuser:
        found.add(Role.SYSTEM_ADMIN)
    return frozenset(found)


def _role_names(roles: Iterable[str]) -> str:
    # The system administrator is named last: the business role is the one people look for.
    order = [*(role for role in Role.values if role != Role.SYSTEM_ADMIN), Role.SYSTEM_ADMIN]
    names = [str(Role(role).label) for role in sorted(roles, key=order.index)]
    return _(" hoặc ").join(names)


def check(actor, obj: models.Model, action: str, note: str = "", *, roles=None) -> str:
    """The state `action` leads to, or TransitionRefused saying why it is not allowed."""
    flow = flow_for(obj)
    if action not in flow.actions():
        raise TransitionRefused(_("Thao tác không hợp lệ."))
    if roles is None:
        roles = roles_on(actor, unit_of(obj))
    anywhere = frozenset().union(*(r for (_s, a), (_n, r) in flow.table.items() if a == action))
    if not roles & anywhere:
        raise TransitionRefused(
            _("Chỉ %(roles)s mới được %(what)s.")
            % {"roles": _role_names(anywhere), "what": flow.phrase(action)}
        )
    state = state_of(obj)
    move = flow.table.get((state, action))
    if move is None:
        raise TransitionRefused(
            _("Không thể %(what)s khi %(noun)s đang ở trạng thái “%(state)s”.")
            % {"what": flow.phrase(action), "noun": _(flow.noun), "state": state_label(obj)}
        )
    new_state, allowed = move
    if not roles & allowed:
        raise TransitionRefused(
            _("Chỉ %(roles)s mới được %(what)s.")
            % {"roles": _role_names(allowed), "what": flow.phrase(action)}
        )
    if action in NEEDS_NOTE and not (note or "").strip():
        raise TransitionRefused(_("Cần ghi rõ lý do khi %(what)s.") % {"what": flow.phrase(action)})
    return new_state


def allowed(obj: models.Model, roles: frozenset[str]) -> set[str]:
    """Actions `roles` may take on `obj` in its current state (for showing buttons and forms)."""
    flow = flow_for(obj)
    state = state_of(obj)
    return {a for (s, a), (_n, r) in flow.table.items() if s == state and roles & r}


def _refresh(obj: models.Model) -> None:
    """Re-read the state under a row lock, so two people cannot both make the same move."""
    if obj.pk is None:
        return
    fields = ["status"] if flow_for(obj).status_field else []
    if isinstance(obj, RecognitionDecision):
        fields = ["revoked_on"]
    if fields:
        fresh = (
            type(obj)
            .objects.select_for_update(of=("self",))
            .filter(pk=obj.pk)
            .values(*fields)
            .get()
        )
        for name, value in fresh.items():
            setattr(obj, name, value)


def plain(value: Any) -> Any:
    """A JSON-ready copy for audit snapshots."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def apply(
    actor,
    obj: models.Model,
    action: str,
    note: str = "",
    *,
    changes: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    channel: str = "web",
) -> Transition:
    """Check the move, set `changes` and the new state, save, and write a Transition and an audit
    event, all in one transaction. An unsaved `obj` is created (the moves from NEW)."""
    flow = flow_for(obj)
    with transaction.atomic():
        _refresh(obj)
        before = state_of(obj)
        new_state = check(actor, obj, action, note)
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        if flow.status_field:
            setattr(obj, flow.status_field, new_state)
        obj.save()
        transition = Transition.objects.create(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            action=action,
            from_state=before,
            to_state=new_state,
            actor=actor if getattr(actor, "pk", None) else None,
            note=note,
        )
        audit.record(
            actor,
            action,
            obj,
            before={"state": before} if before else None,
            after={"state": new_state, **plain(changes or {}), **plain(after or {})},
            channel=channel,
            note=note,
        )
    return transition


def history(objects: Iterable[models.Model]) -> list[Transition]:
    """Transition rows of these objects, oldest first, in one query, each with translated labels:
    `what` (the object), `verb`, `from_label` and `to_label`."""
    flows = {
        (obj._meta.label_lower, str(obj.pk)): flow_for(obj)
        for obj in objects
        if obj is not None and obj.pk
    }
    if not flows:
        return []
    condition = models.Q()
    for object_type, object_id in flows:
        condition |= models.Q(object_type=object_type, object_id=object_id)
    rows = list(Transition.objects.filter(condition).select_related("actor").order_by("at", "id"))
    for row in rows:
        flow = flows[(row.object_type, row.object_id)]
        row.what = _(flow.noun)
        row.verb = flow.phrase(row.action)
        row.from_label = _(flow.states.get(row.from_state, ""))
        row.to_label = _(flow.states.get(row.to_state, row.to_state))
    return rows
