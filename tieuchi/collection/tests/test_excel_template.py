"""The Excel template: rows, locked structure, drop-downs, previous values, checksum; the same
file from the download button and from `tieuchi export_template`; `tieuchi export values`."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tieuchi.catalog.models import Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.tests.test_excel_files import rows_by_code, template
from tieuchi.plans.models import Plan

COL = {column.key: column.letter for column in layout.COLUMNS}


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


@pytest.mark.django_db
def test_a_tdp_template_has_one_row_per_household_fact_and_hidden_ids():
    data = template("00121-TDP13", "2023")
    book = workbook(data)
    assert book.sheetnames == ["Số liệu", "Hướng dẫn", "_meta", "_lists"]
    assert [book[name].sheet_state for name in book.sheetnames] == [
        "visible",
        "visible",
        "veryHidden",
        "veryHidden",
    ]
    residential = Measure.objects.filter(
        node__catalog__key="qd04-2022", collected_at="residential_group"
    )
    assert sorted(code for _, code in rows_by_code(data)) == sorted(m.code for m in residential)
    sheet = book["Số liệu"]
    assert [sheet.cell(layout.HEADER_ROW, i).value for i in range(1, 11)] == [
        "Đơn vị",
        "Mã",
        "Nội dung chỉ tiêu",
        "Đơn vị tính",
        "Kỳ trước (năm 2022)",
        "Tử số",
        "Mẫu số",
        "Giá trị",
        "Đạt / Mức",
        "Trạng thái",
    ]
    for key in ("unit_code", "measure_id", "measure_code", "version", "original"):
        assert sheet.column_dimensions[COL[key]].hidden
    meta = {row[0].value: row[1].value for row in book["_meta"].iter_rows()}
    assert (meta["unit_code"], meta["period"], meta["catalog_key"], meta["catalog_version"]) == (
        "00121-TDP13",
        "2023",
        "qd04-2022",
        "2022",
    )
    assert len(meta["checksum"]) == 64 and meta["rows"] == "7"


@pytest.mark.django_db
def test_only_the_value_cells_are_unlocked_and_the_structure_is_protected():
    data = template("00121", "2024")
    book = workbook(data)
    sheet = book["Số liệu"]
    assert sheet.protection.sheet and book.security.lockStructure
    rows = rows_by_code(data)
    ratio, boolean, count = rows["00121", "1.4"], rows["00121", "1.1"], rows["00121", "4.5a"]
    unlocked = {
        number: [
            key
            for key in ("unit_name", "code", "name", "previous", "numerator", "denominator")
            + ("value", "result", "status", "unit_code", "measure_id", "version", "original")
            if not sheet[f"{COL[key]}{number}"].protection.locked
        ]
        for number in (ratio, boolean, count)
    }
    assert unlocked == {
        ratio: ["numerator", "denominator"],
        boolean: ["result"],
        count: ["value"],
    }
    assert sheet[f"F{ratio}"].fill.fgColor.rgb.endswith("FFF2CC")


@pytest.mark.django_db
def test_drop_downs_and_number_checks_guide_the_user():
    data = template("00121", "2024")
    sheet = workbook(data)["Số liệu"]
    rows = rows_by_code(data)
    validations = sheet.data_validations.dataValidation
    decimal = next(v for v in validations if v.type == "decimal")
    assert (decimal.operator, decimal.formula1) == ("greaterThanOrEqual", "0")
    assert (
        f"F{rows['00121', '1.4']}" in decimal.sqref and f"H{rows['00121', '4.5a']}" in decimal.sqref
    )
    lists = {str(v.formula1): v for v in validations if v.type == "list"}
    yes_no = lists["'_lists'!$A$1:$A$2"]
    assert f"I{rows['00121', '1.1']}" in yes_no.sqref
    grades = next(v for v in lists.values() if f"I{rows['00121', '8.6']}" in v.sqref)
    column = grades.formula1.split("!$")[1][0]
    values = [c.value for c in workbook(data)["_lists"][column] if c.value]
    assert values == ["mức độ 1", "mức độ 2", "mức độ 3"]
    assert sheet[f"F{rows['00121', '1.4']}"].number_format == "[<1000]General;#,##0"


@pytest.mark.django_db
def test_current_and_previous_figures_are_shown():
    data = template("00121", "2023")
    sheet = workbook(data)["Số liệu"]
    rows = rows_by_code(data)
    trend = rows["00121", "4.5a"]  # 14 cases in 2022, 12 in 2023 (approved, so locked)
    assert sheet[f"E{trend}"].value == "14 vụ"
    assert sheet[f"H{trend}"].value == 12 and sheet[f"J{trend}"].value == "Đã duyệt (khóa)"
    assert sheet[f"H{trend}"].protection.locked
    grade = rows["00121", "9.2b"]
    assert sheet[f"I{grade}"].value == "khá"
    assert "Hướng dẫn" in workbook(data).sheetnames
    help_text = " ".join(str(c.value) for c in workbook(data)["Hướng dẫn"]["A"] if c.value)
    assert "Chỉ nhập vào các ô màu vàng" in help_text and "87,5" in help_text


@pytest.mark.django_db
def test_a_ward_template_with_subunits_has_the_ward_and_every_tdp():
    rows = rows_by_code(template("00121", "2024", subunits=True))
    units = {unit for unit, _ in rows}
    assert units == {"00121", *(f"00121-TDP{n:02d}" for n in range(1, 21))}
    assert sum(1 for unit, _ in rows if unit == "00121-TDP07") == 7
    assert ("00121", "4.6") not in rows  # titles come from recognition decisions


def _comparable(data: bytes):
    book = workbook(data)
    sheet = [
        row
        for number, row in enumerate(book["Số liệu"].iter_rows(values_only=True), 1)
        if number != 2
    ]
    meta = {
        row[0].value: row[1].value
        for row in book["_meta"].iter_rows()
        if row[0].value not in {"generated_at", "generated_by"}
    }
    return sheet, meta


@pytest.mark.django_db
def test_the_command_writes_the_same_template_as_the_download_button(login, tmp_path, settings):
    client = login("canbo.giangbien")
    from tieuchi.orgs.models import AdminUnit

    unit = AdminUnit.objects.get(official_code="00121-TDP13")
    response = client.get(
        "/data/import/template/", {"unit": unit.pk, "period": "2023", "catalog": "qd04-2022"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="mau-so-lieu-00121-TDP13-2023-qd04-2022.xlsx"' in response["Content-Disposition"]
    )
    output = tmp_path / "mau.xlsx"
    call_command(
        "export_template", "--unit", "00121-TDP13", "--period", "2023", "--output", str(output)
    )
    assert _comparable(output.read_bytes()) == _comparable(response.content)


@pytest.mark.django_db
def test_export_template_refuses_unknown_units_and_bad_periods(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có đơn vị mã '99999'"):
        call_command(
            "export_template",
            "--unit",
            "99999",
            "--period",
            "2023",
            "--output",
            str(tmp_path / "x.xlsx"),
        )
    with pytest.raises(CommandError, match="Kỳ '2023-13' không hợp lệ"):
        call_command(
            "export_template",
            "--unit",
            "00121",
            "--period",
            "2023-13",
            "--output",
            str(tmp_path / "x.xlsx"),
        )
    Plan.objects.filter(unit__official_code="004").delete()  # it would name the catalog
    with pytest.raises(CommandError, match="Hãy chọn bộ tiêu chí"):
        call_command(
            "export_template",
            "--unit",
            "00136",
            "--period",
            "2023",
            "--output",
            str(tmp_path / "x.xlsx"),
        )


@pytest.mark.django_db
def test_export_values_prints_each_figure_with_its_codes_and_status(capsys):
    call_command("export", "values", "--unit", "00121", "--period", "2023", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    by_code = {(v["catalog"], v["indicator"]): v for v in data["values"]}
    assert by_code["qd04-2022", "8.3"] == {
        "unit": "00121",
        "catalog": "qd04-2022",
        "indicator": "8.3",
        "period": "2023",
        "figures": {
            "numerator": 38,
            "denominator": 412,
            "value": None,
            "boolean": None,
            "level": None,
        },
        "status": "approved",
        "version": 1,
    }
    assert by_code["qd04-2022", "1.5"]["status"] == "submitted"
    assert by_code["qd04-2022", "9.2b"]["figures"]["level"] == "khá"
    assert all(v["unit"] == "00121" and v["period"] == "2023" for v in data["values"])
