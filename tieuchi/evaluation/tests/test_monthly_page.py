"""Diễn biến theo tháng: the aggregate set read by people, in scope, within a fixed query budget."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.models import Observation
from tieuchi.collection.signals import figures_changed
from tieuchi.evaluation.aggregates import rebuild
from tieuchi.orgs.models import AdminUnit

AS_OF = dt.date(2023, 11, 30)

# username -> status of Giang Biên's monthly page (as the scorecard: a TDP or another ward is 404)
READERS = {
    "admin": 200,
    "kiemtra.longbien": 200,
    "dong.giangbien": 200,
    "xem.giangbien": 200,
    "tdp01.giangbien": 404,
    "lanhdao.phucloi": 404,
}
# Measured: session, user, scope (2), unit, catalog, the unit's sets, its rows, "may recompute";
# a drill-down adds the sub-units, their rows and the TDPs' figures. Nothing depends on the
# number of indicators, periods or sub-units.
PAGE_BUDGET = 9
DRILL_BUDGET = PAGE_BUDGET + 3


def ward(code: str = "00121") -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def url(unit=None, suffix="", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in ({"catalog": "qd04-2022"} | params).items())
    return f"/evaluation/units/{(unit or ward()).pk}/monthly/{suffix}?{query}"


def monthly_figures() -> None:
    """March figures of every TDP of Giang Biên for 2.5, one incomplete."""
    measure = Measure.objects.get(code="6.1", node__catalog__key="qd04-2022")
    for number, tdp in enumerate(AdminUnit.objects.filter(parent=ward()).order_by("pk"), 1):
        Observation.objects.create(
            unit=tdp,
            measure=measure,
            period="2023-03",
            period_start=dt.date(2023, 3, 1),
            period_end=dt.date(2023, 3, 31),
            numerator=None if number == 20 else 7,
            denominator=8,
        )


@pytest.fixture
def built(db):
    monthly_figures()
    rebuild(Catalog.objects.get(key="qd04-2022"), AS_OF)


@pytest.mark.parametrize(("username", "status"), READERS.items())
@pytest.mark.django_db
def test_the_page_follows_the_scope_of_the_scorecard(built, login, username, status):
    client = login(username)
    assert client.get(url()).status_code == status
    assert client.get(url(suffix="export.xlsx")).status_code == status


@pytest.mark.django_db
def test_the_table_shows_months_quarters_year_and_the_drill_down(built, login):
    response = login("dong.giangbien").get(url(measure="6.1", as_of="2023-11-30"))
    table = response.context["table"]
    assert response.context["headers"][0] == "Th1" and response.context["headers"][-1] == "Năm 2023"
    line = next(line for line in table.lines if line.code == "6.1")
    march = line.cells[2]
    # 19 TDPs reported 7/8, one without a numerator: partial sums, no verdict yet
    assert (march.numerator, march.denominator, march.reported, march.expected) == (
        133,
        152,
        19,
        20,
    )
    assert (march.percent, march.fraction, march.verdict.code) == ("87,5%", "133/152", "no_data")
    page = response.content.decode()
    assert "87,5%" in page and "19/20" in page and 'class="verdict-no_data"' in page
    assert len(table.children) == 20
    first = table.children[0].cells[2]
    # a TDP alone: its figure, judged by the thresholds of its type (6.1 has none for a TDP)
    assert (first.percent, first.reporters, first.verdict.code) == ("87,5%", "1/1", "no_data")
    assert table.children[-1].cells[2].reporters == "0/1"
    district = login("kiemtra.longbien").get(url(ward("004"), measure="6.1")).context["table"]
    assert {line.unit.official_code for line in district.children} >= {"00121", "00136"}
    giang_bien = next(line for line in district.children if line.unit.official_code == "00121")
    assert giang_bien.cells[2] == march


@pytest.mark.django_db
def test_the_page_follows_a_saved_figure(built, login):
    last = Observation.objects.get(unit=ward().children.order_by("-pk").first(), period="2023-03")
    Observation.objects.filter(pk=last.pk).update(numerator=7)
    figures_changed.send(sender=Observation, unit=last.unit, catalog=last.measure.node.catalog)
    table = login("dong.giangbien").get(url(measure="6.1")).context["table"]
    march = next(line for line in table.lines if line.code == "6.1").cells[2]
    # 140/160 = 87,5% < 90% for a phường
    assert (march.percent, march.fraction, march.reporters, march.verdict.code) == (
        "87,5%",
        "140/160",
        "20/20",
        "not_met",
    )


@pytest.mark.django_db
def test_the_download_holds_the_pages_rows(built, login):
    response = login("dong.giangbien").get(url(suffix="export.xlsx", measure="6.1"))
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 2
    rows = list(book.worksheets[0].values)
    march = next(row for row in rows if row[0] == "6.1" and row[2] == "Th3")
    assert march[3:9] == (0.875, 133, 152, 19, 20, "Chưa đủ dữ liệu")
    assert len(list(book.worksheets[1].values)) > 20


@pytest.mark.django_db
def test_without_a_set_the_page_says_so_and_offers_the_recompute(login):
    page = login("admin").get(url(as_of="2023-11-30")).content.decode()
    assert "Chưa có số liệu tổng hợp theo kỳ tính đến ngày 30/11/2023." in page
    assert 'action="/evaluation/jobs/"' in page and 'value="2023-11-30"' in page
    page = login("dong.giangbien").get(url(as_of="2023-11-30")).content.decode()
    assert "Chưa có số liệu tổng hợp" in page and 'action="/evaluation/jobs/"' not in page
    assert login("dong.giangbien").get(url(suffix="export.xlsx")).status_code == 404


@pytest.mark.django_db
def test_the_scorecard_links_to_the_page(built, login):
    page = login("dong.giangbien").get(f"/evaluation/units/{ward().pk}/").content.decode()
    assert f"/evaluation/units/{ward().pk}/monthly/?catalog=qd04-2022" in page


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_page_stays_within_its_query_budget_as_units_and_rows_grow(built, login):
    client = login("kiemtra.longbien")
    district = ward("004")
    client.get(url(district, measure="6.1"))  # the catalog tree is read once per process
    assert count_queries(client, url(district)) <= PAGE_BUDGET
    drill = count_queries(client, url(district, measure="6.1"))
    assert drill <= DRILL_BUDGET
    assert count_queries(client, url(ward(), measure="6.1")) <= DRILL_BUDGET
    ward_drill = count_queries(client, url(ward(), measure="6.1"))
    for number in range(3):
        AdminUnit.objects.create(
            official_code=f"9990{number}",
            name=f"Phường thử {number}",
            level="commune",
            unit_type="phuong",
            parent=district,
            valid_from=dt.date(2004, 1, 1),
        )
    rebuild(Catalog.objects.get(key="qd04-2022"), AS_OF)
    assert count_queries(client, url(district, measure="6.1")) == drill
    assert count_queries(client, url(ward(), measure="6.1")) == ward_drill
