"""One saved figure re-judges only its measure, and stores exactly what a full evaluation stores."""

import datetime as dt
from unittest import mock

import pytest

from tieuchi.accounts.models import User
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation, TitleAward
from tieuchi.collection.services import save_observation
from tieuchi.evaluation import incremental, inputs, services
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.models import AdminUnit

GIANG_BIEN = "00121"


def node_rows(run: EvaluationRun) -> list[tuple]:
    return list(
        run.node_results.order_by("code").values_list(
            "code", "depth", "verdict", "met_count", "total_count", "explanation", "figures"
        )
    )


def assert_like_a_full_evaluation(run: EvaluationRun, catalog: Catalog) -> None:
    """The stored run equals, in every stored field, what evaluating the unit from scratch gives."""
    plan = run.round.plan if run.round else services.plan_for(run.unit, catalog, run.as_of)
    result, inputs, digest = services.compute(run.unit, catalog, run.as_of, plan=plan)
    assert run.input_hash == digest
    assert run.inputs == inputs
    assert run.result == result.to_dict()
    assert (run.verdict, run.recognisable) == (str(result.verdict), result.recognisable)
    fresh = services.store_run(
        run.unit,
        catalog,
        run.as_of,
        round=run.round,
        plan=plan,
        result=result,
        inputs=inputs,
        digest=digest,
        actor=None,
        trigger=EvaluationRun.Trigger.MANUAL,
        channel="system",
        started=0,
    )
    assert node_rows(fresh) == node_rows(run)
    assert (fresh.met_count, fresh.total_count) == (run.met_count, run.total_count)


def save(unit_code: str, code: str, period: str, values: dict) -> None:
    unit = AdminUnit.objects.get(official_code=unit_code)
    measure = Measure.objects.get(code=code, node__catalog__key="qd04-2022")
    current = Observation.objects.filter(unit=unit, measure=measure, period=period).first()
    if current and current.status == Observation.Status.APPROVED:
        # the demo approved its figures; reopen this one as a ward officer would, before editing
        Observation.objects.filter(pk=current.pk).update(status=Observation.Status.DRAFT)
        current.refresh_from_db()
    save_observation(
        User.objects.get(username="canbo.giangbien"),
        unit,
        measure,
        period,
        values,
        expected_version=current.version if current else None,
    )


def tdp(number: int) -> str:
    return f"{GIANG_BIEN}-TDP{number:02d}"


# (what changes, unit, measure, period, new values, sub-criterion whose verdict it moves)
CHANGES = [
    ("a TDP ratio drops below the threshold", tdp(3), "7.3", "2023", (10, 300), "7.3"),
    ("a missing TDP reports", tdp(7), "8.2", "2023", (600, 620), None),
    ("a TDP figure loses its numerator", tdp(1), "2.5", "2023", (None, 250), "2.5"),
    ("a ward yes/no becomes met", GIANG_BIEN, "2.3", "2023", {"boolean_value": True}, "2.3"),
    ("a ward grade drops", GIANG_BIEN, "9.2b", "2023", {"level": "trung bình"}, "9.2"),
    ("last year's count falls (trend)", GIANG_BIEN, "4.5a", "2022", {"value": 2}, "4.5"),
    ("a ward ratio gets a zero denominator", GIANG_BIEN, "8.3", "2023", (0, 0), "8.3"),
]


def as_values(new) -> dict:
    if isinstance(new, tuple):
        return {"numerator": new[0], "denominator": new[1]}
    return new


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "unit_code", "code", "period", "new", "criterion"),
    CHANGES,
    ids=[c[0] for c in CHANGES],
)
def test_one_saved_figure_refreshes_every_current_run_like_a_full_evaluation(
    django_capture_on_commit_callbacks, case, unit_code, code, period, new, criterion
):
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN)
    before = {
        run.pk: run
        for run in EvaluationRun.objects.filter(unit=ward, catalog=catalog, is_current=True)
    }
    assert len(before) >= 2  # at least the two rounds of the demo plan
    with (
        mock.patch.object(incremental, "evaluate_unit", side_effect=AssertionError("whole unit")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        save(unit_code, code, period, as_values(new))
    runs = list(EvaluationRun.objects.filter(unit=ward, catalog=catalog, is_current=True))
    assert len(runs) == len(before) and not {run.pk for run in runs} & before.keys()
    for run in runs:
        assert run.trigger == EvaluationRun.Trigger.VALUE_CHANGE
        assert_like_a_full_evaluation(run, catalog)
    if criterion is not None:  # the change really moved a verdict, on at least one round
        moved = [
            (old.result, run.result)
            for old in before.values()
            for run in runs
            if old.round_id == run.round_id
        ]
        assert any(_verdict(old, criterion) != _verdict(new_, criterion) for old, new_ in moved), (
            case
        )


def _verdict(tree: dict, code: str) -> str:
    stack = list(tree["children"])
    while stack:
        node = stack.pop()
        if node["code"] == code:
            return node["verdict"]
        stack.extend(node["children"])
    raise KeyError(code)


@pytest.mark.django_db
def test_a_monthly_figure_leaves_the_stored_results_alone(django_capture_on_commit_callbacks):
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN)
    before = set(EvaluationRun.objects.filter(unit=ward, is_current=True).values_list("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        save(tdp(2), "7.3", "2023-05", {"numerator": 1, "denominator": 300})
    assert set(EvaluationRun.objects.filter(unit=ward, is_current=True).values_list("pk")) == before


@pytest.mark.django_db
def test_a_run_that_cannot_be_carried_forward_is_evaluated_whole(
    django_capture_on_commit_callbacks,
):
    """A title awarded since the run was stored: the refresh notices and evaluates the unit."""
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN)
    title = TitleAward.objects.filter(unit=ward).first()
    TitleAward.objects.filter(pk=title.pk).update(valid_to=dt.date(2030, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        save(tdp(4), "7.3", "2023", {"numerator": 200, "denominator": 300})
    for run in EvaluationRun.objects.filter(unit=ward, catalog=catalog, is_current=True):
        assert_like_a_full_evaluation(run, catalog)


@pytest.mark.django_db
def test_several_changes_in_a_row_stay_identical(django_capture_on_commit_callbacks):
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN)
    for _case, unit_code, code, period, new, _criterion in CHANGES:
        with django_capture_on_commit_callbacks(execute=True):
            save(unit_code, code, period, as_values(new))
    for run in EvaluationRun.objects.filter(unit=ward, catalog=catalog, is_current=True):
        assert_like_a_full_evaluation(run, catalog)


@pytest.mark.django_db
def test_a_refresh_from_a_run_another_change_replaced_loses_neither_change(
    django_capture_on_commit_callbacks,
):
    """Two changes at once: the slower refresh finds its run replaced and evaluates the unit whole."""
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN)
    current = EvaluationRun.objects.filter(unit=ward, catalog=catalog, is_current=True)
    stale = current.select_related("unit", "round__plan").get(round__number=2)
    with django_capture_on_commit_callbacks(execute=True):
        save(tdp(3), "7.3", "2023", {"numerator": 10, "denominator": 300})
    Observation.objects.filter(unit=ward, measure__code="2.3", period="2023").update(
        boolean_value=True
    )
    refreshed = incremental.refresh_run(stale, catalog, {"2.3"})
    assert refreshed.trigger == EvaluationRun.Trigger.VALUE_CHANGE
    assert current.filter(round__number=2).get() == refreshed
    assert_like_a_full_evaluation(refreshed, catalog)
    assert _verdict(refreshed.result, "7.3") == "not_met"


@pytest.mark.django_db
def test_months_are_left_out_of_the_inputs_unless_a_baseline_names_them():
    catalog = Catalog.objects.get(key="qd04-2022")
    ward = AdminUnit.objects.get(official_code=GIANG_BIEN)
    measure = Measure.objects.get(code="4.5a", node__catalog=catalog)
    Measure.objects.filter(pk=measure.pk).update(
        config={**measure.config, "baseline_period": "2021-Q1"}
    )
    inputs._TREES.clear()  # the measure was changed behind load_catalog's back
    for period, start in (("2021-Q1", dt.date(2021, 1, 1)), ("2021-02", dt.date(2021, 2, 1))):
        Observation.objects.create(
            unit=ward, measure=measure, period=period, period_start=start, period_end=start, value=5
        )
    try:
        inp = inputs.build_input(ward, catalog, dt.date(2023, 11, 30))
        periods = {f.period for f in inp.figures if f.measure_code == "4.5a"}
        assert periods == {"2021-Q1", "2022", "2023"}
        assert incremental.reevaluate_measure_change(ward, catalog, "4.5a", "2021-02") == []
        refreshed = incremental.reevaluate_measure_change(ward, catalog, "4.5a", "2021-Q1")
        assert len(refreshed) >= 2
        for run in refreshed:
            assert_like_a_full_evaluation(run, catalog)
    finally:
        inputs._TREES.clear()
