"""Run the engine and store its results: one transaction, one audit record per stored run."""

import datetime as dt
import hashlib
import time

from django.db import transaction

from tieuchi.accounts import audit
from tieuchi.catalog.models import Catalog
from tieuchi.evaluation import engine
from tieuchi.evaluation.inputs import build_input, hash_inputs, node_ids, snapshot
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound, Plan


class Superseded(Exception):
    """The run to replace is no longer current: another change stored a newer one."""


def plan_for(unit: AdminUnit, catalog: Catalog, as_of: dt.date) -> Plan | None:
    """The unit's plan on this catalog covering the date, whose own targets are judged too."""
    return (
        Plan.objects.filter(
            unit=unit, catalog__key=catalog.key, period_start__lte=as_of, period_end__gte=as_of
        )
        .select_related("legal_document")
        .first()
    )


# Stored inputs of this shape can be carried forward by the incremental path (incremental.py).
INPUTS_FORMAT = 2


def seal(data: dict, catalog: Catalog) -> tuple[dict, str]:
    """The stored inputs and their hash: the inputs' own hash joined with the catalog file's.

    The catalog tree is not copied into the snapshot (it is versioned data), but a changed
    threshold must still make the stored result stale: its file hash is part of the key.
    """
    digest = hashlib.sha256(f"{hash_inputs(data)}:{catalog.source_sha256}".encode()).hexdigest()
    sealed = {
        **data,
        "catalog_version": catalog.version,
        "catalog_sha256": catalog.source_sha256,
        "inputs_format": INPUTS_FORMAT,
    }
    return sealed, digest


def compute(
    unit: AdminUnit, catalog: Catalog, as_of: dt.date, *, plan: Plan | None = None, source=None
):
    """Evaluate without storing: (engine result, input snapshot, hash)."""
    plan = plan or plan_for(unit, catalog, as_of)
    inp = build_input(unit, catalog, as_of, plan=plan, source=source)
    result = engine.evaluate(inp)
    data, _ = snapshot(inp)
    data, digest = seal(data, catalog)
    return result, data, digest


def evaluate_unit(
    unit: AdminUnit,
    catalog: Catalog,
    as_of: dt.date,
    *,
    round: EvaluationRound | None = None,
    actor=None,
    trigger: str = EvaluationRun.Trigger.MANUAL,
    channel: str = "system",
) -> EvaluationRun:
    """Evaluate and store. If nothing changed since the current run, that run is returned as is."""
    started = time.perf_counter()
    plan = round.plan if round else plan_for(unit, catalog, as_of)
    result, inputs, digest = compute(unit, catalog, as_of, plan=plan)
    current = EvaluationRun.objects.filter(
        unit=unit, catalog=catalog, as_of=as_of, round=round, is_current=True
    ).first()
    if current and current.input_hash == digest:
        return current
    return store_run(
        unit,
        catalog,
        as_of,
        round=round,
        plan=plan,
        result=result,
        inputs=inputs,
        digest=digest,
        actor=actor,
        trigger=trigger,
        channel=channel,
        started=started,
    )


def store_run(
    unit,
    catalog,
    as_of,
    *,
    round,
    plan,
    result,
    inputs,
    digest,
    actor,
    trigger,
    channel,
    started,
    replacing: EvaluationRun | None = None,
) -> EvaluationRun:
    """Make a new current run with its node rows and one audit record, in one transaction.

    With `replacing`, that run must still be the current one: if another change replaced it in
    the meantime, nothing is written and `Superseded` is raised (the row lock of the UPDATE makes
    two concurrent refreshes of one run take turns).
    """
    criteria = list(result.children)
    with transaction.atomic():
        if replacing is not None:
            still = EvaluationRun.objects.filter(pk=replacing.pk, is_current=True)
            if not still.update(is_current=False):
                raise Superseded(replacing)
        else:
            EvaluationRun.objects.filter(
                unit=unit, catalog=catalog, as_of=as_of, round=round, is_current=True
            ).update(is_current=False)
        run = EvaluationRun.objects.create(
            unit=unit,
            catalog=catalog,
            plan=plan,
            round=round,
            as_of=as_of,
            period=inputs["period"],
            verdict=str(result.verdict),
            recognisable=result.recognisable,
            met_count=sum(1 for c in criteria if c.verdict == engine.Verdict.MET),
            total_count=len(criteria),
            result=result.to_dict(),
            inputs=inputs,
            input_hash=digest,
            trigger=trigger,
            triggered_by=actor,
            duration_ms=int((time.perf_counter() - started) * 1000),
        )
        NodeResult.objects.bulk_create(_node_rows(run, node_ids(catalog), criteria))
        audit.record(
            actor,
            "evaluate",
            run,
            after={
                "verdict": run.verdict,
                "met": run.met_count,
                "total": run.total_count,
                "hash": digest,
            },
            channel=channel,
        )
    return run


def _node_rows(run: EvaluationRun, nodes: dict[str, int], criteria) -> list[NodeResult]:
    rows = []

    def add(result, depth: int) -> None:
        node_id = nodes.get(result.code)
        if node_id is not None:
            rows.append(
                NodeResult(
                    run=run,
                    node_id=node_id,
                    code=result.code,
                    depth=depth,
                    verdict=str(result.verdict),
                    met_count=result.met_count,
                    total_count=result.total_count,
                    explanation=result.explanation,
                    figures=_figures(result),
                )
            )
        for child in result.children:
            add(child, depth + 1)

    for criterion in criteria:
        add(criterion, 0)
    return rows


def _figures(result) -> dict:
    data = result.to_dict()
    return {
        "measures": [
            {k: m[k] for k in ("code", "verdict", "figures", "explanation")}
            for m in data["measures"]
        ]
    }


def reevaluate_after_change(
    unit: AdminUnit, catalog: Catalog, *, actor=None, refreshed: set | None = None
) -> list[EvaluationRun]:
    """After a figure of `unit` changed: refresh the current runs of the unit and its ancestors only.

    `refreshed` is shared by the signals of one commit (an import sends one per unit): every
    figure was committed before the first of them, so a run refreshed once already sees them
    all, and the 20 TDP signals of a ward's file refresh the ward's runs once, not 20 times."""
    affected = [*unit.ancestor_ids, unit.pk]
    runs = EvaluationRun.objects.filter(
        unit_id__in=affected, catalog=catalog, is_current=True
    ).select_related("unit", "round__plan")
    if refreshed is not None:
        runs = [
            run for run in runs if ("run", run.unit_id, run.as_of, run.round_id) not in refreshed
        ]
        refreshed.update(("run", run.unit_id, run.as_of, run.round_id) for run in runs)
    return [
        evaluate_unit(
            run.unit,
            catalog,
            run.as_of,
            round=run.round,
            actor=actor,
            trigger=EvaluationRun.Trigger.VALUE_CHANGE,
        )
        for run in runs
    ]


def reevaluate_after_figures_changed(
    sender,
    unit: AdminUnit,
    catalog: Catalog,
    measure=None,
    period: str = "",
    refreshed: set | None = None,
    **kwargs,
) -> None:
    """Signal receiver: runs right after the transaction that changed the figures committed.

    When the sender names the one figure that changed (measure and period), only that measure is
    judged again; otherwise (imports, workflow, evidence) the whole unit and its ancestors are.
    """
    from tieuchi.evaluation.incremental import reevaluate_measure_change

    if measure is None:
        reevaluate_after_change(unit, catalog, refreshed=refreshed)
    else:
        reevaluate_measure_change(unit, catalog, measure.code, period)
