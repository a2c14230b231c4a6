"""The district (and city) dashboard: wards × criteria heat map, ranking, drill-down, scope."""

import datetime as dt
import re

import pytest

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.evaluation.models import NodeResult, Verdict
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import AdminUnit, UnitLevel, UnitType

AS_OF = dt.date(2023, 11, 30)
LEAVES = (CatalogNode.NodeType.SUBCRITERION, CatalogNode.NodeType.INDICATOR)


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def url(code: str = "004") -> str:
    return f"/dashboards/district/{unit(code).pk}/"


def stored() -> dict[str, dict]:
    """ward code -> criteria verdicts and sub-criteria counts of its current run, from the table."""
    wards: dict[str, dict] = {}
    results = NodeResult.objects.filter(
        run__is_current=True, run__as_of=AS_OF, run__unit__parent=unit("004")
    ).values_list("run__unit__official_code", "code", "depth", "verdict", "node__node_type")
    for ward, code, depth, verdict, node_type in results:
        entry = wards.setdefault(ward, {"criteria": {}, "met": 0, "no_data": 0, "total": 0})
        if depth == 0:
            entry["criteria"][code] = verdict
        if node_type in LEAVES:
            entry["total"] += 1
            entry["met"] += verdict == Verdict.MET
            entry["no_data"] += verdict == Verdict.NO_DATA
    return wards


@pytest.mark.django_db
def test_the_district_inspector_sees_the_heat_map_of_long_biens_14_wards(login):
    response = login("kiemtra.longbien").get(url())
    assert response.status_code == 200
    board = response.context["board"]
    expected = stored()
    assert len(board.lines) == 14 and not board.grouped
    assert [column.code for column in board.columns] == [str(n) for n in range(1, 10)]
    for line in board.lines:
        shown = {column.code: cell.verdict.code for column, cell in line.row.cells}
        assert shown == expected[line.unit.official_code]["criteria"], line.unit.name
    html = response.content.decode()
    # Every cell: colour class, symbol and words, and a link to the scorecard at that criterion.
    assert html.count('<td class="cell"><a class="verdict-') == 14 * 9
    giang_bien = unit("00121")
    scorecard = f"/evaluation/units/{giang_bien.pk}/?catalog=qd04-2022&amp;as_of=2023-11-30"
    line = next(line for line in board.lines if line.unit == giang_bien)
    for column, cell in line.row.cells:
        assert f'href="{scorecard}#criterion-{column.code}"' in html
        assert f'<span aria-hidden="true">{cell.verdict.symbol}</span> {cell.verdict.short}' in html
    assert f'href="/dashboards/ward/{giang_bien.pk}/">Giang Biên</a>' in html


@pytest.mark.parametrize("username", ["kiemtra.longbien", "dong.giangbien"])
@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2023, 6, 30)])
@pytest.mark.django_db
def test_for_a_district_the_heat_map_equals_the_evaluation_matrix(login, username, as_of):
    client = login(username)
    board = client.get(url(), {"as_of": as_of.isoformat()}).context["board"]
    table = client.get(f"/evaluation/matrix/{unit('004').pk}/", {"as_of": as_of.isoformat()})
    rows = table.context["table"].rows

    def cells(row):
        return [(column.code, cell) for column, cell in row.cells]

    assert [line.unit.pk for line in board.lines] == [row.unit.pk for row in rows]
    assert [line.run and line.run.pk for line in board.lines] == [
        row.run and row.run.pk for row in rows
    ]
    assert [cells(line.row) for line in board.lines] == [cells(row) for row in rows]


@pytest.mark.django_db
def test_the_totals_and_the_chart_count_the_wards_meeting_each_criterion(login):
    response = login("kiemtra.longbien").get(url())
    expected = stored()
    met = [
        sum(1 for ward in expected.values() if ward["criteria"][str(n)] == Verdict.MET)
        for n in range(1, 10)
    ]
    assert [count for _column, count in response.context["totals"]] == met
    chart = response.context["chart"]
    assert chart["values"] == met and chart["max"] == 14
    assert chart["labels"] == [str(n) for n in range(1, 10)]
    assert 'data-chart="chart-criteria-data"' in response.content.decode()


@pytest.mark.django_db
def test_the_ranking_counts_criteria_and_sub_criteria_met_and_missing_data(login):
    response = login("kiemtra.longbien").get(url())
    expected = stored()
    ranking = response.context["ranking"]
    assert len(ranking) == 14
    for line in ranking:
        ward = expected[line.unit.official_code]
        criteria_met = sum(1 for v in ward["criteria"].values() if v == Verdict.MET)
        assert (line.met_count, line.items_met, line.items_no_data, line.items_total) == (
            criteria_met,
            ward["met"],
            ward["no_data"],
            ward["total"],
        )
        better = sum(
            1
            for other in ranking
            if (other.met_count, other.items_met) > (line.met_count, line.items_met)
        )
        assert line.rank == better + 1, line.unit.name
    keys = [(-line.met_count, -line.items_met, line.unit.official_code) for line in ranking]
    assert keys == sorted(keys)
    html = response.content.decode()
    first = ranking[0]
    assert f"{first.items_met}/{first.items_total}" in html


@pytest.mark.parametrize(
    ("username", "expected"),
    [("admin", 14), ("kiemtra.longbien", 14), ("dong.giangbien", ["00121"])],
)
@pytest.mark.django_db
def test_each_user_sees_only_the_wards_in_their_scope(login, username, expected):
    response = login(username).get(url())
    assert response.status_code == 200
    codes = [line.unit.official_code for line in response.context["ranking"]]
    if isinstance(expected, int):
        assert len(codes) == expected
    else:
        assert codes == expected
        assert "Phúc Lợi" not in response.content.decode()


@pytest.mark.django_db
def test_a_dashboard_of_a_ward_outside_the_scope_is_404(login):
    assert login("lanhdao.phucloi").get(url("00121")).status_code == 404
    assert login("tdp01.giangbien").get(url("00121-TDP01")).status_code == 404
    # A ward's "district" dashboard is its own ward dashboard.
    response = login("dong.giangbien").get(url("00121"))
    assert response.status_code == 302
    assert response["Location"] == f"/dashboards/ward/{unit('00121').pk}/"


@pytest.mark.django_db
def test_the_city_groups_its_wards_by_district_while_districts_exist(login):
    response = login("admin").get(url("01"))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.as_of == AS_OF and board.grouped
    assert [(group.district.official_code, len(group.lines)) for group in board.groups] == [
        ("004", 14)
    ]
    html = response.content.decode()
    assert f'<a href="/dashboards/district/{unit("004").pk}/?' in html
    assert 'scope="rowgroup"' in html


@pytest.mark.django_db
def test_after_the_district_level_is_gone_the_city_lists_its_wards_directly(login):
    day = dt.date(2025, 7, 1)
    ward = AdminUnit.objects.create(
        official_code="99950",
        name="Phường Bồ Đề mới",
        level=UnitLevel.COMMUNE,
        unit_type=UnitType.PHUONG,
        parent=unit("01"),
        valid_from=day,
    )
    evaluate_unit(ward, Catalog.objects.get(key="qd04-2022"), day)
    response = login("admin").get(url("01"), {"as_of": "2025-07-01"})
    board = response.context["board"]
    assert not board.grouped
    assert [line.unit.official_code for line in board.lines] == ["99950"]
    assert board.lines[0].run.as_of == day
    assert "Không còn cấp quận, huyện vào ngày này" in response.content.decode()
    # The day before, Long Biên and its wards still exist and the new ward does not.
    before = login("admin").get(url("01"), {"as_of": "2025-06-30"}).context["board"]
    assert [group.district.official_code for group in before.groups] == ["004"]
    assert "99950" not in [line.unit.official_code for line in before.lines]


@pytest.mark.django_db
def test_a_bad_date_falls_back_to_the_newest_results_and_says_so(login):
    response = login("kiemtra.longbien").get(url(), {"as_of": "31-11-2023"})
    assert response.context["board"].as_of == AS_OF
    assert "Ngày không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "target"),
    [
        ("admin", "/dashboards/district/{01}/"),
        ("kiemtra.longbien", "/dashboards/district/{004}/"),
        ("dong.giangbien", "/dashboards/ward/{00121}/"),
        ("lanhdao.phucloi", "/dashboards/ward/{00136}/"),
        ("tdp01.giangbien", "/"),
    ],
)
@pytest.mark.django_db
def test_the_overview_menu_opens_the_users_own_dashboard(login, username, target):
    code = target.partition("{")[2].partition("}")[0]
    if code:
        target = target.replace(f"{{{code}}}", str(unit(code).pk))
    response = login(username).get("/dashboards/")
    assert response.status_code == 302 and response["Location"] == target
    html = login(username).get("/").content.decode()
    assert re.search(r'<a href="/dashboards/"\s*>Tổng quan</a>', html), "no menu link"
