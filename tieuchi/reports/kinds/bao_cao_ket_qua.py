"""Báo cáo kết quả xây dựng phường đạt chuẩn đô thị văn minh, for one evaluation round.

Summary, the 9 criteria with their figures (k/n sub-criteria met), every sub-criterion not met
or without data with its figures, the reason, and the leader and unit the plan put in charge,
then the next steps taken from the plan's solutions.
"""

from __future__ import annotations

from tieuchi.core.nd30.document import Heading, OfficialDocument, Paragraph, Table
from tieuchi.core.nd30.names import running_name
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import (
    count_text,
    date_text,
    implementing_text,
    item_figures,
    leader_text,
    open_items,
    summary_sentence,
)
from tieuchi.reports.round_chart import rounds_image

CRITERIA_HEADERS = ("TT", "Tiêu chí", "Số nội dung đạt", "Kết quả")
CRITERIA_WIDTHS = (12.0, 93.0, 30.0, 30.0)
OPEN_HEADERS = (
    "Nội dung",
    "Kết quả",
    "Số liệu",
    "Nguyên nhân",
    "Lãnh đạo phụ trách",
    "Đơn vị thực hiện",
)
OPEN_WIDTHS = (38.0, 18.0, 24.0, 40.0, 22.0, 23.0)


def build(request: ReportRequest) -> OfficialDocument:
    card, unit = request.scorecard, request.unit
    if card is None:
        raise ReportInputError(
            f"Chưa có kết quả đánh giá của {running_name(unit)}"
            + (f" cho {request.round.name}" if request.round else "")
            + ": hãy tính kết quả trên trang phiếu đánh giá trước."
        )
    round_name = request.round.name if request.round else ""
    year = card.run.as_of.year
    place_name = running_name(unit)
    header = request.header
    blocks = [
        Paragraph(_opening(request, place_name, round_name)),
        Heading("I. Kết quả chung"),
        Paragraph(summary_sentence(card, place_name[:1].upper() + place_name[1:])),
        Paragraph(f"Kết luận: {_sentence(card.explanation or card.verdict.label)}"),
        *(
            Paragraph(f"- {name}: {_sentence(text or verdict.label)}")
            for name, verdict, text in card.conditions
        ),
        Heading("II. Kết quả theo từng tiêu chí"),
        Table(
            headers=CRITERIA_HEADERS,
            rows=tuple(
                (c.code, c.name, count_text(c.met_count, c.total_count), c.verdict.label)
                for c in card.criteria
            ),
            widths_mm=CRITERIA_WIDTHS,
            column_align=("center", "left", "center", "center"),
        ),
        *rounds_image(request, card),
        Heading("III. Những nội dung chưa đạt, chưa đủ dữ liệu và nguyên nhân"),
    ]
    pending = open_items(card)
    if pending:
        blocks.append(
            Table(
                headers=OPEN_HEADERS,
                rows=tuple(
                    (
                        f"{item.code}. {item.name}",
                        item.verdict.label,
                        item_figures(item),
                        item.explanation,
                        leader_text(item),
                        implementing_text(item),
                    )
                    for _criterion, item in pending
                ),
                widths_mm=OPEN_WIDTHS,
                font_size_pt=11,
            )
        )
    else:
        blocks.append(Paragraph("Tất cả các nội dung đều đạt."))
    blocks += _next_steps(request, pending)
    blocks.append(
        Paragraph(
            f"Trên đây là báo cáo kết quả xây dựng “phường đạt chuẩn đô thị văn minh” "
            f"năm {year}{' (' + round_name.lower() + ')' if round_name else ''} của "
            f"Ủy ban nhân dân {place_name}./."
        )
    )
    return header.document(
        symbol=KIND.symbol,
        kind_title="BÁO CÁO",
        summary=(
            f"Kết quả xây dựng “phường đạt chuẩn đô thị văn minh” năm {year}"
            + (f" ({round_name})" if round_name else "")
        ),
        blocks=tuple(blocks),
        file_name=f"bao-cao-ket-qua-{unit.official_code}-{card.run.as_of.isoformat()}.docx",
    )


def _sentence(text: str) -> str:
    """The stored explanations have no final full stop; the report's sentences need one."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _opening(request: ReportRequest, place_name: str, round_name: str) -> str:
    plan = request.plan
    basis = ""
    if plan is not None:
        document = plan.legal_document
        basis = (
            f"Thực hiện Kế hoạch số {document.number} ngày {date_text(document.issued_on)} "
            f"của {document.issuer} về {plan.name[:1].lower() + plan.name[1:]}, "
        )
    when = f"{round_name.lower()} " if round_name else ""
    committee = f"Ủy ban nhân dân {place_name}"
    return (
        f"{basis}{committee if basis else committee[:1].upper() + committee[1:]} báo cáo kết "
        f"quả {when}(số liệu tính đến ngày {date_text(request.scorecard.run.as_of)}) như sau:"
    )


def _next_steps(request: ReportRequest, pending) -> list:
    """What the plan says each open sub-criterion needs, and the next round if there is one."""
    blocks: list = [Heading("IV. Nhiệm vụ, giải pháp thời gian tới")]
    for _criterion, item in pending:
        row = item.row
        if row is None or not row.solution.strip():
            continue
        owner = "; ".join(
            part
            for part in (
                f"{leader_text(item)} phụ trách" if leader_text(item) else "",
                f"{implementing_text(item)} thực hiện" if implementing_text(item) else "",
                f"thời hạn: {row.deadline_text}" if row.deadline_text else "",
            )
            if part
        )
        lines = (line.strip().lstrip("-").strip() for line in row.solution.splitlines())
        solution = "; ".join(line.rstrip(".;") for line in lines if line)
        blocks.append(
            Paragraph(f"- Nội dung {item.code}: {solution}" + (f" ({owner})." if owner else "."))
        )
    upcoming = _next_round(request)
    if upcoming is not None:
        blocks.append(
            Paragraph(
                f"- Hoàn thiện số liệu, hồ sơ minh chứng các nội dung trên trước "
                f"{upcoming.name[:1].lower() + upcoming.name[1:]}."
            )
        )
    if len(blocks) == 1:
        blocks.append(Paragraph("- Duy trì kết quả các tiêu chí đã đạt."))
    return blocks


def _next_round(request: ReportRequest):
    if request.round is None:
        return None
    later = request.round.plan.rounds.filter(scheduled_month__gt=request.round.scheduled_month)
    return later.order_by("scheduled_month").first()


KIND = ReportKind(
    slug="bao-cao-ket-qua",
    title="Báo cáo kết quả xây dựng phường đạt chuẩn đô thị văn minh",
    symbol="BC-UBND",
    needs_round=True,
    build=build,
)
