"""Build ward-plan Word documents in code, laid out like the Giang Biên appendix (Source A).

The rows come from data/plans/giang-bien-2023.yaml (the appendix transcribed row by row) and the
criterion texts from data/catalogs/qd04-2022.yaml, so the document is the real plan rebuilt:
criterion names in a vertically merged first column, "1." numbering inside each criterion,
several lines per cell, one row split over a page break and the table split in two.
"""

from io import BytesIO
from pathlib import Path

import yaml
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[3]
HEADERS = [
    "Tên tiêu chí",
    "Nội dung tiêu chí",
    "Giải pháp thực hiện",
    "Lãnh đạo phụ trách",
    "Đơn vị/ cá nhân thực hiện",
    "Đơn vị/ cá nhân phối hợp",
    "Thời gian hoàn thành",
]
KEYS = ["group", "content", "solution", "leader", "implementing", "coordinating", "deadline"]


def catalog_names() -> tuple[dict[str, str], dict[str, str]]:
    data = yaml.safe_load((ROOT / "data/catalogs/qd04-2022.yaml").read_text(encoding="utf-8"))
    criteria, items = {}, {}
    for node in data["nodes"]:
        criteria[node["code"]] = node["name"]
        for child in node.get("children", []):
            items[child["code"]] = child["name"]
    return criteria, items


def giang_bien_rows() -> list[dict]:
    """One dict per appendix row: the seven cells as written, plus its `code` for assertions."""
    plan = yaml.safe_load((ROOT / "data/plans/giang-bien-2023.yaml").read_text(encoding="utf-8"))
    criteria, items = catalog_names()
    rows = []
    for spec in plan["rows"]:
        code = spec["criterion"]
        group, item = code.split(".")
        # Criterion 2 is numbered "2.1", "2.2"… as some wards do; the others "1.", "2.", …
        number = f"{code} " if group == "2" else f"{item}. "
        solution = spec.get("solution", "")
        # Several lines per cell: list dashes start new paragraphs, as in the original.
        solution = solution.replace(" - ", "\n- ")
        coordinating = spec.get("coordinating", "")
        if group == "3":
            coordinating = coordinating.replace("; ", "\n")
        rows.append(
            {
                "code": code,
                "group": f"{group}. {criteria[group]}",
                "content": number + (spec.get("criterion_text") or items[code]),
                "solution": solution,
                "leader": spec.get("leader", ""),
                "implementing": spec.get("implementing", ""),
                "coordinating": coordinating,
                "deadline": spec.get("deadline", ""),
            }
        )
    return rows


def _write(cell, text: str) -> None:
    lines = text.split("\n") if text else [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _table(document, rows: list[dict], *, header: bool, split_code: str | None):
    table = document.add_table(rows=0, cols=7)
    table.style = "Table Grid"
    if header:
        for cell, text in zip(table.add_row().cells, HEADERS, strict=True):
            _write(cell, text)
        for cell, text in zip(table.add_row().cells, range(1, 8), strict=True):
            _write(cell, f"({text})")
    group_start, group_text = None, None
    for row in rows:
        parts = [row]
        if row.get("code") == split_code:
            # The row runs over a page break: its texts continue in a second table row.
            content, solution = row["content"], row["solution"]
            cut_c, cut_s = len(content) // 2, len(solution) // 2
            cut_c = content.rfind(" ", 0, cut_c)
            cut_s = solution.rfind(" ", 0, cut_s)
            first = {**row, "content": content[:cut_c], "solution": solution[:cut_s]}
            second = {k: "" for k in KEYS} | {
                "group": row["group"],
                "content": content[cut_c + 1 :],
                "solution": solution[cut_s + 1 :],
            }
            parts = [first, second]
        for part in parts:
            cells = table.add_row().cells
            for key, cell in zip(KEYS[1:], cells[1:], strict=True):
                _write(cell, part[key])
            if part["group"] != group_text:
                _write(cells[0], part["group"])
                group_start, group_text = cells[0], part["group"]
            else:
                group_start.merge(cells[0])  # vertically merged criterion cell
    return table


def build_plan_docx(
    rows: list[dict] | None = None,
    *,
    split_after: int | None = 23,
    split_row: str | None = "1.5",
    with_table: bool = True,
) -> bytes:
    """The Giang Biên plan as a .docx; `rows` defaults to the 52 appendix rows."""
    rows = giang_bien_rows() if rows is None else rows
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(297), Mm(210)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for text in (
        "UBND QUẬN LONG BIÊN",
        "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 68/KH-UBND",
        "Giang Biên, ngày 08 tháng 02 năm 2023",
        "KẾ HOẠCH",
        "Xây dựng “phường đạt chuẩn đô thị văn minh” năm 2023 trên địa bàn phường Giang Biên",
    ):
        document.add_paragraph(text)
    if not with_table:
        document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
        document.add_paragraph("Phụ lục sẽ được gửi sau.")
        buffer = BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    document.add_paragraph("TIÊU CHÍ PHƯỜNG ĐẠT CHUẨN ĐÔ THỊ VĂN MINH")
    document.add_paragraph("(Kèm theo Kế hoạch số 68/KH-UBND ngày 08/02/2023 của UBND phường)")
    first, second = (rows, []) if split_after is None else (rows[:split_after], rows[split_after:])
    _table(document, first, header=True, split_code=split_row)
    if second:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _table(document, second, header=False, split_code=split_row)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
