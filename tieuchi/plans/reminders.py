"""Task reminders: in the app (Notification) and by email, before a due date and when overdue.

For each open occurrence due within `days_before` days ("before") or past due by at most
`overdue_within` days ("overdue"), the row's lead person and the implementers (the task's person,
or the officials of the implementing organisation) who have a login get one notification. Its key
`task-occurrence:<id>:<kind>` is unique per user, so running again never repeats a reminder;
each user gets at most one email per run listing their new reminders. Run by
`tieuchi send_task_reminders` (cron) or the `send_task_reminders_job` task (db_worker).
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from tieuchi.orgs.models import Person
from tieuchi.plans.models import Notification, TaskOccurrence, TaskStatus

log = logging.getLogger(__name__)

BEFORE, OVERDUE = "before", "overdue"
DAYS_BEFORE = 7
OVERDUE_WITHIN = 30


@dataclass
class Outcome:
    notifications: list[Notification] = field(default_factory=list)
    skipped: int = 0  # reminders that had already been sent
    emails: int = 0


def _recipients(occurrences) -> dict[int, set]:
    """occurrence id -> users (lead person's and implementers'), in two queries at most."""
    org_ids = {o.task.organisation_id for o in occurrences if o.task.organisation_id}
    org_people = defaultdict(list)
    for person in Person.objects.filter(
        organisation__in=org_ids, user__isnull=False, user__is_active=True
    ).select_related("user"):
        org_people[person.organisation_id].append(person.user)
    result = {}
    for o in occurrences:
        users = {}
        for person in (o.task.row.lead_person, o.task.person):
            if person is not None and person.user_id and person.user.is_active:
                users[person.user_id] = person.user
        for user in org_people.get(o.task.organisation_id, []):
            users[user.pk] = user
        result[o.pk] = set(users.values())
    return result


def _text(occurrence: TaskOccurrence, kind: str, today: dt.date) -> str:
    task = occurrence.task
    if kind == BEFORE:
        days = (occurrence.due_on - today).days
        when = "hôm nay" if days == 0 else f"còn {days} ngày"
        head = f"Sắp đến hạn ({when}, {occurrence.due_on:%d/%m/%Y})"
    else:
        days = (today - occurrence.due_on).days
        head = f"Quá hạn {days} ngày (hạn {occurrence.due_on:%d/%m/%Y})"
    return f"{head}: {task.title} – {occurrence.label} – {task.party_text}"[:500]


def send_task_reminders(
    *,
    today: dt.date | None = None,
    days_before: int = DAYS_BEFORE,
    overdue_within: int = OVERDUE_WITHIN,
) -> Outcome:
    """Create the reminders due on `today` that were never sent, and mail them."""
    today = today or timezone.localdate()
    soon = Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days_before))
    late = Q(due_on__lt=today, due_on__gte=today - dt.timedelta(days=overdue_within))
    occurrences = list(
        TaskOccurrence.objects.filter(soon | late, task__closed_on__isnull=True)
        .exclude(status=TaskStatus.DONE)
        .exclude(task__status=TaskStatus.DONE)
        .select_related("task__row__lead_person__user", "task__person__user", "task__row__plan")
        .order_by("due_on", "pk")
    )
    recipients = _recipients(occurrences)
    wanted = []
    for o in occurrences:
        kind = BEFORE if o.due_on >= today else OVERDUE
        for user in recipients[o.pk]:
            wanted.append((user, f"task-occurrence:{o.pk}:{kind}", o, kind))
    outcome = Outcome()
    keys = {key for _user, key, _o, _k in wanted}
    sent = set(Notification.objects.filter(key__in=keys).values_list("user_id", "key"))
    new_by_user = defaultdict(list)
    with transaction.atomic():
        for user, key, o, kind in wanted:
            if (user.pk, key) in sent:
                outcome.skipped += 1
                continue
            notification = Notification(
                user=user,
                key=key,
                text=_text(o, kind, today),
                url=reverse("plans:task_detail", args=[o.task_id]),
            )
            new_by_user[user].append(notification)
        created = Notification.objects.bulk_create(
            [n for items in new_by_user.values() for n in items], ignore_conflicts=True
        )
    outcome.notifications = created
    for user, items in new_by_user.items():
        outcome.emails += _mail(user, items)
    return outcome


def _mail(user, notifications: list[Notification]) -> int:
    if not user.email:
        return 0
    lines = "\n".join(f"- {n.text}\n  {n.url}" for n in notifications)
    subject = f"[tieuchi] {len(notifications)} việc sắp đến hạn hoặc quá hạn"
    body = (
        f"Kính gửi {getattr(user, 'display_name', '') or user.get_username()},\n\n"
        f"Các việc trong kế hoạch cần anh/chị chú ý:\n{lines}\n\n"
        "Đây là thư nhắc việc tự động của tieuchi; mỗi nhắc nhở chỉ gửi một lần."
    )
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError:  # the notifications stay in the app; mail is best effort
        log.exception("Không gửi được thư nhắc việc tới %s", user.email)
        return 0


@task
def send_task_reminders_job(today: str | None = None) -> dict:
    """The worker's entry point (django.tasks): same as `tieuchi send_task_reminders`."""
    outcome = send_task_reminders(today=dt.date.fromisoformat(today) if today else None)
    return {
        "notifications": len(outcome.notifications),
        "skipped": outcome.skipped,
        "emails": outcome.emails,
    }
