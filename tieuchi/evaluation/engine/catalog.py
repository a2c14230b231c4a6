"""Engine inputs from catalog and plan mappings as written in data/ (docs/catalog-format.md).

Takes the parsed YAML (plain dicts and lists), so it stays free of any file or Django access;
the Django side builds the same records from database rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .types import MeasureDef, NodeDef, ThresholdDef

LEAF_TYPES = ("subcriterion", "indicator")


def _decimal(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def threshold_from(
    data: Mapping[str, Any], default_layer: str = "national", default_source: str = ""
) -> ThresholdDef:
    target_year = data.get("target_year")
    return ThresholdDef(
        layer=data.get("layer") or default_layer,
        unit_type=data.get("unit_type") or "any",
        comparator=data.get("comparator", ""),
        value=_decimal(data.get("value")),
        value_max=_decimal(data.get("value_max")),
        level=str(data.get("level") or ""),
        benchmark=str(data.get("benchmark") or ""),
        baseline_value=_decimal(data.get("baseline_value")),
        baseline_text=str(data.get("baseline") or ""),
        target_year=int(target_year) if target_year else None,
        text=str(data.get("text") or ""),
        source=str(data.get("source") or default_source),
        measure_code=str(data.get("measure") or ""),
    )


def measure_from(
    data: Mapping[str, Any], code: str, name: str, layer: str, source: str
) -> MeasureDef:
    config = dict(data.get("config") or {})
    if data.get("evidence_required"):
        config.setdefault("evidence_required", True)
    return MeasureDef(
        code=code,
        name=name,
        kind=data.get("kind", "boolean"),
        unit=str(data.get("unit") or ""),
        aggregation=str(data.get("aggregation") or ""),
        collected_at=str(data.get("collected_at") or "ward"),
        config=config,
        thresholds=tuple(threshold_from(t, layer, source) for t in data.get("thresholds") or ()),
    )


def node_from(data: Mapping[str, Any], layer: str, source: str) -> NodeDef:
    code, name = str(data["code"]), str(data.get("short_name") or data.get("name") or "")
    measures: tuple[MeasureDef, ...] = ()
    if data.get("measures"):
        measures = tuple(
            measure_from(m, str(m["code"]), str(m.get("name") or ""), layer, source)
            for m in data["measures"]
        )
    elif data.get("kind"):
        measures = (measure_from(data, code, name, layer, source),)
    return NodeDef(
        code=code,
        name=name,
        node_type=str(data.get("type") or ""),
        children=tuple(node_from(child, layer, source) for child in data.get("children") or ()),
        measures=measures,
        evidence_required=bool(data.get("evidence_required")),
    )


def nodes_from_catalog(catalog: Mapping[str, Any]) -> tuple[NodeDef, ...]:
    """The criteria tree of a catalog file; thresholds default to the file's layer and document."""
    layer = catalog.get("layer") or "national"
    source = str((catalog.get("legal_document") or {}).get("number") or "")
    return tuple(node_from(node, layer, source) for node in catalog.get("nodes") or ())


def recognition_rule_from(catalog: Mapping[str, Any]) -> dict[str, Any]:
    return dict(catalog.get("recognition") or {})


def targets_from_plan(plan: Mapping[str, Any], layer: str = "ward") -> tuple[ThresholdDef, ...]:
    """The plan's targets that apply to a catalog measure (those with a `measure` key)."""
    source = str((plan.get("legal_document") or {}).get("number") or "")
    return tuple(
        threshold_from({**target, "layer": target.get("layer") or layer}, layer, source)
        for target in plan.get("targets") or ()
        if target.get("measure")
    )


def leaves(nodes: Iterable[NodeDef]) -> list[NodeDef]:
    """The sub-criteria / indicators, in catalog order."""
    found: list[NodeDef] = []
    for node in nodes:
        if node.children:
            found.extend(leaves(node.children))
        else:
            found.append(node)
    return found
