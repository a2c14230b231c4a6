"""What was observed for a measure: a number, a yes/no, a grade — or why it is not known.

`Context` holds one evaluation's inputs with indexes and caches; the functions here read it and
return `Observed` values that the comparators in `judge` test against each threshold.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .explain import join_names, quantity
from .rollup import FigureIndex, Gathered, UnitTree, gather, numeric
from .types import EvaluationInput, MeasureDef, UnitInfo


@dataclass
class Observed:
    """An observed value with its display, or `reason` when it cannot be used."""

    value: Decimal | None = None
    shown: str = ""  # "78,5%"
    detail: str = ""  # "157/200 người"
    figures: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    boolean: bool | None = None
    level: str | None = None

    @property
    def known(self) -> bool:
        return not self.reason


class Context:
    """One evaluation: the input, the unit tree, the figure index and per-measure caches."""

    def __init__(self, inp: EvaluationInput):
        self.inp = inp
        self.tree = UnitTree(inp.unit, inp.units)
        self.index = FigureIndex(inp.figures)
        self._gathered: dict[tuple[str, str], Gathered] = {}
        self.numbers: dict[tuple[str, str], Observed] = {}  # filled by `number`

    @property
    def period(self) -> str:
        return self.inp.period

    def gathered(self, measure: MeasureDef, period: str) -> Gathered:
        key = (measure.code, period)
        if key not in self._gathered:
            self._gathered[key] = gather(self.tree, self.index, measure, period)
        return self._gathered[key]

    def subtree_periods(self, measure: MeasureDef) -> set[str]:
        ids = self.tree.subtree_ids()
        return {p for unit_id in ids for p in self.index.periods(unit_id, measure.code)}


def period_label(period: str) -> str:
    return f"năm {period}" if period.isdigit() else f"kỳ {period}"


def _names(units: list[UnitInfo]) -> tuple[str, ...]:
    return tuple(unit.name for unit in units)


def _missing_reason(gathered: Gathered, period: str) -> Observed | None:
    """No-data observation when the evaluated unit, or some expected sub-unit, did not report."""
    if gathered.root_missing:
        return Observed(reason=f"chưa có số liệu {period_label(period)}")
    if gathered.missing:
        names = _names(gathered.missing)
        return Observed(reason=f"{join_names(names)} chưa báo cáo", missing=names)
    return None


def number(ctx: Context, measure: MeasureDef, period: str | None = None) -> Observed:
    """The measure's numeric value for a period (ratio of sums, sum, min or max over the tree)."""
    period = period or ctx.period
    key = (measure.code, period)
    if key not in ctx.numbers:
        ctx.numbers[key] = _number(ctx, measure, period)
    return ctx.numbers[key]


def _number(ctx: Context, measure: MeasureDef, period: str) -> Observed:
    gathered = ctx.gathered(measure, period)
    if gathered.root_missing:
        return Observed(reason=f"chưa có số liệu {period_label(period)}")
    unit = "%" if measure.kind == "ratio" else measure.unit
    result = numeric(measure, Gathered(gathered.root, gathered.figures, []))
    expected = len(gathered.figures) + len(gathered.missing)
    if gathered.missing or result.incomplete:
        parts, names = [], _names(gathered.missing) + _names(result.incomplete)
        if gathered.missing:
            parts.append(f"{join_names(_names(gathered.missing))} chưa báo cáo")
        if result.incomplete:
            parts.append(f"{join_names(_names(result.incomplete))} báo cáo {result.reason}")
        complete = [(u, f) for u, f in gathered.figures if u not in result.incomplete]
        partial = numeric(measure, Gathered(gathered.root, complete, []))
        reason = "; ".join(parts)
        figures = {**partial.figures, "partial": True, "expected_units": expected}
        if partial.value is not None:
            shown = f"{partial.shown} ({partial.detail})" if partial.detail else partial.shown
            reason += f" (số đã có: {shown} từ {len(complete)}/{expected} đơn vị)"
        return Observed(reason=reason, missing=names, figures=figures)
    if result.reason:
        return Observed(reason=result.reason, figures=result.figures)
    figures = {**result.figures, "expected_units": expected}
    return Observed(
        value=result.value,
        shown=quantity(result.value, unit),
        detail=result.detail,
        figures=figures,
    )


def boolean(ctx: Context, measure: MeasureDef, evidence_required: bool = False) -> Observed:
    """Yes/no for the period; every reporting unit must say yes. Missing evidence is a note."""
    gathered = ctx.gathered(measure, ctx.period)
    missing = _missing_reason(gathered, ctx.period)
    if missing:
        return missing
    unknown = [unit for unit, figure in gathered.figures if figure.boolean is None]
    if unknown:
        text = "chưa xác nhận đạt hay không đạt"
        if not gathered.direct:
            text = f"{join_names(_names(unknown))} {text}"
        return Observed(reason=text, missing=_names(unknown) if not gathered.direct else ())
    failing = [unit for unit, figure in gathered.figures if figure.boolean is False]
    notes = []
    needs = evidence_required or bool(measure.config.get("evidence_required"))
    if needs and not all(figure.has_evidence for _, figure in gathered.figures):
        notes.append("chưa đính kèm minh chứng")
    sources = sorted({figure.source for _, figure in gathered.figures if figure.source})
    return Observed(
        boolean=not failing,
        shown="đã xác nhận" if not failing else "báo cáo chưa đạt",
        detail=join_names(_names(failing)) if failing and not gathered.direct else "",
        figures={"boolean": not failing, "sources": sources},
        notes=tuple(notes),
    )


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def scale_position(scale: list[str], level: str | None) -> int | None:
    if level is None:
        return None
    wanted = _norm(level)
    for position, item in enumerate(scale):
        if _norm(str(item)) == wanted:
            return position
    return None


def level(ctx: Context, measure: MeasureDef) -> Observed:
    """An ordinal grade on config["scale"]; several reporting units → the lowest grade (min)."""
    scale = [str(item) for item in measure.config.get("scale") or []]
    gathered = ctx.gathered(measure, ctx.period)
    missing = _missing_reason(gathered, ctx.period)
    if missing:
        return missing
    if not scale:
        return Observed(reason="chưa có thang xếp loại (config.scale)")
    positions = []
    for _unit, figure in gathered.figures:
        if figure.level is None or not str(figure.level).strip():
            return Observed(reason="chưa có kết quả xếp loại")
        position = scale_position(scale, figure.level)
        if position is None:
            order = " < ".join(scale)
            return Observed(reason=f"mức “{figure.level}” không có trong thang xếp loại ({order})")
        positions.append(position)
    chosen = max(positions) if measure.aggregation == "max" else min(positions)
    return Observed(
        value=Decimal(chosen),
        level=scale[chosen],
        shown=f"“{scale[chosen]}”",
        figures={"level": scale[chosen], "position": chosen, "scale": scale},
    )
