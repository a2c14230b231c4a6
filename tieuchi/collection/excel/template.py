"""The per-unit, per-period Excel template (.xlsx): what the download button and
`tieuchi export_template` write.

Sheets: "Số liệu" (one row per figure the unit reports, value cells unlocked, everything else
locked), "Hướng dẫn" (how to fill it in), and two very hidden sheets: "_meta" (unit, period,
catalog version, checksum) and "_lists" (Đạt / Chưa đạt and the grade scales for the drop-downs).
Hidden columns on "Số liệu" identify each row (unit code, measure id and code) and record the
figure's version and value when the template was made, so the import can tell a changed value
from an untouched one and detect edits made by someone else in the meantime.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.cells import BOOLEAN_CHOICES, Figures
from tieuchi.collection.excel.context import (
    period_label,
    previous_period,
    unit_label,
)
from tieuchi.collection.excel.layout import COL, COLUMNS
from tieuchi.collection.excel.template_help import write_help
from tieuchi.collection.excel.template_rows import TemplateRow, checksum, collect_rows, describe
from tieuchi.collection.excel.template_styles import add_styles, styled_cell
from tieuchi.orgs.models import AdminUnit

STATUS_LABELS = {
    "": "Chưa có",
    "draft": "Nháp",
    "submitted": "Đã gửi",
    "returned": "Trả lại",
    "approved": "Đã duyệt (khóa)",
}


def build_template(
    root: AdminUnit,
    catalog: Catalog,
    period: str,
    *,
    include_subunits: bool = False,
    generated_by: str = "",
    fill: Callable[[TemplateRow], Figures | None] | None = None,
    rows: list[TemplateRow] | None = None,
) -> bytes:
    """The template as .xlsx bytes. `fill` (tests, bench) writes other values into the value
    cells, as if a user had typed them; the hidden originals stay those of the database."""
    rows = (
        rows
        if rows is not None
        else collect_rows(root, catalog, period, include_subunits=include_subunits)
    )
    workbook = Workbook(write_only=True)
    add_styles(workbook)
    data = workbook.create_sheet(layout.DATA_SHEET)
    help_sheet = workbook.create_sheet(layout.HELP_SHEET)
    meta_sheet = workbook.create_sheet(layout.META_SHEET)
    lists_sheet = workbook.create_sheet(layout.LISTS_SHEET)
    meta_sheet.sheet_state = lists_sheet.sheet_state = "veryHidden"

    scales = _write_lists(lists_sheet, [row.measure for row in rows])
    previous = previous_period(period)
    _write_data(data, rows, root, catalog, period, previous, scales, fill)
    write_help(help_sheet, root, catalog, period)
    meta = {
        "format": layout.FORMAT,
        "unit_code": root.official_code,
        "unit_name": unit_label(root),
        "period": period,
        "catalog_key": catalog.key,
        "catalog_version": catalog.version,
        "subunits": "1" if include_subunits else "0",
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
        "generated_by": generated_by,
        "rows": str(len(rows)),
    }
    meta["checksum"] = checksum(meta, (_ids(row) for row in rows))
    for key, value in meta.items():
        meta_sheet.append([key, value])

    workbook.security = WorkbookProtection(lockStructure=True)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ids(row: TemplateRow) -> tuple:
    """The hidden cells of a row; "" (an empty cell) when there was no figure."""
    return (
        row.unit.official_code,
        row.measure.pk,
        row.measure.code,
        row.version,
        row.figures.canonical(),
    )


def _write_lists(sheet, measures: list[Measure]) -> dict[tuple, str]:
    """Column A: Đạt / Chưa đạt; one column per distinct grade scale. Returns the list formulas
    by scale (the empty tuple for Đạt / Chưa đạt)."""
    columns: list[tuple[str, ...]] = [BOOLEAN_CHOICES]
    for measure in measures:
        scale = _scale(measure)
        if measure.kind == "level" and scale and scale not in columns:
            columns.append(scale)
    for index in range(max(len(column) for column in columns)):
        sheet.append([column[index] if index < len(column) else None for column in columns])
    formulas = {}
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        key = () if number == 1 else column
        formulas[key] = f"'{layout.LISTS_SHEET}'!${letter}$1:${letter}${len(column)}"
    return formulas


def _scale(measure: Measure) -> tuple[str, ...]:
    return tuple(str(item) for item in (measure.config or {}).get("scale") or [])


def _write_data(sheet, rows, root, catalog, period, previous, scales, fill) -> None:
    for column in COLUMNS:
        dimension = sheet.column_dimensions[column.letter]
        dimension.width = column.width
        dimension.hidden = column.hidden
    sheet.freeze_panes = f"{COL['name'].letter}{layout.FIRST_ROW}"
    sheet.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    sheet.append(
        [
            styled_cell(
                sheet,
                f"Số liệu {period_label(period)} – {unit_label(root)} ({root.official_code})",
                "tc_title",
            )
        ]
    )
    sheet.append(
        [
            styled_cell(
                sheet,
                f"{catalog.name} – phiên bản {catalog.version}. "
                f"Tải lúc {timezone.localtime():%H:%M %d/%m/%Y}.",
                "tc_note",
            )
        ]
    )
    sheet.append(
        [
            styled_cell(
                sheet,
                "Chỉ nhập vào các ô màu vàng. Không thêm, xóa hay đổi thứ tự dòng; "
                "xem sheet 'Hướng dẫn'.",
                "tc_note",
            )
        ]
    )
    headers = []
    for column in COLUMNS:
        text = column.header
        if column.key == "previous":
            text = f"Kỳ trước ({period_label(previous)})"
        headers.append(styled_cell(sheet, text, "tc_header") if not column.hidden else text)
    sheet.append(headers)

    decimals = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Không phải số hợp lệ",
        error="Nhập một số từ 0 trở lên, ví dụ 87,5 hoặc 1.234.",
        showInputMessage=False,
    )
    lists: dict[str, DataValidation] = {}
    last = layout.FIRST_ROW + len(rows) - 1
    if rows:
        first_number = COL["numerator"].letter
        decimals.add(f"{first_number}{layout.FIRST_ROW}:{COL['value'].letter}{last}")
    result_letter = COL["result"].letter
    run: tuple[str, int, int] | None = None  # (formula, first row, last row) of the current run

    def flush():
        if run is not None:
            formula, start, end = run
            validation = lists.get(formula)
            if validation is None:
                validation = lists[formula] = DataValidation(
                    type="list",
                    formula1=formula,
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="Giá trị không có trong danh sách",
                    error="Chọn một giá trị trong danh sách.",
                )
            validation.add(f"{result_letter}{start}:{result_letter}{end}")

    labels = {row.unit.pk: unit_label(row.unit) for row in rows}
    for number, row in enumerate(rows, start=layout.FIRST_ROW):
        measure = row.measure
        keys = layout.input_keys(measure.kind)
        figures = row.figures
        if fill is not None:
            figures = fill(row) or Figures()
        values = {
            "numerator": figures.numerator,
            "denominator": figures.denominator,
            "value": figures.value,
            "result": (
                (BOOLEAN_CHOICES[0] if figures.boolean_value else BOOLEAN_CHOICES[1])
                if figures.boolean_value is not None
                else (figures.level or None)
            ),
        }
        cells = [
            styled_cell(sheet, labels[row.unit.pk], "tc_text"),
            styled_cell(sheet, measure.code, "tc_text"),
            styled_cell(sheet, measure.name, "tc_text"),
            styled_cell(
                sheet,
                measure.unit_of_measure or ("%" if measure.kind == "ratio" else None),
                "tc_text",
            ),
            styled_cell(sheet, describe(row.previous, measure) or None, "tc_text"),
        ]
        for key in layout.INPUT_KEYS:
            if key in keys and not row.locked:
                style = "tc_input_text" if key == "result" else "tc_input_number"
                cells.append(styled_cell(sheet, values[key], style))
            else:
                cells.append(styled_cell(sheet, values[key] if key in keys else None, "tc_closed"))
        cells.append(styled_cell(sheet, STATUS_LABELS.get(row.status, row.status), "tc_text"))
        cells.extend(part if part != "" else None for part in _ids(row))
        sheet.append(cells)

        formula = None
        if "result" in keys and not row.locked:
            formula = scales[()] if measure.kind == "boolean" else scales.get(_scale(measure))
        if run is not None and (formula is None or formula != run[0] or run[2] != number - 1):
            flush()
            run = None
        if formula is not None:
            run = (formula, run[1] if run else number, number)
    flush()
    if rows:
        sheet.data_validations.append(decimals)
    for validation in lists.values():
        sheet.data_validations.append(validation)
