"""The district page: wards × criteria, ranking, totals, drill-down links, scope and query budget."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit, UnitLevel, UnitType

AS_OF = dt.date(2023, 11, 30)
LONG_BIEN_WARDS = 14

# username -> the wards (official codes) in the rows of Long Biên's matrix
ROWS = {
    "admin": LONG_BIEN_WARDS,
    "kiemtra.longbien": LONG_BIEN_WARDS,
    "dong.giangbien": ["00121"],
    "xem.giangbien": ["00121"],
    "lanhdao.phucloi": ["00136"],
    "tdp01.giangbien": [],
}


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def url(code: str = "004") -> str:
    return f"/evaluation/matrix/{unit(code).pk}/"


def row_codes(response) -> list[str]:
    return [row.unit.official_code for row in response.context["rows"]]


def current_results() -> dict[str, dict[str, str]]:
    """ward code -> {criterion code: verdict}, straight from the stored rows."""
    results: dict[str, dict[str, str]] = {}
    rows = NodeResult.objects.filter(
        run__is_current=True, run__as_of=AS_OF, run__unit__parent=unit("004"), depth=0
    ).values_list("run__unit__official_code", "code", "verdict")
    for ward, code, verdict in rows:
        results.setdefault(ward, {})[code] = verdict
    return results


# --- what it shows ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_district_inspector_sees_the_14_wards_against_the_9_criteria(login):
    response = login("kiemtra.longbien").get(url())
    assert response.status_code == 200
    table = response.context["table"]
    assert len(table.rows) == LONG_BIEN_WARDS
    assert [column.code for column in table.columns] == [str(n) for n in range(1, 10)]
    expected = current_results()
    for row in table.rows:
        assert row.run is not None and row.run.as_of == AS_OF
        shown = {column.code: cell.verdict.code for column, cell in row.cells}
        assert shown == expected[row.unit.official_code], row.unit.name
        met = sum(1 for verdict in shown.values() if verdict == "met")
        assert row.met_count == met == row.run.met_count
    html = response.content.decode()
    assert html.count('<td class="cell"') == LONG_BIEN_WARDS * 9 + 9  # cells + totals row


@pytest.mark.django_db
def test_it_totals_each_criterion_as_wards_met_out_of_all(login):
    response = login("kiemtra.longbien").get(url())
    expected = current_results()
    html = response.content.decode()
    for column, met in response.context["table"].totals:
        count = sum(1 for verdicts in expected.values() if verdicts[column.code] == "met")
        assert met == count
        assert f"<strong>{count}/14</strong> phường đạt" in html


@pytest.mark.django_db
def test_each_cell_says_its_verdict_in_words_and_symbol_and_drills_down(login):
    response = login("kiemtra.longbien").get(url())
    html = response.content.decode()
    giang_bien = unit("00121")
    scorecard = f"/evaluation/units/{giang_bien.pk}/?catalog=qd04-2022&amp;as_of=2023-11-30"
    assert f'href="{scorecard}">Giang Biên</a>' in html
    row = next(r for r in response.context["rows"] if r.unit == giang_bien)
    for column, cell in row.cells:
        link = f'href="{scorecard}#criterion-{column.code}"'
        words = f'<span aria-hidden="true">{cell.verdict.symbol}</span> {cell.verdict.short}'
        assert link in html and words in html
    assert {cell.verdict.short for _column, cell in row.cells} <= {
        "Đạt",
        "Chưa đạt",
        "Thiếu dữ liệu",
    }


@pytest.mark.django_db
def test_the_drill_down_link_opens_the_scorecard_at_that_criterion(login):
    client = login("kiemtra.longbien")
    giang_bien = unit("00121")
    response = client.get(
        f"/evaluation/units/{giang_bien.pk}/", {"catalog": "qd04-2022", "as_of": "2023-11-30"}
    )
    assert response.status_code == 200
    assert response.context["run"].as_of == AS_OF
    assert 'id="criterion-6"' in response.content.decode()


@pytest.mark.django_db
def test_ranking_sorts_by_criteria_met_with_shared_ranks(login):
    rows = login("kiemtra.longbien").get(url(), {"sort": "rank"}).context["rows"]
    met = [row.met_count for row in rows]
    assert met == sorted(met, reverse=True)
    for position, row in enumerate(rows, start=1):
        better = sum(1 for other in rows if other.met_count > row.met_count)
        assert row.rank == better + 1, (position, row.unit.name)
    # Ties keep the official order of the wards.
    for first, second in zip(rows, rows[1:], strict=False):
        if first.met_count == second.met_count:
            assert first.unit.official_code < second.unit.official_code


@pytest.mark.django_db
def test_without_sorting_the_wards_keep_their_official_order(login):
    codes = row_codes(login("kiemtra.longbien").get(url()))
    assert codes == sorted(codes) and len(codes) == LONG_BIEN_WARDS


@pytest.mark.django_db
def test_an_earlier_day_shows_what_was_known_then(login):
    response = login("kiemtra.longbien").get(url(), {"as_of": "2023-06-30"})
    rows = {row.unit.official_code: row for row in response.context["rows"]}
    assert rows["00121"].run.as_of == dt.date(2023, 5, 31)  # round 1 of Giang Biên
    assert "tính đến 31/05/2023" in response.content.decode()
    assert all(row.run is None for code, row in rows.items() if code != "00121")
    assert "Chưa có kết quả" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_date_falls_back_to_the_newest_results_and_says_so(login):
    response = login("kiemtra.longbien").get(url(), {"as_of": "31-11-2023"})
    assert response.context["table"].as_of == AS_OF
    assert "Ngày không hợp lệ" in response.content.decode()


# --- who sees what -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "expected"), ROWS.items())
@pytest.mark.django_db
def test_each_user_sees_only_the_wards_in_their_scope(login, username, expected):
    response = login(username).get(url())
    assert response.status_code == 200
    codes = row_codes(response)
    if isinstance(expected, int):
        assert len(codes) == expected
    else:
        assert codes == expected


@pytest.mark.parametrize("username", ["lanhdao.phucloi", "tdp01.giangbien"])
@pytest.mark.django_db
def test_a_matrix_outside_the_users_scope_is_404(login, username):
    """Giang Biên's TDPs are neither Phúc Lợi's nor (but for his own) the TDP head's to compare."""
    expected = 404 if username == "lanhdao.phucloi" else 200
    assert login(username).get(url("00121")).status_code == expected


@pytest.mark.parametrize(
    ("username", "target"),
    [
        ("admin", "/evaluation/matrix/"),
        ("kiemtra.longbien", "/evaluation/matrix/"),
        ("dong.giangbien", "/evaluation/units/"),
        ("tdp01.giangbien", "/evaluation/units/"),
    ],
)
@pytest.mark.django_db
def test_the_evaluation_menu_opens_the_district_matrix_or_the_own_scorecard(
    login, username, target
):
    response = login(username).get("/evaluation/")
    assert response.status_code == 302 and response["Location"].startswith(target)


@pytest.mark.parametrize("username", ["admin", "kiemtra.longbien", "dong.giangbien"])
@pytest.mark.django_db
def test_the_default_matrix_is_long_bien(login, username):
    response = login(username).get("/evaluation/matrix/", {"sort": "rank"})
    assert response.status_code == 302
    assert response["Location"] == f"{url()}?sort=rank"


@pytest.mark.django_db
def test_the_menu_links_to_the_evaluation_pages(login):
    html = login("xem.giangbien").get("/").content.decode()
    assert 'href="/evaluation/"' in html
    assert html.count('href="/evaluation/"') >= 2  # the menu and the home page card


# --- query budget -------------------------------------------------------------------------------------

# Measured: session, user, the district, scope (2), "may see below it", newest run (defaults),
# the catalog, wards with their newest run, those runs, the criteria, their results. Nothing
# depends on how many wards, runs or criteria there are.
MATRIX_BUDGET = 12


def add_wards(count: int) -> None:
    catalog = Catalog.objects.get(key="qd04-2022")
    for number in range(count):
        extra = AdminUnit.objects.create(
            official_code=f"9990{number}",
            name=f"Phường thử {number}",
            level=UnitLevel.COMMUNE,
            unit_type=UnitType.PHUONG,
            parent=unit("004"),
            valid_from=dt.date(2004, 1, 1),
            valid_to=dt.date(2025, 6, 30),
        )
        evaluate_unit(extra, catalog, AS_OF)
        evaluate_unit(extra, catalog, dt.date(2023, 5, 31))


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("username", ["kiemtra.longbien", "dong.giangbien"])
@pytest.mark.django_db
def test_the_matrix_stays_within_its_query_budget(login, django_assert_max_num_queries, username):
    client, address = login(username), url()
    with django_assert_max_num_queries(MATRIX_BUDGET):
        assert client.get(address).status_code == 200


@pytest.mark.django_db
def test_the_matrix_runs_the_same_queries_with_more_wards_and_runs(
    login, django_assert_max_num_queries
):
    client, address = login("kiemtra.longbien"), url()
    before = count_queries(client, address)
    add_wards(3)
    with django_assert_max_num_queries(MATRIX_BUDGET):
        response = client.get(address)
    assert len(response.context["rows"]) == LONG_BIEN_WARDS + 3
    assert all(row.run is not None for row in response.context["rows"])
    assert EvaluationRun.objects.filter(unit__official_code__startswith="9990").count() == 6
    assert count_queries(client, address) == before
