"""Full recompute as a background task with progress (django.tasks, database backend)."""

import datetime as dt
import time

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.aggregates import rebuild
from tieuchi.evaluation.models import EvaluationRun, MeasureAggregate, RecomputeJob
from tieuchi.evaluation.preload import PreloadedSource
from tieuchi.evaluation.services import compute, store_run
from tieuchi.orgs.models import AdminUnit


def units_for(catalog: Catalog, as_of: dt.date):
    """Every unit valid on the date whose type the catalog applies to."""
    return (
        AdminUnit.objects.valid_on(as_of)
        .filter(unit_type__in=catalog.applies_to_unit_types)
        .order_by("path")
    )


def request_full_recompute(
    catalog: Catalog, as_of: dt.date, *, actor=None, channel: str = "web", enqueue: bool = True
) -> RecomputeJob:
    """Queue a recompute (or only record it, for a caller that runs it itself); the row shows progress."""
    with transaction.atomic():
        job = RecomputeJob.objects.create(
            catalog=catalog,
            as_of=as_of,
            total=units_for(catalog, as_of).count(),
            requested_by=actor,
        )
        audit.record(
            actor,
            "request_recompute",
            job,
            after={"catalog": catalog.key, "as_of": as_of.isoformat()},
            channel=channel,
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = recompute_catalog.enqueue(job_id)
    RecomputeJob.objects.filter(pk=job_id).update(task_id=str(result.id))


# Progress is written about this many times per job, not once per unit.
PROGRESS_STEPS = 50


@task
def recompute_catalog(job_id: int) -> int:
    """Re-evaluate every unit in one pass; returns how many stored results changed.

    First the (catalog, as_of) aggregate set is rebuilt by the batch path (`aggregates.rebuild`:
    sums and verdicts of the ratio indicators for every unit, month, quarter and the year). Then
    the catalog's figures, events, titles, plans and registrations are read once
    (`PreloadedSource`), each unit is judged from memory by the same engine and `build_input` as
    `evaluate_unit`, and a new run is stored only where the inputs' hash changed.
    """
    job = RecomputeJob.objects.select_related("catalog").get(pk=job_id)
    catalog, as_of = job.catalog, job.as_of
    units = list(units_for(catalog, as_of))
    RecomputeJob.objects.filter(pk=job_id).update(
        status=RecomputeJob.Status.RUNNING,
        started_at=timezone.now(),
        total=len(units),
        done=0,
        phase=RecomputeJob.Phase.AGGREGATES,
    )
    changed = 0
    try:
        rebuilt = rebuild(catalog, as_of, actor=job.requested_by)
        RecomputeJob.objects.filter(pk=job_id).update(
            phase=RecomputeJob.Phase.UNITS, aggregate_rows=rebuilt.rows
        )
        source = PreloadedSource(catalog, as_of)
        current = dict(
            EvaluationRun.objects.filter(
                catalog=catalog, as_of=as_of, round=None, is_current=True
            ).values_list("unit_id", "input_hash")
        )
        step = max(1, len(units) // PROGRESS_STEPS)
        for index, unit in enumerate(units, start=1):
            started = time.perf_counter()
            plan = source.plan(unit)
            result, inputs, digest = compute(unit, catalog, as_of, plan=plan, source=source)
            if current.get(unit.pk) != digest:
                store_run(
                    unit,
                    catalog,
                    as_of,
                    round=None,
                    plan=plan,
                    result=result,
                    inputs=inputs,
                    digest=digest,
                    actor=None,
                    trigger=EvaluationRun.Trigger.FULL_RECOMPUTE,
                    channel="system",
                    started=started,
                )
                changed += 1
            if index % step == 0 or index == len(units):
                RecomputeJob.objects.filter(pk=job_id).update(done=index, changed=changed)
    except Exception as error:  # noqa: BLE001 - the job row must say what went wrong, then re-raise
        RecomputeJob.objects.filter(pk=job_id).update(
            status=RecomputeJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    RecomputeJob.objects.filter(pk=job_id).update(
        status=RecomputeJob.Status.DONE, finished_at=timezone.now()
    )
    return changed


def recompute_after_catalog_change(sender, catalog: Catalog, **kwargs) -> list[RecomputeJob]:
    """A changed catalog makes its stored results stale: queue one recompute per evaluated date
    (dates with current results, and dates with an aggregate set, whose verdicts follow the
    thresholds too)."""
    dates = set(
        EvaluationRun.objects.filter(catalog=catalog, is_current=True, round=None)
        .values_list("as_of", flat=True)
        .distinct()
    )
    dates |= set(
        MeasureAggregate.objects.filter(catalog=catalog).values_list("as_of", flat=True).distinct()
    )
    return [
        request_full_recompute(catalog, as_of, channel="system") for as_of in sorted(set(dates))
    ]
