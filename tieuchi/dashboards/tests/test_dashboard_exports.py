"""The district dashboard's heat map and ranking as .xlsx: the same rows as the page, typed cells."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tieuchi.orgs.models import AdminUnit


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def sheet_rows(response) -> tuple[list, list[list]]:
    """(header row, data rows) of the only sheet; the header is the row starting with its title."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[0] in ("Phường, xã", "Hạng", "Quận, huyện"))
    return rows[start], rows[start + 1 :]


@pytest.mark.django_db
def test_the_heat_map_download_has_the_pages_rows_and_verdicts(login):
    client = login("kiemtra.longbien")
    page = client.get(f"/dashboards/district/{unit('004').pk}/")
    board = page.context["board"]
    query = {"catalog": "qd04-2022", "as_of": "2023-11-30"}
    response = client.get(f"/dashboards/district/{unit('004').pk}/heatmap.xlsx", query)
    assert "bang-nhiet-004-2023-11-30.xlsx" in response["Content-Disposition"]
    header, rows = sheet_rows(response)
    assert header[0] == "Phường, xã" and header[-2:] == ["Số tiêu chí đạt", "Tính đến ngày"]
    assert [column.split(".")[0] for column in header[1:10]] == [str(n) for n in range(1, 10)]
    assert [row[0] for row in rows] == [line.unit.name for line in board.lines]
    for row, line in zip(rows, board.lines, strict=True):
        cells = [f"{c.verdict.label} ({c.met_count}/{c.total_count})" for _n, c in line.row.cells]
        assert row[1:10] == cells
        assert row[10] == line.met_count and isinstance(row[10], int)
        assert row[11] == dt.datetime(2023, 11, 30)


@pytest.mark.django_db
def test_the_ranking_download_is_in_rank_order_with_numbers_as_numbers(login):
    client = login("kiemtra.longbien")
    ranking = client.get(f"/dashboards/district/{unit('004').pk}/").context["ranking"]
    response = client.get(f"/dashboards/district/{unit('004').pk}/ranking.xlsx")
    header, rows = sheet_rows(response)
    assert header[:4] == ["Hạng", "Phường, xã", "Số tiêu chí đạt", "Số nội dung đạt"]
    assert len(rows) == len(ranking) == 14
    for row, line in zip(rows, ranking, strict=True):
        assert row[:6] == [
            line.rank,
            line.unit.name,
            line.met_count,
            line.items_met,
            line.items_total,
            pytest.approx(line.items_met / line.items_total, abs=0.001),
        ]
        assert row[6] == line.items_no_data


@pytest.mark.django_db
def test_the_city_download_names_the_district_of_each_ward(login):
    response = login("admin").get(f"/dashboards/district/{unit('01').pk}/ranking.xlsx")
    header, rows = sheet_rows(response)
    assert header[:3] == ["Hạng", "Quận, huyện", "Phường, xã"]
    assert {row[1] for row in rows} == {"Long Biên"} and len(rows) == 14


@pytest.mark.django_db
def test_a_download_outside_the_scope_or_of_an_unknown_table_is_404(login):
    assert (
        login("lanhdao.phucloi")
        .get(f"/dashboards/district/{unit('00121').pk}/ranking.xlsx")
        .status_code
        == 404
    )
    client = login("kiemtra.longbien")
    assert client.get(f"/dashboards/district/{unit('004').pk}/other.xlsx").status_code == 404
    # Giang Biên's leader downloads Long Biên's table with his own ward only.
    _header, rows = sheet_rows(
        login("dong.giangbien").get(f"/dashboards/district/{unit('004').pk}/heatmap.xlsx")
    )
    assert [row[0] for row in rows] == ["Giang Biên"]
