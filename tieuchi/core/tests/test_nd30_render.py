"""The NĐ 30 layout of any document (`tieuchi.core.nd30`), read back from the .docx (pure)."""

import datetime as dt
import struct
import zlib
from dataclasses import replace
from io import BytesIO

import pytest
from docx import Document

from tieuchi.core.nd30.document import Heading, Image, OfficialDocument, Paragraph, Signer, Table
from tieuchi.core.nd30.docx_readback import read_docx
from tieuchi.core.nd30.docx_render import MOTTO, NATIONAL_TITLE, render_docx


def tiny_png() -> bytes:
    """A valid 1×1 white PNG, built here so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


ROWS = tuple((str(n), f"Nội dung số {n}", "Đạt") for n in range(1, 81))


def make(**changes) -> OfficialDocument:
    doc = OfficialDocument(
        parent_body="UBND QUẬN LONG BIÊN",
        issuing_body="ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
        number="125",
        symbol="BC-UBND",
        place="Giang Biên",
        date=dt.date(2023, 11, 30),
        kind_title="BÁO CÁO",
        summary="Kết quả xây dựng phường đạt chuẩn đô thị văn minh năm 2023",
        blocks=(
            Heading("I. Kết quả chung"),
            Paragraph("Phường đạt 3/9 tiêu chí."),
            Table(headers=("TT", "Nội dung", "Kết quả"), rows=ROWS, widths_mm=(15, 110, 40)),
            Image(png=tiny_png(), width_mm=20, caption="Biểu đồ"),
        ),
        addressees=("Ủy ban nhân dân quận Long Biên",),
        recipients=("Như trên;", "Lưu: VT."),
        signer=Signer("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vũ Phương Đông"),
    )
    return replace(doc, **changes)


def test_the_page_is_a4_portrait_with_the_nd30_margins_and_times_new_roman_only():
    back = read_docx(render_docx(make()))
    assert (back.page.width_mm, back.page.height_mm, back.page.landscape) == (210, 297, False)
    assert back.page.margins_mm == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    assert back.fonts == {"Times New Roman"}
    assert back.sizes_pt <= {4.0, 11.0, 12.0, 13.0, 14.0}


def test_a_landscape_document_swaps_the_page_sides():
    back = read_docx(render_docx(make(landscape=True)))
    assert (back.page.width_mm, back.page.height_mm, back.page.landscape) == (297, 210, True)


def test_the_header_holds_issuer_motto_number_and_place_date_side_by_side():
    header = read_docx(render_docx(make())).tables[0].rows
    assert header[0][0].split("\n")[:2] == [
        "UBND QUẬN LONG BIÊN",
        "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
    ]
    assert header[0][1].split("\n") == [NATIONAL_TITLE, MOTTO]
    assert header[1] == ["Số: 125/BC-UBND", "Giang Biên, ngày 30 tháng 11 năm 2023"]


@pytest.mark.parametrize(
    ("number", "day", "number_line", "date_line"),
    [
        ("8", dt.date(2023, 2, 8), "Số: 08/BC-UBND", "Giang Biên, ngày 08 tháng 02 năm 2023"),
        ("125", dt.date(2023, 11, 3), "Số: 125/BC-UBND", "Giang Biên, ngày 03 tháng 11 năm 2023"),
        ("", None, "Số:      /BC-UBND", "Giang Biên, ngày     tháng     năm     "),
    ],
)
def test_numbers_and_dates_get_leading_zeros_or_blanks_to_fill_by_hand(
    number, day, number_line, date_line
):
    header = read_docx(render_docx(make(number=number, date=day))).tables[0].rows
    assert header[1] == [number_line, date_line]


def test_title_summary_and_a_single_addressee_come_before_the_body():
    paragraphs = [text for text in read_docx(render_docx(make())).paragraphs if text]
    assert paragraphs[:4] == [
        "BÁO CÁO",
        "Kết quả xây dựng phường đạt chuẩn đô thị văn minh năm 2023",
        "Kính gửi: Ủy ban nhân dân quận Long Biên.",
        "I. KẾT QUẢ CHUNG",
    ]


def test_several_addressees_are_listed_with_semicolons_and_a_final_full_stop():
    back = read_docx(render_docx(make(addressees=("UBND quận Long Biên", "Phòng VHTT quận"))))
    assert [text for text in back.paragraphs if text.startswith(("Kính gửi", "- "))] == [
        "Kính gửi:",
        "- UBND quận Long Biên;",
        "- Phòng VHTT quận.",
    ]


def test_body_tables_repeat_their_header_row_and_rows_do_not_split():
    table = read_docx(render_docx(make())).table_with("Nội dung")
    assert table.header_repeats and table.rows_cant_split
    assert table.rows[1:] == [list(row) for row in ROWS]


def test_page_numbers_are_a_page_field_in_the_header_but_not_on_page_one():
    back = read_docx(render_docx(make()))
    assert back.has_page_numbers
    assert back.page.first_page_different


def test_noi_nhan_is_bold_italic_12_and_the_signature_block_is_beside_it():
    back = read_docx(render_docx(make()))
    assert back.bold_italic_12 == ["Nơi nhận:"]
    left, right = back.tables[-1].rows[0]
    assert left.split("\n") == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    lines = [line for line in right.split("\n") if line]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Vũ Phương Đông"]


def test_a_two_line_signing_title_keeps_both_lines():
    signer = Signer("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "")
    right = read_docx(render_docx(make(signer=signer))).tables[-1].rows[0][1]
    assert [line for line in right.split("\n") if line] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]


def test_the_appendix_starts_a_new_landscape_section_numbered_from_one():
    appendix = (Paragraph("PHỤ LỤC", bold=True, align="center"), Table(("A", "B"), (("1", "2"),)))
    back = read_docx(render_docx(make(appendix=appendix, appendix_landscape=True)))
    assert len(back.sections) == 2
    assert back.sections[1].landscape and back.sections[1].restarts_numbering
    assert back.sections[1].margins_mm == back.sections[0].margins_mm
    assert back.table_with("A").rows == [["A", "B"], ["1", "2"]]


def test_an_unknown_block_is_refused_rather_than_dropped():
    with pytest.raises(TypeError, match="Không trình bày được"):
        render_docx(make(blocks=("a bare string",)))


def test_merge_down_columns_join_an_empty_cell_to_the_one_above():
    rows = (("1. Quy hoạch", "1.1", "a"), ("", "1.2", ""), ("2. Nhà ở", "2.1", ""))
    table = Table(("Tiêu chí", "Nội dung", "Ghi chú"), rows, merge_down=(0,))
    document = Document(BytesIO(render_docx(make(blocks=(table,)))))
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "Tiêu chí")
    first = [row.cells[0]._tc for row in grid.rows[1:]]
    assert first[0] is first[1] and first[2] is not first[1]
    assert grid.rows[2].cells[2]._tc is not grid.rows[1].cells[2]._tc  # not a merge_down column
    back = read_docx(render_docx(make(blocks=(table,)))).table_with("Tiêu chí")
    assert back.column("Tiêu chí") == ["1. Quy hoạch", "1. Quy hoạch", "2. Nhà ở"]
    assert back.header_repeats and back.rows_cant_split
