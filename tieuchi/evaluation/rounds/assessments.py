"""The ward's self-assessment and the inspection by the level above: starting each from a fresh
evaluation, saving item verdicts, and submitting, returning or confirming. One transaction each."""

from django.db import transaction
from django.utils.translation import gettext as _

from tieuchi.accounts import audit
from tieuchi.evaluation import workflow
from tieuchi.evaluation.models import (
    EvaluationRun,
    ItemAssessment,
    NodeResult,
    RoundAssessment,
    Verdict,
)
from tieuchi.evaluation.rounds.rules import (
    CONCLUSIVE,
    LEAF_TYPES,
    ItemChange,
    ItemsRefused,
    Stage,
    item_version,
    remark_missing,
    round_day,
)
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.plans.models import EvaluationRound

# ─────────────────────────────── self-assessment ───────────────────────────────


def _lock(assessment: RoundAssessment) -> RoundAssessment:
    """Re-read the assessment in place under a row lock (the caller's object stays current)."""
    assessment.refresh_from_db(
        from_queryset=RoundAssessment.objects.select_for_update(of=("self",))
    )
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
    return RoundAssessment.objects.select_for_update(of=("self",)).get(
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
