"""Lay an `OfficialDocument` out as a .docx exactly as Nghị định 30/2020/NĐ-CP, Phụ lục I, asks.

A4 (portrait, or landscape when the document asks), margins 20/20/30/15 mm, Times New Roman on
every run with the East-Asian font set too (otherwise Word and LibreOffice substitute a CJK font
for Vietnamese letters), the header table (ô 1–4), tên loại and trích yếu (ô 5a), "Kính gửi"
(ô 9a), the body, the signature block beside "Nơi nhận" (ô 7, 9b), page numbers centred in the top
margin from page 2 on, and the appendix on a new page with its own numbering.
Pure: python-docx only, no Django.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tieuchi.core.nd30.document import Heading, Image, OfficialDocument, Paragraph, Signer, Table

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
SIGNATURE_SPACE_LINES = 4  # room for the hand signature and the seal


def render_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    _set_default_font(document)
    section = document.sections[0]
    _page_setup(section, doc.landscape)
    _page_numbers(section)
    body = document._body._body  # the <w:body>; python-docx starts with one empty paragraph
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)

    _header_table(document, doc, _text_width_mm(doc.landscape))
    _title(document, doc)
    _addressees(document, doc.addressees)
    for block in doc.blocks:
        _block(document, block, _text_width_mm(doc.landscape))
    _signature(document, doc.recipients, doc.signer, _text_width_mm(doc.landscape))
    if doc.appendix:
        appendix = document.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(appendix, doc.appendix_landscape)
        _restart_numbering(appendix)
        for block in doc.appendix:
            _block(document, block, _text_width_mm(doc.appendix_landscape))

    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- page, fonts, numbering ------------------------------------------------------------------


def _text_width_mm(landscape: bool) -> float:
    return (297 if landscape else 210) - MARGINS_MM["left"] - MARGINS_MM["right"]


def _set_default_font(document) -> None:
    """Times New Roman for every script in the document defaults and the Normal style."""
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _all_fonts(normal.element.get_or_add_rPr())
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            _all_fonts(run_defaults.find(qn("w:rPr")))


def _all_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _page_setup(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Mm(210), Mm(297)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def _page_numbers(section) -> None:
    """A PAGE field centred in the top margin; the first page has its own, empty, header."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _style_run(run, BODY_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("text", "2")):
        _field_part(run, kind, text)
    _field_part(run, "end", None)


def _field_part(run, kind, text) -> None:
    if kind == "text":
        element = OxmlElement("w:t")
        element.text = text
    elif kind:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
    else:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = text
    run._r.append(element)


def _restart_numbering(section) -> None:
    """The appendix is numbered on its own (NĐ 30 Phụ lục I), page 1 unnumbered again."""
    section.different_first_page_header_footer = True
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    section._sectPr.append(numbering)


# --- runs and paragraphs -----------------------------------------------------------------------


def _style_run(run, size, *, bold=False, italic=False, underline=False) -> None:
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    run.font.name = FONT
    _all_fonts(run._r.get_or_add_rPr())


def _paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    underline=False,
    align="center",
    before: float = 0,
    after: float = 0,
    indent_mm: float = 0,
    first_line_mm: float = 0,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.0
    if indent_mm:
        fmt.left_indent = Mm(indent_mm)
    if first_line_mm:
        fmt.first_line_indent = Mm(first_line_mm)
    if text:
        _style_run(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _rule(container, width_mm: float, column_mm: float) -> None:
    """A short solid line under the issuer and the trích yếu (1/3–1/2 of the text above)."""
    paragraph = _paragraph(container, size=4)
    side = max((column_mm - width_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    _style_run(paragraph.add_run(""), 4)


def _first_paragraph(cell):
    """A table cell starts with one empty paragraph: reuse it for the first line."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


# --- header, title, addressees -----------------------------------------------------------------


def _header_table(document, doc: OfficialDocument, text_width: float) -> None:
    """Ô 1–4: parent and issuer | Quốc hiệu and Tiêu ngữ; number | place and date."""
    left_mm = 66 if text_width < 200 else 110
    widths = (left_mm, text_width - left_mm)
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths)
    left, right = (_first_paragraph(cell) for cell in table.rows[0].cells)
    if doc.parent_body:
        _paragraph(left, doc.parent_body, size=HEADER_PT)
    _paragraph(left, doc.issuing_body, size=HEADER_PT, bold=True)
    _rule(left, min(len(doc.issuing_body) * 1.0, widths[0]) * 0.45, widths[0])
    _paragraph(right, NATIONAL_TITLE, size=12, bold=True)  # 12–13 pt; 13 would wrap
    _paragraph(right, MOTTO, size=BODY_PT, bold=True, underline=True)
    number, place = (_first_paragraph(cell) for cell in table.rows[1].cells)
    _paragraph(number, doc.number_line, size=HEADER_PT, before=6)
    _paragraph(place, doc.place_date_line(), size=BODY_PT, italic=True, before=6)


def _title(document, doc: OfficialDocument) -> None:
    _paragraph(document, doc.kind_title, bold=True, before=18)
    if doc.summary:
        _paragraph(document, doc.summary, bold=True)
        _rule(document, 45, _text_width_mm(doc.landscape))
    _paragraph(document, after=6)


def _addressees(document, addressees: tuple[str, ...]) -> None:
    """Ô 9a: one line "Kính gửi: X.", or "Kính gửi:" then "- X;" lines ending with "."."""
    if not addressees:
        return
    if len(addressees) == 1:
        _paragraph(document, f"Kính gửi: {addressees[0].rstrip('.;')}.", after=12)
        return
    _paragraph(document, "Kính gửi:", align="left", indent_mm=30)
    for number, line in enumerate(addressees, start=1):
        end = "." if number == len(addressees) else ";"
        _paragraph(document, f"- {line.rstrip('.;')}{end}", align="left", indent_mm=50)
    _paragraph(document, after=6)


# --- blocks ------------------------------------------------------------------------------------


def _block(document, block, text_width: float) -> None:
    if isinstance(block, Paragraph):
        paragraph = _paragraph(
            document,
            block.text,
            bold=block.bold,
            italic=block.italic,
            align=block.align,
            after=6,
            first_line_mm=10 if block.first_line_indent else 0,
        )
        paragraph.paragraph_format.line_spacing = 1.15
    elif isinstance(block, Heading):
        text = block.text.upper() if block.level == 1 else block.text
        paragraph = _paragraph(
            document,
            text,
            bold=True,
            italic=block.level >= 3,
            align="left",
            before=6,
            after=6,
            first_line_mm=10,
        )
        paragraph.paragraph_format.keep_with_next = True
    elif isinstance(block, Table):
        _table(document, block, text_width)
    elif isinstance(block, Image):
        paragraph = _paragraph(document, before=6)
        paragraph.add_run().add_picture(BytesIO(block.png), width=Mm(block.width_mm))
        if block.caption:
            _paragraph(document, block.caption, italic=True, size=13, after=6)
    else:  # a new block type must get its layout here, not be dropped silently
        raise TypeError(f"Không trình bày được khối {type(block).__name__}")


def _table(document, block: Table, text_width: float) -> None:
    widths = block.widths_mm or (text_width / len(block.headers),) * len(block.headers)
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, widths)
    header = table.rows[0]
    for cell, title in zip(header.cells, block.headers, strict=True):
        _cell_text(cell, title, block.font_size_pt, bold=True, align="center")
    _row_flags(header, repeat=True)
    aligns = block.column_align or ("left",) * len(block.headers)
    above: dict[int, object] = {}  # merge_down column -> the cell an empty cell continues
    for index, values in enumerate(block.rows):
        row = table.add_row()
        cells = row.cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = Mm(width)
        for column, (cell, value, align) in enumerate(zip(cells, values, aligns, strict=True)):
            _cell_text(cell, value, block.font_size_pt, bold=index in block.bold_rows, align=align)
            if column in block.merge_down:
                above[column] = above[column].merge(cell) if not value and column in above else cell
        _row_flags(row, repeat=False)
    _paragraph(document, after=6)


def _cell_text(cell, text: str, size: float, *, bold=False, align="left") -> None:
    _first_paragraph(cell)
    for line in (text or "").split("\n") or [""]:
        _paragraph(cell, line, size=size, bold=bold, align=align, before=1, after=1)


def _row_flags(row, *, repeat: bool) -> None:
    """Rows never break across pages; the header row repeats at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        properties.append(flag)


def _fixed_widths(table, widths_mm) -> None:
    """Fixed layout with the grid and every cell set, so Word and LibreOffice agree."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


# --- signature and "Nơi nhận" ------------------------------------------------------------------


def _signature(document, recipients, signer: Signer, text_width: float) -> None:
    """Ô 9b on the left, level with ô 7 (authority, title, space to sign, name) on the right."""
    _paragraph(document, after=6)
    widths = (text_width * 0.5, text_width * 0.5)
    table = document.add_table(rows=1, cols=2)
    _fixed_widths(table, widths)
    _row_flags(table.rows[0], repeat=False)
    left, right = (_first_paragraph(cell) for cell in table.rows[0].cells)
    if recipients:
        _paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
        for line in recipients:
            text = line if line.lstrip().startswith("-") else f"- {line}"
            _paragraph(left, text, size=11, align="left")
    else:
        _paragraph(left)
    lines = [signer.authority, *signer.position.split("\n")]
    for line in (line for line in lines if line.strip()):
        _paragraph(right, line.strip().upper(), bold=True)
    for _blank in range(SIGNATURE_SPACE_LINES):
        _paragraph(right)
    _paragraph(right, signer.name, bold=True)
