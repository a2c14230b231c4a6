"""The Word import review screen, its scope, and the .docx export in the NĐ 30/2020 layout."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.plans.docx_export import plan_docx
from tieuchi.plans.models import Plan
from tieuchi.plans.tests.docx_builders import HEADERS, build_plan_docx, giang_bien_rows
from tieuchi.reports.tests.nd30 import assert_nd30_layout


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def _damaged() -> bytes:
    rows = giang_bien_rows()
    rows[6]["content"] = "Khong co nha tamm, nha dot nat va leu lan"
    rows[16]["implementing"] = "Hợp tác xã Ánh Dương"
    return build_plan_docx(rows)


def _upload(client, data: bytes, name="ke-hoach-68.docx"):
    return client.post(
        "/plans/import/",
        {"plan": "giang-bien-2023", "file": SimpleUploadedFile(name, data)},
    )


def test_upload_review_confirm(login):
    client = login("dong.giangbien")
    assert client.get("/plans/import/").status_code == 200
    response = _upload(client, _damaged())
    assert response.status_code == 302
    review_url = response["Location"]
    page = client.get(review_url).content.decode()
    assert page.count('class="flagged needs-review"') == 1
    assert 'name="code_7"' in page and "<select" in page
    assert "Chưa nhận ra đơn vị &#x27;Hợp tác xã Ánh Dương&#x27;" in page
    assert "Xác nhận nhập" in page
    plan = Plan.objects.get(key="giang-bien-2023")
    assert "Hợp tác xã" not in " ".join(p.text for r in plan.rows.all() for p in r.parties.all())
    ids = {row.criterion_code: row.pk for row in plan.rows.all()}
    form = {f"code_{i}": row["code"] for i, row in enumerate(giang_bien_rows(), start=1)}
    form["confirm"] = "1"
    response = client.post(review_url, form)
    assert response.status_code == 302
    assert response["Location"] == "/plans/giang-bien-2023/"
    assert {row.criterion_code: row.pk for row in plan.rows.all()} == ids
    row = plan.rows.get(criterion_code="3.3")
    assert "Chưa nhận ra đơn vị 'Hợp tác xã Ánh Dương'" in row.flags
    assert plan.rows.get(criterion_code="1.7").criterion_text.startswith("Khong co nha tamm")


def test_skipping_an_unmatched_row(login):
    client = login("dong.giangbien")
    review_url = _upload(client, _damaged())["Location"]
    response = client.post(review_url, {"code_7": "", "confirm": "1"})
    assert response.status_code == 302
    plan = Plan.objects.get(key="giang-bien-2023")
    assert plan.rows.count() == 52  # the skipped row keeps its earlier content
    assert plan.rows.get(criterion_code="1.7").criterion_text == "Không có nhà tạm, nhà dột nát."


def test_no_table_message(login):
    client = login("dong.giangbien")
    response = _upload(client, build_plan_docx(with_table=False), "thu-moi.docx")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Không tìm thấy bảng tiêu chí trong tệp &#x27;thu-moi.docx&#x27;" in page


def test_scope(login):
    outsider = login("lanhdao.phucloi")
    response = _upload(outsider, build_plan_docx())
    assert response.status_code in (200, 403, 404)
    assert not response.has_header("Location")
    good = login("dong.giangbien")
    review_url = _upload(good, build_plan_docx())["Location"]
    assert outsider.get(review_url).status_code in (403, 404)
    viewer = login("xem.giangbien")
    assert viewer.get("/plans/import/").status_code == 403
    assert viewer.get(review_url).status_code == 403
    assert viewer.get("/plans/giang-bien-2023/export.docx").status_code == 200


def test_export_docx_is_laid_out_as_every_official_document(db):
    """The plan download goes through the NĐ 30 renderer: the reports' checks hold for it."""
    plan = Plan.objects.select_related("legal_document").get(key="giang-bien-2023")
    back = read_docx(plan_docx(plan))
    issued = plan.legal_document.issued_on
    assert_nd30_layout(back, symbol="KH-UBND", place="Giang Biên", day=issued)
    assert (back.page.width_mm, back.page.height_mm) == (210, 297)
    assert back.page.margins_mm == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    header = back.tables[0].rows
    assert header[0][0].split("\n")[:2] == [
        "UBND QUẬN LONG BIÊN",
        "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
    ]
    assert header[1] == ["Số: 68/KH-UBND", "Giang Biên, ngày 08 tháng 02 năm 2023"]
    assert [text for text in back.paragraphs if text][:2] == ["KẾ HOẠCH", plan.name]
    signature = next(t for t in back.tables if t.rows[0][0].startswith("Nơi nhận"))
    assert [line for line in signature.rows[0][1].split("\n") if line] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Vũ Phương Đông",
    ]
    appendix = back.sections[1]
    assert appendix.landscape and appendix.restarts_numbering
    assert "(Kèm theo Kế hoạch số 68/KH-UBND ngày 08/02/2023 của UBND phường Giang Biên)" in (
        back.paragraphs
    )


def test_export_docx_table_has_every_row_and_merges_the_criterion_name(db):
    plan = Plan.objects.get(key="giang-bien-2023")
    data = plan_docx(plan)
    table = read_docx(data).table_with("Giải pháp thực hiện")
    assert table.headers == HEADERS and table.header_repeats and table.rows_cant_split
    assert len(table.rows) - 1 == 52
    assert table.rows[1][0] == table.rows[2][0] == "1. Quy hoạch đô thị"
    word = next(t for t in Document(BytesIO(data)).tables if t.rows[0].cells[0].text == HEADERS[0])
    assert word.rows[2].cells[0]._tc is word.rows[1].cells[0]._tc  # merged criterion cell


def test_export_docx_is_the_ke_hoach_report_with_the_plans_own_header(db):
    """One plan document: the download and the `ke-hoach` kind share body and appendix."""
    from tieuchi.reports.tests.nd30 import render

    plan = Plan.objects.select_related("legal_document").get(key="giang-bien-2023")
    _request, report = render("ke-hoach")
    download = read_docx(plan_docx(plan))
    assert download.paragraphs == report.paragraphs
    assert download.tables == report.tables and download.sections == report.sections


def test_export_round_trips_through_the_import(db, tmp_path):
    from tieuchi.plans.docx_import.reader import read_docx as read_plan_docx
    from tieuchi.plans.docx_import.rows import analyse

    plan = Plan.objects.select_related("catalog", "unit").get(key="giang-bien-2023")
    rows = analyse(read_plan_docx(BytesIO(plan_docx(plan)), "xuat.docx"), plan)
    assert [row.criterion_code for row in rows] == [r["code"] for r in giang_bien_rows()]


def test_download_button(login):
    page = login("dong.giangbien").get("/plans/giang-bien-2023/").content.decode()
    assert "/plans/giang-bien-2023/export.docx" in page
    response = login("dong.giangbien").get("/plans/giang-bien-2023/export.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
