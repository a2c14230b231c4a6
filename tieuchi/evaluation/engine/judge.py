"""Comparators: one observed value tested against one threshold → a verdict and its reason.

Numbers: gte gt lte lt eq, between (a plan range: met from a, "vượt kế hoạch" above b), maintain
("duy trì 14/14"), streak_gte; against the previous year (lte_previous, lt_previous); against an
external benchmark (gte/gt/lte/lt_benchmark); reductions against a baseline (reduction_gte,
reduction_between). The yes/no, event, grade and title comparators are in `special`.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .explain import NEGATION, SYMBOL, D, date_vn, num, quantity
from .observe import Context, Observed, number, period_label
from .rollup import HUNDRED
from .types import MeasureDef, ThresholdDef, Verdict

OPERATORS = {"gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt}
OPERATORS["eq"] = operator.eq
NUMERIC = ("gte", "gt", "lte", "lt", "eq", "between", "maintain", "streak_gte")
_YEAR = re.compile(r"(19|20)\d{2}")


@dataclass
class Judgement:
    verdict: Verdict
    text: str  # "78,5% < 80% (157/200)", or the reason there is no verdict
    figures: dict[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    above_plan: bool = False


def no_data(observed_or_text: Observed | str) -> Judgement:
    if isinstance(observed_or_text, str):
        return Judgement(Verdict.NO_DATA, observed_or_text)
    obs = observed_or_text
    return Judgement(Verdict.NO_DATA, obs.reason, dict(obs.figures), obs.missing, obs.notes)


def verdict_of(ok: bool) -> Verdict:
    return Verdict.MET if ok else Verdict.NOT_MET


def unit_of(measure: MeasureDef) -> str:
    return "%" if measure.kind == "ratio" else measure.unit


def _with_detail(text: str, obs: Observed) -> str:
    return f"{text} ({obs.detail})" if obs.detail else text


def _due_note(ctx: Context, threshold: ThresholdDef) -> str:
    if threshold.target_year and str(threshold.target_year) != ctx.period:
        return f"; chỉ tiêu đến năm {threshold.target_year}, số liệu {period_label(ctx.period)}"
    return ""


def judge_numeric(ctx: Context, measure: MeasureDef, threshold: ThresholdDef) -> Judgement:
    obs = number(ctx, measure)
    if not obs.known:
        return no_data(obs)
    target = D(threshold.value)
    if target is None:
        return no_data("ngưỡng chưa có giá trị")
    unit, value = unit_of(measure), obs.value
    shown = quantity(value, unit, target)
    comparator = threshold.comparator
    above = False
    if comparator == "between":
        top = D(threshold.value_max)
        plan = f"{num(target)}–{quantity(top, unit)}" if top is not None else quantity(target, unit)
        ok = value >= target
        above = ok and top is not None and value > top
        if above:
            text = f"{shown} > {quantity(top, unit, value)}: vượt kế hoạch ({plan})"
        elif ok:
            text = f"{shown} trong khoảng kế hoạch {plan}"
        else:
            text = f"{shown} < {quantity(target, unit, value)} (kế hoạch {plan})"
        text = _with_detail(text, obs)
    elif comparator == "maintain":
        ok, text = _maintain(measure, threshold, obs, target)
    else:
        key = "gte" if comparator == "streak_gte" else comparator
        ok = OPERATORS[key](value, target)
        symbol = SYMBOL[key] if ok else NEGATION[key]
        text = _with_detail(f"{shown} {symbol} {quantity(target, unit, value)}", obs)
        if comparator == "streak_gte":
            years = measure.config.get("years")
            text = f"tỷ lệ giữ danh hiệu {years} năm liên tục: {text}" if years else text
    if threshold.baseline_value is not None and comparator != "maintain":
        text += f" (mốc {quantity(threshold.baseline_value, unit)}"
        text += f" {threshold.baseline_text})" if threshold.baseline_text else ")"
    text += _due_note(ctx, threshold)
    return Judgement(verdict_of(ok), text, dict(obs.figures), above_plan=above)


def _maintain(
    measure: MeasureDef, threshold: ThresholdDef, obs: Observed, target: Decimal
) -> tuple[bool, str]:
    """ "Duy trì 14/14": the count kept (a ratio's numerator) against the count to keep."""
    count = D(obs.figures.get("numerator")) if measure.kind == "ratio" else obs.value
    count = obs.value if count is None else count
    of = D(obs.figures.get("denominator")) if measure.kind == "ratio" else None
    of = of if of is not None else D(threshold.baseline_value)
    of = of if of is not None else target
    noun = "" if measure.kind == "ratio" else measure.unit
    held = f"{num(count)}/{num(of)}" + (f" {noun}" if noun else "")
    if count >= target:
        return True, f"duy trì {held}"
    return False, f"chỉ duy trì {held}, yêu cầu duy trì {num(target)}"


def judge_trend(ctx: Context, measure: MeasureDef, threshold: ThresholdDef) -> Judgement:
    """This period's value against the same unit's value of the previous period."""
    current = number(ctx, measure, ctx.period)
    if not current.known:
        return no_data(current)
    previous_period = ctx.inp.previous_period
    previous = number(ctx, measure, previous_period)
    if not previous.known:
        reason = f"thiếu số liệu năm trước ({previous_period}): {previous.reason}"
        return Judgement(Verdict.NO_DATA, reason, dict(current.figures), previous.missing)
    key = threshold.comparator.removesuffix("_previous")
    ok = OPERATORS[key](current.value, previous.value)
    unit = unit_of(measure)
    symbol = SYMBOL[key] if ok else NEGATION[key]
    text = (
        f"{quantity(current.value, unit)} {period_label(ctx.period)} {symbol} "
        f"{quantity(previous.value, unit)} {period_label(previous_period)}"
    )
    figures = {**current.figures, "previous_value": previous.value}
    return Judgement(verdict_of(ok), text, figures)


def judge_benchmark(ctx: Context, measure: MeasureDef, threshold: ThresholdDef) -> Judgement:
    """The value against an external reference for the period (the city's average income)."""
    current = number(ctx, measure)
    if not current.known:
        return no_data(current)
    key = measure.config.get("benchmark_key") or threshold.benchmark
    found = [b for b in ctx.inp.benchmarks if b.key == key and str(b.period) == ctx.period]
    if not key or not found:
        return no_data(f"chưa có mức chuẩn “{key or '?'}” {period_label(ctx.period)}")
    benchmark = found[-1]
    reference = D(benchmark.value)
    op = threshold.comparator.removesuffix("_benchmark")
    if op not in OPERATORS:
        return no_data(f"phép so sánh “{threshold.comparator}” chưa được hỗ trợ")
    ok = OPERATORS[op](current.value, reference)
    unit = unit_of(measure)
    symbol = SYMBOL[op] if ok else NEGATION[op]
    origin = [f"{key} {period_label(benchmark.period)}"]
    if benchmark.source:
        origin.append(f"nguồn: {benchmark.source}")
    if benchmark.published_on:
        origin.append(f"công bố {date_vn(benchmark.published_on)}")
    text = (
        f"{_with_detail(quantity(current.value, unit, reference), current)} {symbol} "
        f"{quantity(reference, unit, current.value)} ({', '.join(origin)})"
    )
    figures = {
        **current.figures,
        "benchmark": reference,
        "benchmark_key": key,
        "benchmark_source": benchmark.source,
        "benchmark_published_on": benchmark.published_on,
    }
    return Judgement(verdict_of(ok), text, figures)


def _baseline(
    ctx: Context, measure: MeasureDef, threshold: ThresholdDef
) -> tuple[Decimal | None, str, str]:
    """(baseline value, its period or label, note or no-data reason)."""
    if threshold.baseline_value is not None:
        return D(threshold.baseline_value), threshold.baseline_text, ""
    asked = str(measure.config.get("baseline_period") or "")
    if not asked:
        match = _YEAR.search(threshold.baseline_text or "")
        asked = match.group(0) if match else ""
    if not asked:
        return None, "", "chưa có số liệu mốc (baseline)"
    found = number(ctx, measure, asked)
    if found.known:
        return found.value, asked, ""
    candidates = []
    for period in ctx.subtree_periods(measure) - {ctx.period, asked}:
        observed = number(ctx, measure, period)
        if observed.known and period.isdigit() and asked.isdigit():
            candidates.append((abs(int(period) - int(asked)), int(period), period, observed))
    if not candidates:
        return None, asked, f"thiếu số liệu mốc {period_label(asked)}"
    _, _, period, observed = min(candidates)
    note = f"mốc yêu cầu {period_label(asked)} chưa có số liệu, dùng số liệu mốc {period_label(period)}"
    return observed.value, period, note


def judge_reduction(ctx: Context, measure: MeasureDef, threshold: ThresholdDef) -> Judgement:
    """(baseline − current) ÷ baseline × 100 against the required reduction (%)."""
    current = number(ctx, measure)
    if not current.known:
        return no_data(current)
    base, base_period, note = _baseline(ctx, measure, threshold)
    if base is None:
        return Judgement(Verdict.NO_DATA, note, dict(current.figures))
    if base == 0:
        return Judgement(Verdict.NO_DATA, "số liệu mốc bằng 0, không tính được mức giảm")
    target = D(threshold.value)
    if target is None:
        return no_data("ngưỡng chưa có giá trị")
    reduction = (base - current.value) * HUNDRED / base
    top = D(threshold.value_max) if threshold.comparator == "reduction_between" else None
    ok = reduction >= target
    above = ok and top is not None and reduction > top
    unit = unit_of(measure)
    moved = f"giảm {num(reduction)}%" if reduction >= 0 else f"tăng {num(-reduction)}%"
    base_label = f" {period_label(base_period)}" if base_period.isdigit() else ""
    if base_period and not base_period.isdigit():
        base_label = f" ({base_period})"
    span = (
        f"từ {quantity(base, unit)}{base_label} xuống {quantity(current.value, unit)} "
        f"{period_label(ctx.period)}"
    )
    if reduction < 0:
        span = span.replace(" xuống ", " lên ")
    required = f"{num(target)}–{num(top)}%" if top is not None else f"{num(target)}%"
    if above:
        text = f"{moved} ({span}), vượt kế hoạch giảm {required}"
    else:
        relation = "≥" if ok else "<"
        text = f"{moved} ({span}) {relation} mức giảm yêu cầu {num(target)}%"
        if top is not None:
            text += f" (kế hoạch {required})"
    if note:
        text += f"; {note}"
    text += _due_note(ctx, threshold)
    figures = {**current.figures, "baseline": base, "baseline_period": base_period}
    figures["reduction_percent"] = reduction
    return Judgement(verdict_of(ok), text, figures, above_plan=above)


def judge(
    ctx: Context, measure: MeasureDef, threshold: ThresholdDef, evidence_required: bool = False
) -> Judgement:
    """Dispatch on the comparator (the measure kind only refines how values are read)."""
    from . import special

    comparator = threshold.comparator
    if comparator in NUMERIC:
        return judge_numeric(ctx, measure, threshold)
    if comparator in ("lte_previous", "lt_previous"):
        return judge_trend(ctx, measure, threshold)
    if comparator.endswith("_benchmark"):
        return judge_benchmark(ctx, measure, threshold)
    if comparator in ("reduction_gte", "reduction_between"):
        return judge_reduction(ctx, measure, threshold)
    if comparator == "is_true":
        return special.judge_boolean(ctx, measure, evidence_required)
    if comparator == "zero":
        return special.judge_zero_events(ctx, measure)
    if comparator == "level_gte" or (comparator == "held" and measure.kind == "level"):
        return special.judge_level(ctx, measure, threshold)
    if comparator == "held":
        return special.judge_title(ctx, measure)
    return no_data(f"phép so sánh “{comparator}” chưa được hỗ trợ")
