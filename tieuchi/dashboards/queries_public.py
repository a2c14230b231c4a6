"""Reads for the public pages: published units and the read-only result of one of them.

Only codes, names, verdicts, dates and figures leave this module: no people, accounts, notes,
evidence or TDP-level detail (the engine's explanations can name sub-units, so they stay out).
One query per page whatever the number of criteria.
"""

from dataclasses import dataclass, field

from tieuchi.dashboards.models import Publication
from tieuchi.evaluation.verdict_display import VerdictView, figure_text, verdict_view


@dataclass
class PublicItem:
    code: str
    name: str
    verdict: VerdictView
    figures: list[str]  # "87,5%", or "2 phường" when the measure is not a ratio


@dataclass
class PublicCriterion:
    code: str
    name: str
    verdict: VerdictView
    met_count: int
    total_count: int
    items: list[PublicItem] = field(default_factory=list)


def published():
    """Public publications with their unit and run (the run's JSON is not loaded)."""
    return (
        Publication.objects.filter(is_public=True, published_run__isnull=False)
        .select_related("unit", "published_run__catalog__legal_document")
        .defer("published_run__inputs", "published_run__result", "note")
    )


def publication_of(unit_code: str) -> Publication | None:
    """The public publication of the unit with this official code (its newest version)."""
    return (
        Publication.objects.filter(
            is_public=True, published_run__isnull=False, unit__official_code=unit_code
        )
        .select_related("unit", "published_run__catalog__legal_document")
        .defer("published_run__inputs", "note")
        .order_by("-unit__valid_from")
        .first()
    )


def _figures(measures: list[dict]) -> list[str]:
    shown = []
    for measure in measures:
        fraction, percent = figure_text(measure.get("figures") or {})
        if percent or fraction:
            shown.append(percent or fraction)
    return shown


def public_criteria(result: dict) -> list[PublicCriterion]:
    """The stored verdict tree, reduced to what the public page shows."""
    criteria = []
    for node in result.get("children", []):
        figures = node.get("figures") or {}
        criterion = PublicCriterion(
            code=node["code"],
            name=node["name"],
            verdict=verdict_view(node["verdict"]),
            met_count=figures.get("met_count", 0),
            total_count=figures.get("total_count", 0),
        )
        for child in node.get("children", []):
            criterion.items.append(
                PublicItem(
                    code=child["code"],
                    name=child["name"],
                    verdict=verdict_view(child["verdict"]),
                    figures=_figures(child.get("measures", [])),
                )
            )
        criteria.append(criterion)
    return criteria
