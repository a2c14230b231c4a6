"""A TDP head types figures on a phone: a headless Chromium against the real `tieuchi` server.

The server is the one users run, started for this module with its own temporary data directory
(see tests/browser.py), so the test database is not involved. Skipped without Debian's Chromium.
"""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import (  # noqa: E402
    CHROMIUM,
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

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.mark.browser
def test_a_tdp_head_types_vietnamese_numbers_on_a_phone_and_sees_them_saved():
    problems: list[str] = []
    with start_demo_server() as server, chromium() as browser:
        context = browser.new_context(**PHONE, base_url=server.url)
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
        log_in(page, server.url, "tdp01.giangbien")
        page.get_by_role("link", name="Số liệu").click()
        page.wait_for_url("**/data/**")
        # 2023 is approved in the demo; next year's form is open.
        page.goto("/data/?period=2024")
        page.get_by_role("link", name="Tổ dân phố số 1").click()
        page.wait_for_url(re.compile(r"/data/units/\d+/2024/"))
        expect(page.locator("h1")).to_have_text("Nhập số liệu: Tổ dân phố số 1 – năm 2024")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), "the entry page scrolls sideways on a phone"

        row = page.locator("form.entry-row[hx-post]").first
        expect(row.locator(".entry-code")).to_have_text("2.5")
        previous = row.locator(".entry-facts").inner_text()
        households = int(re.search(r"/(\d+) \(", previous)[1].replace(".", ""))
        numerator = row.locator("input[name=numerator]")
        denominator = row.locator("input[name=denominator]")

        numerator.click()
        numerator.press_sequentially(f"{households - 1},5")
        numerator.press("Enter")  # Enter moves on like Tab
        expect(denominator).to_be_focused()
        expect(row.locator(".row-status")).to_contain_text("Nhập tiếp mẫu số để lưu.")
        denominator.press_sequentially(str(households))
        share = (households - 0.5) * 100 / households
        shown = f"= {share:.1f}".replace(".", ",") + " %"
        expect(row.locator(".entry-percent")).to_have_text(shown)  # as you type
        denominator.press("Tab")
        expect(row.locator(".row-status")).to_contain_text(re.compile(r"Đã lưu lúc \d\d:\d\d"))
        expect(row.locator(".row-status")).to_contain_text(shown)

        # A wrong number is explained next to its field, in Vietnamese.
        second = page.locator("form.entry-row[hx-post]").nth(1)
        second.locator("input[name=numerator]").fill("12,3,4")
        second.locator("input[name=denominator]").click()
        expect(second.locator(".field-error").first).to_contain_text("'12,3,4' không phải là số")

        page.reload()
        expect(row.locator("input[name=numerator]")).to_have_value(f"{households - 1},5")
        expect(row.locator(".row-status")).to_contain_text("Đã lưu lúc")
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        context.close()
        assert problems == [], server.log_tail()
