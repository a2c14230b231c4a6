"""Which unit, catalog, period and measures a template is for; the rules shared by export and import."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.entry import periods
from tieuchi.collection.excel.layout import COLLECTED_AT, TEMPLATE_KINDS
from tieuchi.collection.models import Observation, ReportingWindow, Submission
from tieuchi.collection.services import ValueRejected, period_bounds
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Plan


class TemplateError(ValueError):
    """A template cannot be made or matched; the message is in Vietnamese."""


def normalise_period(period: str) -> str:
    """ "2023", "2023-Q4", "2023-11": the spelling the figures are stored under."""
    text = (period or "").strip()
    try:
        period_bounds(text)
    except ValueRejected as exc:
        raise TemplateError(str(exc)) from exc
    if len(text) == 4:
        return text
    year, part = text.split("-")
    if part.upper().startswith("Q"):
        return f"{int(year)}-Q{int(part[1:])}"
    return f"{int(year)}-{int(part):02d}"


def previous_period(period: str) -> str:
    """The period before (2023-Q1 → 2022-Q4), accepting the spellings a template may carry."""
    return periods.previous_period(normalise_period(period))


def period_label(period: str) -> str:
    if len(period) == 4:
        return f"năm {period}"
    year, part = period.split("-")
    if part.startswith("Q"):
        return f"quý {part[1:]}/{year}"
    return f"tháng {int(part)}/{year}"


def unit_label(unit: AdminUnit) -> str:
    """ "Phường Giang Biên", "Tổ dân phố số 13" (the type is not repeated when the name has it)."""
    kind = str(unit.get_unit_type_display())
    if unit.name.casefold().startswith(kind.casefold()):
        return unit.name
    return f"{kind} {unit.name}"


def _valid_during(queryset, period: str):
    start, end = period_bounds(period)
    return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )


def find_unit(code: str, period: str) -> AdminUnit:
    """The version of unit `code` that existed during the period (else its newest version)."""
    versions = AdminUnit.objects.filter(official_code=code)
    unit = _valid_during(versions, period).order_by("-valid_from").first()
    unit = unit or versions.order_by("-valid_from").first()
    if unit is None:
        raise TemplateError(f"Không có đơn vị mã '{code}'.")
    return unit


def units_by_code(codes, period: str) -> dict[str, AdminUnit]:
    """Many codes in one query, with the same choice of version as `find_unit`."""
    start, end = period_bounds(period)
    found: dict[str, AdminUnit] = {}
    versions = AdminUnit.objects.filter(official_code__in=set(codes))
    for unit in sorted(
        versions, key=lambda u: (_valid(u, start, end), u.valid_from or dt.date.min)
    ):
        found[unit.official_code] = unit  # the last one wins: valid during the period, newest
    return found


def _valid(unit: AdminUnit, start: dt.date, end: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= start
    )


def reporting_units(root: AdminUnit, period: str, include_subunits: bool) -> list[AdminUnit]:
    """The root and, when asked, every commune or TDP below it that existed during the period."""
    if not include_subunits:
        return [root] if root.level in COLLECTED_AT else []
    below = AdminUnit.objects.filter(path__startswith=root.path, level__in=list(COLLECTED_AT))
    return list(_valid_during(below, period).order_by("path", "official_code"))


def _catalog_applies(catalog: Catalog, unit: AdminUnit) -> bool:
    types = set(catalog.applies_to_unit_types or [])
    if unit.level == "residential_group":
        return not types or (unit.parent is not None and unit.parent.unit_type in types)
    return not types or unit.unit_type in types


def catalogs_for(unit: AdminUnit) -> list[Catalog]:
    """Newest version of each catalog that applies to the unit and has measures it reports."""
    collected = COLLECTED_AT.get(unit.level)
    levels = list(COLLECTED_AT.values()) if collected is None else [collected]
    newest: dict[str, Catalog] = {}
    queryset = Catalog.objects.filter(
        nodes__measures__collected_at__in=levels, nodes__measures__kind__in=TEMPLATE_KINDS
    ).distinct()
    for catalog in queryset.order_by("key", "-version"):
        if catalog.key not in newest and (collected is None or _catalog_applies(catalog, unit)):
            newest[catalog.key] = catalog
    return list(newest.values())


def newest_catalog(key: str) -> Catalog | None:
    return Catalog.objects.filter(key=key).order_by("-version").first()


def choose_catalog(unit: AdminUnit, key: str | None = None) -> Catalog:
    """The catalog asked for, else the only one that applies, else the one the unit's plan uses."""
    if key:
        catalog = newest_catalog(key)
        if catalog is None:
            raise TemplateError(f"Không có bộ tiêu chí '{key}'.")
        return catalog
    candidates = catalogs_for(unit)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        lineage = [*unit.ancestor_ids, unit.pk]
        planned = set(
            Plan.objects.filter(
                unit_id__in=lineage, catalog__key__in=[c.key for c in candidates]
            ).values_list("catalog__key", flat=True)
        )
        chosen = [c for c in candidates if c.key in planned]
        if len(chosen) == 1:
            return chosen[0]
    keys = ", ".join(c.key for c in candidates) or "không có"
    raise TemplateError(f"Hãy chọn bộ tiêu chí cho {unit_label(unit)} (có: {keys}).")


def template_measures(catalog: Catalog) -> dict[str, list[Measure]]:
    """The catalog's measures entered as figures, by collection level, in catalog order."""
    measures = (
        Measure.objects.filter(node__catalog=catalog, kind__in=TEMPLATE_KINDS)
        .select_related("node")
        .order_by("node__position", "position", "pk")
    )
    by_level: dict[str, list[Measure]] = {level: [] for level in COLLECTED_AT.values()}
    for measure in measures:
        by_level.setdefault(measure.collected_at or "ward", []).append(measure)
    return by_level


def period_closed(catalog: Catalog, period: str) -> bool:
    return ReportingWindow.objects.filter(catalog=catalog, period=period, closed=True).exists()


def approved_unit_ids(catalog: Catalog, period: str, unit_ids) -> set[int]:
    """Units whose figures of the period were approved as a whole (the submission is locked)."""
    return set(
        Submission.objects.filter(
            catalog=catalog,
            period=period,
            unit_id__in=list(unit_ids),
            status=Submission.Status.APPROVED,
        ).values_list("unit_id", flat=True)
    )


def is_locked(observation: Observation | None) -> bool:
    return observation is not None and observation.status == Observation.Status.APPROVED
