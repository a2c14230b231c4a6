"""Read the appendix table of a ward plan (.docx) into raw rows. No database access.

Word tables come in many shapes: the criterion name in a vertically merged first column, cells
with several paragraphs, one table continued in another after a page break, a header row repeated
on each page, a row the extraction split in two. `read_docx` copes with these and returns one
`RawRow` per sub-criterion, with the texts as written.
"""

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO
from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError

from tieuchi.core.text import match_key

# Column keys in appendix order, with the accent-insensitive words that name them in the header.
# Order matters: "Giải pháp thực hiện" and "Đơn vị thực hiện" both contain "thực hiện".
_HEADER_WORDS = (
    ("solution", ("giai phap",)),
    ("coordinating", ("phoi hop",)),
    ("deadline", ("thoi gian", "thoi han")),
    ("leader", ("lanh dao",)),
    ("content", ("noi dung",)),
    ("group", ("ten tieu chi", "tieu chi")),
    ("implementing", ("thuc hien", "chu tri")),
)
_NEEDED = {"content", "solution", "leader", "implementing", "deadline"}
_NUMBERED = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[a-zđ]\))\s")
_YEAR = re.compile(r"\bnăm\s+(20\d\d)\b|/(20\d\d)\b", re.IGNORECASE)


class DocxImportError(Exception):
    """The file is not a plan we can read; the message is for the user, in Vietnamese."""


@dataclass
class RawRow:
    index: int
    group: str = ""
    content: str = ""
    solution: str = ""
    leader: str = ""
    implementing: str = ""
    coordinating: str = ""
    deadline: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RawDocument:
    name: str
    rows: list[RawRow] = field(default_factory=list)
    year: int | None = None
    tables: int = 0


def _cell_text(cell) -> str:
    lines = [p.text.strip() for p in cell.paragraphs]
    return "\n".join(line for line in lines if line)


def _header_columns(texts: list[str]) -> dict[int, str] | None:
    """Column index -> key when `texts` is the appendix header row, else None."""
    columns: dict[int, str] = {}
    for position, text in enumerate(texts):
        key = match_key(text)
        for name, words in _HEADER_WORDS:
            if name not in columns.values() and any(word in key for word in words):
                columns[position] = name
                break
    return columns if set(columns.values()) >= _NEEDED else None


def _is_column_numbers(texts: list[str]) -> bool:
    """The "(1) (2) … (7)" row some plans put under the header."""
    return all(re.fullmatch(r"\(?\d{1,2}\)?", t.strip()) for t in texts if t.strip())


def read_docx(source: str | Path | IO[bytes], name: str | None = None) -> RawDocument:
    """Every row of the criteria table(s) in the document, in order."""
    name = name or (Path(source).name if isinstance(source, (str, Path)) else "tệp tải lên")
    try:
        document = Document(source)
    except (PackageNotFoundError, BadZipFile, ValueError, KeyError, OSError) as error:
        raise DocxImportError(f"Tệp '{name}' không phải tệp Word (.docx) đọc được.") from error
    result = RawDocument(name=name, year=_document_year(document))
    columns: dict[int, str] | None = None
    width = 0
    previous: RawRow | None = None
    for table in document.tables:
        rows = table.rows
        found = False
        for row in rows:
            cells = row.cells
            texts = [_cell_text(cell) for cell in cells]
            header = _header_columns(texts)
            if header:
                columns, width, found = header, len(cells), True
                continue
            # A table without its own header continues the previous one if it has as many columns.
            if columns is None or len(cells) != width:
                continue
            found = True
            if len({id(cell._tc) for cell in cells}) == 1 or _is_column_numbers(texts):
                continue  # a title row spanning the table, or the column-number row
            values = {key: texts[position] for position, key in columns.items()}
            if not any(v for k, v in values.items() if k != "group"):
                continue
            if previous is not None and _continues(values):
                previous.content = _join(previous.content, values.get("content", ""))
                previous.solution = _join(previous.solution, values.get("solution", ""))
                continue
            previous = RawRow(index=len(result.rows) + 1, **values)
            if not previous.group and result.rows:
                previous.group = result.rows[-1].group
            result.rows.append(previous)
        result.tables += int(found)
    if not result.rows:
        raise DocxImportError(
            f"Không tìm thấy bảng tiêu chí trong tệp '{name}': cần một bảng có hàng tiêu đề gồm "
            "các cột Nội dung tiêu chí, Giải pháp thực hiện, Lãnh đạo phụ trách, Đơn vị thực hiện, "
            "Đơn vị phối hợp và Thời gian hoàn thành."
        )
    return result


def _continues(values: dict[str, str]) -> bool:
    """A row split over a page break: unnumbered text with no leader, unit or deadline of its own."""
    if _NUMBERED.match(values.get("content", "")):
        return False
    return not any(
        values.get(key) for key in ("leader", "implementing", "coordinating", "deadline")
    )


def _join(first: str, second: str) -> str:
    if not second or second == first:
        return first
    return f"{first} {second}".strip() if first else second


def _document_year(document) -> int | None:
    """The year of the plan, from its date line ("…, ngày 08 tháng 02 năm 2023") or title."""
    for paragraph in document.paragraphs[:40]:
        text = paragraph.text
        if "ngày" in text.lower() and (match := _YEAR.search(text)):
            return int(match[1] or match[2])
    for paragraph in document.paragraphs[:40]:
        if match := _YEAR.search(paragraph.text):
            return int(match[1] or match[2])
    return None
