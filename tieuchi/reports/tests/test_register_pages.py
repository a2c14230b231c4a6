"""The report page's "Đăng ký vào sổ văn bản đi", drafts, and the register page with its .xlsx."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.core.tests.xlsx_readback import read_download
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.models import IssuedDocument
from tieuchi.reports.tests.register_helpers import line, round_two, user, ward

pytestmark = pytest.mark.django_db


def page_url():
    return reverse("reports:unit", args=[ward().pk])


def register_url():
    return reverse("reports:register", args=[ward().pk])


def form(number="", day="01/12/2023", **more):
    fields = {
        "bao-cao-ket-qua-number": number,
        "bao-cao-ket-qua-date": day,
        "bao-cao-ket-qua-signer_name": "Vũ Phương Đông",
        "bao-cao-ket-qua-signer_position": "CHỦ TỊCH",
        "bao-cao-ket-qua-signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "round": round_two().pk,
        "format": "docx",
    }
    return {**fields, **more}


def register_document_url(slug="bao-cao-ket-qua"):
    return reverse("reports:register_document", args=[ward().pk, slug])


def test_the_page_proposes_the_next_free_number_of_the_year(login):
    year = round_two().judged_on.year
    for number in (1, 2, 5):
        line(number, day=dt.date(year, 1, 10))
    forms = dict(login("dong.giangbien").get(page_url()).context["forms"])
    assert forms[all_kinds()["bao-cao-ket-qua"]].initial["number"] == "6"
    assert forms[all_kinds()["tu-danh-gia"]].initial["number"] == "6"
    # a kind that reprints an existing document keeps that document's own number (KH 68)
    assert forms[all_kinds()["ke-hoach"]].initial["number"] == "68"


def test_the_page_links_to_the_register(login):
    html = login("dong.giangbien").get(page_url()).content.decode()
    assert f'href="{register_url()}"' in html
    assert "Đăng ký vào sổ văn bản đi" in html


def test_registering_on_the_page_downloads_the_numbered_document_and_keeps_it(login):
    client = login("dong.giangbien")
    response = client.post(register_document_url(), form(number="6"))
    assert response.status_code == 200
    back = read_docx(response.content)
    assert back.tables[0].rows[1] == ["Số: 06/BC-UBND", "Giang Biên, ngày 01 tháng 12 năm 2023"]
    record = IssuedDocument.objects.get(issuer=ward(), year=2023)
    assert (record.number, record.kind, record.round) == (6, "bao-cao-ket-qua", round_two())
    again = client.post(register_document_url(), form(number="6", day="02/12/2023"))
    assert read_docx(again.content).tables[0].rows[1][1].endswith("ngày 01 tháng 12 năm 2023")
    assert IssuedDocument.objects.count() == 1


def test_a_taken_number_comes_back_on_the_page_and_nothing_is_written(login):
    line(6, day=dt.date(2023, 3, 1))
    response = login("dong.giangbien").post(register_document_url(), form(number="6"))
    assert response.status_code == 409
    assert "Số 06/BC-UBND năm 2023 đã cấp cho văn bản" in response.content.decode()
    assert IssuedDocument.objects.count() == 1


def test_a_viewer_may_download_a_draft_but_not_register(login):
    client = login("xem.giangbien")
    assert client.post(register_document_url(), form(number="6")).status_code == 403
    draft_url = reverse("reports:download", args=[ward().pk, "bao-cao-ket-qua"]) + "?draft=1"
    draft = client.post(draft_url, form(number="6"))
    assert draft.status_code == 200
    assert read_docx(draft.content).tables[0].rows[1][0] == "Số:      /BC-UBND"
    assert not IssuedDocument.objects.exists()


def test_registering_is_a_post(login):
    assert login("dong.giangbien").get(register_document_url(), form()).status_code == 405


def test_the_register_page_and_its_xlsx_show_the_database(login):
    line(1, day=dt.date(2023, 2, 3), actor=user())
    line(2, day=dt.date(2023, 4, 5))
    line(7, day=dt.date(2022, 12, 30), kind="bao-cao-ket-qua")
    client = login("xem.giangbien")
    response = client.get(register_url())
    assert response.status_code == 200
    shown = [d.number_symbol for d in response.context["documents"]]
    assert shown == ["01/BC-UBND", "02/BC-UBND", "07/BC-UBND"]
    html = response.content.decode()
    assert "Văn bản thử số 2" in html and "03/02/2023" in html
    assert f'href="{register_url()}export.xlsx"' in html

    table = read_download(client.get(register_url() + "export.xlsx"))
    titles = {slug: kind.title for slug, kind in all_kinds().items()}
    expected = [
        [
            d.number_symbol,
            d.date,
            titles[d.kind],
            d.summary,
            d.signer_name,
            (d.generated_by.get_full_name() or d.generated_by.username)
            if d.generated_by
            else "Dòng lệnh",
            timezone.localtime(d.generated_at).replace(tzinfo=None, microsecond=0),
        ]
        for d in IssuedDocument.objects.filter(issuer=ward()).order_by("-year", "number")
    ]
    assert [_as_stored(row) for row in table.rows] == expected
    assert table.headers[0] == "Số, ký hiệu"


def _as_stored(row: list) -> list:
    """A spreadsheet row with its date cell as a date and the time to the second."""
    number_symbol, day, *texts, generated_at = row
    day = day.date() if isinstance(day, dt.datetime) else day
    return [number_symbol, day, *texts, generated_at.replace(microsecond=0)]


def test_the_register_page_reads_a_fixed_number_of_queries(login, django_assert_num_queries):
    client = login("dong.giangbien")
    client.get(register_url())
    line(1)
    with django_assert_num_queries(7) as few:  # session, user, memberships, unit, register...
        client.get(register_url())
    for number in range(2, 12):
        line(number)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(register_url()).context["documents"]) == 11


@pytest.mark.parametrize("username", ["lanhdao.phucloi", "tdp01.giangbien"])
def test_users_outside_the_ward_get_404_on_its_register(login, username):
    line(1)
    client = login(username)
    assert client.get(register_url()).status_code == 404
    assert client.get(register_url() + "export.xlsx").status_code == 404
    assert client.post(register_document_url(), form()).status_code == 404


def test_after_registering_the_page_proposes_the_documents_own_number_again(login):
    client = login("dong.giangbien")
    day = round_two().judged_on.strftime("%d/%m/%Y")
    line(1, day=round_two().judged_on)
    client.post(register_document_url(), form(number="", day=day))
    forms = dict(client.get(page_url(), {"round": round_two().pk}).context["forms"])
    assert forms[all_kinds()["bao-cao-ket-qua"]].initial["number"] == "2"
    assert forms[all_kinds()["tu-danh-gia"]].initial["number"] == "3"
