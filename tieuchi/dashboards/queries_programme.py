"""Programme progress of one unit: each measure's baseline, target, stored values year by year,
the trajectory to the target and where the unit stands on it.

Reads the stored runs only (one current run per year-end, the newest of each year), never the
figures themselves. Five queries whatever the number of indicators, measures or years.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog, CatalogNode, Measure
from tieuchi.core.formatting import vn_number
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.evaluation.trajectory import (
    Direction,
    Point,
    Status,
    TargetForm,
    follow,
    primary_threshold,
)
from tieuchi.evaluation.verdict_display import VerdictView, verdict_view
from tieuchi.orgs.models import AdminUnit

STATUS_SYMBOLS = {
    Status.MET: "✓",
    Status.ON_TRACK: "↗",
    Status.BEHIND: "!",
    Status.BASELINE_ONLY: "·",
    Status.NO_DATA: "?",
}


def status_label(status: Status) -> str:
    labels = {
        Status.MET: _("Đã đạt chỉ tiêu"),
        Status.ON_TRACK: _("Đúng lộ trình"),
        Status.BEHIND: _("Chậm so với lộ trình"),
        Status.BASELINE_ONLY: _("Mới có số liệu năm mốc"),
        Status.NO_DATA: _("Chưa đủ dữ liệu"),
    }
    return labels[status]


@dataclass
class MeasureProgress:
    code: str
    name: str
    unit_of_measure: str
    target_text: str  # as the programme wrote it
    target_year: int
    yearly: bool  # the target holds every year ("hằng năm", "giữ vững"): no ramp
    end_value: Decimal | None
    baseline: Point | None
    current: Point | None
    required_now: Decimal | None
    verdict: VerdictView
    status: Status
    explanation: str
    history: list[Point]
    trajectory: list[Point]

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    def quantity(self, value: Decimal | None) -> str:
        """ "87,5%" or "39 phút/khách hàng/năm", as the page and the tests write it."""
        if value is None:
            return ""
        unit = self.unit_of_measure
        return vn_number(value, 2) + (unit if unit == "%" else f" {unit}" if unit else "")

    @property
    def baseline_text(self) -> str:
        return self.quantity(self.baseline.value if self.baseline else None)

    @property
    def end_text(self) -> str:
        return self.quantity(self.end_value)

    @property
    def current_text(self) -> str:
        return self.quantity(self.current.value if self.current else None)

    @property
    def required_text(self) -> str:
        return self.quantity(self.required_now)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    @property
    def table(self) -> list[tuple[int, Decimal | None, Decimal | None]]:
        """(year, stored value, required value) for every year with either: the chart's data."""
        actual = {p.year: p.value for p in self.history}
        required = {p.year: p.value for p in self.trajectory}
        years = sorted(actual.keys() | required.keys())
        return [(year, actual.get(year), required.get(year)) for year in years]

    @property
    def chart_id(self) -> str:
        return f"chart-{self.code}-data"

    @property
    def has_chart(self) -> bool:
        return bool(self.history or self.trajectory)

    def chart(self) -> dict:
        """What charts.js draws: stored values and the required trajectory, year by year."""
        rows = self.table
        return {
            "type": "line",
            "title": f"{self.code}. {self.name}",
            "unit": self.unit_of_measure,
            "labels": [str(year) for year, _a, _r in rows],
            "series": [
                {"label": _("Số liệu"), "data": [_float(a) for _y, a, _r in rows]},
                {"label": _("Lộ trình cần đạt"), "data": [_float(r) for _y, _a, r in rows]},
            ],
        }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


@dataclass
class IndicatorProgress:
    code: str
    name: str
    measures: list[MeasureProgress] = field(default_factory=list)


@dataclass
class ProgrammeProgress:
    catalog: Catalog
    unit: AdminUnit
    run: EvaluationRun | None  # the newest run: its date is "current"
    groups: list[tuple[CatalogNode, list[IndicatorProgress]]]

    @property
    def measures(self) -> list[MeasureProgress]:
        return [m for _g, indicators in self.groups for i in indicators for m in i.measures]

    def status_counts(self) -> list[tuple[Status, str, int]]:
        counts = Counter(m.status for m in self.measures)
        return [(s, status_label(s), counts.get(s, 0)) for s in Status]


def programme_runs(unit: AdminUnit, catalog: Catalog, today: dt.date) -> list[EvaluationRun]:
    """The newest current run of each year up to today, oldest first (one query)."""
    runs = (
        EvaluationRun.objects.filter(
            unit=unit, catalog__key=catalog.key, is_current=True, as_of__lte=today
        )
        .only("pk", "as_of", "computed_at", "verdict", "unit_id", "catalog_id")
        .order_by("as_of", "computed_at", "pk")
    )
    per_year = {run.as_of.year: run for run in runs}
    return [per_year[year] for year in sorted(per_year)]


def programme_progress(unit: AdminUnit, catalog: Catalog, today: dt.date) -> ProgrammeProgress:
    runs = programme_runs(unit, catalog, today)
    stored: dict[str, dict[int, dict]] = {}  # measure code -> year -> {verdict, figures, …}
    years = {run.pk: run.as_of.year for run in runs}
    for row in NodeResult.objects.filter(run_id__in=years).values("run_id", "figures"):
        for measure in (row["figures"] or {}).get("measures", []):
            stored.setdefault(measure["code"], {})[years[row["run_id"]]] = measure
    nodes = list(CatalogNode.objects.filter(catalog=catalog).order_by("position"))
    measures: dict[int, list[Measure]] = {}
    for measure in Measure.objects.filter(node__catalog=catalog).prefetch_related("thresholds"):
        measures.setdefault(measure.node_id, []).append(measure)
    start = catalog.period_start.year if catalog.period_start else min(years.values(), default=0)
    end = catalog.period_end.year if catalog.period_end else start
    indicators: dict[int, list[IndicatorProgress]] = {}
    for node in nodes:
        if node.id in measures:
            indicator = IndicatorProgress(node.code, node.short_name or node.name)
            for measure in sorted(measures[node.id], key=lambda m: m.position):
                progress = _measure(measure, stored.get(measure.code, {}), start, end)
                if progress is not None:
                    indicator.measures.append(progress)
            indicators.setdefault(node.parent_id, []).append(indicator)
    groups = [(node, indicators[node.id]) for node in nodes if node.id in indicators]
    return ProgrammeProgress(catalog, unit, runs[-1] if runs else None, groups)


def _measure(measure: Measure, by_year: dict[int, dict], start: int, end: int):
    threshold = primary_threshold(measure.thresholds.all())
    if threshold is None:
        return None
    progress = follow(TargetForm.of(threshold), by_year, start, end)
    trajectory = progress.trajectory
    unit = measure.unit_of_measure or ("%" if measure.kind == "ratio" else "")
    return MeasureProgress(
        code=measure.code,
        name=measure.name,
        unit_of_measure=unit,
        target_text=threshold.text,
        target_year=trajectory.end_year,
        yearly=trajectory.direction == Direction.HOLD,
        end_value=trajectory.end_value,
        baseline=progress.baseline,
        current=progress.current,
        required_now=progress.required_now,
        verdict=verdict_view(progress.verdict),
        status=progress.status,
        explanation=progress.explanation,
        history=progress.history,
        trajectory=trajectory.points(),
    )
