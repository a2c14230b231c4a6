"""The submission workflow services: `apply_transition` moves a unit's figures through
`workflow.TRANSITIONS` in one transaction (submit, return, approve, reopen)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.accounts import audit
from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog
from tieuchi.collection import workflow
from tieuchi.collection.entry.closed_reasons import window_problem
from tieuchi.collection.entry.figures import figure_problem, is_filled, observation_values
from tieuchi.collection.entry.history import entered_by
from tieuchi.collection.entry.measures import input_mode, measures_for, unit_title
from tieuchi.collection.entry.periods import parse_period
from tieuchi.collection.entry.permissions import access
from tieuchi.collection.models import (
    Observation,
    ReportingWindow,
    Submission,
    SubmissionEvent,
)
from tieuchi.collection.services import (
    set_observation_status,
)
from tieuchi.collection.signals import figures_changed
from tieuchi.orgs.models import AdminUnit


class WorkflowError(Exception):
    """A move that was refused; nothing was written. The message is in Vietnamese."""


class NotAllowed(WorkflowError):
    """The user holds no role that allows this move on this unit."""


class SelfApproval(WorkflowError):
    """The would-be approver entered or sent some of the figures."""


class MissingItems(WorkflowError):
    def __init__(self, items: list[tuple[str, str, str]]):
        self.items = items
        listed = "; ".join(f"{code} – {name[:80]} ({why})" for code, name, why in items)
        super().__init__(
            _("Chưa gửi được: còn %(n)s nội dung chưa nhập đủ: %(items)s.")
            % {"n": len(items), "items": listed}
        )


def apply_transition(
    actor,
    action: str,
    unit: AdminUnit,
    catalog: Catalog,
    period: str,
    *,
    reason: str = "",
    returned_measure_ids=(),
    channel: str = AuditEvent.Channel.WEB,
) -> Submission:
    """Move the unit's figures of `period` (submit, return, approve, reopen) in one transaction."""
    parse_period(period)
    reason = (reason or "").strip()
    rights = access(actor, unit)
    with transaction.atomic():
        submission, created = Submission.objects.select_for_update(of=("self",)).get_or_create(
            unit=unit, catalog=catalog, period=period
        )
        observations = list(
            Observation.objects.select_for_update(of=("self",))
            .filter(unit=unit, period=period, measure__node__catalog=catalog)
            .select_related("measure")
        )
        if created and _all_approved(unit, catalog, observations):
            submission.status = Submission.Status.APPROVED  # figures approved before the workflow
        try:
            move = workflow.transition(action, submission.status)
        except workflow.TransitionRefused as error:
            raise WorkflowError(str(error)) from error
        if not rights.may(move.who):
            raise NotAllowed(_not_allowed(move, unit))
        if move.needs_reason and not reason:
            raise WorkflowError(_("Cần ghi lý do khi %(what)s.") % {"what": _(move.label).lower()})
        if action == "submit":
            window = ReportingWindow.objects.filter(catalog=catalog, period=period).first()
            if problem := window_problem(window, unit, period):
                raise WorkflowError(problem)
            _check_complete(unit, catalog, observations)
        if action == "approve":
            _check_not_own(actor, submission, observations)
        before = submission.status
        _move_figures(actor, action, observations, returned_measure_ids, reason, channel)
        now = timezone.now()
        submission.status = move.target
        if action == "submit":
            submission.submitted_by, submission.submitted_at = _user(actor), now
        else:
            submission.reviewed_by, submission.reviewed_at = _user(actor), now
        submission.note = reason
        submission.version += 1
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission,
            action=action,
            from_state=before,
            to_state=move.target,
            actor=_user(actor),
            note=reason,
        )
        audit.record(
            actor,
            f"submission.{action}",
            submission,
            before={"status": before, "version": submission.version - 1},
            after={"status": move.target, "version": submission.version},
            channel=channel,
            note=reason,
        )
        transaction.on_commit(
            lambda: figures_changed.send(sender=Observation, unit=unit, catalog=catalog)
        )
    return submission


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _not_allowed(move: workflow.Transition, unit: AdminUnit) -> str:
    values = {"unit": unit_title(unit), "what": _(move.label).lower()}
    if move.who == workflow.EDITOR:
        return _("Bạn không có quyền nhập và gửi số liệu của %(unit)s.") % values
    if move.who == workflow.APPROVER:
        return (
            _(
                "Bạn không có quyền duyệt hoặc mở khóa số liệu của %(unit)s: cần vai trò phù hợp "
                "ở đơn vị cấp trên (%(what)s)."
            )
            % values
        )
    return (
        _(
            "Bạn không có quyền kiểm tra, trả lại số liệu của %(unit)s: cần vai trò phù hợp "
            "ở đơn vị cấp trên (%(what)s)."
        )
        % values
    )


def _all_approved(unit, catalog, observations) -> bool:
    by_measure = {o.measure_id: o for o in observations}
    required = [m for m in measures_for(unit, catalog) if input_mode(m) != "title"]
    return bool(required) and all(
        m.pk in by_measure and by_measure[m.pk].status == Observation.Status.APPROVED
        for m in required
    )


def _check_complete(unit, catalog, observations) -> None:
    """Validation again at submission: every required item filled and consistent."""
    by_measure = {o.measure_id: o for o in observations}
    items = []
    for measure in measures_for(unit, catalog):
        mode = input_mode(measure)
        if mode == "title":
            continue
        observation = by_measure.get(measure.pk)
        if not is_filled(mode, observation):
            items.append((measure.code, measure.name, _("chưa nhập")))
            continue
        problem = figure_problem(mode, measure, observation_values(mode, observation))
        if problem:
            items.append((measure.code, measure.name, problem[1].rstrip(".")))
    if items:
        raise MissingItems(items)


def _check_not_own(actor, submission, observations) -> None:
    """The approver never entered any of the figures, nor sent them."""
    if getattr(actor, "pk", None) in entered_by(submission, observations):
        raise SelfApproval(
            _(
                "Người duyệt không được là người đã nhập hoặc gửi số liệu này; "
                "cần một người khác có quyền duyệt."
            )
        )


def _move_figures(actor, action, observations, returned_ids, reason, channel) -> None:
    returned_ids = {int(pk) for pk in returned_ids or ()}
    target = workflow.FIGURE_STATUS[action]
    if action == "submit":
        chosen = [o for o in observations if o.status in (workflow.DRAFT, workflow.RETURNED)]
        set_observation_status(actor, chosen, target, action="submit", channel=channel)
        return
    if action == "return":
        open_ = [o for o in observations if o.status != workflow.APPROVED]
        flagged = [o for o in open_ if o.measure_id in returned_ids]
        others = [o for o in open_ if o.measure_id not in returned_ids]
        set_observation_status(
            actor, flagged, workflow.RETURNED, action="return", channel=channel, note=reason
        )
        set_observation_status(
            actor, others, workflow.DRAFT, action="return", channel=channel, note=reason
        )
        return
    set_observation_status(actor, observations, target, action=action, channel=channel, note=reason)


# --- completeness ---------------------------------------------------------------------------------
