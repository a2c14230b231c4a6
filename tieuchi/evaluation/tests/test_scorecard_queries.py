"""The scorecard page reads a fixed number of queries, however many wards, runs and evidence there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.collection.models import Evidence
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.evaluation.tests.test_scorecard import items_by_code, round_, url, ward
from tieuchi.orgs.models import AdminUnit, UnitLevel, UnitType

AS_OF = dt.date(2023, 11, 30)
SUBCRITERIA = 52

# username -> HTTP status of Giang Biên's scorecard (page and JSON download)
READERS = {
    "admin": 200,
    "kiemtra.longbien": 200,
    "dong.giangbien": 200,
    "hoai.giangbien": 200,
    "tinh.giangbien": 200,
    "canbo.giangbien": 200,
    "xem.giangbien": 200,
    "tdp01.giangbien": 404,  # a TDP is below the ward: the ward's results are above his scope
    "lanhdao.phucloi": 404,  # another ward
}
# username -> status of "Tính lại" on Giang Biên: ward leaders and system admins only
RECOMPUTERS = {
    "admin": 302,
    "dong.giangbien": 302,
    "hoai.giangbien": 302,
    "tinh.giangbien": 302,
    "canbo.giangbien": 403,  # enters figures, does not decide results
    "xem.giangbien": 403,  # Party committee, read only
    "kiemtra.longbien": 403,  # inspects; the ward recomputes
    "tdp01.giangbien": 404,
    "lanhdao.phucloi": 404,
}


# --- query budget -------------------------------------------------------------------------------------

# Measured: session, user, scope (2), unit, run, plan, plan rows, their parties, evidence counts,
# rounds, rounds with a result, "may recompute" (2). Nothing depends on how many runs, wards,
# evidence files or plan rows there are.
SCORECARD_BUDGET = 14


def grow_the_data() -> None:
    """More wards with results, more runs of Giang Biên, more evidence: the count must not move."""
    catalog = Catalog.objects.get(key="qd04-2022")
    district = ward("004")
    for number in range(3):
        extra = AdminUnit.objects.create(
            official_code=f"9990{number}",
            name=f"Phường thử {number}",
            level=UnitLevel.COMMUNE,
            unit_type=UnitType.PHUONG,
            parent=district,
            valid_from=dt.date(2004, 1, 1),
            valid_to=dt.date(2025, 6, 30),
        )
        evaluate_unit(extra, catalog, AS_OF)
    for day in (dt.date(2023, 3, 31), dt.date(2023, 8, 31)):
        evaluate_unit(ward(), catalog, day)
    node = CatalogNode.objects.get(catalog=catalog, code="2.3")
    for index in range(5):
        Evidence.objects.create(
            unit=ward(),
            node=node,
            sha256=f"{index:064}",
            original_name=f"anh-{index}.jpg",
            content_type="image/jpeg",
            size=10,
        )


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_scorecard_stays_within_its_query_budget(login, django_assert_max_num_queries):
    client, address = login("dong.giangbien"), url()
    with django_assert_max_num_queries(SCORECARD_BUDGET):
        assert client.get(address).status_code == 200


@pytest.mark.django_db
def test_the_scorecard_runs_the_same_queries_when_wards_runs_and_evidence_grow(
    login, django_assert_max_num_queries
):
    client, address = login("dong.giangbien"), url()
    before = count_queries(client, address)
    grow_the_data()
    assert EvaluationRun.objects.filter(unit=ward(), is_current=True).count() == 4
    with django_assert_max_num_queries(SCORECARD_BUDGET):
        response = client.get(address)
    assert response.context["card"].run.round == round_(2)
    assert items_by_code(response)["2.3"].evidence_count == 5
    assert count_queries(client, address) == before
