""".xlsx downloads of the scorecard and the district matrix (`<page>/export.xlsx`).

Each download reads through the page's own selection (`tieuchi.evaluation.selection`) with the
same query string, so the file holds exactly the rows the page shows to this user.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from tieuchi.collection.numbers import NumberError, parse_number
from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response
from tieuchi.evaluation.queries_scorecard import scorecard
from tieuchi.evaluation.selection import run_plan, selected_matrix, selected_run, unit_or_404
from tieuchi.evaluation.views_scorecard import SHOWN


def _percent(text: str):
    """The page's "87,5%" as the number 87.5 (None when the page shows no percentage)."""
    try:
        return parse_number(text.rstrip("%")) if text else None
    except NumberError:
        return None


def scorecard_rows(card, show: str) -> list[list]:
    """One row per sub-criterion the page lists with this ?show= filter."""
    rows = []
    for criterion in card.criteria:
        for item in criterion.items:
            if item.verdict.code not in SHOWN[show]:
                continue
            single = item.measures[0] if len(item.measures) == 1 else None
            if single:
                figures = single.fraction
            else:
                figures = "; ".join(
                    f"{m.code}: {m.fraction} {m.percent}".strip()
                    for m in item.measures
                    if m.fraction
                )
            rows.append(
                [
                    f"{criterion.code}. {criterion.name}",
                    item.code,
                    item.name,
                    item.verdict.label,
                    figures,
                    _percent(single.percent) if single else None,
                    item.explanation,
                    item.evidence_count,
                    item.leader if item.row else "",
                    "; ".join(item.implementing),
                ]
            )
    return rows


@login_required
def scorecard_xlsx(request, pk: int):
    unit = unit_or_404(request.user, pk)
    chosen = selected_run(unit, request.GET)
    run = chosen.run
    if run is None:
        raise Http404(_("Đơn vị này chưa có kết quả đánh giá."))
    show = request.GET.get("show", "")
    show = show if show in SHOWN else ""
    card = scorecard(run, run_plan(run, chosen.round))
    subtitle = [
        _("Đơn vị: %(unit)s") % {"unit": unit},
        f"{run.catalog.legal_document.number} – {run.catalog.name}",
        _("Tính đến ngày: %(day)s") % {"day": f"{run.as_of:%d/%m/%Y}"},
        _("Kết quả chung: %(verdict)s, %(met)s/%(total)s tiêu chí đạt")
        % {"verdict": card.verdict.label, "met": card.met_count, "total": card.total_count},
    ]
    if run.round:
        subtitle.insert(1, _("Đợt: %(name)s") % {"name": run.round.name})
    table = TableExport(
        title=_("Kết quả đánh giá"),
        subtitle=subtitle,
        columns=[
            Column(_("Tiêu chí"), width=30),
            Column(_("Mã"), width=8),
            Column(_("Nội dung"), width=45),
            Column(_("Kết quả"), width=14),
            Column(_("Số liệu"), width=18),
            Column(_("Tỷ lệ"), Column.PERCENT, decimals=2),
            Column(_("Giải thích"), width=50),
            Column(_("Minh chứng (tệp)"), Column.INTEGER),
            Column(_("Lãnh đạo phụ trách"), width=20),
            Column(_("Đơn vị thực hiện"), width=30),
        ],
        rows=scorecard_rows(card, show),
        sheet_name=_("Kết quả đánh giá"),
    )
    name = f"ket-qua-danh-gia-{unit.official_code}-{run.as_of.isoformat()}.xlsx"
    return xlsx_response(table.to_bytes(), name)


def matrix_rows(table, rows) -> list[list]:
    result = []
    for row in rows:
        cells = [
            f"{cell.verdict.short} ({cell.met_count}/{cell.total_count})" if cell else "—"
            for _node, cell in row.cells
        ]
        result.append(
            [
                row.rank if row.run else None,
                row.unit.name,
                *cells,
                row.met_count if row.run else None,
                row.run.as_of if row.run else None,
            ]
        )
    return result


@login_required
def matrix_xlsx(request, pk: int):
    table = selected_matrix(request.user, pk, request.GET)
    rows = table.ranked() if request.GET.get("sort") == "rank" else table.rows
    columns = [
        Column(_("Hạng"), Column.INTEGER, width=7),
        Column(_("Đơn vị"), width=26),
        *[
            Column(f"{node.code}. {node.short_name or node.name}", width=16)
            for node in table.columns
        ],
        Column(_("Số tiêu chí đạt"), Column.INTEGER),
        Column(_("Tính đến ngày"), Column.DATE),
    ]
    export = TableExport(
        title=_("Kết quả đánh giá các đơn vị thuộc %(name)s") % {"name": table.parent},
        subtitle=[
            f"{table.catalog.legal_document.number} – {table.catalog.name}",
            _("Kết quả mới nhất tính đến ngày %(day)s") % {"day": f"{table.as_of:%d/%m/%Y}"},
        ],
        columns=columns,
        rows=matrix_rows(table, rows),
        sheet_name=_("Ma trận"),
    )
    name = f"ma-tran-{table.parent.official_code}-{table.as_of.isoformat()}.xlsx"
    return xlsx_response(export.to_bytes(), name)
