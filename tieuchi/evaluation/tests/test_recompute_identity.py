"""The full recompute reads everything once, yet stores exactly what evaluating each unit stores."""

import datetime as dt
from decimal import Decimal

import pytest

from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation, TitleAward
from tieuchi.evaluation import inputs, services
from tieuchi.evaluation.jobs import recompute_catalog, request_full_recompute, units_for
from tieuchi.evaluation.models import EvaluationRun, RecomputeJob
from tieuchi.evaluation.preload import PreloadedSource
from tieuchi.evaluation.tests.test_incremental_identity import assert_like_a_full_evaluation

AS_OF = dt.date(2023, 11, 30)


def change_behind_the_services_back() -> None:
    """Figures and a title changed without signals (as a restore or a bulk fix would)."""
    Observation.objects.filter(
        unit__official_code="00121-TDP05", measure__code="7.3", period="2023"
    ).update(numerator=Decimal(1))
    Observation.objects.filter(unit__official_code="00121", measure__code="2.3").update(
        boolean_value=True
    )
    Observation.objects.filter(unit__official_code="00121", measure__code="8.6").delete()
    TitleAward.objects.filter(unit__official_code="00121").update(valid_to=dt.date(2030, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["qd04-2022", "ctr02-longbien-2020-2025"])
def test_the_preloaded_source_gives_every_unit_the_inputs_of_its_own_queries(key):
    catalog = Catalog.objects.get(key=key)
    change_behind_the_services_back()
    source = PreloadedSource(catalog, AS_OF)
    nodes = inputs.node_defs(catalog)
    units = list(units_for(catalog, AS_OF))
    assert len(units) >= 14
    with_figures = 0
    for unit in units:
        plan = services.plan_for(unit, catalog, AS_OF)
        assert source.plan(unit) == plan
        alone = inputs.build_input(unit, catalog, AS_OF, plan=plan)
        preloaded = inputs.build_input(unit, catalog, AS_OF, plan=plan, source=source, nodes=nodes)
        assert preloaded == alone
        assert inputs.snapshot(preloaded) == inputs.snapshot(alone)
        with_figures += bool(alone.figures)
    assert with_figures >= 1


@pytest.mark.django_db
def test_a_full_recompute_job_stores_what_a_per_unit_evaluation_stores():
    catalog = Catalog.objects.get(key="qd04-2022")
    change_behind_the_services_back()
    job = request_full_recompute(catalog, AS_OF, enqueue=False)
    changed = recompute_catalog.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 14, 14, 100)
    # Giang Biên had no plain run and gets one; the other wards' inputs did not change
    assert changed == job.changed == 1
    runs = EvaluationRun.objects.filter(catalog=catalog, as_of=AS_OF, round=None, is_current=True)
    assert runs.count() == 14
    fresh = runs.get(unit__official_code="00121")
    assert fresh.trigger == EvaluationRun.Trigger.FULL_RECOMPUTE
    for run in list(runs.select_related("unit", "round")):
        assert_like_a_full_evaluation(run, catalog)
    assert RecomputeJob.objects.get(pk=job.pk).finished_at is not None
