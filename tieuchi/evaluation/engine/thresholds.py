"""Which thresholds apply: per layer, for the unit's type, and which layer gives the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

from .types import FALLBACK_LAYERS, RECOGNITION_LAYERS, MeasureDef, ThresholdDef

ANY_TYPES = ("any", "", None)


@dataclass
class Applicable:
    """The thresholds of each layer that apply to the unit type, in first-seen layer order."""

    by_layer: dict[str, list[ThresholdDef]] = field(default_factory=dict)
    # Layers that have thresholds, but none for this unit type (8.8 has none for thị trấn).
    not_for_type: list[str] = field(default_factory=list)

    @property
    def recognition_layer(self) -> str | None:
        for layer in RECOGNITION_LAYERS:
            if self.by_layer.get(layer):
                return layer
        return None

    @property
    def judging_layer(self) -> str | None:
        """The recognition layer, else the most local target (the plan's), else any layer."""
        layer = self.recognition_layer
        if layer:
            return layer
        for layer in FALLBACK_LAYERS:
            if self.by_layer.get(layer):
                return layer
        return next((layer for layer, items in self.by_layer.items() if items), None)


def applicable(measure: MeasureDef, extra: tuple[ThresholdDef, ...], unit_type: str) -> Applicable:
    """Catalog thresholds plus the plan targets on this measure, chosen for the unit type.

    In each layer a threshold for the unit's own type wins over the "any" ones; several applicable
    thresholds in one layer must all be met.
    """
    grouped: dict[str, list[ThresholdDef]] = {}
    for threshold in (*measure.thresholds, *(t for t in extra if t.measure_code == measure.code)):
        grouped.setdefault(threshold.layer or "national", []).append(threshold)
    result = Applicable()
    for layer, items in grouped.items():
        specific = [t for t in items if t.unit_type == unit_type]
        chosen = specific or [t for t in items if t.unit_type in ANY_TYPES]
        result.by_layer[layer] = chosen
        if not chosen:
            result.not_for_type.append(layer)
    return result
