"""From the scorecard to a downloaded report, in a real headless Chromium against `tieuchi`.

Uses tests/browser.py (the demo server with its own temporary database, Debian's Chromium).
Skipped when Chromium or the playwright package is missing.
"""

import re

import pytest

pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")

from playwright.sync_api import expect  # noqa: E402

from tests.browser import CHROMIUM, DESKTOP, chromium, log_in, start_demo_server  # noqa: E402
from tieuchi.core.nd30.docx_readback import read_docx  # noqa: E402

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped",
        allow_module_level=True,
    )

pytestmark = pytest.mark.browser


def test_a_ward_leader_edits_the_header_and_downloads_the_report(tmp_path):
    problems: list[str] = []
    with start_demo_server() as server, chromium() as browser:
        context = browser.new_context(**DESKTOP, base_url=server.url, accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JS error: {error}"))
        log_in(page, server.url, "dong.giangbien")

        page.get_by_role("link", name="Đánh giá", exact=True).first.click()
        page.wait_for_url(re.compile(r"/evaluation/units/\d+/"))
        page.get_by_role("link", name="Văn bản", exact=True).first.click()
        page.wait_for_url(re.compile(r"/reports/units/\d+/"))
        expect(page.locator("h1")).to_have_text("Văn bản: Phường Giang Biên")

        report = page.locator("#kind-bao-cao-ket-qua")
        expect(report.get_by_label("Người ký", exact=True)).to_have_value("Vũ Phương Đông")
        report.get_by_text("Sửa số, ngày, người ký, nơi nhận").click()
        report.get_by_label("Số văn bản", exact=True).fill("15")
        report.get_by_label("Ngày ban hành (dd/mm/yyyy)").fill("02/12/2023")
        with page.expect_download() as download_info:
            report.get_by_role("button", name="Đăng ký vào sổ văn bản đi").click()
        download = download_info.value
        assert download.suggested_filename.startswith("bao-cao-ket-qua-00121")
        target = tmp_path / download.suggested_filename
        download.save_as(target)

    back = read_docx(target.read_bytes())
    assert back.tables[0].rows[1] == ["Số: 15/BC-UBND", "Giang Biên, ngày 02 tháng 12 năm 2023"]
    assert not problems, problems
