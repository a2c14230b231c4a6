"""Which catalog, units and measures a unit's entry sheet covers, and how a unit is titled."""

import datetime as dt

from django.db.models import Q

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.orgs.models import AdminUnit, UnitLevel

DEFAULT_CATALOG = "qd04-2022"
# Which measures a unit enters, by the unit's level (Measure.collected_at).
COLLECTED_AT = {
    UnitLevel.RESIDENTIAL_GROUP: ("residential_group",),
    UnitLevel.COMMUNE: ("ward", "commune", ""),
    UnitLevel.DISTRICT: ("district",),
    UnitLevel.PROVINCE: ("province", "city"),
}


def unit_title(unit: AdminUnit) -> str:
    """ "Phường Giang Biên", but "Tổ dân phố số 13" (the name already says what it is)."""
    kind = str(unit.get_unit_type_display())
    return unit.name if unit.name.lower().startswith(kind.lower()) else f"{kind} {unit.name}"


def resolve_catalog(key: str | None) -> Catalog | None:
    """The newest version of the catalog `key` (default qd04-2022)."""
    return Catalog.objects.filter(key=key or DEFAULT_CATALOG).order_by("-version").first()


def input_mode(measure: Measure) -> str:
    """How a measure is typed: ratio (numerator + denominator), boolean, level, value; or title
    (held titles come from recognition decisions, not from this form)."""
    kind = measure.kind
    if kind == "ratio":
        return "ratio"
    if kind == "boolean":
        return "boolean"
    if kind == "level":
        return "level"
    if kind == "title":
        return "title"
    return "value"


def measures_for(unit: AdminUnit, catalog: Catalog):
    """The measures `unit` enters for `catalog`, in catalog order."""
    return (
        Measure.objects.filter(
            node__catalog=catalog, collected_at__in=COLLECTED_AT.get(unit.level, ())
        )
        .select_related("node")
        .order_by("node__position", "position")
    )


def unit_catalog_applies(unit: AdminUnit, catalog: Catalog, parent_type: str = "") -> bool:
    """A catalog applies to its unit types and to the TDPs and thôn below them."""
    types = catalog.applies_to_unit_types or []
    if not types:
        return True
    if unit.level == UnitLevel.RESIDENTIAL_GROUP:
        return (parent_type or (unit.parent.unit_type if unit.parent_id else "")) in types
    return unit.unit_type in types


# --- figures --------------------------------------------------------------------------------------


def children_in(unit: AdminUnit, start: dt.date, end: dt.date):
    """The units directly below `unit` that existed at some time in the period."""
    return (
        AdminUnit.objects.filter(parent=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("official_code")
    )
