"""Re-judge only some measures of a stored verdict tree; every other measure is carried forward.

A changed figure of measure M can only change M's result: the engine reads figures, events and
plan targets by measure code. So after one value changes, the stored tree (`UnitResult.to_dict`)
is read back, M is judged again on inputs that hold only M's figures, and the nodes above are
rolled up again by the same `rollup_node` and `conclude` a full evaluation uses. The result is
the one `evaluate` gives on the full inputs (tests/test_incremental_identity.py checks this).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .evaluate import conclude, judge_in_node
from .observe import Context
from .results import MeasureResult, UnitResult
from .rollup import rollup_node
from .types import EvaluationInput, NodeDef, Verdict


class StaleTree(ValueError):
    """The stored tree does not match the catalog's measures."""


def measure_from_dict(data: dict[str, Any]) -> MeasureResult:
    """A stored measure result back as the engine's record (figures stay JSON values)."""
    return MeasureResult(
        code=data["code"],
        verdict=Verdict(data["verdict"]),
        layer_verdicts={layer: Verdict(v) for layer, v in data["layer_verdicts"].items()},
        figures=dict(data["figures"]),
        explanation=data["explanation"],
        missing_units=tuple(data["missing_units"]),
        name=data["name"],
        kind=data["kind"],
        layer_explanations=dict(data["layer_explanations"]),
        judged_by=data["judged_by"],
    )


def stored_measures(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every measure result in a stored verdict tree, by code."""
    found: dict[str, dict[str, Any]] = {}
    stack = list(tree.get("children", []))
    while stack:
        node = stack.pop()
        for measure in node.get("measures", []):
            found[measure["code"]] = measure
        stack.extend(node.get("children", []))
    return found


def measure_codes(nodes: Iterable[NodeDef]) -> set[str]:
    codes: set[str] = set()
    for node in nodes:
        codes.update(measure.code for measure in node.measures)
        codes.update(measure_codes(node.children))
    return codes


def reevaluate(inp: EvaluationInput, previous: dict[str, Any], codes: set[str]) -> UnitResult:
    """`previous` with the measures in `codes` judged again on `inp` (which needs only their data).

    Raises StaleTree when `previous` lacks a measure of `inp.nodes` (the catalog changed): the
    caller must then evaluate the whole unit.
    """
    ctx = Context(inp)
    stored = stored_measures(previous)
    missing = measure_codes(inp.nodes) - codes - stored.keys()
    if missing:
        raise StaleTree(", ".join(sorted(missing)))

    def node_result(node: NodeDef):
        children = tuple(node_result(child) for child in node.children)
        measures = tuple(
            judge_in_node(ctx, node, measure)
            if measure.code in codes
            else measure_from_dict(stored[measure.code])
            for measure in node.measures
        )
        return rollup_node(node, children, measures)

    return conclude(inp, tuple(node_result(node) for node in inp.nodes))
