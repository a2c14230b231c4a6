"""After one figure changed: judge that measure again and carry every other stored result forward.

A figure of measure M (unit U, a year period) can only change M's result, in the current runs of U
and of its ancestors. For each such run this reads M's figures and events below the run's unit
(one small query each, whatever the number of other measures and months), judges M with the same
engine code, rolls the criteria up again over the stored tree (`engine.partial`) and rewrites the
stored inputs with M's figures replaced. The new run is the one a full evaluation would store: same
tree, node rows, inputs and hash (tests/test_incremental_identity.py). Whenever a run cannot be
carried forward — its catalog, plan targets, units, titles, benchmarks or registration changed
since, or it was stored in an older format — the whole unit is evaluated instead.
"""

import time

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.engine import partial
from tieuchi.evaluation.inputs import (
    DatabaseSource,
    build_input,
    event_order,
    figure_order,
    is_year,
    other_baselines,
    snapshot,
)
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.services import (
    INPUTS_FORMAT,
    Superseded,
    evaluate_unit,
    plan_for,
    seal,
    store_run,
)
from tieuchi.orgs.models import AdminUnit

# Parts of the stored inputs a figure change leaves as they are; if any differs, something else
# changed since the run was stored and the unit is evaluated whole.
CARRIED = ("as_of", "period", "catalog", "units", "titles", "benchmarks", "plan_targets")
CARRIED += ("registration", "survey")


def reevaluate_measure_change(
    unit: AdminUnit, catalog: Catalog, code: str, period: str = "", *, actor=None
) -> list[EvaluationRun]:
    """Refresh the current runs of `unit` and its ancestors after a figure of `code` changed."""
    if period and not is_year(period) and (code, period) not in other_baselines(catalog):
        return []  # a month or a quarter: the engine never reads it, no result can change
    runs = list(
        EvaluationRun.objects.filter(
            unit_id__in=[*unit.ancestor_ids, unit.pk], catalog=catalog, is_current=True
        ).select_related("unit", "round__plan__legal_document")
    )
    if not runs:
        return []
    return [refresh_run(run, catalog, {code}, actor=actor) for run in runs]


def refresh_run(run: EvaluationRun, catalog: Catalog, codes: set[str], *, actor=None):
    """`run` with the measures in `codes` judged again; a new current run only if inputs changed."""
    started = time.perf_counter()
    unit, as_of, round_ = run.unit, run.as_of, run.round
    plan = round_.plan if round_ else plan_for(unit, catalog, as_of)
    stored = run.inputs

    def whole() -> EvaluationRun:
        return evaluate_unit(
            unit,
            catalog,
            as_of,
            round=round_,
            actor=actor,
            trigger=EvaluationRun.Trigger.VALUE_CHANGE,
        )

    if (
        stored.get("inputs_format") != INPUTS_FORMAT
        or stored.get("catalog_sha256") != catalog.source_sha256
        or stored.get("catalog_version") != catalog.version
    ):
        return whole()
    source = DatabaseSource(catalog, as_of, codes)
    narrow = build_input(unit, catalog, as_of, plan=plan, source=source)
    fresh, _ = snapshot(narrow)
    if any(fresh[key] != stored.get(key) for key in CARRIED):
        return whole()
    try:
        result = partial.reevaluate(narrow, run.result, codes)
    except partial.StaleTree:
        return whole()
    data = {key: stored[key] for key in fresh}
    data["figures"] = _replace(stored["figures"], fresh["figures"], codes, figure_order)
    data["events"] = _replace(stored["events"], fresh["events"], codes, event_order)
    data, digest = seal(data, catalog)
    if digest == run.input_hash:
        return run
    try:
        return store_run(
            unit,
            catalog,
            as_of,
            round=round_,
            plan=plan,
            result=result,
            inputs=data,
            digest=digest,
            actor=actor,
            trigger=EvaluationRun.Trigger.VALUE_CHANGE,
            channel="system",
            started=started,
            replacing=run,
        )
    except Superseded:
        # Two changes in one ward at once: this one was computed from a run the other has just
        # replaced, so the whole unit is evaluated again and neither change is lost.
        return whole()


def _replace(stored: list[dict], fresh: list[dict], codes: set[str], order) -> list[dict]:
    kept = [item for item in stored if item["measure_code"] not in codes]
    return sorted(kept + fresh, key=order)
