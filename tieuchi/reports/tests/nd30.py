"""Shared by the tests of every document kind: generate one for the demo and check NĐ 30."""

from __future__ import annotations

import re

from tieuchi.core.nd30.docx_readback import ReadBack, read_docx
from tieuchi.core.nd30.docx_render import MARGINS_MM, MOTTO, NATIONAL_TITLE
from tieuchi.orgs.models import AdminUnit
from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.request import ReportRequest, resolve_request

DEMO_WARD = "00121"  # Giang Biên


def demo_ward() -> AdminUnit:
    return AdminUnit.objects.select_related("parent").get(official_code=DEMO_WARD)


def render(
    slug: str, *, unit=None, round=None, as_of=None, overrides=None
) -> tuple[ReportRequest, ReadBack]:
    """The document as `tieuchi render_report` writes it, read back with python-docx."""
    request = resolve_request(
        all_kinds()[slug], unit or demo_ward(), None, round=round, as_of=as_of, overrides=overrides
    )
    data, _name = generate(request)
    return request, read_docx(data)


def date_line(place: str, day) -> str:
    """Written independently of the renderer: leading zeros for days < 10 and months 1–2."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def assert_nd30_layout(back: ReadBack, *, symbol: str, place: str, day) -> None:
    """A4, margins, Times New Roman, national title and motto, number, date, "Nơi nhận",
    repeated table headers and page numbers (not on page 1)."""
    first = back.sections[0]
    assert {(first.width_mm, first.height_mm)} <= {(210, 297), (297, 210)}
    assert first.margins_mm == MARGINS_MM
    assert back.fonts == {"Times New Roman"}
    header = back.tables[0].rows
    assert header[0][1].split("\n") == [NATIONAL_TITLE, MOTTO]
    assert re.fullmatch(rf"Số: (\d{{2,}}| {{5}})/{re.escape(symbol)}", header[1][0]), header[1][0]
    assert header[1][1] == date_line(place, day)
    assert "Nơi nhận:" in back.bold_italic_12
    body_tables = [
        table
        for table in back.tables[1:]
        if len(table.rows) > 1 and not table.rows[0][0].startswith("Nơi nhận")
    ]
    assert body_tables and all(table.header_repeats for table in body_tables)
    assert back.has_page_numbers and first.first_page_different
