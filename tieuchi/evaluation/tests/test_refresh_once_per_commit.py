"""The signals of one commit about many units (an Excel import sends one per TDP) share a
`refreshed` set: the ward's stored runs and aggregate rows are brought current once, from all
the committed figures, and end exactly as if every signal had refreshed them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation
from tieuchi.collection.signals import figures_changed
from tieuchi.evaluation.aggregates import rebuild
from tieuchi.evaluation.models import EvaluationRun, MeasureAggregate
from tieuchi.evaluation.services import compute
from tieuchi.orgs.models import AdminUnit

AS_OF = dt.date(2023, 11, 30)
TDPS = ("00121-TDP01", "00121-TDP02", "00121-TDP06")


def change_tdp_figures(catalog: Catalog) -> None:
    """What a committed import of three TDPs leaves in the database (figures only)."""
    measure = Measure.objects.get(code="8.2", node__catalog=catalog)
    for number, code in enumerate(TDPS, start=1):
        Observation.objects.update_or_create(
            unit=AdminUnit.objects.get(official_code=code),
            measure=measure,
            period="2023",
            defaults={
                "numerator": Decimal(number),
                "denominator": Decimal(10),
                "period_start": dt.date(2023, 1, 1),
                "period_end": dt.date(2023, 12, 31),
            },
        )


def aggregate_rows(catalog) -> dict:
    rows = MeasureAggregate.objects.filter(catalog=catalog, as_of=AS_OF).values_list(
        "unit_id", "measure_id", "period", "below_num", "below_den", "below_reported", "verdict"
    )
    return {row[:3]: row[3:] for row in rows}


@pytest.mark.django_db
def test_one_commit_refreshes_the_ward_once_and_gives_the_same_results():
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code="00121")
    rebuild(catalog, AS_OF)
    current = EvaluationRun.objects.filter(catalog=catalog, is_current=True, unit=ward)
    keys = sorted(current.values_list("as_of", "round_id"), key=str)
    assert keys, "the demo ward has current runs to refresh"
    before = EvaluationRun.objects.filter(unit=ward).count()
    change_tdp_figures(catalog)

    refreshed, queries = set(), []
    for code in TDPS:
        unit = AdminUnit.objects.get(official_code=code)
        with CaptureQueriesContext(connection) as captured:
            figures_changed.send(
                sender=Observation, unit=unit, catalog=catalog, refreshed=refreshed
            )
        queries.append(len(captured))
    # The first TDP's signal does the work; the others only look up the current runs.
    assert queries[0] > 20 and queries[1:] == [1, 1], queries

    # One new run per current (as_of, round) of the ward, not one per TDP signal.
    assert EvaluationRun.objects.filter(unit=ward).count() - before == len(keys)
    assert ("aggregates", ward.pk) in refreshed
    # And those runs hold what a fresh evaluation of the committed figures gives.
    for run in current.select_related("plan"):
        _, _, digest = compute(ward, catalog, run.as_of, plan=run.plan)
        assert run.input_hash == digest
    kept = aggregate_rows(catalog)
    rebuild(catalog, AS_OF)
    assert kept == aggregate_rows(catalog)


@pytest.mark.django_db
def test_signals_without_a_shared_set_each_refresh_as_before():
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code="00121")
    runs = EvaluationRun.objects.filter(catalog=catalog, is_current=True, unit=ward).count()
    before = EvaluationRun.objects.filter(unit=ward).count()
    change_tdp_figures(catalog)
    for code in TDPS[:2]:
        unit = AdminUnit.objects.get(official_code=code)
        figures_changed.send(sender=Observation, unit=unit, catalog=catalog)
    # The first signal stores new runs; the second finds the same inputs and stores none.
    assert EvaluationRun.objects.filter(unit=ward).count() - before == runs
