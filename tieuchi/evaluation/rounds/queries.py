"""Scoped reads for the round pages: assessments and corrective actions the user may see, the
rounds overview, an assessment's items with their computed results, and default owners."""

from django.db.models import Count, Prefetch, Q

from tieuchi.evaluation.models import (
    CorrectiveAction,
    EvaluationRun,
    ItemAssessment,
    NodeResult,
    RoundAssessment,
    Verdict,
)
from tieuchi.evaluation.rounds.rules import LEAF_TYPES, round_day
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import EvaluationRound, PlanRow, PlanRowParty


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
