"""The district dashboard's tables as .xlsx: the heat map and the ranking, from the same board
the page shows (`queries_district.district_dashboard`)."""

from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport
from tieuchi.dashboards.queries_district import DistrictDashboard


def _subtitle(board: DistrictDashboard) -> list[str]:
    catalog = board.catalog
    number = catalog.legal_document.number if catalog.legal_document_id else ""
    return [
        _("Đơn vị: %(name)s") % {"name": board.parent},
        _("Bộ tiêu chí: %(number)s %(name)s") % {"number": number, "name": catalog.name},
        _("Kết quả mới nhất tính đến ngày %(day)s") % {"day": f"{board.as_of:%d/%m/%Y}"},
    ]


def _district_column(board: DistrictDashboard) -> list[Column]:
    return [Column(_("Quận, huyện"), width=18)] if board.grouped else []


def _district_name(board: DistrictDashboard, line) -> list[str]:
    if not board.grouped:
        return []
    parent = line.unit.parent if line.unit.parent_id != board.parent.pk else None
    return [parent.name if parent else ""]


def _cell_text(cell) -> str:
    """ "Đạt (5/7)": the verdict in words with the sub-criteria met, as in the page's cell."""
    if cell is None:
        return ""
    return f"{cell.verdict.label} ({cell.met_count}/{cell.total_count})"


def heatmap_table(board: DistrictDashboard) -> TableExport:
    columns = [
        *_district_column(board),
        Column(_("Phường, xã"), width=22),
        *[Column(f"{c.code}. {c.short_name or c.name}", width=18) for c in board.columns],
        Column(_("Số tiêu chí đạt"), Column.INTEGER),
        Column(_("Tính đến ngày"), Column.DATE),
    ]
    rows = (
        [
            *_district_name(board, line),
            line.unit.name,
            *[_cell_text(cell) for _column, cell in line.row.cells],
            line.met_count if line.run else None,
            line.run.as_of if line.run else None,
        ]
        for line in board.lines
    )
    return TableExport(
        title=_("Kết quả theo tiêu chí của các phường, xã"),
        subtitle=_subtitle(board),
        columns=columns,
        rows=rows,
        sheet_name=_("Bảng theo tiêu chí"),
    )


def ranking_table(board: DistrictDashboard) -> TableExport:
    columns = [
        Column(_("Hạng"), Column.INTEGER, width=7),
        *_district_column(board),
        Column(_("Phường, xã"), width=22),
        Column(_("Số tiêu chí đạt"), Column.INTEGER),
        Column(_("Số nội dung đạt"), Column.INTEGER),
        Column(_("Tổng số nội dung"), Column.INTEGER),
        Column(_("Tỷ lệ nội dung đạt"), Column.PERCENT),
        Column(_("Số nội dung chưa đủ dữ liệu"), Column.INTEGER, width=16),
        Column(_("Tính đến ngày"), Column.DATE),
    ]
    rows = (
        [
            line.rank if line.run else None,
            *_district_name(board, line),
            line.unit.name,
            *(
                [
                    line.met_count,
                    line.items_met,
                    line.items_total,
                    line.items_percent,
                    line.items_no_data,
                    line.run.as_of,
                ]
                if line.run
                else [None] * 6
            ),
        ]
        for line in board.ranking()
    )
    return TableExport(
        title=_("Xếp hạng các phường, xã theo kết quả đánh giá"),
        subtitle=_subtitle(board),
        columns=columns,
        rows=rows,
        sheet_name=_("Xếp hạng"),
    )
