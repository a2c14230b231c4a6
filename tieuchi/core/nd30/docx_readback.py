"""Read a generated .docx back with python-docx, for the tests of every document kind.

The tests check what a reader of the file would see (page size, margins, fonts, texts, tables,
repeated header rows, page numbers), not the `OfficialDocument` the builder produced, so a
renderer bug cannot hide behind correct data. Pure: python-docx only, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

FONT_ATTRIBUTES = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


@dataclass(frozen=True)
class SectionLayout:
    width_mm: int
    height_mm: int
    landscape: bool
    margins_mm: dict[str, int]  # top, bottom, left, right, rounded to whole millimetres
    first_page_different: bool  # page 1 has its own (empty) header: no number on it
    page_number_field: bool  # a PAGE field in the header of the other pages
    restarts_numbering: bool


@dataclass(frozen=True)
class ReadTable:
    rows: list[list[str]]  # cell texts, merged cells repeated as python-docx reports them
    header_repeats: bool  # the first row carries w:tblHeader
    rows_cant_split: bool  # every row carries w:cantSplit

    @property
    def headers(self) -> list[str]:
        return self.rows[0] if self.rows else []

    def column(self, title: str) -> list[str]:
        index = self.headers.index(title)
        return [row[index] for row in self.rows[1:]]


@dataclass(frozen=True)
class ReadBack:
    sections: list[SectionLayout]
    fonts: set[str]  # every font named on a run, a style or the document defaults
    paragraphs: list[str]  # body paragraphs in order (outside tables)
    tables: list[ReadTable]  # every table in the body, the header and signature tables included
    header_texts: list[str]  # texts of the page headers (the page number)
    bold_italic_12: list[str]  # runs in bold italic 12 pt ("Nơi nhận:")
    sizes_pt: set[float]

    @property
    def page(self) -> SectionLayout:
        return self.sections[0]

    @property
    def text(self) -> str:
        """Everything a reader sees, paragraphs and cells, one line each."""
        cells = [cell for table in self.tables for row in table.rows for cell in row]
        return "\n".join([*self.paragraphs, *cells])

    def table_with(self, header: str) -> ReadTable:
        """The first table whose header row has a cell equal to `header`."""
        for table in self.tables:
            if header in table.headers:
                return table
        raise LookupError(f"Không có bảng nào có cột {header!r}")

    @property
    def has_page_numbers(self) -> bool:
        return any(section.page_number_field for section in self.sections)


def read_docx(data: bytes) -> ReadBack:
    document = Document(BytesIO(data))
    return ReadBack(
        sections=[_section(section) for section in document.sections],
        fonts=_fonts(document),
        paragraphs=[paragraph.text for paragraph in document.paragraphs],
        tables=[_table(table) for table in _all_tables(document.tables)],
        header_texts=[
            paragraph.text
            for section in document.sections
            for paragraph in section.header.paragraphs
        ],
        bold_italic_12=[
            run.text
            for run in _all_runs(document)
            if run.bold and run.italic and run.font.size is not None and run.font.size.pt == 12
        ],
        sizes_pt={run.font.size.pt for run in _all_runs(document) if run.font.size is not None},
    )


def _mm(length) -> int:
    return round(length.mm) if length is not None else 0


def _section(section) -> SectionLayout:
    numbering = section._sectPr.find(qn("w:pgNumType"))
    return SectionLayout(
        width_mm=_mm(section.page_width),
        height_mm=_mm(section.page_height),
        landscape=section.page_width > section.page_height,
        margins_mm={
            "top": _mm(section.top_margin),
            "bottom": _mm(section.bottom_margin),
            "left": _mm(section.left_margin),
            "right": _mm(section.right_margin),
        },
        first_page_different=section.different_first_page_header_footer,
        page_number_field=_has_page_field(section),
        restarts_numbering=numbering is not None and numbering.get(qn("w:start")) == "1",
    )


def _has_page_field(section) -> bool:
    """A PAGE field in the section's own header or, when linked, the first section's."""
    header = section.header
    element = header._element if header._has_definition else None
    if element is None:
        return False
    instructions = [node.text or "" for node in element.iter(qn("w:instrText"))]
    simple = [node.get(qn("w:instr")) or "" for node in element.iter(qn("w:fldSimple"))]
    return any(text.split()[:1] == ["PAGE"] for text in [*instructions, *simple])


def _fonts(document) -> set[str]:
    """Fonts of the body, the page headers, the document defaults and the Normal style (the
    template's other styles, such as "HTML Code", are never applied)."""
    fonts: set[str] = set()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    roots = [document.element, document.styles["Normal"].element]
    roots += [defaults] if defaults is not None else []
    roots += [section.header._element for section in document.sections]
    for root in roots:
        for node in root.iter(qn("w:rFonts")):
            fonts.update(node.get(qn(name)) for name in FONT_ATTRIBUTES if node.get(qn(name)))
    return fonts


def _all_tables(tables):
    for table in tables:
        yield table
        for row in table.rows:
            for cell in row.cells:
                yield from _all_tables(cell.tables)


def _table(table) -> ReadTable:
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    flags = [row._tr.trPr for row in table.rows]
    first = flags[0] if flags else None
    repeats = first is not None and first.find(qn("w:tblHeader")) is not None
    cant_split = all(p is not None and p.find(qn("w:cantSplit")) is not None for p in flags)
    return ReadTable(rows=rows, header_repeats=repeats, rows_cant_split=cant_split)


def _all_runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in _all_tables(document.tables):
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs
