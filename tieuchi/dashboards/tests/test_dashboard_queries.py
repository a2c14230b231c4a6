"""Every dashboard reads a fixed number of queries: more wards, TDPs and runs change nothing."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit, UnitLevel, UnitType

AS_OF = dt.date(2023, 11, 30)
# Measured on the demo: session, user, scope, the unit, its runs, results, tasks, completeness
# (window, units below, measures, figures, submissions, reminders), and for the publication links
# (templatetags/dashboard_links.py): published?, may publish (system administrator? memberships).
# Nothing per unit or per run.
WARD_BUDGET = 21
# Session, user, scope, the district (and its parent for the breadcrumb), newest run, catalog,
# wards with their runs, runs, criteria, results, sub-criteria counts; the page also reads the
# results version (its board's cache key, dashboards/page_cache.py) and the downloads do not.
DISTRICT_BUDGET = 15
# The page again with its board cached: session, user, scope (system administrator? memberships),
# results version. Nothing about the district, its wards or their results.
DISTRICT_CACHED_QUERIES = 5


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def add_wards(parent: AdminUnit, count: int, *, prefix: str = "9990", **dates) -> None:
    catalog = Catalog.objects.get(key="qd04-2022")
    dates = dates or {"valid_from": dt.date(2004, 1, 1), "valid_to": dt.date(2025, 6, 30)}
    for number in range(count):
        ward = AdminUnit.objects.create(
            official_code=f"{prefix}{number}",
            name=f"Phường thử {number}",
            level=UnitLevel.COMMUNE,
            unit_type=UnitType.PHUONG,
            parent=parent,
            **dates,
        )
        evaluate_unit(ward, catalog, AS_OF)
        evaluate_unit(ward, catalog, dt.date(2023, 5, 31))


def add_tdps_and_runs(ward: AdminUnit, count: int) -> None:
    """More TDPs below the ward, and more runs of the ward on other days."""
    for number in range(count):
        AdminUnit.objects.create(
            official_code=f"{ward.official_code}-X{number}",
            name=f"Tổ dân phố thử {number}",
            level=UnitLevel.RESIDENTIAL_GROUP,
            unit_type=UnitType.TO_DAN_PHO,
            parent=ward,
            valid_from=dt.date(2004, 1, 1),
        )
    catalog = Catalog.objects.get(key="qd04-2022")
    for day in (dt.date(2023, 8, 31), dt.date(2023, 9, 30), dt.date(2023, 10, 31)):
        evaluate_unit(ward, catalog, day)


def count_queries(client, address: str) -> int:
    """The queries of a page built from scratch: the district board's cache is emptied first."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_the_ward_dashboard_reads_the_same_queries_with_more_tdps_and_runs(
    login, django_assert_max_num_queries
):
    ward = unit("00121")
    client, address = login("dong.giangbien"), f"/dashboards/ward/{ward.pk}/"
    before = count_queries(client, address)
    history = len(client.get(address).context["board"].history)
    add_tdps_and_runs(ward, 4)
    with django_assert_max_num_queries(WARD_BUDGET):
        board = client.get(address).context["board"]
    assert len(board.history) == history + 3
    assert len(board.reporting.children) == 24
    assert count_queries(client, address) == before


@pytest.mark.parametrize("code", ["004", "01"])
@pytest.mark.django_db
def test_the_district_and_city_dashboards_read_the_same_queries_with_more_wards(
    login, django_assert_max_num_queries, code
):
    client, address = login("admin"), f"/dashboards/district/{unit(code).pk}/"
    before = count_queries(client, address)
    add_wards(unit("004"), 3)
    with django_assert_max_num_queries(DISTRICT_BUDGET):
        response = client.get(address)  # new runs: a new results version, so built again
    lines = response.context["board"].lines
    assert len(lines) == 14 + 3 and all(line.run is not None for line in lines)
    assert count_queries(client, address) == before


@pytest.mark.parametrize(
    ("username", "queries"),
    # A superuser sees everything: no membership is read.
    [("admin", DISTRICT_CACHED_QUERIES - 2), ("kiemtra.longbien", DISTRICT_CACHED_QUERIES)],
)
@pytest.mark.django_db
def test_a_cached_district_board_reads_only_the_session_scope_and_results_version(
    login, django_assert_num_queries, username, queries
):
    client, address = login(username), f"/dashboards/district/{unit('004').pk}/"
    add_wards(unit("004"), 3)
    built = client.get(address)
    with django_assert_num_queries(queries):
        cached = client.get(address)
    assert "board" in built.context and "board" not in cached.context
    board = built.context["page"]["body"]
    assert len(board) > 10_000 and cached.context["page"]["body"] == board
    assert board in cached.content.decode()


@pytest.mark.django_db
def test_the_xlsx_downloads_read_the_same_queries_with_more_wards(login):
    client = login("kiemtra.longbien")
    addresses = [f"/dashboards/district/{unit('004').pk}/{t}.xlsx" for t in ("heatmap", "ranking")]
    before = [count_queries(client, address) for address in addresses]
    add_wards(unit("004"), 3)
    assert [count_queries(client, address) for address in addresses] == before
    assert max(before) <= DISTRICT_BUDGET
