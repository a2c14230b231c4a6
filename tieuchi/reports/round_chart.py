"""The share of sub-criteria met in each round of the plan so far, as a picture for a report.

The current round's counts come from the scorecard the report already holds; earlier rounds from
their own stored runs, so the bars equal what each round's scorecard said.
"""

from __future__ import annotations

from tieuchi.core.nd30.document import Image
from tieuchi.evaluation.models import Verdict
from tieuchi.evaluation.queries_scorecard import Scorecard, current_run
from tieuchi.reports.charts import share_met_by_round
from tieuchi.reports.request import ReportRequest


def leaf_counts(result: dict) -> tuple[int, int]:
    """(sub-criteria met, sub-criteria) in a stored verdict tree: unit → criteria → items."""
    items = [item for criterion in result.get("children", []) for item in criterion["children"]]
    return sum(1 for item in items if item["verdict"] == Verdict.MET), len(items)


def rounds_met(request: ReportRequest, card: Scorecard) -> list[tuple[str, int, int]]:
    """("Đợt 1", met, total) for each round of the plan up to the report's, with a stored run."""
    if request.round is None:
        return []
    bars = []
    for round_ in request.round.plan.rounds.filter(number__lte=request.round.number):
        if round_.pk == request.round.pk:
            met = sum(1 for item in card.items if item.verdict.code == Verdict.MET)
            bars.append((f"Đợt {round_.number}", met, len(card.items)))
            continue
        run = current_run(request.unit, card.run.catalog, round=round_)
        if run is not None:
            bars.append((f"Đợt {round_.number}", *leaf_counts(run.result)))
    return bars


def rounds_image(request: ReportRequest, card: Scorecard, figure_number: int = 1) -> list[Image]:
    bars = rounds_met(request, card)
    if not bars:
        return []
    caption = f"Hình {figure_number}. Tỷ lệ nội dung đạt qua các đợt đánh giá"
    return [Image(share_met_by_round(bars), width_mm=150, caption=caption)]
