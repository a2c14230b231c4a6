"""Task pages: "Việc của tôi", a leader's view, the ward's overdue list, the calendar, a task's
detail with its updates, and the personal .ics feed (secret address, no login).

Every page accepts `?on=YYYY-MM-DD` to look at the plan as of another day (the demo is in 2023).
"""

import calendar as pycalendar
import datetime as dt
import hashlib
import secrets
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tieuchi.orgs.models import AdminUnit, Person
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans import ics
from tieuchi.plans.models import CalendarToken, Notification, Task, TaskOccurrence, TaskStatus
from tieuchi.plans.occurrences import MANUAL_STATUSES
from tieuchi.plans.tasks_service import (
    TaskError,
    can_update,
    current_status,
    my_persons,
    occurrence_status,
    post_update,
    task_scope,
    tasks_for_user,
    visible_tasks,
    with_progress,
)

STATUS_LABELS = dict(TaskStatus.choices)
STATUS_ORDER = [s.value for s in TaskStatus]


def asked_today(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def task_list(queryset, today: dt.date) -> list[Task]:
    tasks = list(
        with_progress(queryset, today).select_related(
            "row__plan", "row__lead_person", "organisation", "person"
        )
    )
    for task in tasks:
        task.shown_status = current_status(task, today)
        task.shown_label = STATUS_LABELS[task.shown_status]
        task.next_due = task.next_open or task.first_open
    return tasks


def _counts(tasks) -> list[tuple[str, str, int]]:
    counter = Counter(t.shown_status for t in tasks)
    return [(s, STATUS_LABELS[s], counter.get(s, 0)) for s in STATUS_ORDER]


def due_order(today: dt.date):
    month = (today.year, today.month)

    def key(task):
        due = task.next_due
        if task.shown_status == TaskStatus.DONE:
            bucket = 4
        elif due is None:
            bucket = 3
        elif task.next_open and (due.year, due.month) == month:
            bucket = 0
        elif task.first_open and task.first_open < today:
            bucket = 1
        else:
            bucket = 2
        return (bucket, due or dt.date.max, task.row.position, task.pk)

    return key


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@login_required
def my_tasks(request):
    today = asked_today(request)
    persons = my_persons(request.user)
    tasks = sorted(task_list(tasks_for_user(request.user, persons), today), key=due_order(today))
    counts = _counts(tasks)
    status = request.GET.get("status", "")
    if status in STATUS_LABELS:
        tasks = [t for t in tasks if t.shown_status == status]
    context = {
        "nav": "tasks",
        "tasks": tasks,
        "counts": counts,
        "status": status,
        "today": today,
        "persons": persons,
        "notifications": list(
            Notification.objects.filter(user=request.user, read_at__isnull=True)[:10]
        ),
        "tokens": list(CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True)),
    }
    return render(request, "plans/tasks/mine.html", context)


@login_required
def leader_tasks(request, person_id: int):
    today = asked_today(request)
    person = get_object_or_404(
        Person.objects.select_related("organisation"),
        pk=person_id,
        organisation__admin_unit__in=visible_unit_ids(request.user),
    )
    tasks = task_list(visible_tasks(request.user).filter(row__lead_person=person), today)
    tasks.sort(key=due_order(today))
    by_row = defaultdict(list)
    for task in tasks:
        by_row[task.row].append(task)
    context = {
        "nav": "tasks",
        "person": person,
        "rows": sorted(by_row.items(), key=lambda item: item[0].position),
        "counts": _counts(tasks),
        "total": len(tasks),
        "today": today,
    }
    return render(request, "plans/tasks/leader.html", context)


@login_required
def overdue_tasks(request, unit_id: int):
    today = asked_today(request)
    unit = get_object_or_404(AdminUnit.objects.visible_to(request.user), pk=unit_id)
    tasks = task_list(visible_tasks(request.user).filter(row__plan__unit=unit), today)
    late = sorted(
        (t for t in tasks if t.shown_status == TaskStatus.OVERDUE),
        key=lambda t: (t.next_due or dt.date.max, t.row.position, t.pk),
    )
    context = {"nav": "tasks", "unit": unit, "tasks": late, "total": len(tasks), "today": today}
    return render(request, "plans/tasks/overdue.html", context)


def _month(request, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@login_required
def task_calendar(request):
    today = asked_today(request)
    first = _month(request, today)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    occurrences = list(
        TaskOccurrence.objects.filter(
            task__in=tasks_for_user(request.user).values("pk"), due_on__range=(first, last)
        )
        .select_related("task__row")
        .order_by("due_on", "task__row__position", "task_id")
    )
    days = defaultdict(list)
    for occurrence in occurrences:
        occurrence.shown_status = occurrence_status(occurrence, today)
        occurrence.shown_label = STATUS_LABELS[occurrence.shown_status]
        days[occurrence.due_on].append(occurrence)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    context = {
        "nav": "tasks",
        "month": first,
        "days": sorted(days.items()),
        "count": len(occurrences),
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "today": today,
    }
    return render(request, "plans/tasks/calendar.html", context)


def _task(request, task_id: int) -> Task:
    return get_object_or_404(
        task_scope(request.user).select_related(
            "row__plan__unit", "row__lead_person", "organisation", "person"
        ),
        pk=task_id,
    )


@login_required
def task_detail(request, task_id: int):
    today = asked_today(request)
    task = _task(request, task_id)
    task.shown_status = current_status(
        with_progress(Task.objects.filter(pk=task.pk), today).get(), today
    )
    occurrences = list(task.occurrences.all())
    for occurrence in occurrences:
        occurrence.shown_status = occurrence_status(occurrence, today)
        occurrence.shown_label = STATUS_LABELS[occurrence.shown_status]
    context = {
        "nav": "tasks",
        "task": task,
        "status_label": STATUS_LABELS[task.shown_status],
        "occurrences": occurrences,
        # Evidence files of each update (collection.Evidence.task_update, by related name).
        "updates": list(
            task.updates.select_related("author", "occurrence").prefetch_related("evidence")
        ),
        "coordinating": [p for p in task.row.parties.all() if p.role == "coordinating"],
        "can_update": can_update(request.user, task),
        "statuses": [(s, STATUS_LABELS[s]) for s in MANUAL_STATUSES],
        "today": today,
    }
    return render(request, "plans/tasks/detail.html", context)


@login_required
@require_POST
def task_update(request, task_id: int):
    task = _task(request, task_id)
    if not can_update(request.user, task):
        raise PermissionDenied
    occurrence = None
    if request.POST.get("occurrence"):
        occurrence = task.occurrences.filter(pk=request.POST["occurrence"]).first()
    percent = request.POST.get("percent", "").strip()
    try:
        on = dt.date.fromisoformat(request.POST["on"]) if request.POST.get("on") else None
        post_update(
            request.user,
            task,
            note=request.POST.get("note", ""),
            percent=int(percent) if percent else None,
            status=request.POST.get("status", ""),
            occurrence=occurrence,
            on=on,
        )
    except ValueError as error:
        message = str(error) if isinstance(error, TaskError) else "Dữ liệu không hợp lệ."
        messages.error(request, message)
    else:
        messages.success(request, "Đã lưu cập nhật tiến độ.")
    return redirect("plans:task_detail", task_id=task.pk)


@login_required
@require_POST
def token_create(request):
    token = secrets.token_urlsafe(32)
    CalendarToken.objects.create(user=request.user, token_hash=_token_hash(token), hint=token[:6])
    url = request.build_absolute_uri(reverse("plans:task_feed", args=[token]))
    messages.success(
        request, f"Địa chỉ lịch cá nhân (chỉ hiện một lần, hãy sao chép vào ứng dụng lịch): {url}"
    )
    return redirect("plans:tasks_mine")


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(CalendarToken, pk=token_id, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    messages.success(request, "Đã thu hồi địa chỉ lịch.")
    return redirect("plans:tasks_mine")


def task_feed(request, token: str):
    """The personal calendar: every due date of the user's tasks, as all-day events."""
    found = (
        CalendarToken.objects.filter(token_hash=_token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if found is None or not found.user.is_active:
        raise Http404
    occurrences = (
        TaskOccurrence.objects.filter(task__in=tasks_for_user(found.user).values("pk"))
        .select_related("task")
        .order_by("due_on", "task_id")
    )
    events = [
        ics.Event(
            uid=f"task-occurrence-{o.pk}@tieuchi",
            day=o.due_on,
            summary=f"Hạn: {o.task.title} – {o.label}",
            description=(f"Thực hiện: {o.task.party_text}; trạng thái: {STATUS_LABELS[o.status]}"),
            url=request.build_absolute_uri(reverse("plans:task_detail", args=[o.task_id])),
        )
        for o in occurrences
    ]
    body = ics.calendar(events, name="tieuchi – Việc của tôi")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tieuchi.ics"'
    return response
