"""Outputs of the evaluation engine: a verdict tree with figures and Vietnamese explanations.

Every result has `to_dict()` giving JSON-ready data (Decimals become ints or floats, dates ISO
strings) with at least `code`, `verdict`, `figures`, `explanation` and `children`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .types import Verdict


def jsonable(value: Any) -> Any:
    """Decimals → int or float, dates → "YYYY-MM-DD", containers recursively."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


@dataclass(frozen=True)
class MeasureResult:
    code: str
    verdict: Verdict
    layer_verdicts: dict[str, Verdict] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    explanation: str = ""
    missing_units: tuple[str, ...] = ()
    name: str = ""
    kind: str = ""
    layer_explanations: dict[str, str] = field(default_factory=dict)
    judged_by: str = ""  # the layer whose threshold gave the verdict ("national", "ward", …)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "verdict": str(self.verdict),
            "judged_by": self.judged_by,
            "layer_verdicts": {layer: str(v) for layer, v in self.layer_verdicts.items()},
            "layer_explanations": dict(self.layer_explanations),
            "figures": jsonable(self.figures),
            "explanation": self.explanation,
            "missing_units": list(self.missing_units),
            "children": [],
        }


@dataclass(frozen=True)
class NodeResult:
    code: str
    name: str
    verdict: Verdict
    met_count: int
    total_count: int
    explanation: str
    children: tuple[NodeResult, ...] = ()
    measures: tuple[MeasureResult, ...] = ()
    node_type: str = ""

    @property
    def figures(self) -> dict[str, int]:
        return {"met_count": self.met_count, "total_count": self.total_count}

    def walk(self):
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "type": self.node_type,
            "verdict": str(self.verdict),
            "figures": self.figures,
            "explanation": self.explanation,
            "measures": [measure.to_dict() for measure in self.measures],
            "children": [child.to_dict() for child in self.children],
        }


@dataclass(frozen=True)
class Condition:
    """One recognition condition: all criteria met, registration age, satisfaction survey."""

    key: str
    name: str
    verdict: Verdict
    explanation: str
    figures: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.key,
            "name": self.name,
            "verdict": str(self.verdict),
            "figures": jsonable(self.figures),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class UnitResult:
    unit_code: str
    verdict: Verdict
    recognisable: bool | None
    conditions: tuple[Condition, ...] = ()
    children: tuple[NodeResult, ...] = ()
    explanation: str = ""
    unit_name: str = ""
    as_of: dt.date | None = None
    catalog_key: str = ""

    @property
    def code(self) -> str:
        return self.unit_code

    @property
    def figures(self) -> dict[str, int]:
        met = sum(1 for child in self.children if child.verdict == Verdict.MET)
        return {"met_count": met, "total_count": len(self.children)}

    def node(self, code: str) -> NodeResult:
        """The node with this code anywhere in the tree (KeyError if absent)."""
        for root in self.children:
            for node in root.walk():
                if node.code == code:
                    return node
        raise KeyError(code)

    def measure(self, code: str) -> MeasureResult:
        for root in self.children:
            for node in root.walk():
                for measure in node.measures:
                    if measure.code == code:
                        return measure
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.unit_code,
            "name": self.unit_name,
            "catalog": self.catalog_key,
            "as_of": jsonable(self.as_of),
            "verdict": str(self.verdict),
            "recognisable": self.recognisable,
            "figures": self.figures,
            "explanation": self.explanation,
            "conditions": [condition.to_dict() for condition in self.conditions],
            "children": [child.to_dict() for child in self.children],
        }
