"""Checking a filled-in template completely before anything is written.

`check_upload` returns a `CheckResult`: the template's unit, catalog and period, one planned row
per figure (new / changed / unchanged / empty, with old and new values) and every problem found,
each with its sheet, row, column letter and the reason in Vietnamese. One problem, of any kind,
means nothing will be written.
"""

from __future__ import annotations

import hashlib
import hmac

from tieuchi.catalog.models import Catalog
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.check_result import CheckResult, Problem
from tieuchi.collection.excel.context import (
    TemplateError,
    find_unit,
    newest_catalog,
    normalise_period,
    period_closed,
    period_label,
    unit_label,
)
from tieuchi.collection.excel.layout import COLUMNS
from tieuchi.collection.excel.reader import (
    FileRefused,
    WorkbookData,
    check_archive,
    read_workbook,
)
from tieuchi.collection.excel.row_checks import check_rows
from tieuchi.collection.excel.template_rows import checksum
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_edit_unit


def check_upload(
    data: bytes,
    file_name: str,
    user,
    *,
    unit: AdminUnit | None = None,
    period: str | None = None,
    catalog: Catalog | None = None,
) -> CheckResult:
    """Check everything; `unit`, `period`, `catalog` (when given) are what the user meant to import."""
    result = CheckResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        check_archive(data, file_name)
        book = read_workbook(data)
        _identify(result, book, user, unit, period, catalog)
    except FileRefused as refused:
        result.problems.append(Problem(refused.message, kind="file"))
        return result
    check_rows(result, book)
    return result


def _refuse(message: str):
    raise FileRefused(message)


def _identify(result: CheckResult, book: WorkbookData, user, unit, period, catalog) -> None:
    meta = result.meta = book.meta
    if meta.get("format") != layout.FORMAT:
        _refuse(
            "Tệp không phải mẫu nhập số liệu của tieuchi (hoặc là mẫu cũ); "
            "hãy tải mẫu mới ở trang Nhập số liệu."
        )
    _check_headers(book.headers)
    expected = checksum(meta, (row[1:6] for row in book.rows))
    if not hmac.compare_digest(expected, meta.get("checksum", "")) or meta.get("rows") != str(
        len(book.rows)
    ):
        _refuse(
            "Mẫu đã bị sửa (mã kiểm tra không khớp): có dòng bị thêm, xóa hoặc cột ẩn, sheet "
            "'_meta' bị sửa. Hãy tải mẫu mới và nhập lại số liệu vào đó."
        )
    try:
        result.period = normalise_period(meta.get("period", ""))
        result.unit = find_unit(meta.get("unit_code", ""), result.period)
    except TemplateError as error:
        _refuse(f"Mẫu không hợp lệ: {error}")
    result.include_subunits = meta.get("subunits") == "1"
    key, version = meta.get("catalog_key", ""), meta.get("catalog_version", "")
    found = Catalog.objects.filter(key=key, version=version).first()
    newest = newest_catalog(key)
    if found is None or newest is None or newest.pk != found.pk:
        now = f"; hiện dùng phiên bản {newest.version}" if newest else ""
        _refuse(
            f"Mẫu được tạo cho bộ tiêu chí {key} phiên bản {version}{now}. "
            "Hãy tải mẫu mới và nhập lại số liệu vào đó."
        )
    result.catalog = found
    root = result.unit
    if unit is not None and unit.official_code != root.official_code:
        _refuse(
            f"Tệp là mẫu của {unit_label(root)} ({root.official_code}), không phải của "
            f"{unit_label(unit)} ({unit.official_code}) đang chọn."
        )
    if period and normalise_period(period) != result.period:
        _refuse(
            f"Tệp là mẫu {period_label(result.period)} ({result.period}), không phải "
            f"{period_label(normalise_period(period))} đang chọn."
        )
    if catalog is not None and catalog.key != found.key:
        _refuse(f"Tệp là mẫu của bộ tiêu chí {found.key}, không phải {catalog.key} đang chọn.")
    if not can_edit_unit(user, root):
        _refuse(f"Bạn không có quyền nhập số liệu cho {unit_label(root)} ({root.official_code}).")
    if period_closed(found, result.period):
        _refuse(f"Kỳ {result.period} của bộ tiêu chí {found.key} đã khóa; không nhập thêm được.")


def _check_headers(headers: list) -> None:
    for column, header in zip(COLUMNS, headers, strict=False):
        text = str(header).strip() if header is not None else ""
        wanted = column.header
        if column.key == "previous" and text.startswith(wanted):
            continue
        if text != wanted:
            _refuse(
                f"Sheet '{layout.DATA_SHEET}' đã bị sửa cấu trúc: cột {column.letter} phải là "
                f"'{wanted}' (đang là '{text}'). Hãy tải mẫu mới."
            )
