"""Plan exports (JSON for tools, .xlsx for officials). Shapes are documented in docs/cli.md."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tieuchi.plans.models import Plan, PlanRow, PlanRowParty
from tieuchi.plans.queries import plan_rows


def leader_label(row: PlanRow) -> str:
    """ "Đ/c Hoài – PCT UBND" when recognised, otherwise the text as written."""
    person = row.lead_person
    if person is None:
        return row.leader_text
    return (
        f"{person.short_name} – {person.title_short}" if person.title_short else person.short_name
    )


def _parties(row: PlanRow, role: str) -> list[PlanRowParty]:
    return [party for party in row.parties.all() if party.role == role]


def row_dict(row: PlanRow) -> dict:
    implementing = _parties(row, PlanRowParty.Role.IMPLEMENTING)
    coordinating = _parties(row, PlanRowParty.Role.COORDINATING)
    return {
        "criterion_code": row.criterion_code,
        "criterion_group": row.node.parent.code if row.node and row.node.parent else "",
        "criterion": row.criterion_text,
        "solution": row.solution,
        "leader": leader_label(row),
        "leader_text": row.leader_text,
        "implementing_units": [party.text for party in implementing],
        "coordinating_units": [party.text for party in coordinating],
        "implementing_units_resolved": [party.display_name for party in implementing],
        "coordinating_units_resolved": [party.display_name for party in coordinating],
        "deadline_text": row.deadline_text,
        "deadline": row.deadline,
        "note": row.note,
        "flags": row.flags,
    }


def plan_dict(plan: Plan) -> dict:
    return {
        "key": plan.key,
        "name": plan.name,
        "document": plan.legal_document.number,
        "issued_on": plan.legal_document.issued_on.isoformat()
        if plan.legal_document.issued_on
        else None,
        "unit": plan.unit.official_code,
        "catalog": plan.catalog.key,
        "period": {"start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()},
        "rows": [row_dict(row) for row in plan_rows(plan)],
    }


HEADERS = [
    ("Tên tiêu chí", 24),
    ("Nội dung tiêu chí", 50),
    ("Giải pháp thực hiện", 60),
    ("Lãnh đạo phụ trách", 20),
    ("Đơn vị/cá nhân thực hiện", 28),
    ("Đơn vị/cá nhân phối hợp", 28),
    ("Thời gian hoàn thành", 18),
    ("Hạn cuối", 12),
]


def plan_xlsx(plan: Plan) -> bytes:
    """The appendix table as officials know it, one row per sub-criterion."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append([f"{plan.legal_document.number} – {plan.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append([header for header, _width in HEADERS])
    for index, (_header, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=3, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F4")
    for row in plan_rows(plan):
        data = row_dict(row)
        group = row.node.parent if row.node else None
        sheet.append(
            [
                f"{group.code}. {group.name}" if group else "",
                f"{row.criterion_code}. {row.criterion_text}",
                row.solution,
                data["leader"],
                "; ".join(data["implementing_units"]),
                "; ".join(data["coordinating_units"]),
                row.deadline_text,
                row.deadline_due,
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = "DD/MM/YYYY"
    for cells in sheet.iter_rows(min_row=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
