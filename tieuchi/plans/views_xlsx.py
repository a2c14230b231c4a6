""".xlsx downloads of the plan list and of the task lists (`<page>/export.xlsx`): mine, a
leader's and the overdue. (The plan table itself has its own appendix export, plans/exports.py.)

Each reads the same scoped queries as its page (`plans_visible_to`, `tasks_for_user`,
`visible_tasks`), with the same `?on=` day, `?status=` filter and order, so the file holds the
rows the page shows.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response
from tieuchi.orgs.models import AdminUnit, Person
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import TaskStatus
from tieuchi.plans.queries import plans_visible_to
from tieuchi.plans.tasks_service import my_persons, tasks_for_user, visible_tasks
from tieuchi.plans.views_tasks import STATUS_LABELS, asked_today, due_order, task_list


def task_columns() -> list[Column]:
    return [
        Column(_("Mã nội dung"), width=10),
        Column(_("Việc"), width=45),
        Column(_("Thời gian hoàn thành"), width=20),
        Column(_("Thực hiện"), width=26),
        Column(_("Lãnh đạo phụ trách"), width=20),
        Column(_("Hạn tiếp theo"), Column.DATE),
        Column(_("Số lần quá hạn"), Column.INTEGER),
        Column(_("Trạng thái"), width=16),
        Column(_("Tiến độ"), Column.PERCENT, decimals=0),
    ]


def task_rows(tasks) -> list[list]:
    return [
        [
            task.row.criterion_code,
            task.title,
            task.row.deadline_text,
            task.party_text,
            task.row.lead_person.short_name if task.row.lead_person else task.row.leader_text,
            task.next_due,
            task.overdue_count or None,
            task.shown_label,
            task.percent,
        ]
        for task in tasks
    ]


def _download(title: str, subtitle: list[str], tasks, filename: str):
    table = TableExport(
        title=title,
        subtitle=subtitle,
        columns=task_columns(),
        rows=task_rows(tasks),
        sheet_name=title,
    )
    return xlsx_response(table.to_bytes(), filename)


def _day_line(today: dt.date) -> str:
    return _("Tính đến ngày: %(day)s") % {"day": f"{today:%d/%m/%Y}"}


@login_required
def my_tasks_xlsx(request):
    today = asked_today(request)
    persons = my_persons(request.user)
    tasks = sorted(task_list(tasks_for_user(request.user, persons), today), key=due_order(today))
    subtitle = [_day_line(today)]
    status = request.GET.get("status", "")
    if status in STATUS_LABELS:
        tasks = [t for t in tasks if t.shown_status == status]
        subtitle.append(_("Trạng thái: %(status)s") % {"status": STATUS_LABELS[status]})
    return _download(_("Việc của tôi"), subtitle, tasks, f"viec-cua-toi-{today.isoformat()}.xlsx")


@login_required
def leader_tasks_xlsx(request, person_id: int):
    today = asked_today(request)
    person = get_object_or_404(
        Person.objects.select_related("organisation"),
        pk=person_id,
        organisation__admin_unit__in=visible_unit_ids(request.user),
    )
    tasks = task_list(visible_tasks(request.user).filter(row__lead_person=person), today)
    tasks.sort(key=due_order(today))
    # The page groups the tasks by plan row, rows in plan order; the file keeps that order.
    by_row = defaultdict(list)
    for task in tasks:
        by_row[task.row].append(task)
    rows = sorted(by_row.items(), key=lambda item: item[0].position)
    tasks = [task for _row, row_tasks in rows for task in row_tasks]
    title = _("Nội dung do %(name)s phụ trách") % {"name": person.short_name}
    filename = f"viec-lanh-dao-{person.pk}-{today.isoformat()}.xlsx"
    return _download(title, [person.title, _day_line(today)], tasks, filename)


@login_required
def overdue_tasks_xlsx(request, unit_id: int):
    today = asked_today(request)
    unit = get_object_or_404(AdminUnit.objects.visible_to(request.user), pk=unit_id)
    tasks = task_list(visible_tasks(request.user).filter(row__plan__unit=unit), today)
    late = sorted(
        (t for t in tasks if t.shown_status == TaskStatus.OVERDUE),
        key=lambda t: (t.next_due or dt.date.max, t.row.position, t.pk),
    )
    title = _("Việc quá hạn")
    subtitle = [_("Đơn vị: %(unit)s") % {"unit": unit}, _day_line(today)]
    filename = f"viec-qua-han-{unit.official_code}-{today.isoformat()}.xlsx"
    return _download(title, subtitle, late, filename)


@login_required
def plan_list_xlsx(request):
    plans = plans_visible_to(request.user).select_related("unit", "legal_document")
    table = TableExport(
        title=_("Kế hoạch"),
        columns=[
            Column(_("Số, ký hiệu"), width=20),
            Column(_("Tên"), width=50),
            Column(_("Đơn vị"), width=26),
            Column(_("Từ ngày"), Column.DATE),
            Column(_("Đến ngày"), Column.DATE),
        ],
        rows=(
            [p.legal_document.number, p.name, str(p.unit), p.period_start, p.period_end]
            for p in plans
        ),
        sheet_name=_("Kế hoạch"),
    )
    return xlsx_response(table.to_bytes(), "ke-hoach.xlsx")
