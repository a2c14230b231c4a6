"""The aggregate sets: a rebuild stores the batch State, agrees with the engine's stored runs, and
the upkeep after any change leaves exactly what a fresh rebuild stores."""

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation
from tieuchi.collection.services import save_observation, set_observation_status
from tieuchi.collection.signals import figures_changed
from tieuchi.evaluation import batch, inputs
from tieuchi.evaluation.aggregates import ratio_measures, rebuild, year_periods
from tieuchi.evaluation.aggregates_upkeep import refresh_path
from tieuchi.evaluation.engine.types import RESIDENTIAL_TYPES
from tieuchi.evaluation.jobs import recompute_catalog, request_full_recompute
from tieuchi.evaluation.models import EvaluationRun, MeasureAggregate, RecomputeJob
from tieuchi.orgs.models import AdminUnit

AS_OF = dt.date(2023, 11, 30)
GIANG_BIEN = "00121"
STORED = (
    "unit_id",
    "measure__code",
    "period",
    "below_num",
    "below_den",
    "below_reported",
    "below_expected",
    "own_num",
    "own_den",
    "own_state",
    "reporter",
    "verdict",
)


def qd04() -> Catalog:
    return Catalog.objects.get(key="qd04-2022")


def stored(catalog: Catalog, as_of: dt.date) -> dict:
    rows = MeasureAggregate.objects.filter(catalog=catalog, as_of=as_of).values_list(*STORED)
    return {row[:3]: row[3:] for row in rows}


def assert_equals_a_rebuild(catalog: Catalog = None, as_of: dt.date = AS_OF) -> dict:
    catalog = catalog or qd04()
    kept = stored(catalog, as_of)
    rebuild(catalog, as_of)
    fresh = stored(catalog, as_of)
    assert kept.keys() == fresh.keys()
    differ = {key: (kept[key], fresh[key]) for key in kept if kept[key] != fresh[key]}
    assert not differ
    return fresh


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(official_code=code)


def tdp(number: int) -> str:
    return f"{GIANG_BIEN}-TDP{number:02d}"


def save(unit_code: str, code: str, period: str, values: dict) -> Observation:
    where = unit(unit_code)
    measure = Measure.objects.get(code=code, node__catalog__key="qd04-2022")
    current = Observation.objects.filter(unit=where, measure=measure, period=period).first()
    if current and current.status == Observation.Status.APPROVED:
        Observation.objects.filter(pk=current.pk).update(status=Observation.Status.DRAFT)
        current.refresh_from_db()
    return save_observation(
        User.objects.get(username="canbo.giangbien"),
        where,
        measure,
        period,
        values,
        expected_version=current.version if current else None,
    )


def figures_as_engine(catalog, as_of, periods):
    """The figures as the engine's records (`inputs.figure_of`: returned ones are "rejected")."""
    rows = list(
        Observation.objects.filter(
            measure__node__catalog=catalog, period__in=periods, period_start__lte=as_of
        ).select_related("measure")
    )
    for row in rows:
        row.has_evidence = False  # only yes/no measures read it
    return [inputs.figure_of(row) for row in rows]


@pytest.mark.django_db
def test_a_rebuild_stores_the_batch_state_of_the_same_figures():
    catalog = qd04()
    result = rebuild(catalog, AS_OF)
    measures = ratio_measures(catalog)
    periods = year_periods(2023)
    units = list(AdminUnit.objects.valid_on(AS_OF))
    table = batch.UnitTable(
        [u.pk for u in units],
        [u.parent_id for u in units],
        [u.unit_type for u in units],
        leaf_types=RESIDENTIAL_TYPES,
    )
    con = duckdb.connect()
    figures = figures_as_engine(catalog, AS_OF, periods)
    view = batch.register_figures(con, "figures", figures, measures, periods)
    state = batch.evaluate_full(con, view, table, measures, periods)
    expected = {(cell.unit_id, cell.measure, cell.period): cell for cell in state.rows()}
    rows = MeasureAggregate.objects.filter(catalog=catalog, as_of=AS_OF).select_related("measure")
    assert result.rows == len(expected) == len(rows) == 16 * len(measures) * 17
    for row in rows:
        cell = expected[(row.unit_id, row.measure.code, row.period)]
        assert (str(cell.verdict), *cell[4:]) == (row.verdict, *row.part)
    assert state.counts() == result.counts
    assert (
        AuditEvent.objects.filter(action="rebuild_aggregates", object_id=str(catalog.pk)).count()
        == 1
    )


def judging_layers(catalog, unit_type):
    measures = ratio_measures(catalog)
    table = batch.ThresholdTable(measures, [unit_type])
    return {m.code: table.layers[0][i] for i, m in enumerate(measures)}


def measure_results(tree: dict):
    stack = [tree]
    while stack:
        node = stack.pop()
        yield from node.get("measures", ())
        stack.extend(node.get("children", ()))


@pytest.mark.django_db
def test_the_year_verdicts_equal_the_engines_stored_runs():
    """Every current run of both demo catalogs (13 wards, the district of the programme): the
    year cell of each ratio measure has the engine's verdict in the layer the batch judges by.
    The batch judges by the catalog's thresholds only (no ward plan targets), so it is compared
    with that layer's verdict, not with a plan target's."""
    checked = 0
    runs = EvaluationRun.objects.filter(is_current=True, round=None).select_related(
        "unit", "catalog"
    )
    for catalog, as_of in {(r.catalog, r.as_of) for r in runs}:
        rebuild(catalog, as_of)
    for run in runs:
        layers = judging_layers(run.catalog, run.unit.unit_type)
        cells = {
            code: (verdict, part)
            for code, verdict, part in (
                (row.measure.code, row.verdict, row.part)
                for row in MeasureAggregate.objects.filter(
                    catalog=run.catalog, as_of=run.as_of, unit=run.unit, period=run.period
                ).select_related("measure")
            )
        }
        for result in measure_results(run.result):
            if result["code"] not in cells or result["kind"] != "ratio":
                continue
            verdict, part = cells[result["code"]]
            layer = layers[result["code"]]
            where = (run.unit.name, run.as_of, result["code"], result["explanation"])
            assert verdict == result["layer_verdicts"].get(layer, "no_data"), where
            figures = result["figures"]
            if figures.get("numerator") is not None and figures.get("expected_units"):
                assert part[:2] == (figures["numerator"], figures["denominator"]), where
            checked += 1
    assert checked > 200


# (what changes, unit, measure, period, values)
CHANGES = [
    ("a TDP's monthly figure", tdp(3), "7.3", "2023-03", {"numerator": 10, "denominator": 300}),
    ("a TDP's year figure drops", tdp(3), "7.3", "2023", {"numerator": 10, "denominator": 300}),
    ("a TDP figure loses its numerator", tdp(1), "2.5", "2023", {"denominator": 250}),
    ("a missing TDP reports", tdp(7), "8.2", "2023", {"numerator": 600, "denominator": 620}),
    ("a ward's own figure", GIANG_BIEN, "1.4", "2023-Q2", {"numerator": 9, "denominator": 10}),
    (
        "a ward's figure over its TDPs",
        GIANG_BIEN,
        "7.3",
        "2023",
        {"numerator": 1, "denominator": 2},
    ),
    ("another ward's year figure", "00136", "1.4", "2023", {"numerator": 1, "denominator": 3}),
    ("a figure after the set's day", tdp(2), "7.3", "2023-12", {"numerator": 1, "denominator": 3}),
]


@pytest.mark.parametrize(("case", "where", "code", "period", "values"), CHANGES)
@pytest.mark.django_db
def test_a_saved_figure_leaves_what_a_rebuild_stores(
    django_capture_on_commit_callbacks, case, where, code, period, values
):
    rebuild(qd04(), AS_OF)
    before = stored(qd04(), AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        save(where, code, period, values)
    after = assert_equals_a_rebuild()
    moved = {key for key in after if after[key] != before[key]}
    assert len({key[0] for key in moved}) <= 3  # ward, district, city: the path only
    if case != "a figure after the set's day":
        assert moved


@pytest.mark.django_db
def test_several_changes_in_a_row_and_a_second_set(django_capture_on_commit_callbacks):
    rebuild(qd04(), AS_OF)
    rebuild(qd04(), dt.date(2023, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(1, 6):
            save(tdp(i), "3.3", "2023-05", {"numerator": 10 * i, "denominator": 60})
        save(GIANG_BIEN, "3.3", "2023-05", {"numerator": 7, "denominator": 8})
        save(tdp(2), "3.3", "2023-05", {"numerator": 1, "denominator": 60})
        save(GIANG_BIEN, "3.3", "2023-05", {})  # the ward's own figure emptied again
    assert_equals_a_rebuild()
    assert_equals_a_rebuild(as_of=dt.date(2023, 6, 30))


@pytest.mark.django_db
def test_a_returned_figure_stops_counting_after_the_workflow_signal(
    django_capture_on_commit_callbacks,
):
    rebuild(qd04(), AS_OF)
    where = unit(tdp(4))
    returned = Observation.objects.filter(unit=where, period="2023", measure__kind="ratio")
    assert returned.exists()
    with django_capture_on_commit_callbacks(execute=True):
        set_observation_status(None, list(returned), "returned", action="return")
        figures_changed.send(sender=Observation, unit=where, catalog=qd04())
    assert_equals_a_rebuild()


@pytest.mark.django_db
def test_an_import_like_sender_refreshes_every_cell_of_the_unit():
    catalog = qd04()
    rebuild(catalog, AS_OF)
    ward = unit(GIANG_BIEN)
    for number, code in [(1, "2.5"), (2, "8.2"), (6, "7.3")]:
        measure = Measure.objects.get(code=code, node__catalog=catalog)
        for period in ("2023-01", "2023-Q1", "2023"):
            Observation.objects.update_or_create(
                unit=unit(tdp(number)),
                measure=measure,
                period=period,
                defaults={
                    "numerator": Decimal(number),
                    "denominator": Decimal(10),
                    "period_start": dt.date(2023, 1, 1),
                    "period_end": dt.date(2023, 12, 31),
                },
            )
    Observation.objects.filter(unit=ward, measure__code="1.4", period="2023").update(numerator=None)
    for number in (1, 2, 6):
        figures_changed.send(sender=Observation, unit=unit(tdp(number)), catalog=catalog)
    figures_changed.send(sender=Observation, unit=ward, catalog=catalog)
    assert_equals_a_rebuild()


@pytest.mark.django_db
def test_a_figure_that_is_not_a_whole_number_leaves_its_measure_to_the_engine(
    django_capture_on_commit_callbacks,
):
    catalog = qd04()
    rebuild(catalog, AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        save(tdp(1), "2.5", "2023-02", {"numerator": "2.5", "denominator": 10})
    assert not MeasureAggregate.objects.filter(catalog=catalog, measure__code="2.5").exists()
    fresh = assert_equals_a_rebuild()
    assert rebuild(catalog, AS_OF).skipped == ("2.5",)
    assert fresh


@pytest.mark.django_db
def test_nothing_to_do_without_a_set(django_assert_num_queries):
    """The lock finds no row and one check says no set holds the path (not: a rebuild deleted
    them under the lock); with the transaction's start and end that is 4 statements."""
    where, catalog = unit(tdp(1)), qd04()
    with django_assert_num_queries(4):
        assert refresh_path(where, catalog) == 0


@pytest.mark.django_db
def test_a_named_change_costs_a_fixed_number_of_statements(django_assert_num_queries):
    """Start, lock the path, read K's sub-units, figures and rows at once, write, end."""
    catalog = qd04()
    rebuild(catalog, AS_OF)
    observation = save(tdp(3), "6.1", "2023", {"numerator": 10, "denominator": 300})
    Observation.objects.filter(pk=observation.pk).update(numerator=11)
    where, measure = unit(tdp(3)), observation.measure
    with django_assert_num_queries(5):
        assert refresh_path(where, catalog, measure_ids=[measure.pk], periods=["2023"]) == 3
    assert_equals_a_rebuild()


@pytest.mark.django_db
def test_the_recompute_job_rebuilds_the_set_first(login):
    job = request_full_recompute(qd04(), AS_OF, enqueue=False)
    recompute_catalog.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.phase) == ("done", RecomputeJob.Phase.UNITS)
    assert job.aggregate_rows == MeasureAggregate.objects.filter(as_of=AS_OF).count() > 0
    verdicts = set(MeasureAggregate.objects.values_list("verdict", flat=True))
    assert verdicts == {"met", "not_met", "no_data"}
    page = login("admin").get(f"/evaluation/jobs/{job.pk}/").content.decode()
    assert "Đánh giá từng đơn vị" in page and f"{job.aggregate_rows} dòng tổng hợp" in page


@pytest.mark.django_db
def test_a_changed_catalog_queues_a_recompute_for_every_aggregate_set_too():
    from tieuchi.evaluation.jobs import recompute_after_catalog_change

    rebuild(qd04(), dt.date(2023, 6, 30))
    jobs = recompute_after_catalog_change(None, qd04())
    assert {job.as_of for job in jobs} == {AS_OF, dt.date(2023, 6, 30)}
