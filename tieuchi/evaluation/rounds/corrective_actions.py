"""Corrective actions for the items a confirmed inspection found not met: assigning one with a
new deadline and its owners, and closing or cancelling it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import CorrectiveAction, ItemAssessment, Verdict
from tieuchi.evaluation.rounds.queries import default_responsible
from tieuchi.evaluation.rounds.rules import Stage, Status, round_day
from tieuchi.evaluation.workflow import TransitionRefused


def _check_action(action: CorrectiveAction, organisation, person) -> None:
    """A corrective action fixes a not-met item of a confirmed inspection, by a later date, with
    owners from the unit itself."""
    item = action.item
    assessment = item.assessment
    if assessment.stage != Stage.INSPECTION or assessment.status != Status.CONFIRMED:
        raise TransitionRefused(
            _("Chỉ giao việc khắc phục sau khi kết quả kiểm tra đã được xác nhận.")
        )
    if item.verdict != Verdict.NOT_MET:
        raise TransitionRefused(
            _("Nội dung %(code)s không phải nội dung chưa đạt.") % {"code": item.node.code}
        )
    if not action.description:
        raise TransitionRefused(_("Cần ghi nội dung cần khắc phục."))
    day = round_day(assessment.round)
    if action.due_on <= day:
        raise TransitionRefused(
            _("Hạn khắc phục phải sau ngày của đợt đánh giá (%(day)s).")
            % {"day": day.strftime("%d/%m/%Y")}
        )
    for owner in (organisation, getattr(person, "organisation", None)):
        if owner is not None and not owner.admin_unit.path.startswith(assessment.unit.path):
            raise TransitionRefused(
                _("%(owner)s không thuộc %(unit)s.") % {"owner": owner, "unit": assessment.unit}
            )


def add_corrective_action(
    actor,
    item: ItemAssessment,
    *,
    description: str,
    due_on: dt.date,
    organisation=None,
    person=None,
    channel: str = "web",
) -> CorrectiveAction:
    """A not-met item of a confirmed inspection gets a corrective action with a new deadline;
    without a named owner, the plan row's implementing organisation and lead person."""
    item = ItemAssessment.objects.select_related(
        "node", "assessment__round__plan", "assessment__unit"
    ).get(pk=item.pk)
    action = CorrectiveAction(item=item, description=description.strip(), due_on=due_on)
    workflow.check(actor, action, "create")
    _check_action(action, organisation, person)
    if organisation is None and person is None:
        organisation, person = default_responsible(item)
    workflow.apply(
        actor,
        action,
        "create",
        changes={"responsible_organisation": organisation, "responsible_person": person},
        after={"item": item.node.code, "due_on": due_on, "description": action.description},
        channel=channel,
    )
    return action


def close_corrective_action(
    actor,
    action: CorrectiveAction,
    note: str = "",
    *,
    closed_on: dt.date | None = None,
    cancel: bool = False,
    channel: str = "web",
) -> CorrectiveAction:
    """Record that the fault was fixed (or, for the inspector, that the action is cancelled)."""
    move = "cancel" if cancel else "close"
    with transaction.atomic():
        workflow.apply(
            actor,
            action,
            move,
            note,
            changes={"closed_on": closed_on or timezone.localdate(), "closing_note": note.strip()},
            channel=channel,
        )
    return action
