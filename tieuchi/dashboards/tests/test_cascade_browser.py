"""The plan cascade page in a real browser: the district follows KH 72 down to each ward's rows.

Same set-up as test_browser.py: the real server (`tieuchi demo --no-server`, `tieuchi runserver`,
TIEUCHI_DEBUG=0) and Debian's Chromium; skipped when either is missing.
"""

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from tests.browser import CHROMIUM, DESKTOP, PHONE, chromium, log_in, start_demo_server  # noqa: E402

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture(scope="module")
def server():
    with start_demo_server() as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def test_the_inspector_goes_from_kh72_to_giang_biens_rows_and_downloads_them(browser, server):
    context = browser.new_context(**DESKTOP, base_url=server.url, accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, server.url, "kiemtra.longbien")
    page.goto("/plans/long-bien-2023/")
    page.get_by_role("link", name="Tiến độ các phường thực hiện kế hoạch này").click()
    page.wait_for_url("**/dashboards/plans/long-bien-2023/cascade/")
    page.goto("/dashboards/plans/long-bien-2023/cascade/?on=2023-10-15")
    target = page.locator("#target-1\\.7")
    assert "Không có nhà tạm" in target.locator("th").inner_text()
    ward = target.locator("tr[data-ward='00121']")
    assert "Giang Biên" in ward.inner_text() and "Tháng 10/2023" in ward.inner_text()
    assert page.locator("tr[data-ward]").count() == 52
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải Excel").click()
    assert download.value.suggested_filename == "long-bien-2023-cac-phuong.xlsx"
    assert errors == []
    context.close()


def test_a_ward_leader_reads_the_page_on_a_phone_without_sideways_scrolling(browser, server):
    context = browser.new_context(**PHONE, base_url=server.url)
    page = context.new_page()
    log_in(page, server.url, "dong.giangbien")
    page.goto("/plans/giang-bien-2023/")
    page.get_by_role("link", name="Tiến độ theo kế hoạch cấp trên").click()
    page.wait_for_url("**/dashboards/plans/long-bien-2023/cascade/")
    assert page.locator("tr[data-ward='00121']").count() == 52
    assert page.locator("tr[data-ward]:not([data-ward='00121'])").count() == 0
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    context.close()
