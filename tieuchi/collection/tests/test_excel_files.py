"""Templates filled in and saved by different programs import the same way.

Also the helpers the other Excel tests use: make a template, fill it with openpyxl as a user would,
and rewrite the package the way other programs save it: Excel and LibreOffice keep strings in a
shared table (openpyxl and WPS write them inside the cells), numbers typed as text, another
docProps/app.xml Application, dates stored as plain numbers.
"""

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.commit import import_file
from tieuchi.collection.excel.context import choose_catalog, find_unit
from tieuchi.collection.excel.template import build_template
from tieuchi.collection.models import Observation

COLUMN = {column.key: column.letter for column in layout.COLUMNS}


def template(code: str, period: str, *, catalog: str | None = None, subunits=False) -> bytes:
    unit = find_unit(code, period)
    return build_template(unit, choose_catalog(unit, catalog), period, include_subunits=subunits)


def rows_by_code(data: bytes) -> dict[tuple[str, str], int]:
    """(unit code, measure code) → row number, read from the hidden columns."""
    sheet = load_workbook(io.BytesIO(data), read_only=True)[layout.DATA_SHEET]
    found = {}
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number >= layout.FIRST_ROW and row[0] is not None:
            unit = row[layout.COL["unit_code"].index]
            code = row[layout.COL["measure_code"].index]
            found[unit, code] = number
    return found


def fill(data: bytes, values: dict[str, object], *, sheet: str = layout.DATA_SHEET) -> bytes:
    """Type values into cells ("F9": 600) with openpyxl and save, as a user would."""
    workbook = load_workbook(io.BytesIO(data))
    for ref, value in values.items():
        workbook[sheet][ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell(data: bytes, code: str, column: str, unit: str | None = None) -> str:
    rows = rows_by_code(data)
    if unit is None:
        (unit,) = {u for u, c in rows if c == code}
    return f"{COLUMN[column]}{rows[unit, code]}"


def rezip(data: bytes, change) -> bytes:
    """Rewrite every member through change(name, bytes) -> bytes | None (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return buffer.getvalue()


def as_shared_strings(data: bytes) -> bytes:
    """What Excel and LibreOffice write: strings in xl/sharedStrings.xml, cells point at them.
    (openpyxl, like WPS, writes the strings inside the cells.)"""
    strings: dict[str, int] = {}

    def shared(match):
        attrs, text = match[1], match[2]
        index = strings.setdefault(text, len(strings))
        return f'<c{attrs} t="s"><v>{index}</v></c>'

    def change(name, content):
        text = content.decode()
        if name.startswith("xl/worksheets/sheet"):
            pattern = r'<c([^>]*?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>'
            text = re.sub(pattern, shared, text, flags=re.DOTALL)
            text = re.sub(r'<c([^>]*?) t="inlineStr" ?/>', r"<c\1/>", text)
        return text.encode()

    data = rezip(data, change)
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    table = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )

    def register(name, content):
        text = content.decode()
        if name == "[Content_Types].xml":
            text = text.replace(
                "</Types>",
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        if name == "xl/_rels/workbook.xml.rels":
            text = text.replace(
                "</Relationships>",
                '<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>",
            )
        return text.encode()

    data = rezip(data, register)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/sharedStrings.xml", table)
    return buffer.getvalue()


def with_application(data: bytes, application: str) -> bytes:
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{application}</Application></Properties>"
    )

    def change(name, content):
        return app.encode() if name == "docProps/app.xml" else content

    return rezip(data, change)


def import_as(username: str | None, data: bytes, **expected):
    user = User.objects.get(username=username) if username else None
    return import_file(data, "mau.xlsx", user, **expected)


@pytest.fixture
def ward_officer(db):
    return User.objects.get(username="canbo.giangbien")


def typed_file(data: bytes) -> bytes:
    """TDP 13, 2024: every row typed in, numbers in the ways officials write them."""
    return fill(
        data,
        {
            cell(data, "2.5", "numerator"): 190,
            cell(data, "2.5", "denominator"): "197",
            cell(data, "3.3", "numerator"): "248",
            cell(data, "3.3", "denominator"): 250.0,
            cell(data, "6.1", "numerator"): "87,5",
            cell(data, "6.1", "denominator"): "100",
            cell(data, "8.2", "numerator"): 700,
            cell(data, "8.2", "denominator"): 760,
        },
    )


EXPECTED = {
    "2.5": (Decimal(190), Decimal(197)),  # 2023: 197/197, not far from it (see excel.unusual)
    "3.3": (Decimal(248), Decimal(250)),
    "6.1": (Decimal("87.5"), Decimal(100)),
    "8.2": (Decimal(700), Decimal(760)),
}


def stored(code: str, period: str = "2024", unit: str = "00121-TDP13"):
    observation = Observation.objects.filter(
        unit__official_code=unit,
        measure__code=code,
        measure__node__catalog__key="qd04-2022",
        period=period,
    ).first()
    return None if observation is None else (observation.numerator, observation.denominator)


def assert_imported_exactly(outcome):
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.result.counts == {"new": 4, "changed": 0, "unchanged": 0, "empty": 3}
    for code, figures in EXPECTED.items():
        assert stored(code) == figures


LIBREOFFICE = "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2"


@pytest.mark.django_db
def test_a_file_filled_in_with_openpyxl_imports_exactly(ward_officer):
    outcome = import_as("canbo.giangbien", typed_file(template("00121-TDP13", "2024")))
    assert_imported_exactly(outcome)


@pytest.mark.parametrize("application", ["Microsoft Excel", LIBREOFFICE])
@pytest.mark.django_db
def test_an_excel_or_libreoffice_like_file_with_shared_strings_imports_exactly(
    ward_officer, application
):
    data = typed_file(template("00121-TDP13", "2024"))
    data = with_application(as_shared_strings(data), application)
    package = zipfile.ZipFile(io.BytesIO(data))
    assert b"inlineStr" not in package.read("xl/worksheets/sheet1.xml")
    assert application.encode() in package.read("docProps/app.xml")
    assert_imported_exactly(import_as("canbo.giangbien", data))


@pytest.mark.django_db
def test_a_wps_like_file_with_numbers_as_text_and_dates_as_numbers_imports_exactly(ward_officer):
    data = template("00121-TDP13", "2024")
    # WPS keeps what was typed as text; the template's time stamp comes back as a serial number.
    data = fill(
        typed_file(data),
        {cell(data, "8.2", "numerator"): "700", cell(data, "8.2", "denominator"): "760"},
    )
    meta = load_workbook(io.BytesIO(data))[layout.META_SHEET]
    (row,) = [r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "generated_at"]
    data = fill(data, {f"B{row}": 46349.5}, sheet=layout.META_SHEET)
    data = with_application(data, "WPS Office")
    assert b"inlineStr" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert_imported_exactly(import_as("canbo.giangbien", data))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.django_db
def test_a_file_round_tripped_through_libreoffice_imports_exactly(ward_officer, tmp_path):
    source = tmp_path / "mau.xlsx"
    source.write_bytes(typed_file(template("00121-TDP13", "2024")))
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert_imported_exactly(import_as("canbo.giangbien", (out / "mau.xlsx").read_bytes()))


@pytest.mark.django_db
def test_every_imported_value_has_one_audit_record_through_excel(ward_officer):
    before = AuditEvent.objects.filter(channel="excel").count()
    outcome = import_as("canbo.giangbien", typed_file(template("00121-TDP13", "2024")))
    events = AuditEvent.objects.filter(channel="excel").order_by("id")
    assert events.count() - before == 4
    event = events.last()
    assert (event.actor, event.action, event.object_type) == (
        ward_officer,
        "create",
        "collection.observation",
    )
    assert event.after["status"] == "draft" and event.after["version"] == 1
    assert f"lần nhập #{outcome.batch.pk}" in event.note


@pytest.mark.django_db
def test_imported_audit_snapshots_equal_what_a_single_save_records(ward_officer):
    """The import encodes its audit snapshots itself: each must be the dict `save_observation`
    would record for the stored figure (same keys, exact number texts, status, version)."""
    from tieuchi.collection.services import _snapshot

    outcome = import_as("canbo.giangbien", typed_file(template("00121-TDP13", "2024")))
    events = AuditEvent.objects.filter(channel="excel", note__contains=f"#{outcome.batch.pk})")
    assert events.count() == 4
    for event in events:
        observation = Observation.objects.get(pk=event.object_id)
        assert event.before is None
        assert event.after == _snapshot(observation)
        assert event.object_repr == str(observation)


@pytest.mark.django_db
def test_new_figures_never_take_the_id_of_a_deleted_one(ward_officer):
    """On SQLite the import numbers the new figures itself (after the highest id ever used):
    a deleted figure's id is not reused, and each audit record names its own figure."""
    newest = Observation.objects.order_by("-id").first()
    newest_id = newest.pk
    newest.delete()
    outcome = import_as("canbo.giangbien", typed_file(template("00121-TDP13", "2024")))
    created = Observation.objects.filter(unit__official_code="00121-TDP13", period="2024")
    assert created.count() == 4 and min(created.values_list("id", flat=True)) > newest_id
    events = AuditEvent.objects.filter(channel="excel", note__contains=f"#{outcome.batch.pk})")
    assert sorted(int(e.object_id) for e in events) == sorted(created.values_list("id", flat=True))
    for event in events:
        observation = created.get(pk=event.object_id)
        assert event.object_repr == str(observation)
