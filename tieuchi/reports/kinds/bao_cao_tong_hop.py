"""Báo cáo tổng hợp kết quả xây dựng phường đạt chuẩn đô thị văn minh, issued by a district for
its wards: the wards × criteria table, the same table as a heat map, the ranking, and which wards
may be proposed for recognition and which not yet.

Every figure is the district matrix's (`tieuchi.evaluation.selection.matrix_for`, the query
behind the matrix page and its .xlsx), read as of the document's day in the user's scope, so the
document cannot disagree with the page.
"""

from __future__ import annotations

from tieuchi.catalog.services import latest_catalog
from tieuchi.core.nd30.document import Heading, Image, OfficialDocument, Paragraph, Table
from tieuchi.core.nd30.names import running_name
from tieuchi.evaluation.models import Verdict
from tieuchi.evaluation.queries_matrix import Matrix, MatrixRow, newest_child_run
from tieuchi.evaluation.selection import matrix_for
from tieuchi.reports import charts
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest
from tieuchi.reports.results_text import date_text

CATALOG_KEY = "qd04-2022"
TEXT_WIDTH_MM = 165.0  # A4 portrait between the NĐ 30 margins
RANK_HEADERS = ("Hạng", "Phường", "Số tiêu chí đạt", "Kết quả chung", "Tính đến ngày")
RANK_WIDTHS = (18.0, 52.0, 30.0, 35.0, 30.0)
# Short words inside the heat map's cells (the figure is narrow); the table says the same.
HEAT_LABELS = {Verdict.MET: "Đạt", Verdict.NOT_MET: "Chưa đạt", Verdict.NO_DATA: "Thiếu"}


class _CommandLine:
    """`tieuchi render_report` acts as the system: every ward of the district."""

    is_authenticated = True
    is_superuser = True
    pk = None


def build(request: ReportRequest) -> OfficialDocument:
    district = request.unit
    place_name = running_name(district)
    user = request.user if request.user is not None else _CommandLine()
    catalog = latest_catalog(CATALOG_KEY)
    # The newest results up to the document's day; wards abolished since (the 2025 reform)
    # are still listed, as on the day of their last result.
    newest = newest_child_run(user, district, catalog)
    day = min(request.as_of, newest.as_of) if newest else request.as_of
    table = matrix_for(user, district, catalog, day)
    if table is None or not any(row.run for row in table.rows):
        raise ReportInputError(
            f"Chưa có kết quả đánh giá nào của các phường thuộc {place_name} đến ngày "
            f"{date_text(request.as_of)}: hãy tính kết quả trên trang phiếu đánh giá trước."
        )
    blocks = [
        Paragraph(
            f"Căn cứ {table.catalog.name} ({table.catalog.legal_document.number}), "
            f"UBND {place_name} báo cáo tổng hợp kết quả xây dựng phường đạt chuẩn đô thị văn "
            f"minh của {len(table.rows)} phường trên địa bàn (kết quả đánh giá mới nhất đến "
            f"ngày {date_text(table.as_of)}) như sau:"
        ),
        Heading("I. Kết quả chung"),
        Paragraph(_summary(table)),
        Heading("II. Kết quả từng tiêu chí của các phường"),
        criteria_table(table),
        Paragraph(_legend(table), italic=True, first_line_indent=False),
        heat_map_image(table),
        Heading("III. Xếp hạng các phường"),
        ranking_table(table),
        Heading("IV. Phường đủ điều kiện đề nghị công nhận"),
        *_recognisable(table),
        Heading("V. Phường chưa đủ điều kiện"),
        *_not_yet(table),
        Paragraph(
            f"Trên đây là báo cáo tổng hợp kết quả xây dựng phường đạt chuẩn đô thị văn minh "
            f"của UBND {place_name}./."
        ),
    ]
    return request.header.document(
        symbol=KIND.symbol,
        kind_title="BÁO CÁO",
        summary="Tổng hợp kết quả xây dựng phường đạt chuẩn đô thị văn minh",
        blocks=tuple(blocks),
        file_name=f"bao-cao-tong-hop-{district.official_code}-{table.as_of.isoformat()}.docx",
    )


def _ward(row: MatrixRow) -> str:
    """ "Phường Giang Biên" at the start of a line."""
    name = running_name(row.unit)
    return name[:1].upper() + name[1:]


def recognisable(row: MatrixRow) -> bool:
    """The ward's stored overall verdict is "Đạt": every criterion and condition met."""
    return row.run is not None and row.run.verdict == Verdict.MET


def _summary(table: Matrix) -> str:
    evaluated = [row for row in table.rows if row.run]
    ready = [row for row in evaluated if recognisable(row)]
    text = (
        f"Có {len(evaluated)}/{len(table.rows)} phường đã có kết quả đánh giá; "
        f"{len(ready)} phường đạt đủ các tiêu chí, đủ điều kiện đề nghị công nhận; "
        f"{len(evaluated) - len(ready)} phường chưa đủ điều kiện"
    )
    missing = len(table.rows) - len(evaluated)
    text += f"; {missing} phường chưa có kết quả." if missing else "."
    met = ", ".join(f"tiêu chí {node.code}: {count}" for node, count in table.totals)
    return f"{text} Số phường đạt từng tiêu chí: {met}."


def criteria_table(table: Matrix) -> Table:
    """TT, ward, one column per criterion ("Đạt 5/5"), criteria met."""
    columns = len(table.columns)
    criterion_mm = (TEXT_WIDTH_MM - 9 - 30 - 16) / max(columns, 1)
    rows = []
    for number, row in enumerate(table.rows, start=1):
        cells = [
            f"{cell.verdict.short}\n{cell.met_count}/{cell.total_count}" if cell else "—"
            for _node, cell in row.cells
        ]
        met = f"{row.met_count}/{columns}" if row.run else "Chưa có kết quả"
        rows.append((str(number), row.unit.name, *cells, met))
    return Table(
        headers=("TT", "Phường", *(node.code for node in table.columns), "Số tiêu chí đạt"),
        rows=tuple(rows),
        widths_mm=(9.0, 30.0, *(criterion_mm,) * columns, 16.0),
        font_size_pt=11,
        column_align=("center", "left", *("center",) * columns, "center"),
    )


def _legend(table: Matrix) -> str:
    names = "; ".join(f"{node.code}. {node.short_name or node.name}" for node in table.columns)
    return f"Tiêu chí: {names}. Mỗi ô ghi kết quả và số nội dung đạt/tổng số nội dung."


def heat_map_image(table: Matrix) -> Image:
    verdicts = {
        (row.unit.name, node.code): cell.verdict.code
        for row in table.rows
        for node, cell in row.cells
        if cell is not None
    }
    png = charts.heat_map(
        [row.unit.name for row in table.rows],
        [node.code for node in table.columns],
        verdicts,
        verdict_labels={str(code): label for code, label in HEAT_LABELS.items()},
    )
    return Image(
        png=png,
        width_mm=160,
        caption="Hình 1. Kết quả từng tiêu chí của các phường (hàng: phường; cột: tiêu chí)",
    )


def ranking_table(table: Matrix) -> Table:
    rows = tuple(
        (
            str(row.rank) if row.run else "",
            row.unit.name,
            f"{row.met_count}/{len(table.columns)}" if row.run else "",
            _overall(row),
            date_text(row.run.as_of) if row.run else "",
        )
        for row in table.ranked()
    )
    return Table(
        headers=RANK_HEADERS,
        rows=rows,
        widths_mm=RANK_WIDTHS,
        column_align=("center", "left", "center", "center", "center"),
    )


def _overall(row: MatrixRow) -> str:
    if row.run is None:
        return "Chưa có kết quả"
    return str(Verdict(row.run.verdict).label)


def _recognisable(table: Matrix) -> list[Paragraph]:
    ready = [row for row in table.ranked() if recognisable(row)]
    if not ready:
        return [Paragraph("Chưa có phường nào đạt đủ các tiêu chí.")]
    return [
        Paragraph(f"- {_ward(row)}: đạt {row.met_count}/{len(table.columns)} tiêu chí.")
        for row in ready
    ]


def _not_yet(table: Matrix) -> list[Paragraph]:
    lines = []
    for row in table.ranked():
        if recognisable(row):
            continue
        if row.run is None:
            lines.append(Paragraph(f"- {_ward(row)}: chưa có kết quả đánh giá."))
            continue
        missing = [
            (node.code, cell.verdict.code if cell else Verdict.NO_DATA)
            for node, cell in row.cells
            if cell is None or cell.verdict.code != Verdict.MET
        ]
        parts = [f"đạt {row.met_count}/{len(table.columns)} tiêu chí"]
        not_met = [code for code, verdict in missing if verdict == Verdict.NOT_MET]
        no_data = [code for code, verdict in missing if verdict != Verdict.NOT_MET]
        if not_met:
            parts.append(f"chưa đạt tiêu chí {', '.join(not_met)}")
        if no_data:
            parts.append(f"chưa đủ dữ liệu tiêu chí {', '.join(no_data)}")
        if not missing:  # every criterion met, but a condition of the catalog is not
            parts.append("chưa đạt điều kiện chung")
        lines.append(Paragraph(f"- {_ward(row)}: {'; '.join(parts)}."))
    return lines or [Paragraph("Không có.")]


KIND = ReportKind(
    slug="bao-cao-tong-hop",
    title="Báo cáo tổng hợp kết quả xây dựng phường đạt chuẩn đô thị văn minh",
    symbol="BC-UBND",
    needs_round=False,
    build=build,
    catalog_key=CATALOG_KEY,
    recipients=("Như trên;", "Thường trực Quận ủy, HĐND {unit};", "UBND các phường;", "Lưu: VT."),
    unit_levels=("district",),
)
