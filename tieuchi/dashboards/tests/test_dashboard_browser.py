"""The dashboards in a real headless Chromium against the real `tieuchi` server: the charts are
drawn by our charts.js with the vendored Chart.js, the page never scrolls sideways (the heat map
scrolls inside its own box), the heat map keeps its header in view. With SAVE_SCREENSHOTS=1 it
saves the README screenshot docs/screenshots/dashboard-district.png (a normal run leaves the
checkout untouched).

Uses tests/browser.py (the demo server with its own temporary database, Debian's Chromium).
Skipped when Chromium or the playwright package is missing.
"""

import os
from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    CHROMIUM,
    PHONE,
    VIETNAMESE,
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

SCREENSHOT = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "dashboard-district.png"
OFFICE = {**VIETNAMESE, "viewport": {"width": 1280, "height": 900}}
NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"
# Painted pixels of a chart canvas: a drawn chart has axes, labels and bars.
PAINTED = """canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) { if (data[i]) painted++; }
    return painted;
}"""


@pytest.fixture(scope="module")
def server():
    with start_demo_server() as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def open_page(browser, server, options, problems):
    context = browser.new_context(**options, base_url=server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JS error: {error}"))
    page.on(
        "console",
        lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    return context, page


def assert_chart_drawn(page, selector: str, bars: int) -> None:
    canvas = page.locator(selector)
    expect(canvas).to_have_attribute("data-drawn", "true")
    drawn = canvas.evaluate(
        "c => { const chart = Chart.getChart(c); return chart ? chart.data.labels.length : -1; }"
    )
    assert drawn == bars
    box = canvas.bounding_box()
    assert box["width"] > 200 and box["height"] > 150, box
    assert canvas.evaluate(PAINTED) > 1000, "the canvas is blank"


def test_district_dashboard_on_an_office_screen(browser, server):
    problems: list[str] = []
    context, page = open_page(browser, server, OFFICE, problems)
    log_in(page, server.url, "kiemtra.longbien")
    page.get_by_role("link", name="Tổng quan", exact=True).first.click()
    page.wait_for_url("**/dashboards/district/*/")
    expect(page.locator("h1")).to_have_text("Tổng quan: Quận Long Biên")
    rows = page.locator("table.heatmap tbody tr[id]")
    expect(rows).to_have_count(14)
    # Every cell says its verdict in words, not by colour alone.
    texts = page.locator("table.heatmap tbody td.cell").all_inner_texts()
    assert len(texts) == 14 * 9
    assert all(any(word in t for word in ("Đạt", "Chưa đạt", "Thiếu dữ liệu")) for t in texts)
    assert_chart_drawn(page, "#chart-criteria", 9)
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the dashboard scrolls sideways"
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        page.screenshot(path=SCREENSHOT)

    # The header row stays in view while the heat map scrolls inside its box.
    wrap = page.locator(".heatmap-wrap")
    wrap.evaluate("w => { w.scrollTop = 250; }")
    gap = wrap.evaluate(
        """w => w.querySelector('thead th').getBoundingClientRect().top
               - w.getBoundingClientRect().top"""
    )
    assert wrap.evaluate("w => w.scrollTop") > 0, "the heat map does not scroll inside its box"
    assert abs(gap) <= 2, f"the header row scrolled away ({gap}px)"

    # Drill-down: a cell opens the ward's scorecard at that criterion.
    page.locator("table.heatmap tbody tr[id] td.cell a").first.click()
    page.wait_for_url("**/evaluation/units/*/**#criterion-1")
    expect(page.locator("#criterion-1")).to_be_visible()
    context.close()
    assert problems == [], server.log_tail()


def test_ward_dashboard_on_a_phone(browser, server):
    problems: list[str] = []
    context, page = open_page(browser, server, PHONE, problems)
    log_in(page, server.url, "dong.giangbien")
    page.get_by_role("link", name="Tổng quan", exact=True).first.click()
    page.wait_for_url("**/dashboards/ward/*/")
    expect(page.locator("h1")).to_have_text("Tổng quan: Phường Giang Biên")
    expect(page.locator(".dash-status li")).to_have_count(9)
    assert_chart_drawn(page, "#chart-history", 2)
    expect(page.locator("table.dash-history tbody tr")).to_have_count(2)
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the ward dashboard scrolls sideways on a phone"
    width = page.evaluate("window.innerWidth")
    for box in page.locator(".dash-status a, #chart-history, #overdue, #reporting").all():
        rect = box.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= width + 1, rect
    context.close()
    assert problems == [], server.log_tail()


def test_district_heat_map_on_a_phone_scrolls_inside_the_table_only(browser, server):
    problems: list[str] = []
    context, page = open_page(browser, server, PHONE, problems)
    log_in(page, server.url, "kiemtra.longbien")
    page.goto("/dashboards/")
    page.wait_for_url("**/dashboards/district/*/")
    wrap = page.locator(".heatmap-wrap")
    expect(wrap).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the page scrolls sideways on a phone"
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the heat map does not scroll"
    # The ward names stay in view while the criteria scroll sideways.
    wrap.evaluate("w => { w.scrollLeft = 300; }")
    gap = wrap.evaluate(
        """w => w.querySelector('tbody th').getBoundingClientRect().left
               - w.getBoundingClientRect().left"""
    )
    assert abs(gap) <= 2, f"the ward column scrolled away ({gap}px)"
    assert_chart_drawn(page, "#chart-criteria", 9)
    context.close()
    assert problems == [], server.log_tail()
