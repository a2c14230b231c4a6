"""Test helper: open an .xlsx download the way a user would and give back its table.

Used by the export tests of every app: headers, rows (numbers as numbers, dates as dates) and the
number format of every data column, read with openpyxl and cross-checked with python-calamine.
"""

import zipfile
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tieuchi.core.xlsx_tables import XLSX_CONTENT_TYPE


@dataclass
class ReadTable:
    preamble: list[str]
    headers: list[str]
    rows: list[list]
    formats: list[set[str]]  # per column: the number formats of its non-empty data cells
    sheet: object

    def column(self, header: str) -> list:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]


def formula_count(content: bytes) -> int:
    """How many formula elements the worksheets of an .xlsx hold (read from the unzipped XML)."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        return sum(
            archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ") for name in sheets
        )


def _value(cell):
    value = cell.value
    if isinstance(value, datetime) and "H" not in cell.number_format.upper():
        return value.date()
    return value


def read_download(response) -> ReadTable:
    """The table of a download response; asserts it is an .xlsx attachment."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    lines = list(sheet.iter_rows())
    blank = next(i for i, line in enumerate(lines) if all(c.value is None for c in line))
    header_cells = lines[blank + 1]
    width = max(c.column for c in header_cells if c.value is not None)
    assert all(cell.font.bold for cell in header_cells[:width])
    rows, formats = [], [set() for _ in range(width)]
    for line in lines[blank + 2 :]:
        cells = list(line[:width]) + [None] * (width - len(line))
        rows.append([_value(cell) if cell is not None else None for cell in cells])
        for index, cell in enumerate(cells):
            if cell is not None and cell.value is not None:
                formats[index].add(cell.number_format)
    calamine = CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()
    assert len(calamine) - (blank + 2) == len(rows)  # both readers see the same rows
    return ReadTable(
        preamble=[line[0].value for line in lines[:blank]],
        headers=[cell.value for cell in header_cells[:width]],
        rows=rows,
        formats=formats,
        sheet=sheet,
    )
