"""Figures of a file far outside the unit's own history: flagged, listed on the preview and
written only once the user confirms them (the same rule as the entry form, `entry.unusual`)."""

from __future__ import annotations

from tieuchi.catalog.models import Measure
from tieuchi.collection.entry.figures import unusual
from tieuchi.collection.entry.measures import input_mode
from tieuchi.collection.entry.periods import previous_period
from tieuchi.collection.excel.check_result import CHANGED, NEW, PlannedRow, Problem
from tieuchi.collection.models import Observation


def flag_unusual(rows: list[PlannedRow], measures: dict[int, Measure], period: str) -> None:
    """Set `warning` on the new and changed rows far from the previous period (one query)."""
    written = [row for row in rows if row.status in (NEW, CHANGED)]
    if not written:
        return
    previous = {
        (o.unit_id, o.measure_id): o
        for o in Observation.objects.filter(
            unit_id__in={row.unit_id for row in written},
            measure_id__in={row.measure_id for row in written},
            period=previous_period(period),
        ).only("unit_id", "measure_id", "numerator", "denominator", "value")
    }
    if not previous:
        return
    modes: dict[int, str] = {}
    for row in written:
        before = previous.get((row.unit_id, row.measure_id))
        if before is None:
            continue
        measure = measures[row.measure_id]
        mode = modes.setdefault(row.measure_id, input_mode(measure))
        row.warning = unusual(mode, measure, row.new._asdict(), before) or ""


def unusual_problems(rows: list[dict]) -> list[Problem]:
    """The stored rows (`check_result.row_dict`) that need confirmation, as problems to list."""
    return [
        Problem(f"{row['code']}: {row['warning']}", row["row"], kind="unusual")
        for row in rows
        if row.get("warning")
    ]
