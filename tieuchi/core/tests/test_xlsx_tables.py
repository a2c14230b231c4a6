"""The shared .xlsx table writer: typed cells, Vietnamese formats, formula escaping, streaming."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tieuchi.core.tests.xlsx_readback import formula_count
from tieuchi.core.xlsx_tables import (
    Column,
    TableExport,
    ascii_filename,
    safe_sheet_name,
    workbook_bytes,
    xlsx_response,
)

COLUMNS = [
    Column("Tên đơn vị"),
    Column("Số hộ", Column.INTEGER),
    Column("Tỷ lệ đạt", Column.PERCENT),
    Column("Ngày báo cáo", Column.DATE),
    Column("Giá trị", Column.DECIMAL),
]


def _sheet(table: TableExport):
    return load_workbook(BytesIO(table.to_bytes())).active


def _data_row(sheet, table: TableExport, offset: int = 1):
    return list(
        sheet.iter_rows(min_row=table.header_row + offset, max_row=table.header_row + offset)
    )[0]


def test_title_subtitle_export_line_and_bold_frozen_filtered_header():
    table = TableExport(
        title="Phiếu đánh giá",
        subtitle=["Đơn vị: Phường Giang Biên", "Kỳ: 2023"],
        columns=COLUMNS,
        rows=[["TDP số 1", 120, 87.5, date(2023, 11, 30), Decimal("3.25")]],
        exported_on=date(2023, 12, 1),
    )
    sheet = _sheet(table)
    column_a = [row[0] for row in sheet.iter_rows(max_col=1, values_only=True)]
    assert column_a[:5] == [
        "Phiếu đánh giá",
        "Đơn vị: Phường Giang Biên",
        "Kỳ: 2023",
        "Xuất từ tieuchi ngày 01/12/2023",
        None,
    ]
    header = [cell for cell in sheet[table.header_row]]
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == f"A{table.header_row + 1}"
    assert sheet.auto_filter.ref == f"A{table.header_row}:E{table.header_row + 1}"
    assert sheet.print_title_rows == f"${table.header_row}:${table.header_row}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["A"].width >= len("Tên đơn vị")


@pytest.mark.parametrize(
    ("column", "value", "stored", "number_format"),
    [
        (Column("n", Column.INTEGER), 1234, 1234, "#,##0"),
        (Column("n", Column.INTEGER), Decimal("12.000"), 12, "#,##0"),
        (Column("p", Column.PERCENT), Decimal("87.5"), 0.875, "0.0%"),
        (Column("p", Column.PERCENT), 100, 1, "0.0%"),
        (Column("d", Column.DECIMAL), Decimal("78.46"), 78.46, "#,##0.0"),
        (Column("d", Column.DECIMAL, decimals=2), 1.5, 1.5, "#,##0.00"),
        (Column("d", Column.DECIMAL, decimals=0), 7, 7, "#,##0"),
        (Column("g", Column.NUMBER), Decimal("0.2500"), 0.25, "General"),
        (Column("t", Column.DATE), date(2023, 11, 30), datetime(2023, 11, 30), "DD/MM/YYYY"),
        (
            Column("t", Column.DATE),
            datetime(2023, 11, 30, 9, 15),
            datetime(2023, 11, 30),
            "DD/MM/YYYY",
        ),
        # Aware datetimes are shown in TIME_ZONE (Asia/Ho_Chi_Minh, UTC+7).
        (
            Column("t", Column.DATETIME),
            datetime(2023, 11, 30, 20, 0, tzinfo=UTC),
            datetime(2023, 12, 1, 3, 0),
            "DD/MM/YYYY HH:MM",
        ),
    ],
)
def test_typed_cells_keep_numbers_and_dates_with_formats(
    settings, column, value, stored, number_format
):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    table = TableExport(title="t", columns=[column], rows=[[value]])
    cell = _data_row(_sheet(table), table)[0]
    assert cell.value == pytest.approx(stored) if isinstance(stored, float) else stored
    assert cell.number_format == number_format
    assert cell.data_type in ("n", "d")


def test_empty_values_stay_empty_and_text_in_number_columns_stays_text():
    table = TableExport(title="t", columns=COLUMNS, rows=[["Tổ 2", None, "—", "", None]])
    cells = _data_row(_sheet(table), table)
    assert [cell.value for cell in cells] == ["Tổ 2", None, "—", None, None]


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+84 912", "-1+2", "@SUM(A1)", "\tx"])
def test_formula_like_text_is_stored_as_text_with_quote_prefix(text):
    table = TableExport(title=text, columns=[Column(text)], rows=[[text]])
    content = table.to_bytes()
    sheet = load_workbook(BytesIO(content)).active
    for cell in (sheet["A1"], sheet[table.header_row][0], _data_row(sheet, table)[0]):
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert formula_count(content) == 0  # no formula element anywhere in the file
    rows = CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[table.header_row][0] == text


def test_formula_count_sees_a_real_formula():
    """The check above can fail: a formula written by openpyxl itself is found."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "=1+1"
    buffer = BytesIO()
    workbook.save(buffer)
    assert formula_count(buffer.getvalue()) == 1


def test_control_characters_that_xlsx_cannot_hold_are_dropped_not_fatal():
    table = TableExport(title="t\x0b", columns=[Column("Ghi chú")], rows=[["dòng 1\x07\ndòng 2"]])
    cell = _data_row(_sheet(table), table)[0]
    assert cell.value == "dòng 1\ndòng 2"


def test_ordinary_text_has_no_quote_prefix():
    table = TableExport(title="t", columns=[Column("Tên")], rows=[["Nguyễn Văn A"]])
    cell = _data_row(_sheet(table), table)[0]
    assert cell.value == "Nguyễn Văn A" and not cell.quotePrefix


def test_long_table_is_streamed_from_a_generator_and_read_back_whole():
    count = 30_000
    rows = ([f"Tổ {n}", n, Decimal(n % 1000) / 10, date(2023, 1, 1 + n % 28)] for n in range(count))
    table = TableExport(title="Lịch sử", columns=COLUMNS[:4], rows=rows)
    content = table.to_bytes()
    read = CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()
    data = read[table.header_row :]
    assert len(data) == count
    last = count - 1
    assert data[-1] == [f"Tổ {last}", last, pytest.approx(0.999), date(2023, 1, 1 + last % 28)]
    sheet = load_workbook(BytesIO(content)).active
    assert sheet.auto_filter.ref == f"A{table.header_row}:D{table.header_row + count}"


def test_row_with_wrong_number_of_values_is_refused():
    table = TableExport(title="t", columns=COLUMNS, rows=[["only one"]])
    with pytest.raises(ValueError, match="row 1 has 1 values for 5 columns"):
        table.to_bytes()


def test_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "money")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ma trận phường × tiêu chí của quận Long Biên", "Ma trận phường × tiêu chí của q"),
        ("Kỳ 11/2023: [Đạt]?", "Kỳ 11 2023 Đạt"),
        ("'quoted'", "quoted"),
        ("", "Bảng"),
        ("///", "Bảng"),
    ],
)
def test_safe_sheet_name(name, expected):
    assert safe_sheet_name(name) == expected
    assert len(safe_sheet_name(name)) <= 31


def test_response_has_ascii_fallback_and_utf8_filename():
    response = xlsx_response(b"PK", "phiếu-đánh-giá Giang Biên.xlsx")
    disposition = response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="phieu-danh-gia-Giang-Bien.xlsx"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "phiếu-đánh-giá Giang Biên.xlsx"
    assert disposition.isascii()


def test_ascii_filename_never_empty():
    assert ascii_filename("Đạt") == "Dat"
    assert ascii_filename("×××") == "bang.xlsx"


def test_several_tables_become_sheets_with_distinct_names():
    tables = [
        TableExport(title="Số liệu", columns=[Column("Mã")], rows=[["6.1"]]),
        TableExport(title="Số liệu", columns=[Column("Tổng", Column.INTEGER)], rows=[[5], [7]]),
    ]
    workbook = load_workbook(BytesIO(workbook_bytes(tables)))
    assert workbook.sheetnames == ["Số liệu", "Số liệu (2)"]
    second = workbook["Số liệu (2)"]
    assert [row[0] for row in second.iter_rows(min_row=tables[1].header_row, values_only=True)] == [
        "Tổng",
        5,
        7,
    ]
    assert second.freeze_panes == f"A{tables[1].header_row + 1}"
