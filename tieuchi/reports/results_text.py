"""Sentences and table cells built from a stored scorecard, shared by the document kinds.

Every figure comes from `tieuchi.evaluation.queries_scorecard.scorecard` (the object the
scorecard page renders), formatted by the same functions, so a document cannot disagree with
the page.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from tieuchi.collection.models import Evidence
from tieuchi.evaluation.models import EvaluationRun, Verdict
from tieuchi.evaluation.queries_scorecard import Criterion, Item, MeasureLine, Scorecard
from tieuchi.plans.models import PlanRowParty


def date_text(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def count_text(met: int, total: int) -> str:
    """ "3/9", as the scorecard shows a criterion's sub-criteria met."""
    return f"{met}/{total}"


def measure_text(line: MeasureLine) -> str:
    """One measure's figures as the scorecard page prints them: "7/8 (87,5%)", "12 vụ việc"."""
    parts = [line.fraction, f"({line.percent})" if line.percent else ""]
    text = " ".join(part for part in parts if part)
    if line.reported:
        text = f"{text}; {line.reported}" if text else line.reported
    return text


def item_figures(item: Item) -> str:
    """All measures of a sub-criterion, one per line, prefixed by the code when there are several."""
    lines = [line for line in item.measures if measure_text(line)]
    if len(item.measures) == 1:
        return measure_text(item.measures[0])
    return "\n".join(f"{line.code}: {measure_text(line)}" for line in lines)


def verdict_counts(card: Scorecard) -> dict[str, int]:
    counts = {Verdict.MET: 0, Verdict.NOT_MET: 0, Verdict.NO_DATA: 0}
    for item in card.items:
        counts[item.verdict.code] = counts.get(item.verdict.code, 0) + 1
    return counts


def summary_sentence(card: Scorecard, place: str) -> str:
    """ "Phường Giang Biên đạt 3/9 tiêu chí; 40/52 nội dung đạt, 5 chưa đạt, 7 chưa đủ dữ liệu." """
    counts = verdict_counts(card)
    return (
        f"{place} đạt {count_text(card.met_count, card.total_count)} tiêu chí; "
        f"{count_text(counts[Verdict.MET], len(card.items))} nội dung đạt, "
        f"{counts[Verdict.NOT_MET]} nội dung chưa đạt, "
        f"{counts[Verdict.NO_DATA]} nội dung chưa đủ dữ liệu để đánh giá."
    )


def open_items(card: Scorecard) -> list[tuple[Criterion, Item]]:
    """Sub-criteria not met or without enough data, in catalog order."""
    return [
        (criterion, item)
        for criterion in card.criteria
        for item in criterion.items
        if item.verdict.code != Verdict.MET
    ]


def leader_text(item: Item) -> str:
    """ "Đ/c Đông – CT UBND", as the plan names the leader in charge."""
    if not item.leader:
        return ""
    return f"{item.leader} – {item.leader_title}" if item.leader_title else item.leader


def implementing_text(item: Item) -> str:
    return "; ".join(item.implementing)


def coordinating_text(item: Item) -> str:
    return "; ".join(item.parties(PlanRowParty.Role.COORDINATING))


def evidence_names(run: EvaluationRun) -> dict[str, list[str]]:
    """The evidence files per sub-criterion code: the same files `evidence_counts` counts."""
    key, unit, as_of = run.catalog.key, run.unit, run.as_of
    rows = (
        Evidence.objects.filter(unit__path__startswith=unit.path)
        .filter(Q(node__catalog__key=key) | Q(observation__measure__node__catalog__key=key))
        .filter(Q(observation__isnull=True) | Q(observation__period_start__lte=as_of))
        .filter(Q(captured_on__isnull=True) | Q(captured_on__lte=as_of))
        .values_list("node__code", "observation__measure__node__code", "original_name")
        .order_by("original_name", "pk")
    )
    names: dict[str, list[str]] = {}
    for node_code, measure_node_code, name in rows:
        names.setdefault(node_code or measure_node_code, []).append(name)
    return names


def stated_sources(run: EvaluationRun) -> dict[str, list[str]]:
    """What the stored figures name as their basis: sources, decisions, events' records."""
    sources: dict[str, list[str]] = {}
    for criterion in run.result.get("children", []):
        for item in criterion.get("children", []):
            found: list[str] = []
            for measure in item.get("measures", []):
                figures = measure.get("figures") or {}
                found += figures.get("sources") or []
                found += [figures["decision"]] if figures.get("decision") else []
                found += [event["source"] for event in figures.get("event_list") or []]
            sources[item["code"]] = list(dict.fromkeys(source for source in found if source))
    return sources
