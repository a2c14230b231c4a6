"""Run the engine and store its results: one transaction, one audit record per stored run."""

import datetime as dt
import hashlib
import time

from django.db import transaction

from tieuchi.accounts import audit
from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.evaluation import engine
from tieuchi.evaluation.inputs import build_input, snapshot
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound, Plan


def plan_for(unit: AdminUnit, catalog: Catalog, as_of: dt.date) -> Plan | None:
    """The unit's plan on this catalog covering the date, whose own targets are judged too."""
    return (
        Plan.objects.filter(
            unit=unit, catalog__key=catalog.key, period_start__lte=as_of, period_end__gte=as_of
        )
        .select_related("legal_document")
        .first()
    )


def compute(unit: AdminUnit, catalog: Catalog, as_of: dt.date, *, plan: Plan | None = None):
    """Evaluate without storing: (engine result, input snapshot, hash)."""
    plan = plan or plan_for(unit, catalog, as_of)
    inp = build_input(unit, catalog, as_of, plan=plan)
    result = engine.evaluate(inp)
    data, digest = snapshot(inp)
    # The catalog tree is not copied into the snapshot (it is versioned data), but a changed
    # threshold must still make the stored result stale: its file hash is part of the key.
    data["catalog_version"] = catalog.version
    data["catalog_sha256"] = catalog.source_sha256
    digest = hashlib.sha256(f"{digest}:{catalog.source_sha256}".encode()).hexdigest()
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
    criteria = list(result.children)
    with transaction.atomic():
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
        NodeResult.objects.bulk_create(_node_rows(run, catalog, criteria))
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


def _node_rows(run: EvaluationRun, catalog: Catalog, criteria) -> list[NodeResult]:
    nodes = {node.code: node for node in CatalogNode.objects.filter(catalog=catalog)}
    rows = []

    def add(result, depth: int) -> None:
        node = nodes.get(result.code)
        if node is not None:
            rows.append(
                NodeResult(
                    run=run,
                    node=node,
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
    unit: AdminUnit, catalog: Catalog, *, actor=None
) -> list[EvaluationRun]:
    """After a figure of `unit` changed: refresh the current runs of the unit and its ancestors only."""
    affected = [*unit.ancestor_ids, unit.pk]
    runs = EvaluationRun.objects.filter(
        unit_id__in=affected, catalog=catalog, is_current=True
    ).select_related("unit", "round__plan")
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


def reevaluate_after_figures_changed(sender, unit: AdminUnit, catalog: Catalog, **kwargs) -> None:
    """Signal receiver: runs right after the transaction that changed the figures committed."""
    reevaluate_after_change(unit, catalog)
