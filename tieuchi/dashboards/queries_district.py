"""What the district (or city) dashboard shows: the wards × criteria heat map and the ranking.

A district shows its wards valid on the day, like the evaluation matrix (`queries_matrix.matrix`,
whose rows and cells it reuses and equals, see the tests). A city (a province) shows its wards
valid on the day: grouped by district while districts exist, directly once the district level is
gone (from 01/07/2025). One code path reads both in a fixed number of queries whatever the number
of wards, and looks each verdict's labels up once per page, not once per cell.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.dashboards.queries_ward import LEAF_TYPES
from tieuchi.evaluation.models import EvaluationRun, NodeResult, Verdict
from tieuchi.evaluation.queries_matrix import Cell, MatrixRow
from tieuchi.evaluation.queries_scorecard import cached_visible_unit_ids
from tieuchi.evaluation.verdict_display import verdict_view
from tieuchi.orgs.models import AdminUnit, UnitLevel


@dataclass
class WardLine:
    """One ward: its heat-map row (criteria) and its sub-criteria counts for the ranking."""

    row: MatrixRow
    items_met: int = 0
    items_no_data: int = 0
    items_total: int = 0
    rank: int = 0
    scorecard_url: str = ""  # set by the view: the page's links, worked out once per ward
    dashboard_url: str = ""

    @property
    def unit(self) -> AdminUnit:
        return self.row.unit

    @property
    def run(self) -> EvaluationRun | None:
        return self.row.run

    @property
    def met_count(self) -> int:
        return self.row.met_count

    @property
    def items_percent(self) -> float | None:
        return round(self.items_met * 100 / self.items_total, 1) if self.items_total else None


@dataclass
class Group:
    district: AdminUnit | None  # None: the wards sit directly under the parent
    lines: list[WardLine] = field(default_factory=list)


@dataclass
class DistrictDashboard:
    parent: AdminUnit
    catalog: Catalog
    as_of: dt.date
    columns: list[CatalogNode]
    groups: list[Group]

    @property
    def lines(self) -> list[WardLine]:
        return [line for group in self.groups for line in group.lines]

    @property
    def grouped(self) -> bool:
        return any(group.district is not None for group in self.groups)

    @property
    def totals(self) -> list[tuple[CatalogNode, int]]:
        """How many wards meet each criterion."""
        met = [0] * len(self.columns)
        for line in self.lines:
            for index, (_column, cell) in enumerate(line.row.cells):
                met[index] += bool(cell and cell.verdict.code == Verdict.MET)
        return list(zip(self.columns, met, strict=True))

    def ranking(self) -> list[WardLine]:
        """Best first: criteria met, then sub-criteria met; ties in official order; no result last."""
        return sorted(
            self.lines,
            key=lambda line: (line.run is None, line.rank, line.unit.official_code),
        )

    def chart(self) -> dict:
        """The data charts.js draws: how many wards meet each criterion."""
        return {
            "type": "bar",
            "labels": [column.code for column in self.columns],
            "titles": [column.short_name or column.name for column in self.columns],
            "values": [met for _column, met in self.totals],
            "max": len(self.lines),
            "unit": "",
        }


def is_city(unit: AdminUnit) -> bool:
    return unit.level == UnitLevel.PROVINCE


def newest_ward_run(user, parent: AdminUnit, catalog: Catalog | None) -> EvaluationRun | None:
    """The newest current run of a visible ward below `parent`: the page's default catalog and day."""
    runs = EvaluationRun.objects.filter(
        unit__in=cached_visible_unit_ids(user),
        unit__path__startswith=parent.path,
        unit__level=UnitLevel.COMMUNE,
        is_current=True,
    )
    if catalog is not None:
        runs = runs.filter(catalog__key=catalog.key)
    runs = runs.select_related("catalog").only("pk", "as_of", "catalog__key")
    return runs.order_by("-as_of", "-computed_at", "-pk").first()


def district_dashboard(user, parent: AdminUnit, catalog: Catalog, as_of: dt.date):
    """The heat map and ranking of the visible wards below `parent` valid on `as_of`."""
    columns, placed = _ward_rows(user, parent, catalog, as_of)
    counts = _item_counts([row.run.pk for _district, row in placed if row.run])
    groups: dict[int | None, Group] = {}
    for district, row in placed:
        group = groups.setdefault(district.pk if district else None, Group(district))
        line = WardLine(row=row)
        if row.run is not None:
            line.items_met, line.items_no_data, line.items_total = counts.get(row.run.pk, (0, 0, 0))
        group.lines.append(line)
    board = DistrictDashboard(parent, catalog, as_of, columns, list(groups.values()))
    _rank(board.lines)
    return board


def _item_counts(run_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """run id -> (sub-criteria met, lacking data, in all): one grouped query."""
    rows = (
        NodeResult.objects.filter(run_id__in=run_ids, node__node_type__in=LEAF_TYPES)
        .values("run_id")
        .annotate(
            met=Count("pk", filter=Q(verdict=Verdict.MET)),
            no_data=Count("pk", filter=Q(verdict=Verdict.NO_DATA)),
            total=Count("pk"),
        )
    )
    return {row["run_id"]: (row["met"], row["no_data"], row["total"]) for row in rows}


def _rank(lines: list[WardLine]) -> None:
    """Competition ranking (1, 2, 2, 4) by criteria met, then sub-criteria met; no result last."""
    ordered = sorted(lines, key=lambda line: (line.run is None, -line.met_count, -line.items_met))
    previous = None
    for position, line in enumerate(ordered, start=1):
        tied = (
            previous is not None
            and line.run is not None
            and (previous.met_count, previous.items_met) == (line.met_count, line.items_met)
        )
        line.rank = previous.rank if tied else position
        previous = line


def _valid_on(prefix: str, day: dt.date) -> Q:
    """`prefix` (a unit, or "parent__" for its parent) exists on `day`; both dates inclusive."""
    starts = Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})
    ends = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    return starts & ends


def _ward_rows(user, parent: AdminUnit, catalog: Catalog, as_of: dt.date):
    """(criteria, [(district or None, row)]) for the visible wards below `parent` on `as_of`.

    Each ward shows its newest current run as of that day. Below a city, a ward under a district
    valid that day is placed in that district's group; a ward directly under the city (after the
    district level was abolished) is not. Four queries, as the district matrix.
    """
    newest = (
        EvaluationRun.objects.filter(
            unit=OuterRef("pk"), catalog__key=catalog.key, is_current=True, as_of__lte=as_of
        )
        .order_by("-as_of", "-computed_at", "-pk")
        .values("pk")[:1]
    )
    if is_city(parent):
        below = Q(parent=parent, level=UnitLevel.COMMUNE) | (
            Q(parent__parent=parent, parent__level=UnitLevel.DISTRICT, level=UnitLevel.COMMUNE)
            & _valid_on("parent__", as_of)
        )
    else:
        below = Q(parent=parent)
    units = list(
        AdminUnit.objects.filter(below, _valid_on("", as_of), pk__in=cached_visible_unit_ids(user))
        .select_related("parent")
        .annotate(run_id=Subquery(newest))
        .order_by("parent__official_code", "official_code", "pk")
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
    verdicts = {}  # the labels of each verdict, in the reader's language, once per page
    cells = {}
    for result in NodeResult.objects.filter(run_id__in=run_ids, depth=0).values(
        "run_id", "code", "verdict", "met_count", "total_count"
    ):
        code = result["verdict"]
        if code not in verdicts:
            verdicts[code] = verdict_view(code)
        cells[result["run_id"], result["code"]] = Cell(
            code=result["code"],
            verdict=verdicts[code],
            met_count=result["met_count"],
            total_count=result["total_count"],
        )
    placed = []
    for unit in units:
        row = MatrixRow(
            unit=unit,
            run=runs.get(unit.run_id),
            cells=[(column, cells.get((unit.run_id, column.code))) for column in columns],
        )
        grouped = unit.parent_id != parent.pk
        placed.append((unit.parent if grouped else None, row))
    return columns, placed
