"""One way to download any table of the interface as .xlsx (Vietnamese headers, real numbers).

Usage in a view (build the rows from the SAME query function the page uses)::

    from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response

    def matrix_xlsx(request, code):
        matrix = district_matrix(request.user, code)          # the page's own query
        table = TableExport(
            title="Ma trận phường × tiêu chí",
            subtitle=[f"Đơn vị: {matrix.unit.name}", f"Kỳ: {matrix.period_label}"],
            columns=[
                Column("Phường", width=28),
                Column("Số tiêu chí đạt", Column.INTEGER),
                Column("Tỷ lệ đạt", Column.PERCENT),       # value in points: 87.5 -> "87,5%"
                Column("Ngày đánh giá", Column.DATE),
            ],
            rows=([w.name, w.met, w.share, w.evaluated_on] for w in matrix.wards),
            sheet_name="Ma trận",
        )
        return xlsx_response(table.to_bytes(), f"ma-tran-{code}.xlsx")

What it does for every table:
- a title, subtitle lines and the line "Xuất từ tieuchi ngày dd/mm/yyyy" above the header row;
- typed cells: numbers stay numbers with locale-neutral formats ("#,##0", "#,##0.0", "0.0%",
  "General" for NUMBER) that the spreadsheet shows with the reader's separators, so a Vietnamese
  locale shows "1.234" and "87,5"; dates are real dates shown dd/mm/yyyy; aware datetimes are
  converted to local time;
- bold header row, frozen panes below it, auto filter, column widths, A4 landscape fitted to the
  page width with the header row repeated on each printed page, a sheet name Excel accepts;
- text starting with "=", "+", "-", "@" (or a tab/carriage return) is stored as text with Excel's
  quote prefix, so a unit or person name can never become a formula (CSV/Excel injection);
- several tables of one page go in one file with ``workbook_bytes([table1, table2])``;
- rows are streamed (openpyxl ``write_only``), so a 100,000-row history does not sit in memory
  as cell objects; ``rows`` may be any iterable, including a generator over ``.iterator()``.

Conventions: the download of a page lives at ``<page URL>export.xlsx`` (same query string), in
the app's ``views_xlsx*.py``, with a "Tải Excel" link (class ``xlsx-download``) on the page.
Real examples: evaluation/views_xlsx.py, plans/views_xlsx.py. In tests,
``tieuchi.core.tests.xlsx_readback.read_download(response)`` gives headers, rows and formats.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from tieuchi.core.text import strip_accents

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters that make a spreadsheet treat the rest of the cell as a formula (OWASP list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")


@dataclass(frozen=True)
class Column:
    """A column: Vietnamese header, kind of value, optional width in characters."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # as many decimals as the value has (thresholds: 80, 0,25)
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    DATETIME = "datetime"

    header: str
    kind: str = TEXT
    width: float | None = None
    decimals: int = 1

    def __post_init__(self):
        if self.kind not in _NUMBER_FORMATS and self.kind != self.TEXT:
            raise ValueError(f"Unknown column kind {self.kind!r}")

    @property
    def number_format(self) -> str | None:
        """Locale-neutral Excel format; the reader's Excel puts its own separators in."""
        if self.kind in (self.DECIMAL, self.PERCENT):
            fraction = "." + "0" * self.decimals if self.decimals else ""
            return f"#,##0{fraction}" if self.kind == self.DECIMAL else f"0{fraction}%"
        return _NUMBER_FORMATS.get(self.kind)


_NUMBER_FORMATS = {
    Column.INTEGER: "#,##0",
    Column.NUMBER: "General",
    Column.DECIMAL: None,  # depends on decimals, see Column.number_format
    Column.PERCENT: None,
    Column.DATE: "DD/MM/YYYY",
    Column.DATETIME: "DD/MM/YYYY HH:MM",
}
_DEFAULT_WIDTHS = {
    Column.TEXT: 24,
    Column.INTEGER: 12,
    Column.NUMBER: 12,
    Column.DECIMAL: 12,
    Column.PERCENT: 11,
    Column.DATE: 12,
    Column.DATETIME: 17,
}


def safe_sheet_name(name: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, not blank."""
    cleaned = _SHEET_NAME_FORBIDDEN.sub(" ", name or "")
    cleaned = " ".join(cleaned.split()).strip("'")[:_SHEET_NAME_MAX].strip()
    return cleaned or "Bảng"


def is_formula_like(text: str) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def ascii_filename(filename: str) -> str:
    """The fallback name for old clients: accents removed, anything unsafe replaced by '-'."""
    folded = strip_accents(filename)
    folded = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-")
    return folded or "bang.xlsx"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment with an ASCII ``filename`` and the real name as RFC 5987 ``filename*``."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Content-Length"] = str(len(content))
    return response


def workbook_bytes(tables: Sequence["TableExport"]) -> bytes:
    """Several tables of one page as the sheets of one file, in order."""
    workbook = Workbook(write_only=True)
    for table in tables:
        table.write_to(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class TableExport:
    """A titled table written to one sheet. ``rows`` yields one sequence per row, in column order."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]
    subtitle: Sequence[str] = field(default_factory=tuple)
    sheet_name: str = ""
    exported_on: date | None = None

    @property
    def header_row(self) -> int:
        """1-based row of the column headers: title, subtitles, export line, one blank row."""
        return 1 + len(self.subtitle) + 1 + 2

    def to_bytes(self) -> bytes:
        return workbook_bytes([self])

    def write_to(self, workbook: Workbook) -> None:
        """Add this table as the next sheet of a write-only workbook."""
        name = safe_sheet_name(self.sheet_name or self.title)
        taken = set(workbook.sheetnames)
        base, number = name, 2
        while name in taken:  # Excel refuses two sheets with one name
            suffix = f" ({number})"
            name, number = base[: _SHEET_NAME_MAX - len(suffix)] + suffix, number + 1
        sheet = workbook.create_sheet(name)
        self._set_up_sheet(sheet)
        for line in self._preamble(sheet):
            sheet.append(line)
        sheet.append([self._header_cell(sheet, column.header) for column in self.columns])
        last_row = self.header_row
        for number, values in enumerate(self.rows, start=1):
            if len(values) != len(self.columns):
                sheet.close()  # end the stream cleanly before refusing
                raise ValueError(
                    f"row {number} has {len(values)} values for {len(self.columns)} columns"
                )
            sheet.append(self._data_cells(sheet, values))
            last_row += 1
        last_column = get_column_letter(max(len(self.columns), 1))
        sheet.auto_filter.ref = f"A{self.header_row}:{last_column}{last_row}"

    def _set_up_sheet(self, sheet) -> None:
        # A write-only sheet writes widths and panes before the first row: set them now.
        for index, column in enumerate(self.columns, start=1):
            width = column.width or max(_DEFAULT_WIDTHS[column.kind], len(column.header) + 2)
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"A{self.header_row + 1}"
        sheet.print_title_rows = f"{self.header_row}:{self.header_row}"
        sheet.page_setup.paperSize = "9"  # A4
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    def _preamble(self, sheet) -> list[list]:
        exported_on = self.exported_on or timezone.localdate()
        title = _text_cell(sheet, self.title)
        title.font = Font(bold=True, size=13)
        lines = [[title]]
        lines += [[_text_cell(sheet, line)] for line in self.subtitle]
        lines.append([gettext("Xuất từ tieuchi ngày %(day)s") % {"day": f"{exported_on:%d/%m/%Y}"}])
        lines.append([])
        return lines

    def _header_cell(self, sheet, header: str) -> WriteOnlyCell:
        cell = _text_cell(sheet, header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        return cell

    def _data_cells(self, sheet, values: Sequence) -> list:
        cells = []
        for column, value in zip(self.columns, values, strict=True):
            if value is None or value == "":
                cells.append(None)
            elif column.kind == Column.TEXT or isinstance(value, str):
                text = _text(value)
                # Plain text needs no cell object of its own: the cheap path for long tables.
                cells.append(_text_cell(sheet, text) if is_formula_like(text) else text)
            else:
                cell = WriteOnlyCell(sheet, value=_typed_value(column.kind, value))
                cell.number_format = column.number_format
                cells.append(cell)
        return cells


def _text(value) -> str:
    """The value as text, without the control characters an .xlsx file cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _text_cell(sheet, value) -> WriteOnlyCell:
    """Text kept as text; a formula-like value keeps its characters and Excel's quote prefix."""
    text = _text(value)
    cell = WriteOnlyCell(sheet, value=text)
    if is_formula_like(text):
        cell.data_type = "s"  # openpyxl guessed "f" from the leading "="
        cell.quotePrefix = True
    return cell


def _typed_value(kind: str, value):
    if kind == Column.PERCENT:
        # Pages show percentage points (87.5); Excel's "%" format expects the fraction 0.875.
        return Decimal(str(value)) / 100
    if kind == Column.INTEGER and isinstance(value, Decimal) and value == value.to_integral():
        return int(value)
    if kind == Column.DATETIME and isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if kind == Column.DATE and isinstance(value, datetime):
        return value.date()
    return value
