"""The ward's view of its TDPs' figures: sums of numerators and denominators, who is missing."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from tieuchi.catalog.models import Measure
from tieuchi.collection.entry.figures import percent
from tieuchi.collection.entry.measures import children_in
from tieuchi.collection.models import (
    Observation,
)
from tieuchi.orgs.models import AdminUnit, UnitLevel


@dataclass
class RollupRow:
    measure: Measure
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    reported: int = 0
    expected: int = 0
    missing: list[AdminUnit] = field(default_factory=list)

    @property
    def percent(self):
        return percent(self.numerator, self.denominator) if self.reported else None


def ward_rollup(unit, catalog, period, start, end) -> tuple[list[RollupRow], int]:
    """The TDPs' figures summed up for the ward: Σ numerators / Σ denominators, who is missing."""
    children = [c for c in children_in(unit, start, end) if c.level == UnitLevel.RESIDENTIAL_GROUP]
    if not children:
        return [], 0
    measures = list(
        Measure.objects.filter(node__catalog=catalog, collected_at="residential_group").order_by(
            "node__position", "position"
        )
    )
    rows = {m.pk: RollupRow(m, expected=len(children)) for m in measures}
    reported = defaultdict(set)
    figures = Observation.objects.filter(
        unit__in=children, measure__in=measures, period=period
    ).exclude(status=Observation.Status.RETURNED)
    for obs in figures.only("unit_id", "measure_id", "numerator", "denominator"):
        if obs.numerator is None or obs.denominator is None:
            continue
        row = rows[obs.measure_id]
        row.numerator += obs.numerator
        row.denominator += obs.denominator
        row.reported += 1
        reported[obs.measure_id].add(obs.unit_id)
    for row in rows.values():
        row.missing = [c for c in children if c.pk not in reported[row.measure.pk]]
    return list(rows.values()), len(children)


# --- saving one row -------------------------------------------------------------------------------
