"""What bench/reevaluate.py checks after its timed changes: the stored results it timed are the
ones a from-scratch computation gives (a fast wrong answer is not measured)."""

from __future__ import annotations

import datetime as dt

AS_OF = dt.date(2023, 11, 30)  # the date bench/reevaluate.py evaluates


def check_aggregates(catalog) -> int:
    """The rows the upkeep left after every change equal a fresh rebuild's."""
    from tieuchi.evaluation.aggregates import rebuild
    from tieuchi.evaluation.models import MeasureAggregate

    columns = ("unit_id", "measure_id", "period", "below_num", "below_den", "below_reported")
    columns += ("below_expected", "own_num", "own_den", "own_state", "reporter", "verdict")
    rows = MeasureAggregate.objects.filter(catalog=catalog, as_of=AS_OF).values_list(*columns)
    kept = set(rows)
    rebuild(catalog, AS_OF)
    assert kept == set(rows.all()), "the aggregate upkeep left rows a rebuild does not give"
    return len(kept)


def check_identity(catalog, ward_ids) -> int:
    """Every changed ward's current run must hash like a from-scratch evaluation."""
    from tieuchi.evaluation.models import EvaluationRun
    from tieuchi.evaluation.services import compute

    checked = 0
    for run in EvaluationRun.objects.filter(
        unit_id__in=ward_ids, catalog=catalog, is_current=True
    ).select_related("unit"):
        _, _, digest = compute(run.unit, catalog, run.as_of, plan=run.plan)
        assert digest == run.input_hash, f"stale stored result for {run.unit}"
        checked += 1
    return checked
