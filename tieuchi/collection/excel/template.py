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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.crypto import salted_hmac
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.cells import BOOLEAN_CHOICES, Figures
from tieuchi.collection.excel.context import (
    approved_unit_ids,
    period_label,
    previous_period,
    reporting_units,
    template_measures,
    unit_label,
)
from tieuchi.collection.excel.layout import COL, COLLECTED_AT, COLUMNS
from tieuchi.collection.models import Observation
from tieuchi.core.formatting import vn_number
from tieuchi.orgs.models import AdminUnit

SIGNED_META = ("format", "unit_code", "period", "catalog_key", "catalog_version", "subunits")
STATUS_LABELS = {
    "": "Chưa có",
    "draft": "Nháp",
    "submitted": "Đã gửi",
    "returned": "Trả lại",
    "approved": "Đã duyệt (khóa)",
}


@dataclass
class TemplateRow:
    unit: AdminUnit
    measure: Measure
    figures: Figures
    version: int
    status: str
    locked: bool
    previous: Figures | None


def figures_of(observation: Observation | None) -> Figures:
    if observation is None:
        return Figures()
    return Figures(
        observation.numerator,
        observation.denominator,
        observation.value,
        observation.boolean_value,
        observation.level or "",
    )


def describe(figures: Figures | None, measure: Measure) -> str:
    """ "700/760 (92,1%)", "Đạt", "khá", "74.400.000 VND/người/năm"; "" when nothing."""
    if figures is None or figures.empty:
        return ""
    if figures.numerator is not None or figures.denominator is not None:
        text = f"{vn_number(figures.numerator)}/{vn_number(figures.denominator)}"
        if figures.numerator is not None and figures.denominator:
            text += f" ({vn_number(figures.numerator * 100 / figures.denominator, 1)}%)"
        return text
    if figures.boolean_value is not None:
        return BOOLEAN_CHOICES[0] if figures.boolean_value else BOOLEAN_CHOICES[1]
    if figures.level:
        return figures.level
    unit = f" {measure.unit_of_measure}" if measure.unit_of_measure else ""
    return f"{vn_number(figures.value)}{unit}"


def collect_rows(
    root: AdminUnit, catalog: Catalog, period: str, *, include_subunits: bool = False
) -> list[TemplateRow]:
    """One row per (unit, measure) the unit reports, with the current and previous figures."""
    units = reporting_units(root, period, include_subunits)
    measures = template_measures(catalog)
    unit_ids = [unit.pk for unit in units]
    wanted = [m.pk for level in measures.values() for m in level]
    previous = previous_period(period)
    current: dict[tuple[int, int], Observation] = {}
    before: dict[tuple[int, int], Observation] = {}
    observations = Observation.objects.filter(
        unit_id__in=unit_ids, measure_id__in=wanted, period__in=[period, previous]
    )
    for observation in observations:
        target = current if observation.period == period else before
        target[observation.unit_id, observation.measure_id] = observation
    approved = approved_unit_ids(catalog, period, unit_ids)
    rows = []
    for unit in units:
        for measure in measures.get(COLLECTED_AT[unit.level], []):
            observation = current.get((unit.pk, measure.pk))
            old = before.get((unit.pk, measure.pk))
            status = observation.status if observation else ""
            rows.append(
                TemplateRow(
                    unit=unit,
                    measure=measure,
                    figures=figures_of(observation),
                    version=observation.version if observation else 0,
                    status=status,
                    locked=status == Observation.Status.APPROVED or unit.pk in approved,
                    previous=figures_of(old) if old else None,
                )
            )
    return rows


def checksum(meta: dict, id_rows: Iterable[tuple]) -> str:
    """HMAC (the server's secret key) over the template's identity and every row's hidden ids."""
    head = "\x1e".join(str(meta.get(key, "")) for key in SIGNED_META)
    lines = sorted("\x1f".join(str(part) for part in row) for row in id_rows)
    message = head + "\n" + "\n".join(lines)
    return salted_hmac("tieuchi.collection.excel", message, algorithm="sha256").hexdigest()


def template_filename(root: AdminUnit, catalog: Catalog, period: str) -> str:
    return f"mau-so-lieu-{root.official_code}-{period}-{catalog.key}.xlsx"


def _styles(workbook: Workbook) -> None:
    thin = Side(style="thin", color="B7BCC4")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top", wrap_text=True)
    number = "[<1000]General;#,##0"  # 87,5 and 1.234 in a Vietnamese Excel; no trailing comma
    styles = [
        NamedStyle("tc_title", font=Font(bold=True, size=13)),
        NamedStyle("tc_note", font=Font(italic=True, color="555555")),
        NamedStyle("tc_help", alignment=top),
        NamedStyle(
            "tc_header",
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="EEF1F4"),
            border=border,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle("tc_text", border=border, alignment=top),
        NamedStyle(
            "tc_input_number",
            border=border,
            alignment=Alignment(vertical="top"),
            fill=PatternFill("solid", fgColor="FFF2CC"),
            protection=Protection(locked=False),
            number_format=number,
        ),
        NamedStyle(
            "tc_input_text",
            border=border,
            alignment=top,
            fill=PatternFill("solid", fgColor="FFF2CC"),
            protection=Protection(locked=False),
        ),
        NamedStyle(
            "tc_closed",
            border=border,
            alignment=top,
            fill=PatternFill("solid", fgColor="E7E9ED"),
            number_format=number,
        ),
    ]
    for style in styles:
        workbook.add_named_style(style)


def _cell(sheet, value, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.style = style
    return cell


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
    _styles(workbook)
    data = workbook.create_sheet(layout.DATA_SHEET)
    help_sheet = workbook.create_sheet(layout.HELP_SHEET)
    meta_sheet = workbook.create_sheet(layout.META_SHEET)
    lists_sheet = workbook.create_sheet(layout.LISTS_SHEET)
    meta_sheet.sheet_state = lists_sheet.sheet_state = "veryHidden"

    scales = _write_lists(lists_sheet, [row.measure for row in rows])
    previous = previous_period(period)
    _write_data(data, rows, root, catalog, period, previous, scales, fill)
    _write_help(help_sheet, root, catalog, period)
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
            _cell(
                sheet,
                f"Số liệu {period_label(period)} – {unit_label(root)} ({root.official_code})",
                "tc_title",
            )
        ]
    )
    sheet.append(
        [
            _cell(
                sheet,
                f"{catalog.name} – phiên bản {catalog.version}. "
                f"Tải lúc {timezone.localtime():%H:%M %d/%m/%Y}.",
                "tc_note",
            )
        ]
    )
    sheet.append(
        [
            _cell(
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
        headers.append(_cell(sheet, text, "tc_header") if not column.hidden else text)
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
            _cell(sheet, labels[row.unit.pk], "tc_text"),
            _cell(sheet, measure.code, "tc_text"),
            _cell(sheet, measure.name, "tc_text"),
            _cell(
                sheet,
                measure.unit_of_measure or ("%" if measure.kind == "ratio" else None),
                "tc_text",
            ),
            _cell(sheet, describe(row.previous, measure) or None, "tc_text"),
        ]
        for key in layout.INPUT_KEYS:
            if key in keys and not row.locked:
                style = "tc_input_text" if key == "result" else "tc_input_number"
                cells.append(_cell(sheet, values[key], style))
            else:
                cells.append(_cell(sheet, values[key] if key in keys else None, "tc_closed"))
        cells.append(_cell(sheet, STATUS_LABELS.get(row.status, row.status), "tc_text"))
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


HELP = [
    ("Cách dùng mẫu nhập số liệu", "tc_title"),
    ("", None),
    ("1. Chỉ nhập vào các ô màu vàng ở sheet 'Số liệu'. Các ô khác đã được khóa.", None),
    (
        "2. Tỷ lệ: nhập Tử số và Mẫu số (số người, số hộ…); phần mềm tự tính phần trăm. "
        "Tử số không được lớn hơn mẫu số.",
        None,
    ),
    (
        "3. Số: nhập số từ 0 trở lên. Dấu phẩy là dấu thập phân, dấu chấm ngăn cách hàng "
        "nghìn: 87,5 – 1.234 – 1.234,5. Số gõ kiểu 87.5 cũng được nhận.",
        None,
    ),
    ("4. Đạt / Mức: chọn trong danh sách (Đạt, Chưa đạt, hoặc mức xếp loại của chỉ tiêu).", None),
    (
        "5. Để trống nếu chưa có số liệu. Ô để trống không xóa số liệu đã có; muốn xóa, "
        "dùng màn hình nhập liệu.",
        None,
    ),
    (
        "6. Số liệu 'Đã duyệt (khóa)' không sửa được bằng tệp này; cần mở khóa (có lý do) trước.",
        None,
    ),
    (
        "7. Không thêm, xóa, đổi thứ tự dòng hay sheet; không bỏ khóa sheet. Các cột ẩn giúp "
        "phần mềm nhận ra từng số liệu; tệp bị sửa cấu trúc sẽ bị từ chối.",
        None,
    ),
    (
        "8. Lưu tệp dạng .xlsx (Excel, LibreOffice hoặc WPS đều được; không lưu dạng .xlsm "
        "có macro) rồi tải lên ở trang 'Nhập số liệu từ Excel'.",
        None,
    ),
    (
        "9. Trước khi ghi, phần mềm kiểm tra toàn bộ tệp và liệt kê mọi lỗi (sheet, dòng, cột, "
        "lý do); chỉ cần một lỗi là không ghi gì. Nếu không có lỗi, bạn xem trước số liệu mới, "
        "thay đổi, không đổi rồi mới xác nhận ghi.",
        None,
    ),
    (
        "10. Nếu người khác đã sửa một số liệu sau khi bạn tải mẫu, dòng đó được báo là xung đột; "
        "hãy tải mẫu mới.",
        None,
    ),
]


def _write_help(sheet, root, catalog, period) -> None:
    sheet.column_dimensions["A"].width = 110
    sheet.protection.sheet = True
    for text, style in HELP:
        sheet.append([_cell(sheet, text, style or "tc_help")])
    sheet.append([])
    sheet.append([f"Đơn vị: {unit_label(root)} ({root.official_code})"])
    sheet.append([f"Kỳ: {period} ({period_label(period)})"])
    sheet.append([f"Bộ tiêu chí: {catalog.key}, phiên bản {catalog.version}"])
