"""Scoped reads of one unit's results: the runs a user may see, the unit's current run, and its
scorecard (verdict tree, evidence counts, plan rows).

Every page starts from `runs_visible_to` or a unit already checked against `visible_unit_ids`, and
reads a fixed number of queries whatever the number of runs or plan rows.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog, Layer
from tieuchi.collection.models import Evidence
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.verdict_display import VerdictView, figure_text, layer_label, verdict_view
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import EvaluationRound, Plan, PlanRow, PlanRowParty
from tieuchi.plans.queries import plan_rows


def cached_visible_unit_ids(user):
    """visible_unit_ids, worked out once per user object (one page asks several times)."""
    ids = getattr(user, "_evaluation_visible_ids", None)
    if ids is None:
        ids = visible_unit_ids(user)
        user._evaluation_visible_ids = ids
    return ids


def runs_visible_to(user):
    """Evaluation runs of the units the user may see."""
    return EvaluationRun.objects.filter(unit__in=cached_visible_unit_ids(user))


def current_run(unit, catalog=None, round=None, as_of=None):
    """The unit's newest current run (of any version of `catalog`, any catalog when None).

    `round` keeps to that round's run; `as_of` to runs computed as of that day or before.
    The inputs snapshot is not loaded: pages never show it.
    """
    runs = EvaluationRun.objects.filter(unit=unit, is_current=True)
    if catalog is not None:
        runs = runs.filter(catalog__key=catalog.key)
    if round is not None:
        runs = runs.filter(round=round)
    if as_of is not None:
        runs = runs.filter(as_of__lte=as_of)
    return (
        runs.select_related("unit", "catalog__legal_document", "round", "triggered_by")
        .defer("inputs")
        .order_by("-as_of", "-computed_at", "-pk")
        .first()
    )


def default_catalog(unit_type: str | None = None) -> Catalog | None:
    """When nothing has been evaluated yet: the first criteria set (for that type of unit)."""
    catalogs = Catalog.objects.filter(kind=Catalog.Kind.CRITERIA_SET).select_related(
        "legal_document"
    )
    for catalog in catalogs.order_by("key", "-version"):
        if unit_type is None or unit_type in (catalog.applies_to_unit_types or [unit_type]):
            return catalog
    return None


def round_day(evaluation_round: EvaluationRound) -> dt.date:
    """A round is judged as of the last day of its scheduled month."""
    return evaluation_round.judged_on


# --- the scorecard of one unit --------------------------------------------------------------------


@dataclass
class MeasureLine:
    code: str
    name: str
    verdict: VerdictView
    fraction: str
    percent: str
    reported: str  # "19/20 đơn vị đã báo cáo" when some units are missing
    layers: list[tuple[str, VerdictView]]  # shown side by side: national vs the ward's target
    explanation: str = ""


@dataclass
class Item:
    code: str
    name: str
    verdict: VerdictView
    explanation: str
    measures: list[MeasureLine]
    evidence_count: int
    row: PlanRow | None

    @property
    def leader(self) -> str:
        if self.row is None:
            return ""
        person = self.row.lead_person
        return person.short_name if person else self.row.leader_text

    @property
    def leader_title(self) -> str:
        person = self.row.lead_person if self.row else None
        return (person.title_short or person.title) if person else ""

    def parties(self, role: str) -> list[str]:
        if self.row is None:
            return []
        return [party.display_name for party in self.row.parties.all() if party.role == role]

    @property
    def implementing(self) -> list[str]:
        return self.parties(PlanRowParty.Role.IMPLEMENTING)


@dataclass
class Criterion:
    code: str
    name: str
    verdict: VerdictView
    explanation: str
    met_count: int
    total_count: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Scorecard:
    run: EvaluationRun
    verdict: VerdictView
    explanation: str
    met_count: int
    total_count: int
    conditions: list[tuple[str, VerdictView, str]]
    criteria: list[Criterion]

    @property
    def items(self) -> list[Item]:
        return [item for criterion in self.criteria for item in criterion.items]


def evidence_counts(unit: AdminUnit, catalog_key: str, as_of: dt.date) -> dict[str, int]:
    """Evidence files per node code for the unit and the units below it, up to `as_of`."""
    code = Coalesce(F("node__code"), F("observation__measure__node__code"))
    rows = (
        Evidence.objects.filter(unit__path__startswith=unit.path)
        .filter(
            Q(node__catalog__key=catalog_key)
            | Q(observation__measure__node__catalog__key=catalog_key)
        )
        .filter(Q(observation__isnull=True) | Q(observation__period_start__lte=as_of))
        .filter(Q(captured_on__isnull=True) | Q(captured_on__lte=as_of))
        .annotate(code=code)
        .values("code")
        .annotate(n=Count("pk"))
    )
    return {row["code"]: row["n"] for row in rows}


def _measure_line(data: dict) -> MeasureLine:
    fraction, percent = figure_text(data.get("figures") or {})
    figures = data.get("figures") or {}
    reported = ""
    if figures.get("partial"):
        reported = _("%(n)s/%(total)s đơn vị đã báo cáo") % {
            "n": figures.get("reported_units", 0),
            "total": figures.get("expected_units", 0),
        }
    # PostgreSQL's jsonb does not keep key order: show layers from national to local, always.
    order = [Layer.NATIONAL, Layer.PROGRAMME, Layer.CITY, Layer.DISTRICT, Layer.WARD]
    stored = data.get("layer_verdicts") or {}
    layers = dict(
        sorted(stored.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
    )
    shown = len(layers) > 1 or (layers and next(iter(layers)) != Layer.NATIONAL)
    return MeasureLine(
        code=data["code"],
        name=data.get("name", ""),
        verdict=verdict_view(data["verdict"]),
        fraction=fraction,
        percent=percent,
        reported=reported,
        layers=[(layer_label(k), verdict_view(v)) for k, v in layers.items()] if shown else [],
        explanation=data.get("explanation", ""),
    )


def scorecard(run: EvaluationRun, plan: Plan | None) -> Scorecard:
    """The run's verdict tree with, per sub-criterion, its evidence count and its plan row."""
    data = run.result
    rows = {row.criterion_code: row for row in plan_rows(plan)} if plan else {}
    evidence = evidence_counts(run.unit, run.catalog.key, run.as_of)
    criteria = []
    for node in data.get("children", []):
        figures = node.get("figures") or {}
        criterion = Criterion(
            code=node["code"],
            name=node["name"],
            verdict=verdict_view(node["verdict"]),
            explanation=node.get("explanation", ""),
            met_count=figures.get("met_count", 0),
            total_count=figures.get("total_count", 0),
        )
        for child in node.get("children", []):
            criterion.items.append(
                Item(
                    code=child["code"],
                    name=child["name"],
                    verdict=verdict_view(child["verdict"]),
                    explanation=child.get("explanation", ""),
                    measures=[_measure_line(m) for m in child.get("measures", [])],
                    evidence_count=evidence.get(child["code"], 0),
                    row=rows.get(child["code"]),
                )
            )
        criteria.append(criterion)
    figures = data.get("figures") or {}
    return Scorecard(
        run=run,
        verdict=verdict_view(data.get("verdict", run.verdict)),
        explanation=data.get("explanation", ""),
        met_count=figures.get("met_count", run.met_count),
        total_count=figures.get("total_count", run.total_count),
        conditions=[
            (c["name"], verdict_view(c["verdict"]), c.get("explanation", ""))
            for c in data.get("conditions", [])
        ],
        criteria=criteria,
    )
