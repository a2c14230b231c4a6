"""The named cell styles of the Excel template and the helper that writes a styled cell."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side


def add_styles(workbook: Workbook) -> None:
    thin = Side(style="thin", color="B7BCC4")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top", wrap_text=True)
    number = "[<1000]General;#,##0"  # 87,5 and 1.234 in a Vietnamese Excel; no trailing comma
    styles = [
        NamedStyle("tc_title", font=Font(bold=True, size=13)),
        NamedStyle("tc_note", font=Font(italic=True, color="555555")),
        NamedStyle("tc_help", alignment=top),
        NamedStyle(
            "tc_header",
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="EEF1F4"),
            border=border,
            alignment=Alignment(vertical="center", wrap_text=True),
        ),
        NamedStyle("tc_text", border=border, alignment=top),
        NamedStyle(
            "tc_input_number",
            border=border,
            alignment=Alignment(vertical="top"),
            fill=PatternFill("solid", fgColor="FFF2CC"),
            protection=Protection(locked=False),
            number_format=number,
        ),
        NamedStyle(
            "tc_input_text",
            border=border,
            alignment=top,
            fill=PatternFill("solid", fgColor="FFF2CC"),
            protection=Protection(locked=False),
        ),
        NamedStyle(
            "tc_closed",
            border=border,
            alignment=top,
            fill=PatternFill("solid", fgColor="E7E9ED"),
            number_format=number,
        ),
    ]
    for style in styles:
        workbook.add_named_style(style)


def styled_cell(sheet, value, style: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    cell.style = style
    return cell
