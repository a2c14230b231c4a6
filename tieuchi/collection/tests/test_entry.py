"""The entry page and its rows: generated from the catalog, saved one by one, refused clearly."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Catalog, CatalogNode, Measure
from tieuchi.collection.models import Observation, ReportingWindow
from tieuchi.orgs.models import AdminUnit, Membership

CATALOG = "qd04-2022"
HTMX = {"HX-Request": "true"}


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(official_code=code)


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code, node__catalog__key=CATALOG)


def page_url(u: AdminUnit, period: str = "2023") -> str:
    return f"/data/units/{u.pk}/{period}/?catalog={CATALOG}"


def row_url(u: AdminUnit, m: Measure, period: str = "2023") -> str:
    return f"/data/units/{u.pk}/{period}/rows/{m.pk}/"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def tdp13(db):
    return unit("00121-TDP13")


@pytest.fixture
def head13(db, tdp13, login):
    """A TDP head for TDP 13, whose 6.1 and 8.2 figures of 2023 are still missing in the demo."""
    user = User.objects.create(username="tdp13.giangbien", full_name="Tổ trưởng TDP số 13")
    Membership.objects.create(user=user, unit=tdp13, role=Role.TDP_HEAD)
    return login("tdp13.giangbien")


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tdp_page_lists_only_the_household_facts_grouped_by_criterion(head13, tdp13):
    response = head13.get(page_url(tdp13))
    assert response.status_code == 200
    html = response.content.decode()
    codes = re.findall(r'<strong class="entry-code">([^<]+)</strong>', html)
    assert codes == ["2.5", "3.3", "3.4", "5.4", "6.1", "7.3", "8.2"]
    groups = re.findall(r'<section class="entry-group" id="group-(\d+)">', html)
    assert groups == ["2", "3", "5", "6", "7", "8"]
    page = text(response)
    assert "Nhập số liệu: Tổ dân phố số 13 – năm 2023" in page
    assert "Đã nhập 5/7 nội dung" in page
    # Definition, thresholds (national and the ward plan's), numerator and denominator labels.
    assert "Trung ương: ≥ 90 %" in page and "68/KH-UBND: ≥ 90 %" in page
    assert "Số người có việc làm trong độ tuổi lao động" in page
    # Already approved figures are shown, locked; the missing ones have inputs saved by htmx.
    assert html.count('class="entry-row locked"') == 5
    assert html.count('hx-post="') == 2
    assert 'inputmode="decimal"' in html


@pytest.mark.django_db
def test_a_ward_page_has_its_own_measures_by_kind_and_the_tdps_roll_up(login):
    response = login("canbo.giangbien").get(page_url(unit("00121")))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(
        r'data-mode="(\w+)".*?<strong class="entry-code">([^<]+)</strong>', html, re.S
    )
    kinds = {code: mode for mode, code in rows}
    assert kinds["2.3"] == "boolean" and kinds["8.3"] == "ratio" and kinds["6.2"] == "value"
    assert kinds["9.2a"] == "level" and kinds["4.6"] == "title"
    assert "2.5" not in kinds  # collected by the TDPs
    page = text(response)
    assert "Tổng hợp từ các tổ dân phố" in page
    assert re.search(r"6\.1 Tỷ lệ người có việc làm.*?19/20 Tổ dân phố số 13", page)
    assert re.search(r"8\.2 Tỷ lệ người dân tham gia bảo hiểm y tế.*?18/20", page)
    # 5.5 (not reported yet) has a Đạt / Chưa đạt select; the 2023 levels are approved, locked.
    assert re.search(r'name="boolean".*?<option value="1"[^>]*>Đạt</option>', html, re.S)
    assert "9.2a" in kinds and 'name="level"' not in html
    next_year = login("canbo.giangbien").get(page_url(unit("00121"), "2024")).content.decode()
    assert '<option value="trong sạch, vững mạnh tiêu biểu"' in next_year
    assert "Kỳ trước (năm 2023)" in next_year


@pytest.mark.django_db
def test_the_entry_page_needs_a_visible_unit_and_a_valid_period(login, tdp13):
    assert login("tdp01.giangbien").get(page_url(tdp13)).status_code == 404
    assert login("lanhdao.phucloi").get(page_url(unit("00121"))).status_code == 404
    viewer = login("xem.giangbien").get(page_url(tdp13))
    assert viewer.status_code == 200
    assert "Bạn chỉ có quyền xem số liệu của đơn vị này." in text(viewer)
    assert 'hx-post="' not in viewer.content.decode()
    for period in ["2023-13", "23", "2023-q4", "2023-Q5", "abcd"]:
        assert login("canbo.giangbien").get(page_url(tdp13, period)).status_code == 404, period
    assert login("canbo.giangbien").get(page_url(tdp13, "2023-Q4")).status_code == 200
    assert login("canbo.giangbien").get(page_url(tdp13, "2023-11")).status_code == 200


# --- saving a row ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_saves_vietnamese_numbers_and_says_when(head13, tdp13):
    response = head13.post(
        row_url(tdp13, measure("8.2")),
        {"numerator": "1.234", "denominator": "1.300", "version": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    saved = Observation.objects.get(unit=tdp13, measure=measure("8.2"), period="2023")
    assert (saved.numerator, saved.denominator, saved.status) == (1234, 1300, "draft")
    assert saved.entered_by.username == "tdp13.giangbien"
    html = response.content.decode()
    assert re.search(r"Đã lưu lúc \d\d:\d\d", html)
    assert "= 94,9 %" in html
    assert f'name="version" value="{saved.version}"' in html
    assert "{&quot;numerator&quot;: &quot;1.234&quot;" in html  # shown back the Vietnamese way
    event = AuditEvent.objects.get(object_type="collection.observation", object_id=str(saved.pk))
    assert (event.action, event.channel, event.after["numerator"]) == ("create", "web", "1234")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"numerator": "12,3,4", "denominator": "100"},
            "numerator",
            "&#x27;12,3,4&#x27; không phải là số",
        ),
        (
            {"numerator": "800", "denominator": "760"},
            "numerator",
            "Tử số không được lớn hơn mẫu số.",
        ),
        ({"numerator": "-1", "denominator": "10"}, "numerator", "Tử số không được âm."),
    ],
)
@pytest.mark.django_db
def test_a_wrong_figure_is_explained_next_to_its_field_and_not_saved(
    head13, tdp13, data, field, message
):
    m = measure("6.1")
    response = head13.post(row_url(tdp13, m), {**data, "version": ""}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(
        rf'<div id="err-{m.pk}-{field}" class="field-error" hx-swap-oob="true">(.*?)</div>', html
    )
    assert error and message in error[1], html
    assert "Chưa lưu" in html
    assert not Observation.objects.filter(unit=tdp13, measure=m, period="2023").exists()


@pytest.mark.django_db
def test_half_a_ratio_waits_for_the_other_number_without_an_error(head13, tdp13):
    m = measure("6.1")
    response = head13.post(
        row_url(tdp13, m), {"numerator": "700", "denominator": "", "version": ""}, headers=HTMX
    )
    html = response.content.decode()
    assert "Nhập tiếp mẫu số để lưu." in html and 'field-error" hx-swap-oob="true"></div>' in html
    assert "Chưa lưu" not in html
    assert not Observation.objects.filter(unit=tdp13, measure=m, period="2023").exists()


@pytest.mark.django_db
def test_booleans_levels_and_values_are_typed_by_kind(login):
    ward, client = unit("00121"), login("canbo.giangbien")
    client.post(row_url(ward, measure("5.5")), {"boolean": "1", "version": ""}, headers=HTMX)
    assert Observation.objects.get(unit=ward, measure=measure("5.5"), period="2023").boolean_value
    m = measure("8.6")
    client.post(row_url(ward, m, "2024"), {"level": "mức độ 9", "version": ""}, headers=HTMX)
    assert not Observation.objects.filter(unit=ward, measure=m, period="2024").exists()
    client.post(row_url(ward, m, "2024"), {"level": "mức độ 2", "version": ""}, headers=HTMX)
    assert Observation.objects.get(unit=ward, measure=m, period="2024").level == "mức độ 2"
    income = measure("6.2")
    client.post(row_url(ward, income, "2024"), {"value": "75.100.000", "version": ""}, headers=HTMX)
    assert Observation.objects.get(unit=ward, measure=income, period="2024").value == 75_100_000


@pytest.mark.django_db
def test_the_second_of_two_editors_sees_the_others_value_and_time(head13, tdp13, login):
    m = measure("6.1")
    officer = login("canbo.giangbien")
    head13.post(
        row_url(tdp13, m), {"numerator": "700", "denominator": "760", "version": ""}, headers=HTMX
    )
    # The officer loaded the page before: the row had no figure (version "").
    response = officer.post(
        row_url(tdp13, m), {"numerator": "690", "denominator": "760", "version": ""}, headers=HTMX
    )
    html = response.content.decode()
    assert "vừa được Tổ trưởng TDP số 13" in html and "700/760" in html
    assert re.search(r"lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}", html)
    assert "Thay đổi của bạn chưa được lưu." in html
    assert 'name="version" value=""' in html  # still stale: a second try is refused again
    assert "Tải lại dòng này" in html
    assert Observation.objects.get(unit=tdp13, measure=m, period="2023").numerator == 700
    reloaded = officer.get(row_url(tdp13, m))
    assert 'value="700"' in reloaded.content.decode()


@pytest.mark.django_db
def test_without_javascript_a_row_posts_and_the_page_comes_back(head13, tdp13):
    m = measure("6.1")
    response = head13.post(row_url(tdp13, m), {"numerator": "700", "denominator": "760"})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(tdp13)}#row-{m.pk}"
    page = head13.get(response["Location"])
    assert "6.1: đã lưu." in text(page)


# --- scope and refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("tdp01.giangbien", 404),  # another TDP's head: cannot even see TDP 13
        ("lanhdao.phucloi", 404),  # another ward
        ("xem.giangbien", 403),  # may read Giang Biên's figures, not change them
        ("kiemtra.longbien", 403),  # the district inspector checks, does not enter
    ],
)
@pytest.mark.django_db
def test_nobody_writes_another_units_figures_through_the_form(login, tdp13, username, status):
    m = measure("6.1")
    before = AuditEvent.objects.count()
    response = login(username).post(
        row_url(tdp13, m), {"numerator": "700", "denominator": "760", "version": ""}, headers=HTMX
    )
    assert response.status_code == status
    assert not Observation.objects.filter(unit=tdp13, measure=m, period="2023").exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_measure_that_the_unit_does_not_enter_is_not_found(head13, tdp13):
    response = head13.post(row_url(tdp13, measure("8.3")), {"numerator": "1", "denominator": "2"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("window", "reason"),
    [
        ({"closed": True}, "Kỳ báo cáo năm 2023 đã khóa"),
        ({"opens_on": dt.date(2099, 1, 1)}, "Kỳ báo cáo năm 2023 mở từ ngày 01/01/2099"),
    ],
)
@pytest.mark.django_db
def test_outside_the_reporting_window_the_page_is_read_only_and_saves_are_refused(
    head13, tdp13, window, reason
):
    ReportingWindow.objects.create(
        catalog=Catalog.objects.get(key=CATALOG),
        period="2023",
        **{"opens_on": dt.date(2023, 1, 1), "due_on": dt.date(2024, 1, 15), **window},
    )
    page = head13.get(page_url(tdp13))
    assert reason in text(page)
    assert 'hx-post="' not in page.content.decode()
    m = measure("6.1")
    response = head13.post(
        row_url(tdp13, m), {"numerator": "700", "denominator": "760", "version": ""}, headers=HTMX
    )
    assert reason in response.content.decode()
    assert not Observation.objects.filter(unit=tdp13, measure=m, period="2023").exists()


@pytest.mark.django_db
def test_an_approved_figure_is_locked_on_the_page_and_at_the_endpoint(login, tdp13):
    m = measure("2.5")
    approved = Observation.objects.get(unit=tdp13, measure=m, period="2023")
    response = login("canbo.giangbien").post(
        row_url(tdp13, m),
        {"numerator": "1", "denominator": "2", "version": str(approved.version)},
        headers=HTMX,
    )
    assert "đã được duyệt và khóa" in response.content.decode()
    approved.refresh_from_db()
    assert approved.numerator != 1


# --- query budget ---------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_entry_page_reads_a_fixed_number_of_queries_whatever_the_number_of_measures(
    head13, tdp13, login
):
    before = _count_queries(head13, page_url(tdp13))
    catalog = Catalog.objects.get(key=CATALOG)
    parent = CatalogNode.objects.get(catalog=catalog, code="6")
    for number in range(12):
        node = CatalogNode.objects.create(
            catalog=catalog,
            parent=parent,
            code=f"6.9{number}",
            node_type="subcriterion",
            name=f"Chỉ tiêu thử {number}",
            position=900 + number,
        )
        Measure.objects.create(
            node=node,
            code=f"6.9{number}",
            name=f"Chỉ tiêu thử {number}",
            kind="ratio",
            collected_at="residential_group",
            numerator_label="Tử",
            denominator_label="Mẫu",
        )
    assert _count_queries(head13, page_url(tdp13)) == before
    assert before <= 20
    assert _count_queries(login("canbo.giangbien"), page_url(unit("00121"))) <= 25
