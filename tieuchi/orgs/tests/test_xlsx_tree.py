"""Excel download of the unit tree: the page's units on the page's day, nothing outside scope."""

import datetime as dt

import pytest

from tieuchi.core.tests.xlsx_readback import read_download


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["admin", "kiemtra.longbien", "dong.giangbien", "lanhdao.phucloi"]
)
def test_tree_download_lists_the_units_of_the_page(login, username, django_assert_max_num_queries):
    client = login(username)
    page = client.get("/units/", {"as_of": "2023-06-01"})
    assert 'class="button xlsx-download"' in page.content.decode()
    shown = page.context["rows"]
    with django_assert_max_num_queries(8):
        response = client.get("/units/export.xlsx", {"as_of": "2023-06-01"})
    table = read_download(response)
    assert table.headers[:4] == ["Cấp", "Tên đơn vị", "Loại", "Mã"]
    assert table.column("Mã") == [node.unit.code for _depth, node in shown]
    assert table.column("Cấp") == [depth + 1 for depth, _node in shown]
    assert [name.strip() for name in table.column("Tên đơn vị")] == [
        node.unit.name for _depth, node in shown
    ]
    assert table.column("Hiệu lực từ") == [node.unit.valid_from for _depth, node in shown]
    assert table.formats[table.headers.index("Cấp")] == {"#,##0"}
    assert "Các đơn vị có hiệu lực ngày 01/06/2023" in table.preamble


@pytest.mark.django_db
def test_tree_download_never_shows_giang_bien_to_the_phuc_loi_leader(login):
    table = read_download(login("lanhdao.phucloi").get("/units/export.xlsx?as_of=2023-06-01"))
    assert not any("Giang Biên" in str(value) for row in table.rows for value in row)
    assert len(table.rows) == 1


@pytest.mark.django_db
def test_tree_download_names_the_parent_unit(login):
    client = login("dong.giangbien")
    _depth, ward = client.get("/units/?as_of=2023-06-01").context["rows"][0]
    table = read_download(client.get("/units/export.xlsx?as_of=2023-06-01"))
    assert table.column("Đơn vị cấp trên") == [None] + [ward.unit.name] * (len(table.rows) - 1)
    assert table.column("Hiệu lực đến")[0] == ward.unit.valid_to == dt.date(2025, 6, 30)
