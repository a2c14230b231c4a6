"""The pages in a real browser: a headless Chromium against the real `tieuchi` server.

The server is the one users run (`tieuchi demo --no-server`, then `tieuchi runserver` with
TIEUCHI_DEBUG=0), started once for this module on a free port with its own temporary data
directory; see tests/browser.py. It does not use the test database, so pytest-django's
transaction handling never touches the demo data the pages show.

Skipped when Debian's Chromium (/usr/bin/chromium) is not installed.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    CHROMIUM,
    DESKTOP,
    PHONE,
    chromium,
    log_in,
    start_demo_server,
)

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped",
        allow_module_level=True,
    )

pytestmark = pytest.mark.browser

PLAN = "/plans/giang-bien-2023/"
CATALOG = "/catalogs/qd04-2022/"
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture(scope="module")
def server():
    with start_demo_server() as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def problems():
    """JavaScript errors, failed requests and server errors seen by the page under test."""
    return []


def _open(browser, server, problems, options):
    context = browser.new_context(**options, base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JS error: {error}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return context, page


@pytest.fixture
def phone(browser, server, problems):
    context, page = _open(browser, server, problems, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop(browser, server, problems):
    context, page = _open(browser, server, problems, DESKTOP)
    yield page
    context.close()


def plan_row_ids(page) -> list[str]:
    return page.locator("#plan-table tbody tr[id]").evaluate_all("rows => rows.map(r => r.id)")


def change_filter(page, name: str, value: str) -> None:
    """Pick a filter value and wait for htmx's request, answered with the table alone."""
    with page.expect_response(
        lambda r: urlparse(r.url).path == PLAN and r.request.headers.get("hx-request") == "true"
    ) as answer:
        page.locator(f"form.filters select[name={name}]").select_option(value)
    assert answer.value.status == 200
    assert "<html" not in answer.value.text(), "htmx should get the table partial, not a page"


def test_phone_login_plan_table_and_filters(phone, server, problems):
    page = phone
    log_in(page, server.url, "dong.giangbien")
    assert urlparse(page.url).path == "/"
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Xin chào, Vũ Phương Đông")
    # The stylesheet and htmx are served (hashed names, WhiteNoise, TIEUCHI_DEBUG=0).
    assert page.evaluate("getComputedStyle(document.querySelector('.topbar')).display") == "flex"
    assert page.evaluate("typeof window.htmx") == "object"

    page.get_by_role("link", name="68/KH-UBND").click()
    page.wait_for_url(f"**{PLAN}")
    expect(page.locator("h1")).to_have_text("Kế hoạch 68/KH-UBND")
    rows = page.locator("#plan-table tbody tr")
    status = page.locator("#plan-table [role=status]")
    expect(rows).to_have_count(52)
    expect(status).to_contain_text("52 nội dung")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the plan page scrolls sideways on a phone"

    # Each row is a card: no table header, every cell labelled with its column name.
    expect(page.locator("#plan-table thead")).to_be_hidden()
    cards = page.locator("#plan-table tbody tr").evaluate_all(
        """rows => rows.map(row => {
            const box = row.getBoundingClientRect();
            const cells = [...row.querySelectorAll('td[data-label]')]
                .filter(td => getComputedStyle(td).display !== 'none');
            return {
                id: row.id,
                display: getComputedStyle(row).display,
                left: box.left, right: box.right,
                labels: cells.map(td => [td.dataset.label,
                                         getComputedStyle(td, '::before').content]),
            };
        })"""
    )
    width = page.evaluate("window.innerWidth")
    for card in cards:
        assert card["display"] not in ("table-row", "none"), card
        assert card["left"] >= 0 and card["right"] <= width, card
        assert len(card["labels"]) >= 6, card
        for label, shown in card["labels"]:
            assert shown == f'"{label}"', card
    first = {label for label, _ in cards[0]["labels"]}
    assert {"Tên tiêu chí", "Nội dung tiêu chí", "Lãnh đạo phụ trách"} <= first

    # Leader filter: htmx swaps the table in place and records the filter in the address.
    page.evaluate("window.__sameDocument = 'still here'")
    leader = page.locator("form.filters select[name=leader] option", has_text="Đ/c Tỉnh")
    tinh = leader.get_attribute("value")
    change_filter(page, "leader", tinh)
    expect(rows).to_have_count(8)
    expect(status).to_contain_text("8 nội dung")
    page.wait_for_url(re.compile(r"[?&]leader=\d+"))
    assert parse_qs(urlparse(page.url).query)["leader"] == [tinh]
    assert page.evaluate("window.__sameDocument") == "still here", "the page was reloaded"
    leaders = page.locator("#plan-table tbody td[data-label='Lãnh đạo phụ trách']")
    for text in leaders.all_inner_texts():
        assert text.startswith("Đ/c Tỉnh"), text
    assert page.evaluate(NO_HORIZONTAL_SCROLL)

    # Đ/c Tỉnh has no row without a deadline: an empty table says so.
    change_filter(page, "deadline", "unspecified")
    expect(status).to_contain_text("0 nội dung")
    expect(page.locator("#plan-table tbody")).to_contain_text("Không có nội dung nào khớp bộ lọc")

    # All leaders, rows without a deadline: exactly the four the plan leaves undated.
    change_filter(page, "leader", "")
    expect(status).to_contain_text("4 nội dung")
    assert plan_row_ids(page) == ["row-7.4", "row-7.5", "row-8.2", "row-8.3"]
    query = parse_qs(urlparse(page.url).query)
    assert query["deadline"] == ["unspecified"] and not query.get("leader")
    assert page.evaluate("window.__sameDocument") == "still here"

    # The address is a real link: reloading it shows the same filtered table.
    page.reload()
    expect(page.locator("form.filters select[name=deadline]")).to_have_value("unspecified")
    assert plan_row_ids(page) == ["row-7.4", "row-7.5", "row-8.2", "row-8.3"]
    assert problems == [], server.log_tail()


def test_desktop_plan_table_columns_have_room(desktop, server, problems):
    page = desktop
    log_in(page, server.url, "dong.giangbien")
    page.goto(PLAN)
    expect(page.locator("#plan-table tbody tr")).to_have_count(52)
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    headers = page.locator("#plan-table thead th")
    expect(headers).to_have_count(7)
    widths = headers.evaluate_all("ths => ths.map(th => th.getBoundingClientRect().width)")
    assert min(widths) >= 100, f"cramped plan columns: {widths}"
    assert problems == [], server.log_tail()


def test_desktop_catalog_criteria_and_thresholds(desktop, server, problems):
    page = desktop
    log_in(page, server.url, "dong.giangbien")
    page.goto(CATALOG)
    expect(page.locator("h1")).to_contain_text("đô thị văn minh")
    expect(page.locator("tbody tr.criterion-row")).to_have_count(9)
    expect(page.locator("tbody tr:not(.criterion-row)")).to_have_count(52)
    lines = page.locator("#node-6\\.1 .threshold-line").evaluate_all(
        """lines => lines.map(line => [
            line.querySelector('.badge').innerText.replace(/\\s+/g, ' ').trim(),
            line.querySelector('.threshold').innerText.replace(/\\s+/g, ' ').trim(),
        ])"""
    )
    thresholds = {badge.split("·")[-1].strip(): value for badge, value in lines}
    assert thresholds == {"phường": "≥ 90 %", "thị trấn": "≥ 80 %"}, lines
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert problems == [], server.log_tail()


def test_desktop_unit_tree_on_a_date(desktop, server, problems):
    page = desktop
    log_in(page, server.url, "admin")
    page.goto("/units/")
    page.get_by_label("Theo ngày").fill("2023-06-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Xem").click()
    assert parse_qs(urlparse(page.url).query)["as_of"] == ["2023-06-01"]
    expect(page.locator("main")).to_contain_text("Các đơn vị có hiệu lực ngày 01/06/2023.")
    units = page.locator("ul.tree li").evaluate_all(
        """items => items.map(li => {
            const link = li.querySelector('a');
            return {name: link.innerText.trim(),
                    type: li.querySelector('.type').innerText.trim(),
                    x: link.getBoundingClientRect().left};
        })"""
    )

    def kind(unit):
        return unit["type"].split("·")[0].strip()

    district = next(u for u in units if kind(u) == "Quận" and u["name"] == "Long Biên")
    wards = [u for u in units if kind(u) == "Phường"]
    assert len(wards) == 14, [u["name"] for u in wards]
    assert all(w["x"] > district["x"] for w in wards), "wards are not indented under Long Biên"
    start = next(
        i for i, u in enumerate(units) if kind(u) == "Phường" and u["name"] == "Giang Biên"
    )
    giang_bien = units[start]
    tdps = []
    for unit in units[start + 1 :]:
        if unit["x"] <= giang_bien["x"]:
            break
        tdps.append(unit)
    assert len(tdps) == 20 and all(kind(t) == "Tổ dân phố" for t in tdps), tdps
    assert [t["name"] for t in tdps][:2] == ["Tổ dân phố số 1", "Tổ dân phố số 2"]
    assert problems == [], server.log_tail()


def test_wrong_password_is_refused_in_vietnamese(phone, server, problems):
    page = phone
    log_in(page, server.url, "xem.giangbien", password="not-the-password")
    assert urlparse(page.url).path == "/login/"
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("mật khẩu chính xác")
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("xem.giangbien")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert problems == [], server.log_tail()


def test_another_wards_leader_gets_404_for_the_plan(desktop, server):
    page = desktop
    log_in(page, server.url, "lanhdao.phucloi")
    response = page.goto(PLAN)
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("404")
    expect(page.locator("main")).to_contain_text("Không tìm thấy trang")
    expect(page.locator("main")).not_to_contain_text("68/KH-UBND")


def test_language_switch_in_the_footer(desktop, server, problems):
    page = desktop
    log_in(page, server.url, "dong.giangbien")
    heading = page.locator("h1")
    expect(heading).to_have_text("Xin chào, Vũ Phương Đông")
    with page.expect_navigation():
        page.get_by_label("Ngôn ngữ").select_option("en")
    assert urlparse(page.url).path == "/"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "en"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # English translations ship in tieuchi/locale/en (added alongside these tests).
    expect(heading).to_have_text("Hello, Vũ Phương Đông")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("vi")
    expect(heading).to_have_text("Xin chào, Vũ Phương Đông")
    assert problems == [], server.log_tail()
