"""Refusals of a file as a whole: size, zip bombs, macros, not an xlsx, another unit, period or
catalog version, a tampered template, a closed period. Nothing is written, and the reason says
what to do (usually: download a new template)."""

import io
import zipfile

import pytest

from tieuchi.accounts.models import User
from tieuchi.catalog.models import Catalog
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.commit import import_file
from tieuchi.collection.models import ReportingWindow
from tieuchi.collection.tests.test_excel_files import (
    fill,
    rezip,
    rows_by_code,
    template,
    typed_file,
)
from tieuchi.collection.tests.test_import_checks import measure, messages, unit, written


def refused(data: bytes, *, file_name="mau.xlsx", username="canbo.giangbien", **expected):
    before = written()
    user = User.objects.get(username=username)
    outcome = import_file(data, file_name, user, **expected)
    assert not outcome.ok
    assert written() == before
    return messages(outcome)


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    data = typed_file(template("00121-TDP13", "2024"))
    monkeypatch.setattr(layout, "MAX_UPLOAD_BYTES", len(data) - 1)
    (message,) = refused(data)
    assert message.startswith("Tệp quá lớn") and "tối đa" in message


@pytest.mark.django_db
def test_an_archive_that_expands_too_much_is_refused_before_parsing():
    data = typed_file(template("00121-TDP13", "2024"))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
            target.writestr(info.filename, zipfile.ZipFile(io.BytesIO(data)).read(info.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    assert len(bomb.getvalue()) < layout.MAX_UPLOAD_BYTES
    (message,) = refused(bomb.getvalue())
    assert "Tệp nén bất thường" in message


@pytest.mark.django_db
def test_bytes_are_counted_while_inflating_whatever_the_headers_say(monkeypatch):
    data = typed_file(template("00121-TDP13", "2024"))
    monkeypatch.setattr(layout, "MAX_UNCOMPRESSED_BYTES", 20_000)
    monkeypatch.setattr("tieuchi.collection.excel.reader.CHUNK", 1024)
    (message,) = refused(data)
    assert "Tệp nén bất thường" in message


@pytest.mark.parametrize("how", ["name", "vba", "content_type"])
@pytest.mark.django_db
def test_macro_enabled_workbooks_are_refused(how):
    data = typed_file(template("00121-TDP13", "2024"))
    file_name = "mau.xlsm" if how == "name" else "mau.xlsx"
    if how == "vba":
        data = rezip(data, lambda name, content: content)
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"Attribute VB_Name")
        data = buffer.getvalue()
    if how == "content_type":
        data = rezip(
            data,
            lambda name, content: (
                content.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
                if name == "[Content_Types].xml"
                else content
            ),
        )
    (message,) = refused(data, file_name=file_name)
    assert "macro" in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a spreadsheet", "không phải là tệp Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "Excel cũ (.xls) hoặc có đặt mật khẩu"),
    ],
)
@pytest.mark.django_db
def test_files_that_are_not_xlsx_are_refused(data, message):
    (text,) = refused(data)
    assert message in text


@pytest.mark.django_db
def test_a_template_of_another_unit_or_period_is_refused():
    data = typed_file(template("00121-TDP13", "2024"))
    (other_unit,) = refused(data, unit=unit("00121-TDP12"))
    assert other_unit == (
        "Tệp là mẫu của Tổ dân phố số 13 (00121-TDP13), không phải của Tổ dân phố số 12 "
        "(00121-TDP12) đang chọn."
    )
    (other_period,) = refused(data, period="2023")
    assert other_period == "Tệp là mẫu năm 2024 (2024), không phải năm 2023 đang chọn."


@pytest.mark.django_db
def test_a_template_of_an_older_catalog_version_is_refused():
    data = typed_file(template("00121-TDP13", "2024"))
    old = Catalog.objects.get(key="qd04-2022")
    Catalog.objects.create(
        key=old.key, version="2030", name=old.name, kind=old.kind, legal_document=old.legal_document
    )
    (message,) = refused(data)
    assert message == (
        "Mẫu được tạo cho bộ tiêu chí qd04-2022 phiên bản 2022; hiện dùng phiên bản 2030. "
        "Hãy tải mẫu mới và nhập lại số liệu vào đó."
    )


@pytest.mark.parametrize("change", ["version", "unit_in_meta", "deleted_row", "measure_id"])
@pytest.mark.django_db
def test_a_tampered_template_is_refused(change):
    data = typed_file(template("00121-TDP13", "2024"))
    row = rows_by_code(data)["00121-TDP13", "2.5"]
    if change == "version":
        data = fill(data, {f"{layout.COL['version'].letter}{row}": 7})
    elif change == "measure_id":
        data = fill(data, {f"{layout.COL['measure_id'].letter}{row}": measure("8.3").pk})
    elif change == "unit_in_meta":
        data = fill(data, {"B2": "00121-TDP12"}, sheet=layout.META_SHEET)
    else:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data))
        workbook[layout.DATA_SHEET].delete_rows(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    (message,) = refused(data)
    assert message.startswith("Mẫu đã bị sửa (mã kiểm tra không khớp)")


@pytest.mark.django_db
def test_a_workbook_that_is_not_a_template_is_refused():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Số liệu"
    buffer = io.BytesIO()
    workbook.save(buffer)
    (message,) = refused(buffer.getvalue())
    assert message.startswith("Tệp không phải mẫu nhập số liệu của tieuchi (thiếu sheet '_meta')")


@pytest.mark.django_db
def test_a_closed_period_is_refused():
    data = typed_file(template("00121-TDP13", "2024"))
    ReportingWindow.objects.create(
        catalog=Catalog.objects.get(key="qd04-2022"),
        period="2024",
        opens_on="2024-01-01",
        due_on="2024-12-31",
        closed=True,
    )
    (message,) = refused(data)
    assert message == "Kỳ 2024 của bộ tiêu chí qd04-2022 đã khóa; không nhập thêm được."
