"""Write the README screenshots to docs/screenshots/ from a freshly started demo server.

    .venv/bin/python scripts/screenshots.py

Needs Debian's Chromium at /usr/bin/chromium (the Playwright Python package drives it; no
browser is downloaded). Each run builds its own demo database in a temporary directory.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, DESKTOP, PHONE, chromium, log_in, start_demo_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PLAN = "/plans/giang-bien-2023/"
CATALOG = "/catalogs/qd04-2022/"
EVALUATION = "/evaluation/"


def main() -> int:
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} không có; cài gói chromium của Debian trước.", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with start_demo_server() as server, chromium() as browser:
        # Desktop: the plan appendix as ward staff see it on an office monitor.
        desktop = browser.new_context(**DESKTOP)
        page = desktop.new_page()
        log_in(page, server.url, "dong.giangbien")
        page.goto(server.url + PLAN)
        page.screenshot(path=OUT / "plan-desktop.png")

        page.goto(server.url + CATALOG)
        page.screenshot(path=OUT / "catalog.png")

        # The ward's scorecard: the "Đánh giá" menu leads a ward leader to it.
        page.goto(server.url + EVALUATION)
        page.wait_for_url("**/evaluation/units/*/")
        page.screenshot(path=OUT / "scorecard.png")
        desktop.close()

        # The district inspector's wards × criteria matrix, the same menu one level up.
        desktop = browser.new_context(**DESKTOP)
        page = desktop.new_page()
        log_in(page, server.url, "kiemtra.longbien")
        page.goto(server.url + EVALUATION)
        page.wait_for_url("**/evaluation/matrix/*/")
        page.screenshot(path=OUT / "matrix.png")
        desktop.close()

        # Phone: the same plan, scrolled to the filters; below them each row is a card.
        phone = browser.new_context(**PHONE)
        page = phone.new_page()
        log_in(page, server.url, "dong.giangbien")
        page.goto(server.url + PLAN)
        page.locator("form.filters").evaluate("el => el.scrollIntoView({block: 'start'})")
        page.screenshot(path=OUT / "plan-phone.png")
        phone.close()
    for name in (
        "plan-desktop.png",
        "plan-phone.png",
        "catalog.png",
        "scorecard.png",
        "matrix.png",
    ):
        print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
