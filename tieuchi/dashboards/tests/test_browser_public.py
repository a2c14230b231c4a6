"""The public page and the programme dashboard in a real browser (375 px phone, real server).

The ward leader publishes from the publication page; an anonymous visitor then reads the page on
a phone without sideways scrolling. The programme dashboard draws its charts with Chart.js.
Skipped when Debian's Chromium (/usr/bin/chromium) is not installed.
"""

import sqlite3

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import CHROMIUM, DESKTOP, PHONE, chromium, log_in, start_demo_server  # noqa: E402

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed; browser tests skipped", allow_module_level=True)

pytestmark = pytest.mark.browser
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture(scope="module")
def server():
    with start_demo_server(timeout=120) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def _page(browser, server, options, problems):
    context = browser.new_context(**options, base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JS error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    return context, page


def _unit_id(server, code: str) -> int:
    """The demo server's own database (a temporary SQLite file) knows the unit's id."""
    with sqlite3.connect(server.data_dir / "tieuchi.sqlite3") as db:
        row = db.execute(
            "SELECT id FROM orgs_adminunit WHERE official_code = ? ORDER BY valid_from DESC",
            (code,),
        ).fetchone()
    return row[0]


def test_publish_then_read_the_public_page_on_a_phone(browser, server):
    problems: list[str] = []
    anonymous, visitor = _page(browser, server, PHONE, problems)
    assert visitor.goto("/public/00121/").status == 404

    context, leader = _page(browser, server, DESKTOP, problems)
    log_in(leader, server.url, "dong.giangbien")
    leader.goto(f"/dashboards/publication/{_unit_id(server, '00121')}/")
    expect(leader.locator(".badge")).to_have_text("Chưa công khai")
    leader.get_by_role("button", name="Công khai kết quả").click()
    expect(leader.locator(".messages")).to_contain_text("Đã công khai kết quả")
    context.close()

    response = visitor.goto("/public/")
    assert "max-age=300" in response.headers["cache-control"]
    visitor.get_by_role("link", name="Giang Biên").click()
    visitor.wait_for_url("**/public/00121/")
    expect(visitor.locator("h1")).to_have_text("Giang Biên")
    expect(visitor.locator("section.public-criterion")).to_have_count(9)
    expect(visitor.locator("section.public-criterion h2").first).to_contain_text("Tiêu chí 1.")
    assert visitor.evaluate(NO_HORIZONTAL_SCROLL), "the public page scrolls sideways on a phone"
    # Rows become labelled cards on a phone; nothing to log in or out of.
    expect(visitor.locator("table.public-items thead").first).to_be_hidden()
    assert visitor.get_by_text("Đăng xuất").count() == 0
    assert "Vũ Phương Đông" not in visitor.content()
    anonymous.close()
    assert problems == []


def test_the_programme_dashboard_draws_its_charts(browser, server):
    problems: list[str] = []
    context, page = _page(browser, server, DESKTOP, problems)
    log_in(page, server.url, "kiemtra.longbien")
    district = _unit_id(server, "004")
    page.goto(f"/dashboards/programme/ctr02-longbien-2020-2025/{district}/")
    expect(page.locator("#measure-3\\.3b")).to_contain_text("Đúng lộ trình")
    chart = page.locator('canvas[data-chart="chart-3.3b-data"]')
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_attribute("data-drawn", "true")
    assert page.evaluate("typeof window.Chart") == "function"
    context.close()
    assert problems == []
