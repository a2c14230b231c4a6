"""Figures of a unit and period as plain data: `tieuchi export values` prints this as JSON."""

from __future__ import annotations

from decimal import Decimal

from tieuchi.collection.models import Observation
from tieuchi.orgs.models import AdminUnit


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def value_dict(observation: Observation) -> dict:
    return {
        "unit": observation.unit.official_code,
        "catalog": observation.measure.node.catalog.key,
        "indicator": observation.measure.code,
        "period": observation.period,
        "figures": {
            "numerator": _number(observation.numerator),
            "denominator": _number(observation.denominator),
            "value": _number(observation.value),
            "boolean": observation.boolean_value,
            "level": observation.level or None,
        },
        "status": observation.status,
        "version": observation.version,
    }


def values_dict(units: list[AdminUnit], period: str, *, catalog_key: str | None = None) -> dict:
    """{"values": [...]} in unit, catalog and catalog order."""
    observations = Observation.objects.filter(unit__in=units, period=period).select_related(
        "unit", "measure__node__catalog"
    )
    if catalog_key:
        observations = observations.filter(measure__node__catalog__key=catalog_key)
    observations = observations.order_by(
        "unit__path",
        "unit__official_code",
        "measure__node__catalog__key",
        "measure__node__position",
        "measure__position",
    )
    return {"values": [value_dict(observation) for observation in observations]}
