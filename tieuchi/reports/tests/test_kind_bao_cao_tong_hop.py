"""Báo cáo tổng hợp of quận Long Biên for its wards, read back: the NĐ 30 layout, every figure
equal to the district matrix query, the heat map embedded, the ranking, the wards that may be
proposed for recognition, and the district's scope."""

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from tieuchi.accounts.models import User
from tieuchi.catalog.services import latest_catalog
from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.evaluation.models import NodeResult, Verdict
from tieuchi.evaluation.queries_matrix import matrix
from tieuchi.orgs.models import AdminUnit
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.kinds.bao_cao_tong_hop import CATALOG_KEY
from tieuchi.reports.request import ReportInputError
from tieuchi.reports.tests.nd30 import assert_nd30_layout
from tieuchi.reports.tests.official_layout import assert_official_layout, render

DISTRICT = "004"
DAY = dt.date(2023, 12, 31)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return render("bao-cao-tong-hop", DISTRICT, as_of=DAY, number="7")


@pytest.fixture
def expected():
    """The matrix as the matrix page computes it for the district's inspector, on the same day."""
    inspector = User.objects.get(username="kiemtra.longbien")
    district = AdminUnit.objects.get(official_code=DISTRICT)
    return matrix(inspector, district, latest_catalog(CATALOG_KEY), DAY)


def test_the_summary_report_has_the_official_layout_of_the_district(report):
    doc, request, _data = report
    assert_official_layout(doc, request, "Số: 07/BC-UBND")
    assert_nd30_layout(doc, symbol="BC-UBND", place="Long Biên", day=DAY)
    assert request.header.issuing_body == "ỦY BAN NHÂN DÂN QUẬN LONG BIÊN"
    assert request.header.parent_body == ""
    assert "Kính gửi: Ủy ban nhân dân thành phố Hà Nội." in doc.paragraphs
    assert "Tổng hợp kết quả xây dựng phường đạt chuẩn đô thị văn minh" in doc.paragraphs


def test_every_cell_of_the_table_is_the_matrix_querys(report, expected):
    doc, _request, _data = report
    codes = [node.code for node in expected.columns]
    table = doc.table_with("Số tiêu chí đạt")
    assert table.headers == ["TT", "Phường", *codes, "Số tiêu chí đạt"]
    assert [row[1] for row in table.rows[1:]] == [row.unit.name for row in expected.rows]
    assert any(row.run for row in expected.rows), "the demo has results in 2023"
    for read, row in zip(table.rows[1:], expected.rows, strict=True):
        for code, (_node, cell) in zip(codes, row.cells, strict=True):
            shown = read[table.headers.index(code)]
            if cell is None:
                assert shown == "—"
            else:
                assert shown == f"{cell.verdict.short}\n{cell.met_count}/{cell.total_count}"
        assert read[-1] == (f"{row.met_count}/{len(codes)}" if row.run else "Chưa có kết quả")


def test_a_cell_is_the_stored_criterion_result(report, expected):
    """Independently of the matrix code: the stored depth-0 result of one ward's run."""
    doc, _request, _data = report
    row = next(row for row in expected.rows if row.run)
    stored = NodeResult.objects.get(run=row.run, depth=0, code=expected.columns[0].code)
    read = next(r for r in doc.table_with("Số tiêu chí đạt").rows if r[1] == row.unit.name)
    assert read[2].endswith(f"\n{stored.met_count}/{stored.total_count}")


def test_the_ranking_and_the_recognition_lists_follow_the_stored_verdicts(report, expected):
    doc, _request, _data = report
    ranking = doc.table_with("Hạng")
    assert [r[1] for r in ranking.rows[1:]] == [row.unit.name for row in expected.ranked()]
    assert [r[0] for r in ranking.rows[1:]] == [
        str(row.rank) if row.run else "" for row in expected.ranked()
    ]
    ready = {row.unit.name for row in expected.rows if row.run and row.run.verdict == Verdict.MET}
    lines = doc.paragraphs
    start = lines.index("IV. PHƯỜNG ĐỦ ĐIỀU KIỆN ĐỀ NGHỊ CÔNG NHẬN")
    middle = lines.index("V. PHƯỜNG CHƯA ĐỦ ĐIỀU KIỆN")
    proposed = [line for line in lines[start:middle] if line.startswith("- ")]
    not_yet = [line for line in lines[middle:] if line.startswith("- Phường")]
    assert len(proposed) == len(ready)
    assert all(any(f"Phường {name}:" in line for line in proposed) for name in ready)
    assert len(not_yet) == len(expected.rows) - len(ready)


def test_the_heat_map_is_an_inline_picture(report):
    _doc, _request, data = report
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert 150 <= picture.width.mm <= 165
    assert any(
        paragraph.text.startswith("Hình 1. Kết quả từng tiêu chí")
        for paragraph in document.paragraphs
    )


def test_a_day_before_any_result_gets_a_clear_message():
    with pytest.raises(ReportInputError, match="Chưa có kết quả đánh giá nào của các phường"):
        render("bao-cao-tong-hop", DISTRICT, as_of=dt.date(2020, 1, 1))


def test_the_district_lists_and_downloads_it_and_a_ward_cannot(login):
    district = AdminUnit.objects.get(official_code=DISTRICT)
    ward = AdminUnit.objects.get(official_code="00121")
    inspector = login("kiemtra.longbien")
    page = inspector.get(reverse("reports:unit", args=[district.pk]))
    assert all_kinds()["bao-cao-tong-hop"] in dict(page.context["forms"])
    url = reverse("reports:download", args=[district.pk, "bao-cao-tong-hop"])
    response = inspector.get(url, {"bao-cao-tong-hop-date": "31/12/2023", "draft": "1"})
    assert response.status_code == 200, response.context["problem"]
    assert response["Content-Disposition"].endswith('.docx"')

    leader = login("dong.giangbien")
    assert leader.get(reverse("reports:unit", args=[district.pk])).status_code == 404
    assert leader.get(url).status_code == 404
    own = leader.get(reverse("reports:unit", args=[ward.pk]))
    assert all_kinds()["bao-cao-tong-hop"] not in dict(own.context["forms"])
    other = reverse("reports:download", args=[ward.pk, "bao-cao-tong-hop"])
    assert leader.get(other).status_code == 403


def test_the_command_writes_it_for_the_district(tmp_path):
    from tieuchi.reports.tests.test_render_report_command import run

    output = tmp_path / "tong-hop.docx"
    message = run("bao-cao-tong-hop", "--unit=004", "--as-of=2023-12-31", f"--output={output}")
    assert message.startswith(f"Đã tạo {output} (Báo cáo tổng hợp kết quả xây dựng phường")
    back = read_docx(output.read_bytes())
    assert_nd30_layout(back, symbol="BC-UBND", place="Long Biên", day=DAY)
    assert back.table_with("Số tiêu chí đạt").rows[1:]


def test_the_download_reads_a_fixed_number_of_queries(login, django_assert_max_num_queries):
    """A ceiling for the 14 wards of the demo; the matrix query itself reads a fixed number of
    queries whatever the number of wards (`evaluation/queries_matrix.py`)."""
    district = AdminUnit.objects.get(official_code=DISTRICT)
    client = login("kiemtra.longbien")
    url = reverse("reports:download", args=[district.pk, "bao-cao-tong-hop"])
    form = {"bao-cao-tong-hop-date": "31/12/2023", "draft": "1"}
    client.get(url, form)  # warm the session and the user
    with django_assert_max_num_queries(18):
        assert client.get(url, form).status_code == 200
