"""Opening an uploaded workbook safely, then reading it with python-calamine.

Before anything is parsed the file is checked as an archive: its size, that it is a zip at all,
that it does not expand too much (zip bombs: the declared sizes, the compression ratio, and the
bytes actually inflated, counted while streaming), and that it carries no macros. Only then does
calamine read the two sheets the import needs. No Django here.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from operator import itemgetter

from python_calamine import CalamineError, CalamineWorkbook

from tieuchi.collection.excel import layout
from tieuchi.collection.excel.layout import COL, COLUMNS

CHUNK = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx encrypted with a password


class FileRefused(Exception):
    """The file as a whole cannot be imported; nothing in it was looked at row by row."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB"


def size_text(size: int) -> str:
    """ "12,3 MiB" (Vietnamese decimal comma)."""
    return f"{size / 1024 / 1024:.1f} MiB".replace(".", ",")


def check_archive(data: bytes, file_name: str = "") -> None:
    """Refuse files too big, not .xlsx, macro-enabled, or expanding too much (zip bombs)."""
    if len(data) > layout.MAX_UPLOAD_BYTES:
        raise FileRefused(
            f"Tệp quá lớn ({size_text(len(data))}); tối đa {mib(layout.MAX_UPLOAD_BYTES)}."
        )
    lower = file_name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlsb")):
        raise FileRefused(
            "Tệp có macro (.xlsm) hoặc dạng nhị phân không được nhận; "
            "hãy lưu lại dạng 'Excel Workbook (.xlsx)'."
        )
    if data[:8] == OLE_MAGIC:
        raise FileRefused(
            "Tệp dạng Excel cũ (.xls) hoặc có đặt mật khẩu; hãy bỏ mật khẩu và lưu lại dạng .xlsx."
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused("Tệp không phải là tệp Excel .xlsx (không đọc được).") from exc
    with archive:
        if len(members) > layout.MAX_MEMBERS:
            raise FileRefused(
                f"Tệp chứa quá nhiều thành phần ({len(members)}); không phải mẫu nhập số liệu."
            )
        names = {member.filename.lower() for member in members}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise FileRefused(
                "Tệp có macro (vbaProject.bin) nên không được nhận; hãy lưu lại dạng "
                "'Excel Workbook (.xlsx)' không có macro."
            )
        declared = sum(member.file_size for member in members)
        packed = sum(member.compress_size for member in members)
        bomb = FileRefused(
            "Tệp nén bất thường (giải nén ra quá lớn so với kích thước tệp); không mở tệp này."
        )
        if declared > layout.MAX_UNCOMPRESSED_BYTES:
            raise bomb
        if declared > CHUNK and declared > layout.MAX_RATIO * max(packed, 1):
            raise bomb
        for member in members:
            if member.file_size > CHUNK and member.file_size > layout.MAX_RATIO * max(
                member.compress_size, 1
            ):
                raise bomb
        content_types = _content_types(archive, names)
        if "macroenabled" in content_types or "vbaproject" in content_types:
            raise FileRefused(
                "Tệp là sổ làm việc có macro; hãy lưu lại dạng 'Excel Workbook (.xlsx)'."
            )
        _inflate_within_limits(archive, members, bomb)


def _content_types(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "[content_types].xml" not in names:
        raise FileRefused("Tệp không phải là tệp Excel .xlsx (thiếu [Content_Types].xml).")
    with archive.open("[Content_Types].xml") as handle:
        return handle.read(CHUNK).decode("utf-8", "replace").lower()


def _inflate_within_limits(archive: zipfile.ZipFile, members, bomb: FileRefused) -> None:
    """Inflate every member, counting bytes, and stop at the limit: a lying header gains nothing."""
    total = 0
    try:
        for member in members:
            with archive.open(member) as handle:
                while chunk := handle.read(CHUNK):
                    total += len(chunk)
                    if total > layout.MAX_UNCOMPRESSED_BYTES:
                        raise bomb
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise FileRefused("Tệp .xlsx bị hỏng hoặc có mật khẩu; không đọc được.") from exc


# A data row as read: (row number, unit code, measure id, measure code, version, original,
# numerator, denominator, value, result). The five ids are text (see `id_text`); the four value
# cells are as calamine gives them (float, str, bool, date, "" for an empty cell).
FileRow = tuple


@dataclass
class WorkbookData:
    meta: dict[str, str]
    headers: list
    rows: list[FileRow] = field(default_factory=list)


def meta_text(raw) -> str:
    """A _meta value as text, however the spreadsheet program stored it."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def id_text(raw) -> str:
    """A hidden id cell as text, whether it was stored as text or as a number (12.0 → "12")."""
    kind = type(raw)
    if kind is str:
        return raw.strip()
    if kind is float:
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return meta_text(raw)


_IDS = ("unit_code", "measure_id", "measure_code", "version", "original")
_VALUES = ("numerator", "denominator", "value", "result")


def read_workbook(data: bytes) -> WorkbookData:
    """The _meta sheet and the data rows of 'Số liệu' (call `check_archive` first)."""
    try:
        workbook = CalamineWorkbook.from_filelike(BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRefused(f"Không đọc được tệp Excel: {exc}.") from exc
    names = workbook.sheet_names
    missing = [name for name in (layout.DATA_SHEET, layout.META_SHEET) if name not in names]
    if missing:
        raise FileRefused(
            "Tệp không phải mẫu nhập số liệu của tieuchi (thiếu sheet "
            + ", ".join(f"'{name}'" for name in missing)
            + "); hãy tải mẫu ở trang Nhập số liệu."
        )
    try:
        meta_rows = workbook.get_sheet_by_name(layout.META_SHEET).to_python(skip_empty_area=False)
        meta = {meta_text(row[0]): meta_text(row[1]) for row in meta_rows if len(row) >= 2}
        sheet = workbook.get_sheet_by_name(layout.DATA_SHEET)
        result = WorkbookData(meta=meta, headers=[])
        pick_ids = itemgetter(*(COL[key].index for key in _IDS))
        pick_values = itemgetter(*(COL[key].index for key in _VALUES))
        width = len(COLUMNS)
        rows = result.rows
        # iter_rows starts at row 1 but at the first used column: put the left margin back.
        margin = [""] * (sheet.start[1] if sheet.start else 0)
        for index, cells in enumerate(sheet.iter_rows(), start=1):
            if index < layout.HEADER_ROW:
                continue
            if margin:
                cells = margin + cells
            if len(cells) < width:
                cells = [*cells, *([""] * (width - len(cells)))]
            if index == layout.HEADER_ROW:
                result.headers = cells[:width]
                continue
            unit, measure, code, version, original = pick_ids(cells)
            values = pick_values(cells)
            if not (unit or measure or code or version or original) and all(
                cell == "" or cell is None for cell in values
            ):
                continue  # a blank line (some programs keep formatted empty rows)
            rows.append(
                (
                    index,
                    unit if type(unit) is str else id_text(unit),
                    str(int(measure))
                    if type(measure) is float and measure.is_integer()
                    else id_text(measure),
                    code if type(code) is str else id_text(code),
                    str(int(version))
                    if type(version) is float and version.is_integer()
                    else id_text(version),
                    original if type(original) is str else id_text(original),
                    *values,
                )
            )
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRefused(f"Không đọc được tệp Excel: {exc}.") from exc
    finally:
        workbook.close()
    return result
