"""Excel downloads of the scorecard and the district matrix: same rows as the page, same scope."""

import pytest

from tieuchi.collection.numbers import parse_number
from tieuchi.core.tests.xlsx_readback import read_download
from tieuchi.orgs.models import AdminUnit


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.filter(official_code=code).order_by("-valid_from").first()


def scorecard_url(code: str = "00121", suffix: str = "") -> str:
    return f"/evaluation/units/{unit(code).pk}/{suffix}"


def matrix_url(code: str = "004", suffix: str = "") -> str:
    return f"/evaluation/matrix/{unit(code).pk}/{suffix}"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?show=open", "?show=not_met"])
def test_scorecard_download_has_the_rows_the_page_lists(login, query):
    client = login("dong.giangbien")
    page = client.get(scorecard_url() + query)
    assert 'class="xlsx-download"' in page.content.decode()
    shown = [item for _criterion, items in page.context["criteria"] for item in items]
    table = read_download(client.get(scorecard_url(suffix="export.xlsx") + query))
    assert table.headers[:4] == ["Tiêu chí", "Mã", "Nội dung", "Kết quả"]
    assert table.column("Mã") == [item.code for item in shown]
    assert table.column("Kết quả") == [item.verdict.label for item in shown]
    assert table.column("Minh chứng (tệp)") == [item.evidence_count for item in shown]
    assert table.column("Lãnh đạo phụ trách") == [item.leader or None for item in shown]
    run = page.context["run"]
    assert f"Tính đến ngày: {run.as_of:%d/%m/%Y}" in table.preamble


@pytest.mark.django_db
def test_scorecard_percentages_are_numbers_equal_to_the_page(login):
    client = login("dong.giangbien")
    page = client.get(scorecard_url())
    table = read_download(client.get(scorecard_url(suffix="export.xlsx")))
    expected = {}
    for item in page.context["card"].items:
        if len(item.measures) == 1 and item.measures[0].percent:
            expected[item.code] = float(parse_number(item.measures[0].percent) / 100)
    got = {
        code: value
        for code, value in zip(table.column("Mã"), table.column("Tỷ lệ"), strict=True)
        if value is not None
    }
    assert expected and got == pytest.approx(expected)
    assert table.formats[table.headers.index("Tỷ lệ")] == {"0.00%"}
    assert table.formats[table.headers.index("Minh chứng (tệp)")] <= {"#,##0"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status"),
    [("kiemtra.longbien", 200), ("tdp01.giangbien", 404), ("lanhdao.phucloi", 404)],
)
def test_scorecard_download_keeps_the_page_scope(login, username, status):
    client = login(username)
    assert client.get(scorecard_url()).status_code == status
    assert client.get(scorecard_url(suffix="export.xlsx")).status_code == status


@pytest.mark.django_db
def test_scorecard_download_uses_a_fixed_number_of_queries(login, django_assert_max_num_queries):
    client = login("dong.giangbien")
    with django_assert_max_num_queries(14):
        assert client.get(scorecard_url(suffix="export.xlsx")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?sort=rank"])
@pytest.mark.parametrize("username", ["kiemtra.longbien", "dong.giangbien", "lanhdao.phucloi"])
def test_matrix_download_has_the_rows_the_page_shows_to_this_user(login, username, query):
    client = login(username)
    page = client.get(matrix_url() + query)
    assert 'class="button xlsx-download"' in page.content.decode()
    table = read_download(client.get(matrix_url(suffix="export.xlsx") + query))
    rows = page.context["rows"]
    columns = page.context["table"].columns
    assert table.headers[:2] == ["Hạng", "Đơn vị"]
    assert table.headers[2:-2] == [f"{c.code}. {c.short_name or c.name}" for c in columns]
    assert table.column("Đơn vị") == [row.unit.name for row in rows]
    assert table.column("Số tiêu chí đạt") == [row.met_count if row.run else None for row in rows]
    assert table.column("Hạng") == [row.rank if row.run else None for row in rows]
    for read, row in zip(table.rows, rows, strict=True):
        for text, (_node, cell) in zip(read[2:-2], row.cells, strict=True):
            assert text == (
                f"{cell.verdict.short} ({cell.met_count}/{cell.total_count})" if cell else "—"
            )
    assert table.column("Tính đến ngày") == [row.run.as_of if row.run else None for row in rows]


@pytest.mark.django_db
def test_matrix_download_formats_and_scope(login, django_assert_max_num_queries):
    client = login("kiemtra.longbien")
    with django_assert_max_num_queries(13):
        response = client.get(matrix_url(suffix="export.xlsx"))
    table = read_download(response)
    assert table.formats[table.headers.index("Số tiêu chí đạt")] == {"#,##0"}
    assert table.formats[table.headers.index("Tính đến ngày")] == {"DD/MM/YYYY"}
    assert "ma-tran-004-" in response["Content-Disposition"]
    outsider = login("lanhdao.phucloi")  # Giang Biên's TDPs are not Phúc Lợi's to compare
    assert outsider.get(matrix_url("00121")).status_code == 404
    assert outsider.get(matrix_url("00121", "export.xlsx")).status_code == 404
