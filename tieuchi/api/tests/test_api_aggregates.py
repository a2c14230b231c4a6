"""GET /aggregates: the stored sums and verdicts by unit, indicator and period, in scope."""

import datetime as dt

import pytest

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.aggregates import rebuild
from tieuchi.evaluation.models import MeasureAggregate

AS_OF = dt.date(2023, 11, 30)


@pytest.fixture
def built(db):
    rebuild(Catalog.objects.get(key="qd04-2022"), AS_OF)


@pytest.mark.django_db
def test_a_ward_reads_its_own_rows_with_the_figures_it_is_judged_on(built, api):
    client = api("dong.giangbien")
    query = {"catalog": "qd04-2022", "as_of": "2023-11-30", "unit": "00121", "measure": "6.1"}
    body = client.get("/aggregates", query | {"period": "2023"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    row = MeasureAggregate.objects.get(
        unit__official_code="00121", measure__code="6.1", period="2023", as_of=AS_OF
    )
    num, den, reported, expected = row.part
    assert (item["numerator"], item["denominator"], item["reported"], item["expected"]) == (
        num,
        den,
        reported,
        expected,
    )
    assert item["verdict"] == row.verdict and item["unit"] == "00121"
    assert item["percent"] == (round(num * 100 / den, 4) if den else None)
    months = client.get("/aggregates", query | {"page_size": 200}).json()
    assert months["count"] == 17
    everything = client.get("/aggregates", {"page_size": 200}).json()
    # the ward's own rows only: its TDPs are summed into it and have none
    assert {item["unit"] for item in everything["items"]} == {"00121"}


@pytest.mark.django_db
def test_another_ward_and_a_tdp_cannot_read_the_ward(built, api):
    for username in ("lanhdao.phucloi", "tdp01.giangbien"):
        client = api(username)
        hidden = client.get("/aggregates", {"unit": "00121"})
        assert hidden.status_code == 404, username
        assert hidden.json()["error"]["field"] == "unit"
    units = {i["unit"] for i in api("lanhdao.phucloi").get("/aggregates").json()["items"]}
    assert units == {"00136"}
    assert api("tdp01.giangbien").get("/aggregates").json()["count"] == 0
    district = api("kiemtra.longbien").get("/aggregates", {"period": "2023", "measure": "6.1"})
    assert district.json()["count"] == 15  # the district and its 14 wards
    assert api(None).get("/aggregates").status_code == 401
