"""The ward's plan (Kế hoạch) with its appendix table, laid out as Source A (KH 68/KH-UBND).

The body is written from the stored plan: its basis (the district's plan), what it covers, who
leads which sub-criteria, and the inspection rounds; the appendix is the plan table itself, on
A4 landscape because it has seven columns.
"""

from __future__ import annotations

import re

from tieuchi.plans.exports import leader_label
from tieuchi.plans.models import PlanRowParty
from tieuchi.plans.queries import plan_rows
from tieuchi.reports.document import Heading, OfficialDocument, Paragraph, Table
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest, running_name
from tieuchi.reports.results_text import date_text

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


def header_defaults(unit, plan) -> dict:
    """The plan already has its number and date: "68/KH-UBND", 08/02/2023."""
    if plan is None:
        return {}
    document = plan.legal_document
    return {"number": document.number.split("/")[0], "date": document.issued_on}


def build(request: ReportRequest) -> OfficialDocument:
    plan, header, unit = request.plan, request.header, request.unit
    if plan is None:
        raise ReportInputError(f"{running_name(unit).capitalize()} chưa có kế hoạch nào được nạp.")
    rows = list(plan_rows(plan))
    place_name = running_name(unit)
    number = f"{header.number or '...'}/{KIND.symbol}"
    issued = f" ngày {date_text(header.date)}" if header.date else ""
    appendix_title = plan.catalog.name.upper() if plan.catalog_id else "PHỤ LỤC"
    return header.document(
        symbol=KIND.symbol,
        kind_title="KẾ HOẠCH",
        summary=plan.name,
        blocks=tuple(_body(request, rows, place_name)),
        file_name=f"ke-hoach-{plan.key}.docx",
        appendix=(
            Paragraph("TIÊU CHÍ " + _without_prefix(appendix_title), bold=True, align="center"),
            Paragraph(
                f"(Kèm theo Kế hoạch số {number}{issued} của UBND {place_name})",
                italic=True,
                align="center",
                first_line_indent=False,
            ),
            Table(
                headers=APPENDIX_HEADERS,
                rows=tuple(_appendix_rows(rows)),
                widths_mm=APPENDIX_WIDTHS,
                font_size_pt=11,
            ),
        ),
        appendix_landscape=True,
    )


def _without_prefix(title: str) -> str:
    """ "TIÊU CHÍ PHƯỜNG, THỊ TRẤN ĐẠT CHUẨN ... (PHỤ LỤC I)" -> "PHƯỜNG, THỊ TRẤN ĐẠT CHUẨN ...":
    the appendix line starts with TIÊU CHÍ itself, as in Source A."""
    title = re.sub(r"\s*\([^)]*\)$", "", title)
    for prefix in ("BỘ TIÊU CHÍ ", "TIÊU CHÍ "):
        if title.startswith(prefix):
            return title.removeprefix(prefix)
    return title


def _body(request: ReportRequest, rows, place_name: str) -> list:
    plan = request.plan
    blocks: list = []
    basis = plan.parent_document
    committee = f"UBND {place_name}"
    if basis is not None:
        blocks.append(
            Paragraph(
                f"Thực hiện Kế hoạch số {basis.number} ngày {date_text(basis.issued_on)} của "
                f"{basis.issuer} về {basis.title[:1].lower() + basis.title[1:]}, {committee} "
                f"xây dựng kế hoạch {plan.name[:1].lower() + plan.name[1:]} cụ thể như sau:"
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
            f"Trên đây là Kế hoạch {plan.name[:1].lower() + plan.name[1:]}. Đề nghị UBMTTQ, "
            f"các đoàn thể chính trị - xã hội, các đơn vị, bộ phận liên quan, các tổ dân phố "
            f"nghiêm túc thực hiện./."
        )
    )
    return blocks


def _by_leader(rows) -> dict[str, list[str]]:
    leaders: dict[str, list[str]] = {}
    for row in rows:
        leaders.setdefault(leader_label(row) or "Chưa phân công", []).append(row.criterion_code)
    return leaders


def _appendix_rows(rows):
    """One line per plan row; the criterion name only on its first row, as in the source."""
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


KIND = ReportKind(
    slug="ke-hoach",
    title="Kế hoạch xây dựng phường đạt chuẩn đô thị văn minh (kèm phụ lục)",
    symbol="KH-UBND",
    needs_round=False,
    build=build,
    header_defaults=header_defaults,
)
