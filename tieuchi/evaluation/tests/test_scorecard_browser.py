"""The scorecard on a phone, in a real headless Chromium against the real `tieuchi` server.

Uses tests/browser.py (the demo server with its own temporary database, Debian's Chromium).
Skipped when Chromium or the playwright package is missing.
"""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import CHROMIUM, PHONE, chromium, log_in, start_demo_server  # noqa: E402

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped",
        allow_module_level=True,
    )

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_phone_scorecard_is_cards_without_sideways_scrolling_and_filters_in_place():
    problems: list[str] = []
    with start_demo_server() as server, chromium() as browser:
        context = browser.new_context(**PHONE, base_url=server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JS error: {error}"))
        page.on(
            "response",
            lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )
        log_in(page, server.url, "dong.giangbien")

        # The "Đánh giá" menu takes a ward leader to the ward's own scorecard.
        page.get_by_role("link", name="Đánh giá", exact=True).first.click()
        page.wait_for_url(re.compile(r"/evaluation/units/\d+/"))
        expect(page.locator("h1")).to_have_text("Kết quả đánh giá: Phường Giang Biên")
        rows = page.locator("#scorecard-items tbody tr")
        expect(rows).to_have_count(52)
        expect(page.locator(".scorecard-head")).to_contain_text("tiêu chí đạt")
        assert page.evaluate(NO_HORIZONTAL_SCROLL), "the scorecard scrolls sideways on a phone"

        # Each sub-criterion is a card inside the screen, its verdict in words.
        cards = rows.evaluate_all(
            r"""rows => rows.map(row => {
                const box = row.getBoundingClientRect();
                return {id: row.id, display: getComputedStyle(row).display,
                        left: box.left, right: box.right,
                        verdict: row.querySelector('.verdict').innerText.replace(/\s+/g, ' ').trim()};
            })"""
        )
        width = page.evaluate("window.innerWidth")
        for card in cards:
            assert card["display"] == "grid", card
            assert card["left"] >= 0 and card["right"] <= width, card
            assert re.fullmatch(r"[✓✗?] (Đạt|Chưa đạt|Chưa đủ dữ liệu)", card["verdict"]), card
        expect(page.locator("#item-8\\.4")).to_contain_text("Chỉ tiêu phường")

        # The filter swaps the list in place (htmx) and keeps it in the address.
        page.evaluate("window.__sameDocument = 'still here'")
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            page.get_by_label("Hiển thị").select_option("open")
        page.wait_for_url(re.compile(r"[?&]show=open"))
        verdicts = rows.evaluate_all(
            r"rows => rows.map(r => r.querySelector('.verdict').innerText.replace(/\s+/g, ' ').trim())"
        )
        assert verdicts and set(verdicts) <= {"✗ Chưa đạt", "? Chưa đủ dữ liệu"}, verdicts
        assert page.evaluate("window.__sameDocument") == "still here", "the page was reloaded"
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        context.close()
        assert problems == [], server.log_tail()
