"""Excel download of a catalog page: every node and threshold of the page, numbers as numbers."""

import pytest

from tieuchi.catalog.models import Catalog, Threshold
from tieuchi.core.tests.xlsx_readback import read_download


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["qd04-2022", "ctr02-longbien-2020-2025"])
def test_catalog_download_has_every_node_and_threshold(login, key, django_assert_max_num_queries):
    client = login("tdp01.giangbien")  # catalogs are published texts: everyone reads them
    page = client.get(f"/catalogs/{key}/")
    assert 'class="button xlsx-download"' in page.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get(f"/catalogs/{key}/export.xlsx")
    table = read_download(response)
    assert table.headers[:3] == ["Số TT", "Nội dung", "Mã chỉ tiêu"]
    catalog = Catalog.objects.filter(key=key).order_by("-version").first()
    codes = list(catalog.nodes.order_by("position").values_list("code", flat=True))
    assert list(dict.fromkeys(table.column("Số TT"))) == codes
    thresholds = Threshold.objects.filter(measure__node__catalog=catalog)
    assert sum(1 for layer in table.column("Cấp đặt chỉ tiêu") if layer) == thresholds.count()
    values = sorted(float(t.value) for t in thresholds if t.value is not None)
    assert sorted(v for v in table.column("Ngưỡng") if v is not None) == pytest.approx(values)
    assert table.formats[table.headers.index("Ngưỡng")] <= {"General"}


@pytest.mark.django_db
def test_unknown_catalog_download_is_404(login):
    assert login("dong.giangbien").get("/catalogs/khong-co/export.xlsx").status_code == 404


@pytest.mark.django_db
def test_catalog_list_download_has_the_rows_of_the_page(login):
    client = login("xem.giangbien")
    page = client.get("/catalogs/")
    assert 'class="button xlsx-download"' in page.content.decode()
    table = read_download(client.get("/catalogs/export.xlsx"))
    assert table.headers == ["Tên", "Căn cứ", "Phiên bản", "Loại"]
    assert table.column("Tên") == [c.name for c in page.context["catalogs"]]
    assert table.column("Loại") == [c.get_kind_display() for c in page.context["catalogs"]]
