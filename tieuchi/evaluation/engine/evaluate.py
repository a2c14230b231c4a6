"""Entry points: evaluate one measure, one node, or a whole unit against a catalog."""

from __future__ import annotations

from dataclasses import replace

from .explain import layer_title, requirement, threshold_label, unit_type_label
from .judge import Judgement, judge, unit_of
from .observe import Context, number, period_label
from .recognition import conditions, recognisable
from .results import MeasureResult, NodeResult, UnitResult
from .rollup import combine, rollup_node
from .thresholds import applicable
from .types import RECOGNITION_LAYERS, EvaluationInput, MeasureDef, NodeDef, ThresholdDef, Verdict

Pairs = list[tuple[ThresholdDef, Judgement]]
NUMERIC_KINDS = ("ratio", "count", "range", "streak", "benchmark", "trend", "reduction")


def _unique(items) -> list:
    seen, result = set(), []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


def _body(pairs: Pairs) -> str:
    """ "78,5% < 80% (157/200), ngưỡng thị trấn theo QĐ 04/2022"; reasons alone when no data."""
    pieces = []
    for threshold, judgement in pairs:
        label = threshold_label(threshold)
        if judgement.verdict == Verdict.NO_DATA or not label:
            pieces.append(judgement.text)
        else:
            pieces.append(f"{judgement.text}, {label}")
    return "; ".join(_unique(pieces))


def _side_note(layer: str, pairs: Pairs, verdict: Verdict, main: str, unit: str) -> str:
    """Another layer in short: "chỉ tiêu của phường (≥ 85%): đạt"."""
    label = threshold_label(pairs[0][0])
    wanted = ", ".join(_unique(requirement(t, unit) for t, _ in pairs))
    text = f"{label} ({wanted}): {verdict.label.lower()}"
    reasons = [j.text for _, j in pairs if j.verdict == Verdict.NO_DATA and j.text not in main]
    above = any(j.above_plan for _, j in pairs)
    if above:
        text += ", vượt kế hoạch"
    if reasons:
        text += f" – {'; '.join(_unique(reasons))}"
    return text


def _without_threshold(ctx: Context, measure: MeasureDef, reason: str) -> MeasureResult:
    """No threshold at all: no verdict, but the observed figure is still shown when known."""
    explanation = f"{Verdict.NO_DATA.label}: {reason}"
    figures, missing = {}, ()
    if measure.kind in NUMERIC_KINDS:
        obs = number(ctx, measure)
        figures, missing = dict(obs.figures), obs.missing
        if obs.known:
            shown = f"{obs.shown} ({obs.detail})" if obs.detail else obs.shown
            explanation += f" (số liệu {period_label(ctx.period)}: {shown})"
    return MeasureResult(
        code=measure.code,
        verdict=Verdict.NO_DATA,
        figures=figures,
        explanation=explanation,
        missing_units=missing,
        name=measure.name,
        kind=measure.kind,
    )


def evaluate_measure(
    inp: EvaluationInput,
    measure: MeasureDef,
    *,
    evidence_required: bool = False,
    context: Context | None = None,
) -> MeasureResult:
    """Judge one measure in every layer; the recognition layer (else the plan's) gives the verdict."""
    ctx = context or Context(inp)
    unit = unit_of(measure)
    type_label = unit_type_label(inp.unit.unit_type)
    found = applicable(measure, inp.extra_thresholds, inp.unit.unit_type)
    judged: dict[str, Pairs] = {
        layer: [(t, judge(ctx, measure, t, evidence_required)) for t in thresholds]
        for layer, thresholds in found.by_layer.items()
        if thresholds
    }
    layer_verdicts = {
        layer: combine(j.verdict for _, j in pairs) for layer, pairs in judged.items()
    }
    layer_texts = {
        layer: f"{layer_verdicts[layer].label}: {_body(pairs)}" for layer, pairs in judged.items()
    }
    for layer in found.not_for_type:
        layer_verdicts[layer] = Verdict.NO_DATA
        layer_texts[layer] = f"{Verdict.NO_DATA.label}: chưa có ngưỡng cho {type_label}"
    judging = found.judging_layer
    if judging is None:
        reason = "chưa có ngưỡng" + (f" cho {type_label}" if found.not_for_type else "")
        result = _without_threshold(ctx, measure, reason)
        return replace(result, layer_verdicts=layer_verdicts, layer_explanations=layer_texts)
    pairs = judged[judging]
    verdict = layer_verdicts[judging]
    body = _body(pairs)
    if judging not in RECOGNITION_LAYERS:
        lead = "chưa có ngưỡng quốc gia"
        if any(layer in RECOGNITION_LAYERS for layer in found.not_for_type):
            lead += f" cho {type_label}"
        body = f"{lead}, đánh giá theo {layer_title(judging)}: {body}"
    explanation = f"{verdict.label}: {body}"
    sides = [
        _side_note(layer, other, layer_verdicts[layer], explanation, unit)
        for layer, other in judged.items()
        if layer != judging
    ]
    if sides:
        explanation += "; " + "; ".join(sides)
    notes = _unique(note for pairs_ in judged.values() for _, j in pairs_ for note in j.notes)
    if notes:
        explanation += "; lưu ý: " + ", ".join(notes)
    figures: dict = {}
    for _, judgement in pairs:
        figures.update(judgement.figures)
    if any(j.above_plan for _, j in pairs):
        figures["above_plan"] = True
    missing = _unique(name for other in judged.values() for _, j in other for name in j.missing)
    return MeasureResult(
        code=measure.code,
        verdict=verdict,
        layer_verdicts=layer_verdicts,
        figures=figures,
        explanation=explanation,
        missing_units=tuple(missing),
        name=measure.name,
        kind=measure.kind,
        layer_explanations=layer_texts,
        judged_by=judging,
    )


def evaluate_node(ctx: Context, node: NodeDef) -> NodeResult:
    """A node is met only when all its sub-nodes (or, for a leaf, all its measures) are met."""
    children = tuple(evaluate_node(ctx, child) for child in node.children)
    measures = tuple(judge_in_node(ctx, node, measure) for measure in node.measures)
    return rollup_node(node, children, measures)


def judge_in_node(ctx: Context, node: NodeDef, measure: MeasureDef) -> MeasureResult:
    """One measure as its sub-criterion judges it (evidence required by the node or the measure)."""
    return evaluate_measure(
        ctx.inp,
        measure,
        evidence_required=node.evidence_required or bool(measure.config.get("evidence_required")),
        context=ctx,
    )


def evaluate(inp: EvaluationInput) -> UnitResult:
    """The verdict tree of one unit on `inp.as_of`, with the recognition conditions."""
    ctx = Context(inp)
    return conclude(inp, tuple(evaluate_node(ctx, node) for node in inp.nodes))


def conclude(inp: EvaluationInput, criteria: tuple[NodeResult, ...]) -> UnitResult:
    """The unit's verdict from its criteria and the recognition conditions."""
    found = conditions(inp, criteria)
    verdict = combine(condition.verdict for condition in found)
    can = recognisable(inp, verdict)
    if can is True:
        explanation = "Đủ điều kiện xét công nhận"
    elif can is False:
        failed = [f"“{c.name}”" for c in found if c.verdict == Verdict.NOT_MET]
        explanation = "Chưa đủ điều kiện xét công nhận, chưa đạt: " + ", ".join(failed)
    elif inp.recognition_rule:
        unknown = [f"“{c.name}”" for c in found if c.verdict == Verdict.NO_DATA]
        explanation = "Chưa đủ dữ liệu để kết luận, thiếu: " + ", ".join(unknown)
    else:
        explanation = found[0].explanation
    return UnitResult(
        unit_code=inp.unit.code,
        verdict=verdict,
        recognisable=can,
        conditions=found,
        children=criteria,
        explanation=explanation,
        unit_name=inp.unit.name,
        as_of=inp.as_of,
        catalog_key=inp.catalog_key,
    )
