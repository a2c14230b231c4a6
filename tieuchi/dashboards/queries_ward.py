"""What the ward dashboard shows, read from stored results: the criteria of the newest run, what
changed since the run before, the share of sub-criteria met run by run, the ward's overdue tasks
and the units below it that have not reported for the period.

The unit must already be checked against the user's scope. A fixed number of queries whatever the
number of runs, tasks or units below the ward.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.collection.entry import Completeness, completeness
from tieuchi.evaluation.models import EvaluationRun, NodeResult, Verdict
from tieuchi.evaluation.queries_scorecard import current_run
from tieuchi.evaluation.verdict_display import VerdictView, verdict_view
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Task, TaskStatus
from tieuchi.plans.tasks_service import with_progress

# The chart and the table under it show this many runs, newest last.
HISTORY_LENGTH = 12
# The dashboard lists the first overdue tasks; the plan's overdue page lists them all.
OVERDUE_SHOWN = 10
LEAF_TYPES = (CatalogNode.NodeType.SUBCRITERION, CatalogNode.NodeType.INDICATOR)


@dataclass(frozen=True)
class CriterionStatus:
    code: str
    name: str
    verdict: VerdictView
    met_count: int
    total_count: int


@dataclass(frozen=True)
class Change:
    """A sub-criterion whose verdict differs between the run before and the newest run."""

    code: str
    name: str
    before: VerdictView | None  # None: the sub-criterion was not in the run before
    after: VerdictView


@dataclass
class RunShare:
    """Sub-criteria met in one run: a bar of the chart and a row of the table under it."""

    run: EvaluationRun
    met: int
    no_data: int
    total: int

    @property
    def label(self) -> str:
        return self.run.round.name if self.run.round_id else f"{self.run.as_of:%d/%m/%Y}"

    @property
    def percent(self) -> float:
        return round(self.met * 100 / self.total, 1) if self.total else 0.0


@dataclass
class WardDashboard:
    unit: AdminUnit
    today: dt.date
    run: EvaluationRun | None = None
    previous: EvaluationRun | None = None
    criteria: list[CriterionStatus] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    history: list[RunShare] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    reporting: Completeness | None = None

    @property
    def met_criteria(self) -> int:
        return sum(1 for c in self.criteria if c.verdict.code == Verdict.MET)

    @property
    def overdue_shown(self) -> list[Task]:
        return self.overdue[:OVERDUE_SHOWN]

    @property
    def missing(self) -> list:
        return self.reporting.missing if self.reporting else []

    def chart(self) -> dict:
        """The data charts.js draws: one bar per run, the share of sub-criteria met (%)."""
        return {
            "type": "bar",
            "labels": [share.label for share in self.history],
            "values": [share.percent for share in self.history],
            "unit": "%",
            "max": 100,
        }


def ward_dashboard(unit: AdminUnit, catalog: Catalog | None, today: dt.date) -> WardDashboard:
    """Everything on the ward dashboard for `unit`, as known from its stored runs."""
    board = WardDashboard(unit=unit, today=today)
    board.run = current_run(unit, catalog)
    board.overdue = overdue_tasks(unit, today)
    if board.run is None:
        return board
    runs = run_history(unit, board.run.catalog.key)
    board.history = shares(runs)
    board.criteria = criteria_status(board.run)
    older = [run for run in runs if run.pk != board.run.pk]
    board.previous = older[-1] if older else None
    if board.previous is not None:
        board.changes = changes(board.previous, board.run)
    board.reporting = completeness(unit, board.run.catalog, board.run.period, today=today)
    return board


def run_history(unit: AdminUnit, catalog_key: str) -> list[EvaluationRun]:
    """The unit's current runs of the catalog, oldest first (the newest HISTORY_LENGTH)."""
    runs = (
        EvaluationRun.objects.filter(unit=unit, catalog__key=catalog_key, is_current=True)
        .select_related("round")
        .only("pk", "as_of", "computed_at", "met_count", "total_count", "round__name", "unit_id")
        .order_by("-as_of", "-computed_at", "-pk")[:HISTORY_LENGTH]
    )
    return list(reversed(runs))


def shares(runs: list[EvaluationRun]) -> list[RunShare]:
    """Sub-criteria met, lacking data and in all, per run: one grouped query."""
    counts = {
        row["run_id"]: row
        for row in NodeResult.objects.filter(
            run_id__in=[run.pk for run in runs], node__node_type__in=LEAF_TYPES
        )
        .values("run_id")
        .annotate(
            met=Count("pk", filter=Q(verdict=Verdict.MET)),
            no_data=Count("pk", filter=Q(verdict=Verdict.NO_DATA)),
            total=Count("pk"),
        )
    }
    empty = {"met": 0, "no_data": 0, "total": 0}
    return [
        RunShare(
            run=run,
            met=counts.get(run.pk, empty)["met"],
            no_data=counts.get(run.pk, empty)["no_data"],
            total=counts.get(run.pk, empty)["total"],
        )
        for run in runs
    ]


def criteria_status(run: EvaluationRun) -> list[CriterionStatus]:
    """The top-level criteria of the run with their verdict and sub-criteria met, in order."""
    results = (
        NodeResult.objects.filter(run=run, depth=0)
        .select_related("node")
        .only("code", "verdict", "met_count", "total_count", "node__name", "node__position")
        .order_by("node__position")
    )
    return [
        CriterionStatus(
            code=result.code,
            name=result.node.name,
            verdict=verdict_view(result.verdict),
            met_count=result.met_count,
            total_count=result.total_count,
        )
        for result in results
    ]


def changes(before: EvaluationRun, after: EvaluationRun) -> list[Change]:
    """Sub-criteria whose verdict moved between the two runs, in the catalog's order."""
    verdicts: dict[int, dict[str, str]] = {before.pk: {}, after.pk: {}}
    names: dict[str, tuple[int, str]] = {}
    rows = (
        NodeResult.objects.filter(run_id__in=[before.pk, after.pk], node__node_type__in=LEAF_TYPES)
        .values_list("run_id", "code", "verdict", "node__name", "node__position")
        .order_by("node__position")
    )
    for run_id, code, verdict, name, position in rows:
        verdicts[run_id][code] = verdict
        names[code] = (position, name)
    moved = []
    for code, verdict in verdicts[after.pk].items():
        old = verdicts[before.pk].get(code)
        if old != verdict:
            moved.append(
                Change(
                    code=code,
                    name=names[code][1],
                    before=verdict_view(old) if old else None,
                    after=verdict_view(verdict),
                )
            )
    return sorted(moved, key=lambda change: names[change.code][0])


def overdue_tasks(unit: AdminUnit, today: dt.date) -> list[Task]:
    """The tasks of the unit's plans with an open due date before `today`, the oldest first.

    The same rule as the plan's overdue page (`tasks_service.current_status`): not done, and the
    first occurrence that is not done is past due.
    """
    tasks = (
        with_progress(Task.objects.filter(row__plan__unit=unit), today)
        .filter(first_open__lt=today)
        .exclude(status=TaskStatus.DONE)
        .select_related("row", "organisation", "person")
        .order_by("first_open", "row__position", "pk")
    )
    return list(tasks)
