"""Scoped reads of evaluation results: the runs a user may see, a unit's scorecard, the ward matrix.

Every page starts from `runs_visible_to` or a unit already checked against `visible_unit_ids`, and
reads a fixed number of queries whatever the number of wards, runs or plan rows.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog, CatalogNode, Layer
from tieuchi.collection.models import Evidence
from tieuchi.core.formatting import vn_number
from tieuchi.evaluation.models import EvaluationRun, NodeResult, Verdict
from tieuchi.orgs.models import AdminUnit, UnitLevel
from tieuchi.orgs.scope import home_unit, visible_unit_ids
from tieuchi.plans.models import EvaluationRound, Plan, PlanRow, PlanRowParty
from tieuchi.plans.queries import plan_rows

# A symbol next to every verdict, so it never rests on colour alone (nor on the symbol alone).
SYMBOLS = {Verdict.MET: "✓", Verdict.NOT_MET: "✗", Verdict.NO_DATA: "?"}


def _visible_ids(user):
    """visible_unit_ids, worked out once per user object (one page asks several times)."""
    ids = getattr(user, "_evaluation_visible_ids", None)
    if ids is None:
        ids = visible_unit_ids(user)
        user._evaluation_visible_ids = ids
    return ids


def runs_visible_to(user):
    """Evaluation runs of the units the user may see."""
    return EvaluationRun.objects.filter(unit__in=_visible_ids(user))


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


def round_day(evaluation_round: EvaluationRound) -> dt.date:
    """A round is judged as of the last day of its scheduled month."""
    month = evaluation_round.scheduled_month
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --- display helpers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerdictView:
    code: str
    label: str
    short: str
    symbol: str


def verdict_view(code: str) -> VerdictView:
    """Label, short label and symbol of a verdict in the active language."""
    labels = {
        Verdict.MET: (_("Đạt"), _("Đạt")),
        Verdict.NOT_MET: (_("Chưa đạt"), _("Chưa đạt")),
        Verdict.NO_DATA: (_("Chưa đủ dữ liệu"), _("Thiếu dữ liệu")),
    }
    label, short = labels.get(code, labels[Verdict.NO_DATA])
    return VerdictView(code=code, label=label, short=short, symbol=SYMBOLS.get(code, "?"))


def _layer_label(layer: str) -> str:
    labels = {
        Layer.NATIONAL: _("Ngưỡng quốc gia"),
        Layer.CITY: _("Chỉ tiêu thành phố"),
        Layer.DISTRICT: _("Chỉ tiêu quận"),
        Layer.WARD: _("Chỉ tiêu phường"),
        Layer.PROGRAMME: _("Chỉ tiêu chương trình"),
    }
    return labels.get(layer, layer)


def figure_text(figures: dict) -> tuple[str, str]:
    """(fraction or value, percent) for one measure, in Vietnamese number format: ("7/8", "87,5%")."""
    if figures.get("numerator") is not None and figures.get("denominator") is not None:
        fraction = f"{vn_number(figures['numerator'])}/{vn_number(figures['denominator'])}"
        value = figures.get("value")
        return fraction, f"{vn_number(value, 2)}%" if value is not None else ""
    if "events" in figures:
        return _("%(n)s vụ việc") % {"n": figures["events"]}, ""
    if figures.get("previous_value") is not None:
        text = _("%(value)s (năm trước %(previous)s)")
        values = {
            "value": vn_number(figures["value"]),
            "previous": vn_number(figures["previous_value"]),
        }
        return text % values, ""
    if figures.get("benchmark") is not None and figures.get("value") is not None:
        values = {
            "value": vn_number(figures["value"]),
            "benchmark": vn_number(figures["benchmark"]),
        }
        return _("%(value)s (mức chuẩn %(benchmark)s)") % values, ""
    if figures.get("reduction_percent") is not None:
        return _("giảm %(p)s%%") % {"p": vn_number(figures["reduction_percent"], 2)}, ""
    if figures.get("level"):
        return str(figures["level"]), ""
    if "title_code" in figures:
        valid_to = figures.get("valid_to")
        if not valid_to:
            return (_("có hiệu lực") if figures.get("valid_from") else ""), ""
        day = dt.date.fromisoformat(valid_to)
        return _("hiệu lực đến %(day)s") % {"day": day.strftime("%d/%m/%Y")}, ""
    if "boolean" in figures:
        return (_("Có") if figures["boolean"] else _("Không")), ""
    if figures.get("value") is not None:
        return vn_number(figures["value"], 2), ""
    return "", ""


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
    layers = data.get("layer_verdicts") or {}
    shown = len(layers) > 1 or (layers and next(iter(layers)) != Layer.NATIONAL)
    return MeasureLine(
        code=data["code"],
        name=data.get("name", ""),
        verdict=verdict_view(data["verdict"]),
        fraction=fraction,
        percent=percent,
        reported=reported,
        layers=[(_layer_label(k), verdict_view(v)) for k, v in layers.items()] if shown else [],
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


# --- the matrix: the units below a district × the criteria ----------------------------------------


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
    visible = AdminUnit.objects.filter(pk__in=_visible_ids(user), path__startswith=unit.path)
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
    return AdminUnit.objects.filter(parent=parent, pk__in=_visible_ids(user))


def newest_child_run(user, parent: AdminUnit, catalog: Catalog | None) -> EvaluationRun | None:
    """The newest current run of a visible child of `parent`: its catalog and day are the defaults."""
    runs = EvaluationRun.objects.filter(unit__in=_children(user, parent), is_current=True)
    if catalog is not None:
        runs = runs.filter(catalog__key=catalog.key)
    runs = runs.select_related("catalog").only("pk", "as_of", "catalog__key")
    return runs.order_by("-as_of", "-computed_at", "-pk").first()


def default_catalog(unit_type: str | None = None) -> Catalog | None:
    """When nothing has been evaluated yet: the first criteria set (for that type of unit)."""
    catalogs = Catalog.objects.filter(kind=Catalog.Kind.CRITERIA_SET).select_related(
        "legal_document"
    )
    for catalog in catalogs.order_by("key", "-version"):
        if unit_type is None or unit_type in (catalog.applies_to_unit_types or [unit_type]):
            return catalog
    return None


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
