"""Excel download of a unit's evidence list: the page's files, scope and period."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tieuchi.accounts.models import User
from tieuchi.collection import evidence as service
from tieuchi.collection.models import Observation
from tieuchi.core.tests.xlsx_readback import formula_count, read_download
from tieuchi.orgs.models import AdminUnit

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200 + b"\xff\xd9"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def url(unit, period="2023", suffix="") -> str:
    return f"/data/evidence/unit/{unit.pk}/{period}/{suffix}"


@pytest.mark.django_db
def test_evidence_download_lists_the_files_of_the_page(login, django_assert_max_num_queries):
    tdp01 = AdminUnit.objects.get(official_code="00121-TDP01")
    ward = AdminUnit.objects.get(official_code="00121")
    head = User.objects.get(username="tdp01.giangbien")
    figure = Observation.objects.get(
        unit=tdp01, measure__code="6.1", measure__node__catalog__key="qd04-2022", period="2023"
    )
    service.store_evidence(head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01, observation=figure)
    service.store_evidence(
        head, SimpleUploadedFile("@bien-ban.pdf", PDF), unit=tdp01, description="+84 912"
    )
    client = login("dong.giangbien")
    page = client.get(url(ward))
    assert 'class="button xlsx-download"' in page.content.decode()
    items = page.context["items"]
    with django_assert_max_num_queries(12):
        response = client.get(url(ward, suffix="export.xlsx"))
    table = read_download(response)
    assert table.column("Tệp") == [item.original_name for item in items]
    assert sorted(table.column("Tệp")) == ["@bien-ban.pdf", "a.jpg"]
    assert table.column("Mã băm SHA-256") == [item.sha256 for item in items]
    assert "Số liệu 6.1, kỳ 2023" in table.column("Minh chứng cho")
    assert table.formats[table.headers.index("Lúc")] == {"DD/MM/YYYY HH:MM"}
    assert formula_count(response.content) == 0  # "@…" and "+84…" stay text
    other_period = read_download(client.get(url(ward, "2022", "export.xlsx")))
    assert "a.jpg" not in other_period.column("Tệp")
    assert login("lanhdao.phucloi").get(url(tdp01, suffix="export.xlsx")).status_code == 404
    assert login("dong.giangbien").get(url(ward, "2023-13", "export.xlsx")).status_code == 404


@pytest.mark.django_db
def test_import_batches_download_lists_the_users_own_recent_imports(
    login, django_assert_max_num_queries
):
    from tieuchi.collection.tests.test_excel_files import template, typed_file
    from tieuchi.collection.tests.test_import_pages import upload

    officer = login("canbo.giangbien")
    upload(officer, typed_file(template("00121-TDP13", "2024")), "00121-TDP13", "2024")
    upload(
        officer, typed_file(template("00121-TDP12", "2024")), "00121-TDP12", "2024", name="=x.xlsx"
    )
    page = officer.get("/data/import/")
    assert 'class="button xlsx-download"' in page.content.decode()
    recent = page.context["recent"]
    with django_assert_max_num_queries(6):
        response = officer.get("/data/import/export.xlsx")
    table = read_download(response)
    assert table.column("#") == [batch.pk for batch in recent]
    assert table.column("Tệp") == [batch.file_name for batch in recent]
    assert table.column("Trạng thái") == [batch.get_status_display() for batch in recent]
    assert formula_count(response.content) == 0
    # Another user's download never lists these uploads.
    assert read_download(login("dong.giangbien").get("/data/import/export.xlsx")).rows == []
