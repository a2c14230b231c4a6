"""Scoped reads for the matrix: the units below a district × the catalog's criteria, each unit
with its newest current run, ranked; and the default parent unit, catalog and day of the page.

Reads a fixed number of queries whatever the number of wards, runs or criteria.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.evaluation.models import EvaluationRun, NodeResult, Verdict
from tieuchi.evaluation.queries_scorecard import cached_visible_unit_ids
from tieuchi.evaluation.verdict_display import VerdictView, verdict_view
from tieuchi.orgs.models import AdminUnit, UnitLevel
from tieuchi.orgs.scope import home_unit


@dataclass(frozen=True)
class Cell:
    code: str
    verdict: VerdictView
    met_count: int
    total_count: int


@dataclass
class MatrixRow:
    unit: AdminUnit
    run: EvaluationRun | None
    cells: list[tuple[CatalogNode, Cell | None]]  # one per criterion, in the catalog's order
    rank: int = 0

    @property
    def met_count(self) -> int:
        return sum(1 for _node, cell in self.cells if cell and cell.verdict.code == Verdict.MET)


@dataclass
class Matrix:
    parent: AdminUnit
    catalog: Catalog
    as_of: dt.date
    columns: list[CatalogNode]
    rows: list[MatrixRow]

    @property
    def totals(self) -> list[tuple[CatalogNode, int]]:
        """How many units meet each criterion."""
        met = [
            sum(1 for row in self.rows if (cell := row.cells[i][1]) and cell.verdict.code == "met")
            for i in range(len(self.columns))
        ]
        return list(zip(self.columns, met, strict=True))

    def ranked(self) -> list[MatrixRow]:
        """Most criteria met first; ties keep the official order; units without results last."""
        return sorted(self.rows, key=lambda row: (row.run is None, row.rank))


def matrix_parent(user, pk: int) -> AdminUnit | None:
    """The unit whose children form the matrix, if the user may see it or any unit below it."""
    unit = AdminUnit.objects.filter(pk=pk).first()
    if unit is None:
        return None
    visible = AdminUnit.objects.filter(
        pk__in=cached_visible_unit_ids(user), path__startswith=unit.path
    )
    return unit if visible.exists() else None


def default_matrix_parent(user) -> AdminUnit | None:
    """The user's own district: below a province with one district, above a ward or a TDP."""
    unit = home_unit(user)
    if unit is None:
        return None
    if unit.level in (UnitLevel.COMMUNE, UnitLevel.RESIDENTIAL_GROUP):
        above = AdminUnit.objects.filter(pk__in=unit.ancestor_ids, level=UnitLevel.DISTRICT)
        return above.order_by("-path").first() or unit
    while True:
        children = list(unit.children.order_by("official_code")[:2])
        if len(children) != 1:
            return unit
        unit = children[0]


def _children(user, parent: AdminUnit):
    return AdminUnit.objects.filter(parent=parent, pk__in=cached_visible_unit_ids(user))


def newest_child_run(user, parent: AdminUnit, catalog: Catalog | None) -> EvaluationRun | None:
    """The newest current run of a visible child of `parent`: its catalog and day are the defaults."""
    runs = EvaluationRun.objects.filter(unit__in=_children(user, parent), is_current=True)
    if catalog is not None:
        runs = runs.filter(catalog__key=catalog.key)
    runs = runs.select_related("catalog").only("pk", "as_of", "catalog__key")
    return runs.order_by("-as_of", "-computed_at", "-pk").first()


def matrix(user, parent_unit: AdminUnit, catalog: Catalog, as_of: dt.date) -> Matrix:
    """The visible children of `parent_unit` valid on `as_of` × the catalog's criteria.

    Each child shows its newest current run as of that day. Four queries (plus the scope check)
    for any number of children, runs and criteria.
    """
    newest = (
        EvaluationRun.objects.filter(
            unit=OuterRef("pk"), catalog__key=catalog.key, is_current=True, as_of__lte=as_of
        )
        .order_by("-as_of", "-computed_at", "-pk")
        .values("pk")[:1]
    )
    units = list(
        _children(user, parent_unit)
        .valid_on(as_of)
        .annotate(run_id=Subquery(newest))
        .order_by("official_code", "pk")
    )
    run_ids = [unit.run_id for unit in units if unit.run_id]
    runs = {
        run.pk: run
        for run in EvaluationRun.objects.filter(pk__in=run_ids)
        .select_related("round")
        .only("pk", "as_of", "verdict", "met_count", "total_count", "round__name", "unit_id")
    }
    columns = list(
        CatalogNode.objects.filter(catalog=catalog, parent__isnull=True).order_by("position")
    )
    cells: dict[tuple[int, str], Cell] = {}
    for result in NodeResult.objects.filter(run_id__in=run_ids, depth=0).values(
        "run_id", "code", "verdict", "met_count", "total_count"
    ):
        cells[result["run_id"], result["code"]] = Cell(
            code=result["code"],
            verdict=verdict_view(result["verdict"]),
            met_count=result["met_count"],
            total_count=result["total_count"],
        )
    rows = [
        MatrixRow(
            unit=unit,
            run=runs.get(unit.run_id),
            cells=[(column, cells.get((unit.run_id, column.code))) for column in columns],
        )
        for unit in units
    ]
    _rank(rows)
    return Matrix(parent=parent_unit, catalog=catalog, as_of=as_of, columns=columns, rows=rows)


def _rank(rows: list[MatrixRow]) -> None:
    """Competition ranking by criteria met (1, 2, 2, 4); units without a result come last."""
    ordered = sorted(rows, key=lambda row: (row.run is None, -row.met_count))
    for position, row in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous and previous.met_count == row.met_count and previous.run and row.run
        row.rank = previous.rank if same else position
