"""The /data/import/ pages with the Django test client: upload → preview → commit, scope,
errors on the page, and a bounded number of queries for the preview."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tieuchi.accounts.models import AuditEvent
from tieuchi.collection.models import ImportBatch, Observation
from tieuchi.collection.tests.test_excel_files import (
    EXPECTED,
    cell,
    fill,
    stored,
    template,
    typed_file,
)
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import Plan


def pk(code: str) -> int:
    return AdminUnit.objects.get(official_code=code).pk


def upload(client, data: bytes, code: str, period: str, name="mau.xlsx", **extra):
    return client.post(
        "/data/import/",
        {
            "unit": pk(code),
            "period": period,
            "catalog": "",
            "file": SimpleUploadedFile(name, data),
            **extra,
        },
    )


@pytest.mark.django_db
def test_the_page_offers_only_the_units_the_user_may_enter(login):
    response = login("tdp01.giangbien").get("/data/import/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Nhập số liệu từ Excel</h1>" in html
    assert "Tổ dân phố số 1 (00121-TDP01)" in html and "00121-TDP02" not in html
    assert "Tải mẫu Excel (.xlsx)" in html
    ward = login("canbo.giangbien").get("/data/import/").content.decode()
    assert "Phường Giang Biên (00121)" in ward and "Tổ dân phố số 20 (00121-TDP20)" in ward


@pytest.mark.django_db
def test_upload_preview_commit(login):
    client = login("canbo.giangbien")
    response = upload(client, typed_file(template("00121-TDP13", "2024")), "00121-TDP13", "2024")
    batch = ImportBatch.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/data/import/{batch.pk}/"
    assert batch.status == "preview" and stored("8.2") is None  # nothing written yet
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.context["counts"] == {"new": 4, "changed": 0, "unchanged": 0, "empty": 3}
    assert "7 dòng: 4 mới, 0 thay đổi, 0 không đổi, 3 để trống" in html
    assert "700/760 (92,1%)" in html and "87,5/100 (87,5%)" in html
    assert "Ghi 4 số liệu" in html
    response = client.post(f"/data/import/{batch.pk}/commit/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.committed_at is not None
    for code, figures in EXPECTED.items():
        assert stored(code) == figures
    page = client.get(f"/data/import/{batch.pk}/").content.decode()
    assert "Đã ghi 4 số liệu (4 mới, 0 thay đổi)." in page
    assert "Ghi 4 số liệu" not in page  # committed: no button any more
    events = AuditEvent.objects.filter(channel="excel", note__contains=f"#{batch.pk}")
    assert events.count() == 4


@pytest.mark.django_db
def test_an_upload_with_errors_shows_every_error_and_writes_nothing(login):
    client = login("canbo.giangbien")
    data = template("00121-TDP13", "2024")
    data = fill(
        data,
        {
            cell(data, "6.1", "numerator"): "12,3,4",
            cell(data, "6.1", "denominator"): 100,
            cell(data, "8.2", "numerator"): 800,
            cell(data, "8.2", "denominator"): 760,
        },
    )
    before = Observation.objects.count()
    response = upload(client, data, "00121-TDP13", "2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp bị từ chối (2 lỗi), chưa ghi gì:" in html
    assert "dòng 9, cột F: &#x27;12,3,4&#x27; không phải là số" in html
    assert "cột F: tử số (800) không được lớn hơn mẫu số (760)." in html
    assert Observation.objects.count() == before
    assert ImportBatch.objects.latest("id").status == "refused"


@pytest.mark.django_db
def test_a_tdp_head_cannot_import_another_tdps_file_through_the_page(login):
    client = login("tdp01.giangbien")
    data = typed_file(template("00121-TDP13", "2024"))
    before = Observation.objects.count()
    # The form only offers their own TDP; choosing it with TDP 13's file is refused as well.
    response = upload(client, data, "00121-TDP13", "2024")
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = upload(client, data, "00121-TDP01", "2024")
    html = response.content.decode()
    assert "Tệp là mẫu của Tổ dân phố số 13 (00121-TDP13), không phải của Tổ dân phố số 1" in html
    assert Observation.objects.count() == before
    # Nor download its template.
    response = client.get("/data/import/template/", {"unit": pk("00121-TDP13"), "period": "2024"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_only_the_uploader_commits_and_only_users_in_scope_see_a_batch(login):
    data = typed_file(template("00121-TDP13", "2024"))
    upload(login("canbo.giangbien"), data, "00121-TDP13", "2024")
    batch = ImportBatch.objects.latest("id")
    leader = login("dong.giangbien")
    assert leader.get(f"/data/import/{batch.pk}/").status_code == 200
    assert leader.post(f"/data/import/{batch.pk}/commit/").status_code == 403
    assert login("lanhdao.phucloi").get(f"/data/import/{batch.pk}/").status_code == 404
    assert stored("8.2") is None


@pytest.mark.django_db
def test_a_preview_can_be_discarded(login):
    client = login("canbo.giangbien")
    upload(client, typed_file(template("00121-TDP13", "2024")), "00121-TDP13", "2024")
    batch = ImportBatch.objects.latest("id")
    response = client.post(f"/data/import/{batch.pk}/discard/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded"
    assert client.post(f"/data/import/{batch.pk}/commit/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded" and stored("8.2") is None


@pytest.mark.django_db
def test_the_preview_page_reads_a_fixed_number_of_queries(login, django_assert_max_num_queries):
    client = login("canbo.giangbien")
    data = template("00121", "2025", subunits=True)
    values = {}
    for number in range(1, 21):
        unit = f"00121-TDP{number:02d}"
        for code in ("2.5", "3.3", "6.1", "8.2"):
            values[cell(data, code, "numerator", unit)] = 90
            values[cell(data, code, "denominator", unit)] = 100
    response = upload(client, fill(data, values), "00121", "2025", subunits="on")
    assert response.status_code == 302, response.context["problems"]
    with django_assert_max_num_queries(8):
        page = client.get(response["Location"])
    assert page.context["counts"]["new"] == 80
    assert page.content.decode().count("Tổ dân phố số 20") == 4
    batch = ImportBatch.objects.latest("id")
    client.post(f"/data/import/{batch.pk}/commit/")
    assert stored("8.2", "2025", "00121-TDP20") == (Decimal(90), Decimal(100))


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_refused_before_reading(login, monkeypatch):
    from tieuchi.collection.excel import layout

    data = typed_file(template("00121-TDP13", "2024"))
    monkeypatch.setattr(layout, "MAX_UPLOAD_BYTES", 1024 * 1024 // 2)
    response = upload(login("canbo.giangbien"), data + b"\0" * (1024 * 1024), "00121-TDP13", "2024")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp quá lớn (1,0 MiB); tối đa" in html
    assert stored("8.2") is None


@pytest.mark.django_db
def test_the_download_button_posts_the_form_and_returns_the_template(login):
    client = login("tdp01.giangbien")
    html = client.get("/data/import/").content.decode()
    assert 'formaction="/data/import/template/"' in html
    response = client.post(
        "/data/import/template/", {"unit": pk("00121-TDP01"), "period": "2024", "catalog": ""}
    )
    assert response.status_code == 200
    assert (
        'filename="mau-so-lieu-00121-TDP01-2024-qd04-2022.xlsx"' in response["Content-Disposition"]
    )


@pytest.mark.django_db
def test_the_page_asks_for_a_catalog_or_subunits_when_it_cannot_guess(login):
    client = login("lanhdao.phucloi")
    # The district's plan names the catalog for its wards; without it, both catalogs apply.
    guessed = client.post("/data/import/template/", {"unit": pk("00136"), "period": "2024"})
    assert "qd04-2022" in guessed["Content-Disposition"]
    Plan.objects.filter(unit__official_code="004").delete()
    response = client.post("/data/import/template/", {"unit": pk("00136"), "period": "2024"})
    assert response.status_code == 200
    assert "Hãy chọn bộ tiêu chí cho Phường Phúc Lợi" in response.content.decode()
    response = client.post(
        "/data/import/template/",
        {"unit": pk("00136"), "period": "2024", "catalog": "qd04-2022"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    district = login("admin").post(
        "/data/import/template/", {"unit": pk("004"), "period": "2024", "catalog": "qd04-2022"}
    )
    assert "Quận Long Biên không nhập trực tiếp chỉ tiêu nào của qd04-2022" in (
        district.content.decode()
    )
