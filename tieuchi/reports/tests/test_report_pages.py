"""The report page of a unit: who sees which kinds, prefilled forms, downloads, query budget."""

from dataclasses import replace

import pytest
from django.urls import reverse

from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports import views
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.pdf import pdf_available
from tieuchi.reports.views import DOCX_TYPE

pytestmark = pytest.mark.django_db


def ward():
    return AdminUnit.objects.get(official_code="00121")


def page_url(unit=None):
    return reverse("reports:unit", args=[(unit or ward()).pk])


def download_url(slug, unit=None):
    return reverse("reports:download", args=[(unit or ward()).pk, slug])


def listed(response) -> set[str]:
    return {kind.slug for kind, _form in response.context["forms"]}


def commune_kinds(*, from_above: bool) -> set[str]:
    return {
        kind.slug
        for kind in all_kinds().values()
        if (not kind.unit_levels or "commune" in kind.unit_levels)
        and (from_above or not kind.issued_by_district)
    }


@pytest.fixture
def with_district_kind(monkeypatch):
    """A district-issued kind beside the ward's, whatever other kinds exist at the time."""
    kinds = dict(all_kinds())
    kinds["bien-ban-thu"] = replace(
        kinds["tu-danh-gia"], slug="bien-ban-thu", issued_by_district=True
    )
    monkeypatch.setattr(views, "all_kinds", lambda: kinds)
    return kinds


def test_the_ward_leader_gets_the_wards_kinds_with_the_defaults_filled_in(login):
    response = login("dong.giangbien").get(page_url())
    assert response.status_code == 200
    assert listed(response) == commune_kinds(from_above=False)
    form = dict(response.context["forms"])[all_kinds()["bao-cao-ket-qua"]]
    assert form.initial["signer_name"] == "Vũ Phương Đông"
    assert form.initial["addressees"] == "Ủy ban nhân dân quận Long Biên"
    assert form.initial["recipients"].splitlines()[-1] == "Lưu: VT."
    round_two = EvaluationRound.objects.get(plan__unit=ward(), number=2)
    assert form.initial["date"] == round_two.judged_on.strftime("%d/%m/%Y")


def test_district_issued_kinds_are_for_district_staff_only(login, with_district_kind):
    assert "bien-ban-thu" in listed(login("kiemtra.longbien").get(page_url()))
    assert "bien-ban-thu" not in listed(login("dong.giangbien").get(page_url()))
    response = login("dong.giangbien").get(download_url("bien-ban-thu"), {"format": "docx"})
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["lanhdao.phucloi", "tdp01.giangbien"])
def test_users_who_cannot_see_the_ward_get_404_on_the_page_and_the_download(login, username):
    client = login(username)
    assert client.get(page_url()).status_code == 404
    assert client.get(download_url("bao-cao-ket-qua")).status_code == 404


def test_an_unknown_kind_is_404(login):
    assert login("dong.giangbien").get(download_url("bao-cao-tuan")).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(login, django_assert_max_num_queries):
    client = login("kiemtra.longbien")
    client.get(page_url())  # warm the session and the user
    with django_assert_max_num_queries(20):
        assert client.get(page_url()).status_code == 200


def test_the_download_is_a_docx_with_what_the_user_typed(login):
    form = {
        "bao-cao-ket-qua-number": "9",
        "bao-cao-ket-qua-date": "01/12/2023",
        "bao-cao-ket-qua-signer_name": "Nguyễn Văn Tỉnh",
        "bao-cao-ket-qua-recipients": "Như trên;\nLưu: VT.",
        "format": "docx",
    }
    response = login("xem.giangbien").get(download_url("bao-cao-ket-qua"), form)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-ket-qua-00121')
    back = read_docx(response.content)
    assert back.tables[0].rows[1] == ["Số: 09/BC-UBND", "Giang Biên, ngày 01 tháng 12 năm 2023"]
    assert "Nguyễn Văn Tỉnh" in back.tables[-1].rows[0][1]


def test_a_bad_date_comes_back_on_the_form_with_a_message(login):
    response = login("dong.giangbien").get(
        download_url("tu-danh-gia"), {"tu-danh-gia-date": "31/02/2023", "format": "docx"}
    )
    assert response.status_code == 400
    assert "Ngày “31/02/2023” không hợp lệ" in response.content.decode()


def test_without_libreoffice_the_pdf_button_is_replaced_by_the_reason(login, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    client = login("dong.giangbien")
    html = client.get(page_url()).content.decode()
    assert "Tải PDF" not in html and "chưa cài LibreOffice" in html
    response = client.get(download_url("tu-danh-gia"), {"format": "pdf"})
    assert response.status_code == 503
    assert "libreoffice-writer-nogui" in response.content.decode()


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) chưa được cài")
def test_with_libreoffice_the_pdf_downloads(login):
    client = login("dong.giangbien")
    assert "Tải PDF" in client.get(page_url()).content.decode()
    response = client.get(download_url("tu-danh-gia"), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_scorecard_links_to_the_report_page_of_its_round(login):
    round_two = EvaluationRound.objects.get(plan__unit=ward(), number=2)
    scorecard = reverse("evaluation:scorecard", args=[ward().pk])
    html = login("dong.giangbien").get(scorecard, {"round": round_two.pk}).content.decode()
    assert f'href="{page_url()}?round={round_two.pk}"' in html


def test_a_document_the_data_cannot_make_yet_comes_back_with_the_reason(login):
    phuc_loi = AdminUnit.objects.get(official_code="00136")
    EvaluationRun.objects.filter(unit=phuc_loi).delete()  # no stored result at all
    response = login("lanhdao.phucloi").get(download_url("tu-danh-gia", phuc_loi))
    assert response.status_code == 409
    assert "Chưa có kết quả đánh giá của phường Phúc Lợi" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_documents_stay_vietnamese_when_the_interface_is_english(login, settings):
    client = login("dong.giangbien")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(download_url("tu-danh-gia"), {"format": "docx"})
    verdicts = set(read_docx(response.content).table_with("Tự đánh giá").column("Tự đánh giá"))
    assert verdicts <= {"Đạt", "Chưa đạt", "Chưa đủ dữ liệu"}
