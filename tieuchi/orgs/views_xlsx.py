""".xlsx download of the unit tree page (`/units/export.xlsx`): same day, same scoped forest."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response
from tieuchi.orgs.queries import default_day, visible_tree
from tieuchi.orgs.tree import flatten
from tieuchi.orgs.views import asked_day


def tree_rows(forest) -> list[list]:
    rows, parents = [], {}
    for depth, node in flatten(forest):
        parents[depth] = node.unit.name
        rows.append(
            [
                depth + 1,
                # Indented like the page, so the hierarchy reads without a tree widget.
                "    " * depth + node.unit.name,
                node.unit.extra.get("type_label", ""),
                node.unit.code,
                parents.get(depth - 1, "") if depth else "",
                node.unit.valid_from,
                node.unit.valid_to,
            ]
        )
    return rows


@login_required
def tree_xlsx(request):
    day = asked_day(request) or default_day(request.user)
    table = TableExport(
        title=_("Cây đơn vị hành chính"),
        subtitle=[_("Các đơn vị có hiệu lực ngày %(day)s") % {"day": f"{day:%d/%m/%Y}"}],
        columns=[
            Column(_("Cấp"), Column.INTEGER, width=6),
            Column(_("Tên đơn vị"), width=36),
            Column(_("Loại"), width=14),
            Column(_("Mã"), width=14),
            Column(_("Đơn vị cấp trên"), width=26),
            Column(_("Hiệu lực từ"), Column.DATE),
            Column(_("Hiệu lực đến"), Column.DATE),
        ],
        rows=tree_rows(visible_tree(request.user, day)),
        sheet_name=_("Đơn vị"),
    )
    return xlsx_response(table.to_bytes(), f"don-vi-{day.isoformat()}.xlsx")
