"""Saving a figure: validation, optimistic locking, audit, and re-evaluation right after commit."""

from decimal import Decimal

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.catalog.models import Measure
from tieuchi.collection.models import Observation
from tieuchi.collection.services import (
    ConflictError,
    ValueRejected,
    period_bounds,
    save_observation,
)
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.orgs.models import AdminUnit


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code, node__catalog__key="qd04-2022")


@pytest.fixture
def tdp13(db):
    return AdminUnit.objects.get(official_code="00121-TDP13")


@pytest.mark.django_db
def test_a_new_figure_is_audited_and_refreshes_the_wards_results(
    tdp13, django_capture_on_commit_callbacks
):
    head = User.objects.get(username="tdp01.giangbien")
    round_two = EvaluationRun.objects.get(
        unit__official_code="00121", as_of="2023-11-30", is_current=True
    )
    assert NodeResult.objects.get(run=round_two, code="6.1").verdict == "no_data"
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_observation(
            head,
            tdp13,
            measure("6.1"),
            "2023",
            {"numerator": 700, "denominator": 760},
            expected_version=None,
        )
    assert (saved.version, saved.status) == (1, "draft")
    event = AuditEvent.objects.filter(
        object_type="collection.observation", object_id=str(saved.pk)
    ).get()
    assert (event.action, event.actor, event.after["numerator"]) == ("create", head, "700")
    fresh = EvaluationRun.objects.get(
        unit__official_code="00121", as_of="2023-11-30", round=round_two.round, is_current=True
    )
    assert fresh.pk != round_two.pk
    assert NodeResult.objects.get(run=fresh, code="6.1").verdict == "met"


@pytest.mark.django_db
def test_the_second_of_two_concurrent_edits_is_refused_with_the_other_value(tdp13):
    first = save_observation(
        None,
        tdp13,
        measure("8.2"),
        "2023",
        {"numerator": 600, "denominator": 700},
        expected_version=None,
    )
    save_observation(
        None,
        tdp13,
        measure("8.2"),
        "2023",
        {"numerator": 650, "denominator": 700},
        expected_version=first.version,
    )
    with pytest.raises(ConflictError, match="650/700"):
        save_observation(
            None,
            tdp13,
            measure("8.2"),
            "2023",
            {"numerator": 610, "denominator": 700},
            expected_version=first.version,
        )
    assert Observation.objects.get(pk=first.pk).numerator == Decimal(650)


@pytest.mark.parametrize(
    ("values", "period", "message"),
    [
        ({"numerator": 800, "denominator": 760}, "2023", "Tử số không được lớn hơn mẫu số"),
        ({"numerator": 1, "denominator": -5}, "2023", "không được âm"),
        ({"numerator": 1, "denominator": 5}, "2023-13", "Kỳ '2023-13' không hợp lệ"),
        ({"numerator": 1, "denominator": 5}, "2023-Q5", "không hợp lệ"),
    ],
)
@pytest.mark.django_db
def test_impossible_figures_are_refused_and_nothing_is_written(tdp13, values, period, message):
    before = Observation.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValueRejected, match=message):
        save_observation(None, tdp13, measure("8.2"), period, values, expected_version=None)
    assert (Observation.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_an_approved_figure_is_locked():
    ward = AdminUnit.objects.get(official_code="00121")
    approved = Observation.objects.get(unit=ward, measure=measure("8.3"), period="2023")
    assert approved.status == "approved"
    with pytest.raises(ValueRejected, match="đã được duyệt và khóa"):
        save_observation(
            None,
            ward,
            measure("8.3"),
            "2023",
            {"numerator": 1, "denominator": 2},
            expected_version=approved.version,
        )


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("2023", "2023-01-01", "2023-12-31"),
        ("2023-Q4", "2023-10-01", "2023-12-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2023-q1", "2023-01-01", "2023-03-31"),
    ],
)
def test_periods_are_read_as_year_quarter_or_month(period, start, end):
    assert tuple(day.isoformat() for day in period_bounds(period)) == (start, end)
