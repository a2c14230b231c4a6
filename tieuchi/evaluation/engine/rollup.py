"""Roll-ups: figures summed over the unit tree, and verdicts combined up the criteria tree.

Ratios are always Σ numerator ÷ Σ denominator × 100 over the reporting units, never an average
of percentages. A unit expected to report that has no figure makes the roll-up incomplete: the
result names it and the verdict is "no_data" — a missing value is never taken as zero or as met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .explain import D, fraction, natural_key, quantity
from .results import MeasureResult, NodeResult
from .types import COMMUNE_TYPES, RESIDENTIAL_TYPES, Figure, MeasureDef, NodeDef, UnitInfo, Verdict

HUNDRED = Decimal(100)


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """Met only when every part is met; not met as soon as one part is not met; else no data."""
    verdicts = list(verdicts)
    if not verdicts:
        return Verdict.NO_DATA
    if Verdict.NOT_MET in verdicts:
        return Verdict.NOT_MET
    if all(verdict == Verdict.MET for verdict in verdicts):
        return Verdict.MET
    return Verdict.NO_DATA


def ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Σnum × 100 ÷ Σden, the one formula used everywhere (tests compare against it)."""
    return numerator * HUNDRED / denominator


class UnitTree:
    """The evaluated unit and the units below it, with children sorted by code."""

    def __init__(self, root: UnitInfo, units: Iterable[UnitInfo]):
        self.root = root
        self.by_id = {unit.id: unit for unit in units}
        self.by_id[root.id] = root
        children: dict[int, list[UnitInfo]] = defaultdict(list)
        for unit in self.by_id.values():
            if unit.parent_id is not None and unit.id != root.id:
                children[unit.parent_id].append(unit)
        self.children = {
            parent: sorted(kids, key=lambda u: (natural_key(u.code), natural_key(u.name)))
            for parent, kids in children.items()
        }

    def kids(self, unit: UnitInfo) -> list[UnitInfo]:
        return self.children.get(unit.id, [])

    def subtree_ids(self, unit: UnitInfo | None = None) -> set[int]:
        start = unit or self.root
        ids, stack = set(), [start]
        while stack:
            current = stack.pop()
            if current.id not in ids:
                ids.add(current.id)
                stack.extend(self.kids(current))
        return ids


class FigureIndex:
    """Figures by (unit, measure, period); rejected figures are left out, the last one wins."""

    def __init__(self, figures: Iterable[Figure]):
        self._by: dict[tuple[int, str, str], Figure] = {}
        for figure in figures:
            if figure.status != "rejected":
                self._by[(figure.unit_id, figure.measure_code, str(figure.period))] = figure

    def get(self, unit_id: int, measure_code: str, period: str) -> Figure | None:
        return self._by.get((unit_id, measure_code, str(period)))

    def periods(self, unit_id: int, measure_code: str) -> set[str]:
        return {key[2] for key in self._by if key[0] == unit_id and key[1] == measure_code}


@dataclass
class Gathered:
    """The figures found for a measure over the unit tree, and the units that did not report."""

    root: UnitInfo
    figures: list[tuple[UnitInfo, Figure]] = field(default_factory=list)
    missing: list[UnitInfo] = field(default_factory=list)

    @property
    def direct(self) -> bool:
        """The evaluated unit reported the whole value itself."""
        return len(self.figures) == 1 and self.figures[0][0].id == self.root.id

    @property
    def root_missing(self) -> bool:
        return any(unit.id == self.root.id for unit in self.missing)


def gather(tree: UnitTree, index: FigureIndex, measure: MeasureDef, period: str) -> Gathered:
    """Collect a measure's figures: a unit's own figure wins over its sub-units' figures.

    Expected reporters are the TDPs/thôn (collected_at residential_group) or the communes
    (collected_at ward); a reporter without a figure is missing. Aggregation "none" uses only the
    evaluated unit's own figure.
    """
    reporters = RESIDENTIAL_TYPES if measure.collected_at == "residential_group" else COMMUNE_TYPES
    result = Gathered(tree.root)

    def walk(unit: UnitInfo) -> None:
        figure = index.get(unit.id, measure.code, period)
        if figure is not None:
            result.figures.append((unit, figure))
        elif measure.aggregation == "none" or unit.unit_type in reporters or not tree.kids(unit):
            result.missing.append(unit)
        else:
            for kid in tree.kids(unit):
                walk(kid)

    walk(tree.root)
    return result


@dataclass
class Numeric:
    """A number computed from gathered figures, or the reason it could not be computed."""

    value: Decimal | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    shown: str = ""  # "78,5%"
    detail: str = ""  # "157/200 người"
    reason: str = ""  # why there is no value
    incomplete: list[UnitInfo] = field(default_factory=list)  # figures lacking the needed parts


def aggregation_of(measure: MeasureDef, gathered: Gathered) -> str:
    if measure.aggregation and measure.aggregation not in ("none", "all"):
        return measure.aggregation
    if measure.kind == "ratio":
        return "ratio_of_sums"
    figures = [figure for _, figure in gathered.figures]
    if figures and all(f.numerator is not None and f.denominator is not None for f in figures):
        return "ratio_of_sums"
    return "sum"


def numeric(measure: MeasureDef, gathered: Gathered) -> Numeric:
    """The measure's value over the gathered figures (ratio of sums, sum, min or max)."""
    how = aggregation_of(measure, gathered)
    if how == "ratio_of_sums":
        return _ratio(measure, gathered)
    values, incomplete = [], []
    for unit, figure in gathered.figures:
        value = D(figure.value)
        if value is None:
            incomplete.append(unit)
        else:
            values.append(value)
    result = Numeric(incomplete=incomplete, figures={"aggregation": how})
    if incomplete or not values:
        result.reason = "thiếu giá trị"
        return result
    result.value = {"min": min, "max": max}.get(how, sum)(values)
    result.figures.update(value=result.value, reported_units=len(values))
    result.shown = quantity(result.value, measure.unit)
    return result


def _ratio(measure: MeasureDef, gathered: Gathered) -> Numeric:
    noun = measure.config.get("count_unit", "")
    result = Numeric(figures={"aggregation": "ratio_of_sums"})
    if gathered.direct:
        figure = gathered.figures[0][1]
        if (figure.numerator is None or figure.denominator is None) and figure.value is not None:
            result.value = D(figure.value)
            result.figures["value"] = result.value
            result.shown = quantity(result.value, "%")
            return result
    numerator, denominator = Decimal(0), Decimal(0)
    for unit, figure in gathered.figures:
        part_num, part_den = D(figure.numerator), D(figure.denominator)
        if part_num is None or part_den is None:
            result.incomplete.append(unit)
            continue
        numerator += part_num
        denominator += part_den
    result.figures.update(
        numerator=numerator,
        denominator=denominator,
        reported_units=len(gathered.figures) - len(result.incomplete),
    )
    if result.incomplete:
        result.reason = "thiếu tử số hoặc mẫu số"
        return result
    if not gathered.figures:
        result.reason = "chưa có số liệu"
        return result
    if denominator == 0:
        result.reason = f"mẫu số bằng 0 ({fraction(numerator, denominator)}), không tính được tỷ lệ"
        return result
    result.value = ratio_percent(numerator, denominator)
    result.figures["value"] = result.value
    result.shown = quantity(result.value, "%")
    result.detail = fraction(numerator, denominator, noun)
    return result


def rollup_node(
    node: NodeDef, children: tuple[NodeResult, ...], measures: tuple[MeasureResult, ...]
) -> NodeResult:
    """A node is met only when all its parts (sub-nodes, or its measures for a leaf) are met."""
    parts: tuple[NodeResult | MeasureResult, ...] = (*children, *measures)
    verdict = combine(part.verdict for part in parts)
    met = sum(1 for part in parts if part.verdict == Verdict.MET)
    if not parts:
        explanation = f"{Verdict.NO_DATA.label}: chưa có chỉ số để đánh giá"
    elif not children and len(measures) == 1:  # a single-measure leaf reads as its measure
        explanation = measures[0].explanation
    else:
        noun = "nội dung" if children else "chỉ số"
        lines = [f"{met}/{len(parts)} {noun} đạt"]
        if not children:
            lines[0] += f" (phải đạt cả {len(parts)} chỉ số)"
        for wanted, word in ((Verdict.NOT_MET, "chưa đạt"), (Verdict.NO_DATA, "chưa đủ dữ liệu")):
            codes = [part.code for part in parts if part.verdict == wanted]
            if codes:
                lines.append(f"{word}: {', '.join(codes)}")
        explanation = f"{verdict.label}: " + "; ".join(lines)
    return NodeResult(
        code=node.code,
        name=node.name,
        verdict=verdict,
        met_count=met,
        total_count=len(parts),
        explanation=explanation,
        children=children,
        measures=measures,
        node_type=node.node_type,
    )
