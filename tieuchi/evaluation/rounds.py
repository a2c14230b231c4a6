"""Rounds of a plan: the ward's self-assessment, the inspection by the level above, and the
corrective actions for items that failed. Every write is one transaction with its audit record."""

import calendar
import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.accounts import audit
from tieuchi.catalog.models import CatalogNode
from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import (
    CorrectiveAction,
    EvaluationRun,
    ItemAssessment,
    NodeResult,
    RoundAssessment,
    Verdict,
)
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import EvaluationRound, PlanRow, PlanRowParty

Stage = RoundAssessment.Stage
Status = RoundAssessment.Status
LEAF_TYPES = (CatalogNode.NodeType.SUBCRITERION, CatalogNode.NodeType.INDICATOR)
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# An item is assessed when it concludes met or not met; "not enough data" is not a conclusion.
CONCLUSIVE = frozenset({Verdict.MET, Verdict.NOT_MET})


class ItemsRefused(TransitionRefused):
    """Some items could not be saved; `errors` maps item id → the reason, nothing was written."""

    def __init__(self, errors: dict[int, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


@dataclass(frozen=True)
class ItemChange:
    """What a form says about one item: the new verdict and remark, and the version it was read at."""

    item_id: int
    verdict: str
    remark: str
    version: str


def round_day(evaluation_round: EvaluationRound) -> dt.date:
    """The date a round judges: the last day of its scheduled month."""
    month = evaluation_round.scheduled_month
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def item_version(item: ItemAssessment) -> str:
    """A short fingerprint of what the form showed, so a stale form never overwrites."""
    return hashlib.sha1(f"{item.verdict}\x00{item.remark}".encode()).hexdigest()[:12]


def remark_missing(item: ItemAssessment) -> bool:
    """A verdict that departs from the computed one must say why."""
    return bool(
        item.computed_verdict and item.verdict != item.computed_verdict and not item.remark.strip()
    )


# ─────────────────────────────── reads ───────────────────────────────


def assessments_visible_to(user):
    return RoundAssessment.objects.filter(unit__in=visible_unit_ids(user))


def assessment_items(assessment: RoundAssessment) -> list[ItemAssessment]:
    """Items with their node and criterion, and how many corrective actions each has."""
    return list(
        assessment.items.select_related("node__parent")
        .annotate(action_count=Count("actions"))
        .order_by("node__position")
    )


def computed_results(run: EvaluationRun | None) -> dict[int, NodeResult]:
    """The engine's result per node id for the run an assessment started from."""
    if run is None:
        return {}
    return {
        row.node_id: row
        for row in NodeResult.objects.filter(run=run, node__node_type__in=LEAF_TYPES).only(
            "node_id", "verdict", "explanation"
        )
    }


def actions_visible_to(user, *, status: str = ""):
    actions = CorrectiveAction.objects.filter(
        item__assessment__unit__in=visible_unit_ids(user)
    ).select_related(
        "item__node",
        "item__assessment__round__plan",
        "item__assessment__unit",
        "responsible_organisation",
        "responsible_person",
    )
    if status:
        actions = actions.filter(status=status)
    return actions.order_by("due_on", "id")


def rounds_overview(user, plans) -> list[dict]:
    """Each round of the plans with, per unit, its self-assessment and inspection (two queries)."""
    rounds = list(
        EvaluationRound.objects.filter(plan__in=plans)
        .select_related("plan__unit", "plan__legal_document")
        .order_by("plan__period_start", "plan_id", "number")
    )
    found: dict[tuple[int, int], dict] = {}
    units: dict[int, dict] = {}
    assessments = (
        assessments_visible_to(user)
        .filter(round__in=rounds)
        .select_related("unit")
        .annotate(
            not_met=Count("items", filter=Q(items__verdict=Verdict.NOT_MET)),
            open_actions=Count("items__actions", filter=Q(items__actions__status="open")),
        )
    )
    for assessment in assessments:
        units.setdefault(assessment.round_id, {})[assessment.unit_id] = assessment.unit
        found.setdefault((assessment.round_id, assessment.unit_id), {})[assessment.stage] = (
            assessment
        )
    overview = []
    for evaluation_round in rounds:
        by_unit = {evaluation_round.plan.unit_id: evaluation_round.plan.unit}
        by_unit.update(units.get(evaluation_round.pk, {}))
        rows = [
            {
                "unit": unit,
                "self": None,
                "inspection": None,
                **found.get((evaluation_round.pk, unit.pk), {}),
            }
            for unit in sorted(by_unit.values(), key=lambda u: u.path)
        ]
        overview.append(
            {"round": evaluation_round, "day": round_day(evaluation_round), "rows": rows}
        )
    return overview


def default_responsible(item: ItemAssessment):
    """(organisation, person) responsible for an item by default: the plan row's first
    implementing organisation and its lead person."""
    plan = item.assessment.round.plan
    parties = PlanRowParty.objects.filter(
        role=PlanRowParty.Role.IMPLEMENTING, organisation__isnull=False
    ).select_related("organisation")
    row = (
        PlanRow.objects.filter(plan=plan, node=item.node)
        .select_related("lead_person")
        .prefetch_related(Prefetch("parties", queryset=parties.order_by("position")))
        .first()
    )
    if row is None:
        return None, None
    first = next(iter(row.parties.all()), None)
    return (first.organisation if first else None), row.lead_person


# ─────────────────────────────── self-assessment ───────────────────────────────


def _lock(assessment: RoundAssessment) -> RoundAssessment:
    """Re-read the assessment in place under a row lock (the caller's object stays current)."""
    assessment.refresh_from_db(from_queryset=RoundAssessment.objects.select_for_update())
    return assessment


def start_self_assessment(
    actor, evaluation_round: EvaluationRound, unit, *, channel: str = "web"
) -> RoundAssessment:
    """Evaluate the unit on the round's date and copy each sub-criterion's computed verdict."""
    plan = evaluation_round.plan
    if not unit.path.startswith(plan.unit.path):
        raise TransitionRefused(_("%(unit)s không thuộc kế hoạch của đợt này.") % {"unit": unit})
    assessment = RoundAssessment(
        round=evaluation_round,
        unit=unit,
        stage=Stage.SELF,
        created_by=actor if getattr(actor, "pk", None) else None,
        assessor_name=f"UBND {unit}",
    )
    workflow.check(actor, assessment, "start")
    with transaction.atomic():
        if RoundAssessment.objects.filter(round=evaluation_round, unit=unit, stage=Stage.SELF):
            raise TransitionRefused(
                _("%(round)s đã có bản tự đánh giá của %(unit)s.")
                % {"round": evaluation_round, "unit": unit}
            )
        run = evaluate_unit(
            unit,
            plan.catalog,
            round_day(evaluation_round),
            round=evaluation_round,
            actor=actor,
            trigger=EvaluationRun.Trigger.ROUND,
            channel=channel,
        )
        leaves = NodeResult.objects.filter(run=run, node__node_type__in=LEAF_TYPES)
        leaves = list(leaves.order_by("node__position"))
        workflow.apply(
            actor,
            assessment,
            "start",
            changes={"run": run},
            after={"as_of": run.as_of, "items": len(leaves)},
            channel=channel,
        )
        ItemAssessment.objects.bulk_create(
            ItemAssessment(
                assessment=assessment,
                node_id=r.node_id,
                computed_verdict=r.verdict,
                verdict=r.verdict,
            )
            for r in leaves
        )
    return assessment


def _change_error(item: ItemAssessment, change: ItemChange) -> str:
    """Why this change cannot be saved, or "" (the item then holds the new values)."""
    code = item.node.code
    if change.version != item_version(item):
        return _("Nội dung %(code)s vừa được người khác sửa; hãy tải lại trang rồi sửa lại.") % {
            "code": code
        }
    if change.verdict not in Verdict.values:
        return _("Kết luận của nội dung %(code)s không hợp lệ.") % {"code": code}
    item.verdict, item.remark = change.verdict, change.remark.strip()
    if remark_missing(item):
        return _(
            "Nội dung %(code)s: kết luận “%(verdict)s” khác kết quả tính tự động "
            "“%(computed)s”, cần ghi nhận xét giải thích."
        ) % {
            "code": code,
            "verdict": item.get_verdict_display(),
            "computed": item.get_computed_verdict_display(),
        }
    return ""


def update_items(
    actor, assessment: RoundAssessment, changes: list[ItemChange], *, channel: str = "web"
) -> list[ItemAssessment]:
    """Save new verdicts and remarks while the assessment is editable. All or nothing: a stale
    form, an unknown verdict or a departure from the computed verdict without a remark refuses
    the whole batch. One audit event per changed item."""
    with transaction.atomic():
        assessment = _lock(assessment)
        workflow.check(actor, assessment, "edit")
        items = assessment.items.select_related("node").in_bulk([c.item_id for c in changes])
        errors: dict[int, str] = {}
        changed = []
        for change in changes:
            item = items.get(change.item_id)
            if item is None:
                errors[change.item_id] = _("Nội dung không thuộc bản đánh giá này.")
                continue
            if item.verdict == change.verdict and item.remark == change.remark.strip():
                continue
            before = {"verdict": item.verdict, "remark": item.remark}
            error = _change_error(item, change)
            if error:
                errors[item.pk] = error
            else:
                changed.append((item, before))
        if errors:
            raise ItemsRefused(errors)
        for item, before in changed:
            item.save(update_fields=["verdict", "remark"])
            after = {"verdict": item.verdict, "remark": item.remark}
            audit.record(actor, "assess", item, before=before, after=after, channel=channel)
        if changed:
            assessment.save(update_fields=["updated_at"])
    return [item for item, _before in changed]


def _missing_remarks(assessment: RoundAssessment) -> list[str]:
    return [
        item.node.code for item in assessment.items.select_related("node") if remark_missing(item)
    ]


def submit_self_assessment(
    actor, assessment: RoundAssessment, note: str = "", *, channel: str = "web"
) -> RoundAssessment:
    """Send the self-assessment to the inspector."""
    with transaction.atomic():
        assessment = _lock(assessment)
        workflow.check(actor, assessment, "submit", note)
        missing = _missing_remarks(assessment)
        if missing:
            raise TransitionRefused(
                _("Cần nhận xét cho các nội dung có kết luận khác kết quả tính tự động: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        workflow.apply(actor, assessment, "submit", note, channel=channel)
    return assessment


def return_self_assessment(
    actor, assessment: RoundAssessment, note: str, *, channel: str = "web"
) -> RoundAssessment:
    """The inspector sends the self-assessment back, with the reason, before inspecting it."""
    with transaction.atomic():
        assessment = _lock(assessment)
        workflow.check(actor, assessment, "return", note)
        if _inspection_of(assessment) is not None:
            raise TransitionRefused(_("Đã bắt đầu kiểm tra nên không thể trả lại bản tự đánh giá."))
        workflow.apply(actor, assessment, "return", note, channel=channel)
    return assessment


# ─────────────────────────────── inspection ───────────────────────────────


def _inspection_of(assessment: RoundAssessment) -> RoundAssessment | None:
    return RoundAssessment.objects.filter(
        round_id=assessment.round_id, unit_id=assessment.unit_id, stage=Stage.INSPECTION
    ).first()


def _self_of(inspection: RoundAssessment) -> RoundAssessment:
    return RoundAssessment.objects.select_for_update().get(
        round_id=inspection.round_id, unit_id=inspection.unit_id, stage=Stage.SELF
    )


def start_inspection(
    actor, self_assessment: RoundAssessment, *, channel: str = "web"
) -> RoundAssessment:
    """The inspector opens the inspection of a submitted self-assessment, items prefilled from the
    ward's verdicts and remarks."""
    with transaction.atomic():
        self_assessment = _lock(self_assessment)
        inspection = RoundAssessment(
            round=self_assessment.round,
            unit=self_assessment.unit,
            stage=Stage.INSPECTION,
            run=self_assessment.run,
            created_by=actor if getattr(actor, "pk", None) else None,
            assessor_name=self_assessment.round.evaluator or getattr(actor, "display_name", ""),
        )
        workflow.check(actor, inspection, "start")
        workflow.check(actor, self_assessment, "inspect")
        if _inspection_of(self_assessment) is not None:
            raise TransitionRefused(
                _("%(round)s đã có kết quả kiểm tra của %(unit)s.")
                % {"round": self_assessment.round, "unit": self_assessment.unit}
            )
        items = list(self_assessment.items.all())
        workflow.apply(
            actor,
            inspection,
            "start",
            after={"self_assessment": self_assessment.pk, "items": len(items)},
            channel=channel,
        )
        ItemAssessment.objects.bulk_create(
            ItemAssessment(
                assessment=inspection,
                node_id=item.node_id,
                computed_verdict=item.computed_verdict,
                verdict=item.verdict,
                remark=item.remark,
            )
            for item in items
        )
    return inspection


def confirm_inspection(
    actor, inspection: RoundAssessment, note: str = "", *, channel: str = "web"
) -> RoundAssessment:
    """Confirm the inspection (every item met or not met, departures explained); the ward's
    self-assessment is confirmed with it."""
    with transaction.atomic():
        inspection = _lock(inspection)
        if inspection.stage != Stage.INSPECTION:
            raise TransitionRefused(_("Chỉ xác nhận được kết quả kiểm tra."))
        workflow.check(actor, inspection, "confirm", note)
        items = list(inspection.items.select_related("node"))
        open_items = [item.node.code for item in items if item.verdict not in CONCLUSIVE]
        if open_items:
            raise TransitionRefused(
                _(
                    "Chưa thể xác nhận: còn %(count)s nội dung chưa kết luận Đạt hoặc Chưa đạt "
                    "(%(codes)s)."
                )
                % {"count": len(open_items), "codes": ", ".join(open_items)}
            )
        missing = [item.node.code for item in items if remark_missing(item)]
        if missing:
            raise TransitionRefused(
                _("Cần nhận xét cho các nội dung có kết luận khác kết quả tính tự động: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        counts = {
            "met": sum(1 for item in items if item.verdict == Verdict.MET),
            "not_met": sum(1 for item in items if item.verdict == Verdict.NOT_MET),
        }
        workflow.apply(actor, inspection, "confirm", note, after=counts, channel=channel)
        workflow.apply(
            actor, _self_of(inspection), "confirm", note, after={"inspection": inspection.pk}
        )
    return inspection


# ─────────────────────────────── corrective actions ───────────────────────────────


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
