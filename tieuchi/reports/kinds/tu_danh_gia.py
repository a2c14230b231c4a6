"""Bảng tự đánh giá: each of the sub-criteria with its requirement (the text of the criteria set),
the result (the stored figures), Đạt / Chưa đạt / Chưa đủ dữ liệu, and the evidence listed."""

from __future__ import annotations

from tieuchi.catalog.models import CatalogNode
from tieuchi.core.nd30.document import Heading, OfficialDocument, Paragraph, Table
from tieuchi.core.nd30.names import running_name
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import (
    count_text,
    date_text,
    evidence_names,
    item_figures,
    stated_sources,
    summary_sentence,
)

HEADERS = ("TT", "Nội dung tiêu chí (yêu cầu)", "Kết quả thực hiện", "Tự đánh giá", "Minh chứng")
WIDTHS = (12.0, 62.0, 38.0, 20.0, 33.0)
NO_EVIDENCE = "Chưa có minh chứng"


def build(request: ReportRequest) -> OfficialDocument:
    card, unit, header = request.scorecard, request.unit, request.header
    if card is None:
        raise ReportInputError(
            f"Chưa có kết quả đánh giá của {running_name(unit)}"
            + (f" cho {request.round.name}" if request.round else "")
            + ": hãy tính kết quả trên trang phiếu đánh giá trước."
        )
    run = card.run
    requirements = dict(
        CatalogNode.objects.filter(
            catalog_id=run.catalog_id, node_type=CatalogNode.NodeType.SUBCRITERION
        ).values_list("code", "name")
    )
    files, sources = evidence_names(run), stated_sources(run)
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    for criterion in card.criteria:
        bold.add(len(rows))
        rows.append(
            (
                criterion.code,
                f"Tiêu chí {criterion.code}. {criterion.name}",
                f"{count_text(criterion.met_count, criterion.total_count)} nội dung đạt",
                criterion.verdict.label,
                "",
            )
        )
        for item in criterion.items:
            evidence = [*files.get(item.code, []), *sources.get(item.code, [])]
            rows.append(
                (
                    item.code,
                    requirements.get(item.code) or item.name,
                    item_figures(item) or item.explanation,
                    item.verdict.label,
                    "\n".join(evidence) or NO_EVIDENCE,
                )
            )
    place_name = running_name(unit)
    year = run.as_of.year
    round_name = request.round.name if request.round else ""
    blocks = (
        Paragraph(
            f"Căn cứ Quyết định số 04/2022/QĐ-TTg ngày 18/02/2022 của Thủ tướng Chính phủ ban "
            f"hành tiêu chí, trình tự, thủ tục xét công nhận “phường đạt chuẩn đô thị văn minh”, "
            f"Ủy ban nhân dân {place_name} tự đánh giá kết quả thực hiện "
            f"{round_name.lower() + ' ' if round_name else ''}(số liệu tính đến ngày "
            f"{date_text(run.as_of)}) như sau:"
        ),
        Heading("I. Kết quả chung"),
        Paragraph(summary_sentence(card, place_name[:1].upper() + place_name[1:])),
        Heading("II. Bảng tự đánh giá các nội dung tiêu chí"),
        Table(
            headers=HEADERS,
            rows=tuple(rows),
            widths_mm=WIDTHS,
            column_align=("center", "justify", "left", "center", "left"),
            bold_rows=frozenset(bold),
            font_size_pt=11,
        ),
        Paragraph(
            f"Ủy ban nhân dân {place_name} kính đề nghị Ủy ban nhân dân "
            f"{running_name(unit.parent) if unit.parent_id else 'cấp trên'} kiểm tra, "
            f"đánh giá./."
        ),
    )
    return header.document(
        symbol=KIND.symbol,
        kind_title="BÁO CÁO",
        summary=(
            f"Tự đánh giá kết quả thực hiện các tiêu chí “phường đạt chuẩn đô thị văn minh” "
            f"năm {year}" + (f" ({round_name})" if round_name else "")
        ),
        blocks=blocks,
        file_name=f"tu-danh-gia-{unit.official_code}-{run.as_of.isoformat()}.docx",
    )


KIND = ReportKind(
    slug="tu-danh-gia",
    title="Bảng tự đánh giá các nội dung tiêu chí",
    symbol="BC-UBND",
    needs_round=True,
    build=build,
)
