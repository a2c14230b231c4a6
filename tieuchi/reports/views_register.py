"""The register of outgoing documents of a unit (sổ đăng ký văn bản đi) and its .xlsx.

Scoped as the report page: the unit must be visible to the user (else 404). Both read the same
query, `register_rows()`: one query whatever the number of documents.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response
from tieuchi.evaluation.selection import unit_or_404
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.models import IssuedDocument


def register_rows(unit) -> list[IssuedDocument]:
    """The documents the unit issued, newest year first, then by number (the register's order)."""
    documents = IssuedDocument.objects.filter(issuer=unit).select_related("generated_by")
    rows = list(documents.order_by("-year", "number"))
    titles = {slug: kind.title for slug, kind in all_kinds().items()}
    for row in rows:
        row.kind_title = titles.get(row.kind, row.kind)
        user = row.generated_by
        row.generated_by_name = (user.get_full_name() or user.username) if user else _("Dòng lệnh")
    return rows


@login_required
def register_page(request, unit_id: int):
    unit = unit_or_404(request.user, unit_id)
    context = {"nav": "evaluation", "unit": unit, "documents": register_rows(unit)}
    return render(request, "reports/register.html", context)


@login_required
def register_xlsx(request, unit_id: int):
    unit = unit_or_404(request.user, unit_id)
    table = TableExport(
        title=_("Sổ đăng ký văn bản đi"),
        subtitle=[_("Cơ quan ban hành: %(unit)s") % {"unit": unit}],
        columns=[
            Column(_("Số, ký hiệu"), width=16),
            Column(_("Ngày ban hành"), Column.DATE),
            Column(_("Loại văn bản"), width=36),
            Column(_("Trích yếu"), width=60),
            Column(_("Người ký"), width=24),
            Column(_("Người tạo"), width=24),
            Column(_("Tạo lúc"), Column.DATETIME),
        ],
        rows=(
            [
                row.number_symbol,
                row.date,
                row.kind_title,
                row.summary,
                row.signer_name,
                row.generated_by_name,
                row.generated_at,
            ]
            for row in register_rows(unit)
        ),
        sheet_name=_("Sổ văn bản đi"),
    )
    return xlsx_response(table.to_bytes(), f"so-van-ban-di-{unit.official_code}.xlsx")
