"""The ward's plan (Kế hoạch) with its appendix table, laid out as Source A (KH 68/KH-UBND).

The body and the appendix are the plan download's (`tieuchi.plans.docx_export`), written from
the stored plan; this kind only puts the header the user typed (number, date, signer) on them.
The appendix is on A4 landscape because it has seven columns.
"""

from __future__ import annotations

from tieuchi.core.nd30.document import OfficialDocument
from tieuchi.core.nd30.names import running_name
from tieuchi.plans.docx_export import plan_appendix, plan_body
from tieuchi.plans.queries import plan_rows
from tieuchi.reports.kinds import ReportKind
from tieuchi.reports.request import ReportInputError, ReportRequest


def header_defaults(unit, plan) -> dict:
    """The plan already has its number and date: "68/KH-UBND", 08/02/2023."""
    if plan is None:
        return {}
    document = plan.legal_document
    return {"number": document.number.split("/")[0], "date": document.issued_on}


def build(request: ReportRequest) -> OfficialDocument:
    plan, header, unit = request.plan, request.header, request.unit
    if plan is None:
        raise ReportInputError(f"{running_name(unit).capitalize()} chưa có kế hoạch nào được nạp.")
    rows = list(plan_rows(plan))
    number = f"{header.number or '...'}/{KIND.symbol}"
    return header.document(
        symbol=KIND.symbol,
        kind_title="KẾ HOẠCH",
        summary=plan.name,
        blocks=plan_body(plan, rows),
        file_name=f"ke-hoach-{plan.key}.docx",
        appendix=plan_appendix(plan, rows, number=number, issued=header.date),
        appendix_landscape=True,
    )


KIND = ReportKind(
    slug="ke-hoach",
    title="Kế hoạch xây dựng phường đạt chuẩn đô thị văn minh (kèm phụ lục)",
    symbol="KH-UBND",
    needs_round=False,
    build=build,
    header_defaults=header_defaults,
)
