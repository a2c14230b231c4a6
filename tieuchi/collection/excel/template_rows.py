"""What a template holds: one row per figure a unit reports (`collect_rows`), the figures' wording,
and the checksum that signs the template's identifying cells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.excel.cells import BOOLEAN_CHOICES, Figures
from tieuchi.collection.excel.context import (
    approved_unit_ids,
    previous_period,
    reporting_units,
    template_measures,
)
from tieuchi.collection.excel.layout import COLLECTED_AT
from tieuchi.collection.models import Observation
from tieuchi.core.formatting import vn_number
from tieuchi.orgs.models import AdminUnit

SIGNED_META = ("format", "unit_code", "period", "catalog_key", "catalog_version", "subunits")


@dataclass
class TemplateRow:
    unit: AdminUnit
    measure: Measure
    figures: Figures
    version: int
    status: str
    locked: bool
    previous: Figures | None


def figures_of(observation: Observation | None) -> Figures:
    if observation is None:
        return Figures()
    return Figures(
        observation.numerator,
        observation.denominator,
        observation.value,
        observation.boolean_value,
        observation.level or "",
    )


def describe(figures: Figures | None, measure: Measure) -> str:
    """ "700/760 (92,1%)", "Đạt", "khá", "74.400.000 VND/người/năm"; "" when nothing."""
    if figures is None or figures.empty:
        return ""
    if figures.numerator is not None or figures.denominator is not None:
        text = f"{vn_number(figures.numerator)}/{vn_number(figures.denominator)}"
        if figures.numerator is not None and figures.denominator:
            text += f" ({vn_number(figures.numerator * 100 / figures.denominator, 1)}%)"
        return text
    if figures.boolean_value is not None:
        return BOOLEAN_CHOICES[0] if figures.boolean_value else BOOLEAN_CHOICES[1]
    if figures.level:
        return figures.level
    unit = f" {measure.unit_of_measure}" if measure.unit_of_measure else ""
    return f"{vn_number(figures.value)}{unit}"


def collect_rows(
    root: AdminUnit, catalog: Catalog, period: str, *, include_subunits: bool = False
) -> list[TemplateRow]:
    """One row per (unit, measure) the unit reports, with the current and previous figures."""
    units = reporting_units(root, period, include_subunits)
    measures = template_measures(catalog)
    unit_ids = [unit.pk for unit in units]
    wanted = [m.pk for level in measures.values() for m in level]
    previous = previous_period(period)
    current: dict[tuple[int, int], Observation] = {}
    before: dict[tuple[int, int], Observation] = {}
    observations = Observation.objects.filter(
        unit_id__in=unit_ids, measure_id__in=wanted, period__in=[period, previous]
    )
    for observation in observations:
        target = current if observation.period == period else before
        target[observation.unit_id, observation.measure_id] = observation
    approved = approved_unit_ids(catalog, period, unit_ids)
    rows = []
    for unit in units:
        for measure in measures.get(COLLECTED_AT[unit.level], []):
            observation = current.get((unit.pk, measure.pk))
            old = before.get((unit.pk, measure.pk))
            status = observation.status if observation else ""
            rows.append(
                TemplateRow(
                    unit=unit,
                    measure=measure,
                    figures=figures_of(observation),
                    version=observation.version if observation else 0,
                    status=status,
                    locked=status == Observation.Status.APPROVED or unit.pk in approved,
                    previous=figures_of(old) if old else None,
                )
            )
    return rows


def checksum(meta: dict, id_rows: Iterable[tuple]) -> str:
    """HMAC (the server's secret key) over the template's identity and every row's hidden ids."""
    head = "\x1e".join(str(meta.get(key, "")) for key in SIGNED_META)
    lines = sorted(["\x1f".join(map(str, row)) for row in id_rows])
    message = head + "\n" + "\n".join(lines)
    return salted_hmac("tieuchi.collection.excel", message, algorithm="sha256").hexdigest()


def template_filename(root: AdminUnit, catalog: Catalog, period: str) -> str:
    return f"mau-so-lieu-{root.official_code}-{period}-{catalog.key}.xlsx"
