"""Excel downloads of the completeness page and of a value's history: page rows, formats, scope."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tieuchi.accounts.models import User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Catalog
from tieuchi.collection.models import Observation, ReportingWindow
from tieuchi.collection.services import save_observation
from tieuchi.core.tests.xlsx_readback import read_download
from tieuchi.orgs.models import AdminUnit, Membership

CATALOG = "qd04-2022"
pytestmark = pytest.mark.django_db


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(official_code=code)


def completeness(code: str, suffix: str = "") -> str:
    return f"/data/completeness/{unit(code).pk}/2023/{suffix}?catalog={CATALOG}"


@pytest.fixture
def figure():
    """TDP 13's 6.1 typed by its head and corrected once: a value with two changes."""
    catalog = Catalog.objects.get(key=CATALOG)
    ReportingWindow.objects.create(
        catalog=catalog, period="2023", opens_on=dt.date(2023, 1, 1), due_on=dt.date(2024, 1, 15)
    )
    head = User.objects.create(username="tdp13.giangbien", full_name="=Tổ trưởng TDP số 13")
    tdp13 = unit("00121-TDP13")
    Membership.objects.create(user=head, unit=tdp13, role=Role.TDP_HEAD)
    measure = catalog.nodes.get(code="6.1").measures.get()
    save_observation(
        head, tdp13, measure, "2023", {"numerator": 700, "denominator": 760}, expected_version=None
    )
    saved = Observation.objects.get(unit=tdp13, measure=measure, period="2023")
    save_observation(
        head,
        tdp13,
        measure,
        "2023",
        {"numerator": 1705, "denominator": 1770},
        expected_version=saved.version,
    )
    return Observation.objects.get(pk=saved.pk)


@pytest.mark.parametrize(
    ("username", "code"), [("canbo.giangbien", "00121"), ("kiemtra.longbien", "004")]
)
def test_completeness_download_has_one_row_per_unit_of_the_page(login, figure, username, code):
    client = login(username)
    page = client.get(completeness(code))
    assert 'class="button xlsx-download"' in page.content.decode()
    children = page.context["report"].children
    table = read_download(client.get(completeness(code, "export.xlsx")))
    assert table.headers[:4] == ["Đơn vị", "Trạng thái", "Đã nhập", "Phải nhập"]
    assert table.column("Đơn vị") == [child.unit.name for child in children]
    assert table.column("Đã nhập") == [child.filled for child in children]
    assert table.column("Phải nhập") == [child.required for child in children]
    assert table.column("Đúng hạn") == [child.timeliness for child in children]
    assert table.formats[table.headers.index("Đã nhập")] == {"#,##0"}
    assert "Hạn nộp: 15/01/2024" in table.preamble


def test_completeness_download_scope_and_queries(login, figure, django_assert_max_num_queries):
    client = login("canbo.giangbien")
    with django_assert_max_num_queries(12):
        assert client.get(completeness("00121", "export.xlsx")).status_code == 200
    outsider = login("tdp01.giangbien")
    assert outsider.get(completeness("00121")).status_code == 404
    assert outsider.get(completeness("00121", "export.xlsx")).status_code == 404


def test_history_download_lists_every_change_of_the_page(login, figure):
    client = login("canbo.giangbien")
    page = client.get(f"/data/values/{figure.pk}/history/")
    assert 'class="button xlsx-download"' in page.content.decode()
    rows = page.context["rows"]
    table = read_download(client.get(f"/data/values/{figure.pk}/history/export.xlsx"))
    assert table.headers == [
        "Thời điểm",
        "Người thực hiện",
        "Thao tác",
        "Trước",
        "Sau",
        "Kênh",
        "Ghi chú",
    ]
    assert len(table.rows) == len(rows) >= 2
    assert table.column("Thao tác") == [row["action"] for row in rows]
    assert table.column("Sau") == [row["after"] for row in rows]
    # Times are real date-times in Hà Nội time, to the minute as on the page.
    assert [t.strftime("%H:%M %d/%m/%Y") for t in table.column("Thời điểm")] == [
        dt.datetime.fromisoformat(str(row["event"].at))
        .astimezone(dt.timezone(dt.timedelta(hours=7)))
        .strftime("%H:%M %d/%m/%Y")
        for row in rows
    ]
    assert table.formats[0] == {"DD/MM/YYYY HH:MM"}
    # A user named "=…" stays text in Excel.
    first = table.sheet.cell(row=table.sheet.max_row - len(table.rows) + 1, column=2)
    assert first.value.startswith("=") and first.data_type == "s"


def test_history_download_scope_and_queries(login, figure, django_assert_max_num_queries):
    client = login("canbo.giangbien")
    with django_assert_max_num_queries(12):
        assert client.get(f"/data/values/{figure.pk}/history/export.xlsx").status_code == 200
    outsider = login("lanhdao.phucloi")
    assert outsider.get(f"/data/values/{figure.pk}/history/").status_code == 404
    assert outsider.get(f"/data/values/{figure.pk}/history/export.xlsx").status_code == 404


def entry_url(code: str, suffix: str = "") -> str:
    return f"/data/units/{unit(code).pk}/2023/{suffix}?catalog={CATALOG}"


@pytest.mark.parametrize(
    ("username", "code"), [("tdp13.giangbien", "00121-TDP13"), ("canbo.giangbien", "00121")]
)
def test_entry_download_has_the_pages_figures_and_the_ward_rollup(login, figure, username, code):
    client = login(username)
    page = client.get(entry_url(code))
    assert 'class="button xlsx-download"' in page.content.decode()
    sheet = page.context["sheet"]
    response = client.get(entry_url(code, "export.xlsx"))
    table = read_download(response)
    assert table.column("Mã") == [row.code for row in sheet.rows]
    assert table.column("Như trên trang") == [row.shown or None for row in sheet.rows]
    assert table.column("Tử số") == [
        float(row.observation.numerator)
        if row.observation and row.observation.numerator is not None
        else None
        for row in sheet.rows
    ]
    percents = [float(row.percent) / 100 if row.percent is not None else None for row in sheet.rows]
    assert table.column("Tỷ lệ") == pytest.approx(percents)
    if any(p is not None for p in percents):
        assert table.formats[table.headers.index("Tỷ lệ")] == {"0.0%"}
    workbook = load_workbook(BytesIO(response.content))
    assert len(workbook.sheetnames) == (2 if sheet.rollup else 1)
    if sheet.rollup:
        rollup = workbook.worksheets[1]
        codes = [row[0] for row in rollup.iter_rows(min_row=1, values_only=True)]
        assert [r.measure.code for r in sheet.rollup] == codes[codes.index("Mã") + 1 :]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_entry_download_scope_and_queries(login, figure, django_assert_max_num_queries):
    client = login("canbo.giangbien")
    # The download runs exactly the page's queries (the page's own test proves they are fixed).
    page_count = count_queries(client, entry_url("00121"))
    assert count_queries(client, entry_url("00121", "export.xlsx")) == page_count
    with django_assert_max_num_queries(21):
        assert client.get(entry_url("00121", "export.xlsx")).status_code == 200
    assert login("lanhdao.phucloi").get(entry_url("00121", "export.xlsx")).status_code == 404
    assert login("tdp01.giangbien").get(entry_url("00121-TDP13", "export.xlsx")).status_code == 404
