""".xlsx download of a catalog page (`/catalogs/<key>/export.xlsx`): one row per threshold.

Reads the same `catalog_tree` as the page. Criteria rows come first, then each sub-criterion with
its measures and thresholds; threshold values stay numbers so officials can filter and compare.
"""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from tieuchi.catalog.queries import catalog_tree, catalogs_visible_to
from tieuchi.catalog.views import visible_catalog_or_404
from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response


def _walk(views):
    for view in views:
        yield view
        yield from _walk(view.children)


def _unit_type(code: str) -> str:
    labels = {"any": "", "phuong": _("phường"), "thi_tran": _("thị trấn")}
    return labels.get(code, code)


def catalog_rows(tree) -> list[list]:
    rows = []
    for view in _walk(tree):
        node = view.node
        lines = [(m, t) for m in view.measures for t in m.thresholds.all()]
        lines += [(m, None) for m in view.measures if not m.thresholds.all()]
        lines.sort(key=lambda line: line[0].position)
        for measure, threshold in lines or [(None, None)]:
            rows.append(
                [
                    node.code,
                    node.name,
                    measure.code if measure else "",
                    measure.get_kind_display() if measure else "",
                    threshold.get_layer_display() if threshold else "",
                    _unit_type(threshold.unit_type) if threshold else "",
                    threshold.get_comparator_display() if threshold else "",
                    threshold.value if threshold else None,
                    threshold.value_max if threshold else None,
                    measure.unit_of_measure if measure else "",
                    threshold.level if threshold else "",
                    threshold.due_text if threshold else "",
                    threshold.text if threshold else "",
                    threshold.source_ref if threshold else "",
                ]
            )
    return rows


@login_required
def catalog_xlsx(request, key: str):
    catalog = visible_catalog_or_404(request.user, key)
    document = catalog.legal_document
    table = TableExport(
        title=catalog.name,
        subtitle=[
            _("Căn cứ: %(number)s – %(title)s")
            % {"number": document.number, "title": document.title},
            _("Phiên bản: %(version)s") % {"version": catalog.version},
        ],
        columns=[
            Column(_("Số TT"), width=8),
            Column(_("Nội dung"), width=50),
            Column(_("Mã chỉ tiêu"), width=10),
            Column(_("Kiểu"), width=16),
            Column(_("Cấp đặt chỉ tiêu"), width=16),
            Column(_("Loại đơn vị"), width=10),
            Column(_("Phép so sánh"), width=12),
            Column(_("Ngưỡng"), Column.NUMBER),
            Column(_("Ngưỡng tối đa"), Column.NUMBER),
            Column(_("Đơn vị tính"), width=10),
            Column(_("Mức yêu cầu"), width=12),
            Column(_("Thời hạn"), width=14),
            Column(_("Như văn bản viết"), width=50),
            Column(_("Vị trí trong văn bản"), width=16),
        ],
        rows=catalog_rows(catalog_tree(catalog)),
        sheet_name=_("Bộ tiêu chí"),
    )
    return xlsx_response(table.to_bytes(), f"{catalog.key}.xlsx")


@login_required
def catalog_list_xlsx(request):
    def issued(document) -> str:
        return f" ({document.issued_on:%d/%m/%Y})" if document.issued_on else ""

    table = TableExport(
        title=_("Bộ tiêu chí"),
        columns=[
            Column(_("Tên"), width=50),
            Column(_("Căn cứ"), width=30),
            Column(_("Phiên bản"), width=12),
            Column(_("Loại"), width=20),
        ],
        rows=(
            [
                c.name,
                c.legal_document.number + issued(c.legal_document),
                c.version,
                c.get_kind_display(),
            ]
            for c in catalogs_visible_to(request.user)
        ),
        sheet_name=_("Bộ tiêu chí"),
    )
    return xlsx_response(table.to_bytes(), "bo-tieu-chi.xlsx")
