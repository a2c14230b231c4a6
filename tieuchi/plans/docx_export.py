"""A ward plan (Kế hoạch) with its appendix table, as Source A (KH 68/KH-UBND) lays it out.

The content is built here as an `OfficialDocument` and laid out by the one NĐ 30 renderer
(`tieuchi.core.nd30.docx_render`), so the plan download and every report share the header,
motto, number, date, margins, fonts, signature block and page numbers. The `ke-hoach` report
kind builds the same body and appendix with the header the user typed (number, date, signer).
"""

from __future__ import annotations

import datetime as dt
import re

from tieuchi.core.nd30.document import Block, Heading, OfficialDocument, Paragraph, Signer, Table
from tieuchi.core.nd30.docx_render import render_docx
from tieuchi.core.nd30.names import issuer_lines, running_name
from tieuchi.plans.exports import leader_label
from tieuchi.plans.models import Plan, PlanRowParty
from tieuchi.plans.queries import plan_rows

SYMBOL = "KH-UBND"
APPENDIX_HEADERS = (
    "Tên tiêu chí",
    "Nội dung tiêu chí",
    "Giải pháp thực hiện",
    "Lãnh đạo phụ trách",
    "Đơn vị/ cá nhân thực hiện",
    "Đơn vị/ cá nhân phối hợp",
    "Thời gian hoàn thành",
)
APPENDIX_WIDTHS = (30.0, 55.0, 62.0, 25.0, 30.0, 30.0, 20.0)  # 252 mm: A4 landscape text width
# "Nơi nhận" of Source A (KH 68/KH-UBND Giang Biên).
RECIPIENTS = (
    "TT Đảng ủy, UBND;",
    "Các bộ phận liên quan;",
    "UBMTTQ và các đoàn thể;",
    "Các Tổ dân phố;",
    "Lưu: VT.",
)


def plan_docx(plan: Plan) -> bytes:
    return render_docx(plan_document(plan))


def plan_document(plan: Plan) -> OfficialDocument:
    """The plan as issued: its own number ("68/KH-UBND"), date and signer."""
    legal = plan.legal_document
    number, _slash, symbol = legal.number.partition("/")
    parent_body, issuing_body = issuer_lines(plan.unit)
    rows = list(plan_rows(plan))
    return OfficialDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        number=number,
        symbol=symbol or SYMBOL,
        place=plan.unit.name,
        date=legal.issued_on,
        kind_title="KẾ HOẠCH",
        summary=plan.name,
        blocks=plan_body(plan, rows),
        addressees=(),
        recipients=RECIPIENTS,
        signer=Signer(authority="TM. ỦY BAN NHÂN DÂN", position="CHỦ TỊCH", name=legal.signer),
        file_name=f"{plan.key}.docx",
        appendix=plan_appendix(plan, rows, number=legal.number, issued=legal.issued_on),
        appendix_landscape=True,
    )


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def plan_body(plan: Plan, rows) -> tuple[Block, ...]:
    """Basis, purpose, content, who leads what and the inspection rounds, from the stored plan."""
    place_name = running_name(plan.unit)
    blocks: list[Block] = []
    basis = plan.parent_document
    if basis is not None:
        blocks.append(
            Paragraph(
                f"Thực hiện Kế hoạch số {basis.number} ngày {_day(basis.issued_on)} của "
                f"{basis.issuer} về {_lower_first(basis.title)}, UBND {place_name} "
                f"xây dựng kế hoạch {_lower_first(plan.name)} cụ thể như sau:"
            )
        )
    criteria = list(dict.fromkeys(row.criterion_code.split(".")[0] for row in rows))
    blocks += [
        Heading("I. Mục đích - yêu cầu"),
        Paragraph(
            f"Xây dựng {place_name} đạt chuẩn đô thị văn minh theo các tiêu chí của "
            f"{plan.catalog.name}; phân công rõ lãnh đạo phụ trách, đơn vị thực hiện, phối hợp "
            f"và thời gian hoàn thành từng nội dung."
        ),
        Paragraph(
            "Việc xây dựng phải được thực hiện thường xuyên, liên tục, đồng bộ, gắn với công tác "
            "kiểm tra, giám sát, đánh giá, sơ kết, tổng kết."
        ),
        Heading("II. Nội dung thực hiện"),
        Paragraph(
            f"Thực hiện {len(rows)} nội dung của {len(criteria)} tiêu chí với giải pháp, lãnh "
            f"đạo phụ trách, đơn vị thực hiện, phối hợp và thời gian hoàn thành theo Phụ lục "
            f"kèm theo Kế hoạch này."
        ),
        Heading("III. Tổ chức thực hiện"),
    ]
    for number, (leader, codes) in enumerate(_by_leader(rows).items(), start=1):
        blocks.append(Paragraph(f"{number}. {leader}: phụ trách các nội dung {', '.join(codes)}."))
    rounds = list(plan.rounds.order_by("scheduled_month"))
    if rounds:
        blocks.append(Heading("IV. Tiến độ thực hiện"))
        for evaluation_round in rounds:
            month = evaluation_round.scheduled_month.strftime("%m/%Y")
            by = f" ({evaluation_round.evaluator})" if evaluation_round.evaluator else ""
            blocks.append(
                Paragraph(
                    f"- Tháng {month}: kiểm tra, đánh giá {evaluation_round.name.lower()}{by}."
                )
            )
    blocks.append(
        Paragraph(
            f"Trên đây là Kế hoạch {_lower_first(plan.name)}. Đề nghị UBMTTQ, "
            f"các đoàn thể chính trị - xã hội, các đơn vị, bộ phận liên quan, các tổ dân phố "
            f"nghiêm túc thực hiện./."
        )
    )
    return tuple(blocks)


def plan_appendix(plan: Plan, rows, *, number: str, issued: dt.date | None) -> tuple[Block, ...]:
    """The appendix: its title, "(Kèm theo Kế hoạch số …)" and the plan table, one line per row
    with the criterion's name merged down beside its sub-criteria, as in Source A."""
    title = plan.catalog.name.upper() if plan.catalog_id else "PHỤ LỤC"
    issued_text = f" ngày {_day(issued)}" if issued else ""
    return (
        Paragraph("TIÊU CHÍ " + _without_prefix(title), bold=True, align="center"),
        Paragraph(
            f"(Kèm theo Kế hoạch số {number}{issued_text} của UBND {running_name(plan.unit)})",
            italic=True,
            align="center",
            first_line_indent=False,
        ),
        Table(
            headers=APPENDIX_HEADERS,
            rows=tuple(_appendix_rows(rows)),
            widths_mm=APPENDIX_WIDTHS,
            font_size_pt=11,
            merge_down=(0,),
        ),
    )


def _without_prefix(title: str) -> str:
    """ "TIÊU CHÍ PHƯỜNG, THỊ TRẤN ĐẠT CHUẨN ... (PHỤ LỤC I)" -> "PHƯỜNG, THỊ TRẤN ĐẠT CHUẨN ...":
    the appendix line starts with TIÊU CHÍ itself, as in Source A."""
    title = re.sub(r"\s*\([^)]*\)$", "", title)
    for prefix in ("BỘ TIÊU CHÍ ", "TIÊU CHÍ "):
        if title.startswith(prefix):
            return title.removeprefix(prefix)
    return title


def _by_leader(rows) -> dict[str, list[str]]:
    leaders: dict[str, list[str]] = {}
    for row in rows:
        leaders.setdefault(leader_label(row) or "Chưa phân công", []).append(row.criterion_code)
    return leaders


def _appendix_rows(rows):
    """The criterion name on its first row only; the renderer merges the empty cells below."""
    shown = None
    for row in rows:
        group = row.node.parent if row.node and row.node.parent else None
        code = group.code if group else row.criterion_code.split(".")[0]
        parties = {PlanRowParty.Role.IMPLEMENTING: [], PlanRowParty.Role.COORDINATING: []}
        for party in row.parties.all():
            parties.setdefault(party.role, []).append(party.text)
        item = row.criterion_code.split(".", 1)[-1]
        yield (
            (f"{code}. {group.name}" if group else code) if code != shown else "",
            f"{item}. {row.criterion_text}",
            row.solution,
            leader_label(row),
            "; ".join(parties[PlanRowParty.Role.IMPLEMENTING]),
            "; ".join(parties[PlanRowParty.Role.COORDINATING]),
            row.deadline_text,
        )
        shown = code
