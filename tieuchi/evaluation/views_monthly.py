"""Diễn biến theo tháng: the ratio indicators of one unit by month, quarter and year, read from the
aggregate set (catalog, as_of), with a drill-down of one indicator into the direct sub-units."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport, workbook_bytes, xlsx_response
from tieuchi.evaluation.aggregates_read import Monthly, monthly, period_label
from tieuchi.evaluation.queries_scorecard import default_catalog
from tieuchi.evaluation.selection import catalog_or_404, parse_day, unit_or_404
from tieuchi.orgs.scope import is_system_admin


def _table(request, pk: int) -> Monthly:
    unit = unit_or_404(request.user, pk)
    catalog = catalog_or_404(request.GET.get("catalog")) or default_catalog(unit.unit_type)
    if catalog is None:
        raise Http404
    return monthly(
        unit, catalog, parse_day(request.GET.get("as_of")), request.GET.get("measure", "")
    )


@login_required
def unit_monthly(request, pk: int):
    table = _table(request, pk)
    context = {
        "nav": "evaluation",
        "table": table,
        "unit": table.unit,
        "headers": [period_label(period) for period in table.periods],
        "missing": table.as_of is None or table.as_of not in table.sets,
        "asked_day": parse_day(request.GET.get("as_of")) or dt.date.today(),
        "can_recompute": is_system_admin(request.user),
    }
    return render(request, "evaluation/monthly/page.html", context)


def _rows(lines, periods) -> list[list]:
    rows = []
    for line in lines:
        for period, cell in zip(periods, line.cells, strict=True):
            if cell is None:
                continue
            rows.append(
                [
                    line.code,
                    line.name,
                    period_label(period),
                    cell.percent_value,
                    cell.numerator,
                    cell.denominator,
                    cell.reported,
                    cell.expected,
                    cell.verdict.label,
                ]
            )
    return rows


def _columns(first: str) -> list[Column]:
    return [
        Column(_("Mã"), width=12),
        Column(first, width=40),
        Column(_("Kỳ"), width=10),
        Column(_("Tỷ lệ"), Column.PERCENT, decimals=2),
        Column(_("Tử số"), Column.INTEGER),
        Column(_("Mẫu số"), Column.INTEGER),
        Column(_("Đã báo cáo"), Column.INTEGER),
        Column(_("Phải báo cáo"), Column.INTEGER),
        Column(_("Kết quả"), width=16),
    ]


@login_required
def unit_monthly_xlsx(request, pk: int):
    table = _table(request, pk)
    if table.as_of is None or table.as_of not in table.sets:
        raise Http404(_("Chưa có số liệu tổng hợp theo kỳ cho ngày này."))
    subtitle = [
        _("Đơn vị: %(unit)s") % {"unit": table.unit},
        f"{table.catalog.legal_document.number} – {table.catalog.name}",
        _("Tính đến ngày: %(day)s") % {"day": f"{table.as_of:%d/%m/%Y}"},
    ]
    tables = [
        TableExport(
            title=_("Diễn biến theo tháng"),
            subtitle=subtitle,
            columns=_columns(_("Chỉ tiêu")),
            rows=_rows(table.lines, table.periods),
            sheet_name=_("Diễn biến theo tháng"),
        )
    ]
    if table.measure is not None:
        tables.append(
            TableExport(
                title=_("%(code)s theo đơn vị trực thuộc") % {"code": table.measure.code},
                subtitle=[*subtitle, f"{table.measure.code}. {table.measure.name}"],
                columns=_columns(_("Đơn vị")),
                rows=_rows(table.children, table.periods),
                sheet_name=_("Đơn vị trực thuộc"),
            )
        )
    name = f"dien-bien-{table.unit.official_code}-{table.as_of.isoformat()}.xlsx"
    return xlsx_response(workbook_bytes(tables), name)
