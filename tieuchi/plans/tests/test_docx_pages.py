"""The Word import review screen, its scope, and the .docx export in the NĐ 30/2020 layout."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from tieuchi.plans.docx_export import plan_docx
from tieuchi.plans.models import Plan
from tieuchi.plans.tests.docx_builders import HEADERS, build_plan_docx, giang_bien_rows


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


def test_export_docx_layout(db):
    plan = Plan.objects.get(key="giang-bien-2023")
    document = Document(BytesIO(plan_docx(plan)))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)

    def between(value, low, high):  # Word stores margins in twips: allow for the rounding
        return Mm(low - 0.1) <= value <= Mm(high + 0.1)

    assert between(section.top_margin, 20, 25) and between(section.bottom_margin, 20, 25)
    assert between(section.left_margin, 30, 35) and between(section.right_margin, 15, 20)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 13
    header = document.tables[0]
    texts = "\n".join(cell.text for cell in header.rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
    assert "Độc lập - Tự do - Hạnh phúc" in texts
    assert "Số: 68/KH-UBND" in texts
    assert "Giang Biên, ngày 08 tháng 02 năm 2023" in texts
    assert "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN" in texts
    body = "\n".join(p.text for p in document.paragraphs)
    assert "KẾ HOẠCH" in body and plan.name in body
    table = document.tables[1]
    titles = [cell.text for cell in table.rows[0].cells]
    assert [t.replace("/ ", "/") for t in titles] == [h.replace("/ ", "/") for h in HEADERS]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) - 1 == 52
    assert table.rows[1].cells[0].text == "1. Quy hoạch đô thị"
    assert table.rows[2].cells[0]._tc is table.rows[1].cells[0]._tc  # merged criterion cell
    signature = "\n".join(cell.text for cell in document.tables[2].rows[0].cells)
    assert "Nơi nhận:" in signature and "CHỦ TỊCH" in signature and "Vũ Phương Đông" in signature


def test_export_round_trips_through_the_import(db, tmp_path):
    from tieuchi.plans.docx_import.reader import read_docx
    from tieuchi.plans.docx_import.rows import analyse

    plan = Plan.objects.select_related("catalog", "unit").get(key="giang-bien-2023")
    rows = analyse(read_docx(BytesIO(plan_docx(plan)), "xuat.docx"), plan)
    assert [row.criterion_code for row in rows] == [r["code"] for r in giang_bien_rows()]


def test_download_button(login):
    page = login("dong.giangbien").get("/plans/giang-bien-2023/").content.decode()
    assert "/plans/giang-bien-2023/export.docx" in page
    response = login("dong.giangbien").get("/plans/giang-bien-2023/export.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
