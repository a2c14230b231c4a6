""".xlsx downloads of a unit's evidence list for a period (the list inspectors ask for) and of
the user's recent Excel imports.

Same scoped queries as the pages (`evidence_for_period`, the import page's `recent` list), same
unit and period checks.
"""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from tieuchi.collection import evidence as service
from tieuchi.collection.views_evidence import period_or_404, unit_or_404
from tieuchi.collection.views_import import start_context
from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response


def _linked_to(item) -> str:
    if item.observation:
        return _("Số liệu %(code)s, kỳ %(period)s") % {
            "code": item.observation.measure.code,
            "period": item.observation.period,
        }
    if item.node:
        return _("Tiêu chí %(code)s (%(catalog)s)") % {
            "code": item.node.code,
            "catalog": item.node.catalog.key,
        }
    return _("Đơn vị nói chung")


def evidence_rows(items) -> list[list]:
    return [
        [
            item.original_name,
            _linked_to(item),
            item.captured_on,
            item.unit.name,
            item.description,
            item.uploaded_by.display_name if item.uploaded_by else "",
            item.uploaded_at,
            round(item.size / 1024) if item.size else 0,
            item.sha256,
        ]
        for item in items
    ]


@login_required
def evidence_xlsx(request, unit_id: int, period: str):
    unit = unit_or_404(request.user, unit_id)
    period_or_404(period)
    items = service.evidence_for_period(request.user, unit, period)
    table = TableExport(
        title=_("Danh mục minh chứng"),
        subtitle=[
            _("Đơn vị: %(unit)s") % {"unit": unit},
            _("Kỳ: %(period)s") % {"period": period},
        ],
        columns=[
            Column(_("Tệp"), width=30),
            Column(_("Minh chứng cho"), width=26),
            Column(_("Ngày"), Column.DATE),
            Column(_("Đơn vị"), width=22),
            Column(_("Mô tả"), width=36),
            Column(_("Người tải"), width=20),
            Column(_("Lúc"), Column.DATETIME),
            Column(_("Dung lượng (KB)"), Column.INTEGER),
            Column(_("Mã băm SHA-256"), width=20),
        ],
        rows=evidence_rows(items),
        sheet_name=_("Minh chứng"),
    )
    return xlsx_response(table.to_bytes(), f"minh-chung-{unit.official_code}-{period}.xlsx")


@login_required
def import_batches_xlsx(request):
    """The user's recent Excel imports, as listed on the import page."""
    batches = start_context(request, form=None)["recent"]
    table = TableExport(
        title=_("Các lần nhập gần đây của bạn"),
        columns=[
            Column("#", Column.INTEGER, width=7),
            Column(_("Tệp"), width=30),
            Column(_("Đơn vị"), width=24),
            Column(_("Kỳ"), width=10),
            Column(_("Trạng thái"), width=16),
            Column(_("Lúc"), Column.DATETIME),
        ],
        rows=[
            [
                batch.pk,
                batch.file_name,
                batch.unit.name,
                batch.period,
                batch.get_status_display(),
                batch.uploaded_at,
            ]
            for batch in batches
        ],
        sheet_name=_("Lần nhập"),
    )
    return xlsx_response(table.to_bytes(), "lan-nhap-excel.xlsx")
