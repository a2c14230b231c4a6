"""Shared checks for the document kinds: generate a kind through the real request and renderer,
read the .docx back, and check the Nghị định 30/2020 layout a reader would see."""

from __future__ import annotations

import datetime as dt

from tieuchi.core.nd30.docx_readback import ReadBack, read_docx
from tieuchi.orgs.models import AdminUnit
from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.request import ReportRequest, resolve_request

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def render(slug: str, code: str, *, round=None, as_of=None, **overrides):
    """(read-back document, the request it was built from, the .docx bytes)."""
    unit = AdminUnit.objects.get(official_code=code)
    request = resolve_request(
        all_kinds()[slug], unit, round=round, as_of=as_of, overrides=overrides
    )
    data, _name = generate(request)
    return read_docx(data), request, data


def place_date(place: str, day: dt.date) -> str:
    """NĐ 30 ô 4, written out independently of the renderer: day < 10 and months 1–2 padded."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def assert_official_layout(doc: ReadBack, request: ReportRequest, number_line: str) -> None:
    page = doc.page
    assert (page.width_mm, page.height_mm) == (210, 297)
    margins = page.margins_mm
    assert 20 <= margins["top"] <= 25 and 20 <= margins["bottom"] <= 25
    assert 30 <= margins["left"] <= 35 and 15 <= margins["right"] <= 20
    assert doc.fonts == {"Times New Roman"}
    assert NATIONAL_TITLE in doc.text and MOTTO in doc.text
    assert number_line in doc.text
    assert place_date(request.header.place, request.header.date) in doc.text
    assert "Nơi nhận:" in doc.bold_italic_12
    assert doc.has_page_numbers and page.first_page_different
    for line in request.header.recipients:
        assert line in doc.text


def rows_by_first_cell(table) -> dict[str, list[str]]:
    return {row[0]: row for row in table.rows[1:]}
