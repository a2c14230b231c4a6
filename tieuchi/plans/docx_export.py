"""A plan as a Word document in the Nghị định 30/2020 layout (domain.md §5), appendix table included."""

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tieuchi.plans.exports import leader_label
from tieuchi.plans.models import Plan, PlanRowParty
from tieuchi.plans.queries import plan_rows

FONT = "Times New Roman"
HEADERS = [
    ("Tên tiêu chí", 30),
    ("Nội dung tiêu chí", 55),
    ("Giải pháp thực hiện", 62),
    ("Lãnh đạo phụ trách", 25),
    ("Đơn vị/cá nhân thực hiện", 30),
    ("Đơn vị/cá nhân phối hợp", 30),
    ("Thời gian hoàn thành", 25),
]
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _paragraph(container, text="", *, bold=False, italic=False, size=13, align=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _cell(cell, text, *, bold=False, size=12, align=None):
    lines = (text or "").split("\n")
    paragraph = cell.paragraphs[0]
    for number, line in enumerate(lines):
        if number:
            paragraph = cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run(line)
        run.bold, run.font.size = bold, Pt(size)


def _page_number(section) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _issuer(plan: Plan) -> tuple[str, str]:
    parent = plan.unit.parent
    upper = f"UBND {parent}".upper() if parent else ""
    return upper, f"ỦY BAN NHÂN DÂN {plan.unit}".upper()


def _date_line(plan: Plan) -> str:
    place = plan.unit.name
    issued = plan.legal_document.issued_on
    if issued is None:
        return f"{place}, ngày … tháng … năm …"
    return f"{place}, ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}"


def plan_docx(plan: Plan) -> bytes:
    """The plan and its appendix table: A4, Times New Roman 13, header block, table, signature."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number(section)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = header.rows[0].cells
    upper, issuer = _issuer(plan)
    _cell(left, upper, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(left, issuer, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(left, f"Số: {plan.legal_document.number}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell(right, MOTTO[0], bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, MOTTO[1], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, _date_line(plan), italic=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)

    _paragraph(document)
    _paragraph(document, "KẾ HOẠCH", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, plan.name, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    if plan.parent_document:
        _paragraph(
            document,
            f"Thực hiện Kế hoạch số {plan.parent_document.number} của {plan.parent_document.issuer}.",
        )

    _paragraph(document).add_run().add_break(WD_BREAK.PAGE)
    _paragraph(
        document,
        "TIÊU CHÍ PHƯỜNG ĐẠT CHUẨN ĐÔ THỊ VĂN MINH",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    issued = plan.legal_document.issued_on
    _paragraph(
        document,
        f"(Kèm theo Kế hoạch số {plan.legal_document.number}"
        + (f" ngày {issued:%d/%m/%Y}" if issued else "")
        + f" của {plan.legal_document.issuer})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    rows = list(plan_rows(plan))
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, (title, width) in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.width = Mm(width)
        _cell(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    group_cell, group_code = None, None
    for row in rows:
        cells = table.add_row().cells
        group = row.node.parent if row.node and row.node.parent else None
        code = group.code if group else ""
        if group_cell is not None and code == group_code:
            group_cell.merge(cells[0])
        else:
            _cell(cells[0], f"{code}. {group.name}" if group else "", bold=True)
            group_cell, group_code = cells[0], code
        parties = {PlanRowParty.Role.IMPLEMENTING: [], PlanRowParty.Role.COORDINATING: []}
        for party in row.parties.all():
            parties[party.role].append(party.text)
        item = row.criterion_code.split(".", 1)[-1]
        values = [
            f"{item}. {row.criterion_text}",
            row.solution,
            leader_label(row),
            "; ".join(parties[PlanRowParty.Role.IMPLEMENTING]),
            "; ".join(parties[PlanRowParty.Role.COORDINATING]),
            row.deadline_text,
        ]
        for cell, value in zip(cells[1:], values, strict=True):
            _cell(cell, value)

    _paragraph(document)
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    _cell(left, "Nơi nhận:", bold=True, size=12)
    for line in (
        "- UBND quận (để b/c);",
        "- TT Đảng ủy, HĐND phường (để b/c);",
        "- UBMTTQ và các đoàn thể phường;",
        "- Các bộ phận, tổ dân phố;",
        "- Lưu: VT.",
    ):
        _paragraph(left, line, size=11)
    _cell(right, "TM. ỦY BAN NHÂN DÂN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(right, "CHỦ TỊCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(3):
        _paragraph(right)
    _paragraph(right, plan.legal_document.signer or "", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
