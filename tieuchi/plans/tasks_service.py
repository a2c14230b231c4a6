"""Tasks of a plan: generate them from the rows, read them in scope, post progress, mark done.

Every change runs in one transaction and writes one audit event. Generation is idempotent: each
task is keyed by (row, implementing party) and each occurrence by (task, due date), so running it
again updates titles and dates in place; occurrences that no longer apply are removed unless
someone already reported on them.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from tieuchi.accounts import audit
from tieuchi.accounts.roles import EDITOR_ROLES
from tieuchi.orgs.models import Organisation, Person, UnitLevel
from tieuchi.orgs.scope import active_memberships, can_act_on_unit, visible_unit_ids
from tieuchi.plans.models import (
    Plan,
    PlanRow,
    PlanRowParty,
    Task,
    TaskOccurrence,
    TaskStatus,
    TaskUpdate,
)
from tieuchi.plans.occurrences import derive_status, expand

TITLE_LENGTH = 160


class TaskError(ValueError):
    """A progress update the service refuses (message in Vietnamese, for the page)."""


@dataclass
class GenerateResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    closed: int = 0
    reopened: int = 0
    occurrences_created: int = 0
    occurrences_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(v for k, v in self.__dict__.items() if k != "unchanged")

    def as_dict(self) -> dict:
        return dict(self.__dict__)


# --- Generation ---------------------------------------------------------------------------


def _title(row: PlanRow) -> str:
    text = (row.solution or row.criterion_text or "").strip().splitlines()
    first = text[0].lstrip("- ").strip() if text else ""
    title = f"{row.criterion_code} {first}".strip()
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1].rstrip() + "…"


def _owners(row: PlanRow) -> list[tuple[str, dict]]:
    """(key, fields) per implementing party; the lead person when the row names no implementer."""
    owners = {}
    for party in row.parties.all():
        if party.role != PlanRowParty.Role.IMPLEMENTING:
            continue
        if party.organisation_id:
            key = f"org:{party.organisation_id}"
        elif party.person_id:
            key = f"person:{party.person_id}"
        else:
            key = f"text:{party.text.strip()[:200]}"
        owners.setdefault(
            key,
            {
                "organisation_id": party.organisation_id,
                "person_id": party.person_id,
                "party_text": party.text[:200],
            },
        )
    if not owners and row.lead_person_id:
        owners[f"person:{row.lead_person_id}"] = {
            "organisation_id": None,
            "person_id": row.lead_person_id,
            "party_text": row.lead_person.short_name,
        }
    return list(owners.items())


def generate_tasks(plan: Plan, *, actor=None, channel: str = "system") -> GenerateResult:
    """Create or update the tasks and occurrences of every row of `plan` (idempotent)."""
    with transaction.atomic():
        result = sync_tasks(plan)
        if result.changed:  # a re-run that changes nothing leaves no trace
            audit.record(actor, "generate_tasks", plan, after=result.as_dict(), channel=channel)
    return result


def has_tasks(plan: Plan) -> bool:
    """Tasks are generated on demand; once a plan has some, edits keep them in step."""
    return Task.objects.filter(row__plan=plan).exists()


def _closed_reason(row: PlanRow, task: Task, reports: int) -> str:
    return (
        f"{task.party_text} không còn là đơn vị thực hiện dòng {row.criterion_code} sau khi kế "
        f"hoạch được sửa; việc được đóng, giữ lại {reports} cập nhật tiến độ."
    )[:300]


def sync_tasks(plan: Plan, *, rows=None, today: dt.date | None = None) -> GenerateResult:
    """Make the tasks of `plan` (or only of `rows`) follow the rows' parties, leader and deadline.

    Call it inside the caller's transaction; it writes no audit record (the caller's record says
    what was done). A task whose party left the row is deleted if nobody reported on it, and
    otherwise closed with its reports kept; it opens again if the party comes back.
    """
    today = today or timezone.localdate()
    result = GenerateResult()
    queryset = PlanRow.objects.filter(plan=plan)
    if rows is not None:
        queryset = queryset.filter(pk__in=[row.pk for row in rows])
    queryset = (
        queryset.select_related("lead_person")
        .prefetch_related("parties", "tasks__occurrences")
        .order_by("position")
    )
    reports = Counter(
        TaskUpdate.objects.filter(task__row__in=queryset.values("pk")).values_list(
            "task_id", flat=True
        )
    )
    reported_occurrences = set(
        TaskUpdate.objects.filter(
            task__row__in=queryset.values("pk"), occurrence__isnull=False
        ).values_list("occurrence_id", flat=True)
    )
    new_occurrences = []
    for row in queryset:
        expansion = expand(row.deadline or {}, plan.period_start, plan.period_end)
        dates = {o.due: o.label for o in expansion.occurrences}
        existing = {task.key: task for task in row.tasks.all()}
        title = _title(row)
        due_on = max(dates) if dates else None
        for key, fields in _owners(row):
            task = existing.pop(key, None)
            wanted = {
                **fields,
                "title": title,
                "cadence": expansion.cadence,
                "due_on": due_on,
                "closed_on": None,
                "closed_reason": "",
            }
            if task is None:
                task = Task.objects.create(row=row, key=key, **wanted)
                result.created += 1
                have = {}
            else:
                if task.closed_on is not None:
                    result.reopened += 1
                changed = [f for f, v in wanted.items() if getattr(task, f) != v]
                if changed:
                    for f in changed:
                        setattr(task, f, wanted[f])
                    task.save(update_fields=[*changed, "updated_at"])
                    result.updated += 1
                else:
                    result.unchanged += 1
                have = {o.due_on: o for o in task.occurrences.all()}
            for due, label in dates.items():
                occurrence = have.pop(due, None)
                if occurrence is None:
                    new_occurrences.append(TaskOccurrence(task=task, due_on=due, label=label))
                elif occurrence.label != label:
                    occurrence.label = label
                    occurrence.save(update_fields=["label"])
            stale = [
                o.pk
                for o in have.values()
                if o.status == TaskStatus.NOT_STARTED and o.pk not in reported_occurrences
            ]
            if stale:
                result.occurrences_removed += TaskOccurrence.objects.filter(pk__in=stale).delete()[
                    0
                ]
        for task in existing.values():  # parties no longer on the row
            if reports[task.pk] or task.status != TaskStatus.NOT_STARTED:
                if task.closed_on is None:
                    task.closed_on = today
                    task.closed_reason = _closed_reason(row, task, reports[task.pk])
                    task.save(update_fields=["closed_on", "closed_reason", "updated_at"])
                    result.closed += 1
            else:
                task.delete()
                result.removed += 1
    TaskOccurrence.objects.bulk_create(new_occurrences)
    result.occurrences_created = len(new_occurrences)
    return result


# --- Reading in scope ---------------------------------------------------------------------


def with_progress(queryset, today: dt.date):
    """Annotate each task with its first open due date (any, and from `today` on) and counts."""
    open_q = ~Q(occurrences__status=TaskStatus.DONE)
    return queryset.annotate(
        first_open=Min("occurrences__due_on", filter=open_q),
        next_open=Min("occurrences__due_on", filter=open_q & Q(occurrences__due_on__gte=today)),
        occurrence_count=Count("occurrences", distinct=True),
        overdue_count=Count(
            "occurrences", filter=open_q & Q(occurrences__due_on__lt=today), distinct=True
        ),
    )


def current_status(task: Task, today: dt.date) -> str:
    """The status shown: stored status, or overdue/at risk from the first open due date."""
    if task.status == TaskStatus.DONE:
        return TaskStatus.DONE
    due = getattr(task, "first_open", None) if hasattr(task, "first_open") else task.due_on
    if due is None and getattr(task, "occurrence_count", 0):
        return TaskStatus.DONE  # every occurrence is done
    return derive_status(task.status, due, today)


def occurrence_status(occurrence: TaskOccurrence, today: dt.date) -> str:
    return derive_status(occurrence.status, occurrence.due_on, today)


def visible_tasks(user):
    """Open tasks of plans whose unit the user may see (closed ones only open from their page)."""
    return Task.objects.filter(row__plan__unit__in=visible_unit_ids(user), closed_on__isnull=True)


def my_persons(user) -> list[Person]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Person.objects.filter(user=user))


def assignment_q(user, persons: list[Person] | None = None) -> Q:
    """The tasks assigned to the user: their person leads or implements the task, an organisation
    of one of their units implements it (for a TDP head, also the ward's "các tổ dân phố"), or
    either of them coordinates the row."""
    persons = my_persons(user) if persons is None else persons
    memberships = list(active_memberships(user))
    unit_ids = [m.unit_id for m in memberships]
    ward_ids = [
        m.unit.parent_id
        for m in memberships
        if m.unit.level == UnitLevel.RESIDENTIAL_GROUP and m.unit.parent_id
    ]
    person_ids = [p.pk for p in persons]
    orgs = (
        Q(admin_unit__in=unit_ids)
        | Q(represents_unit__in=unit_ids)
        | Q(admin_unit__in=ward_ids, kind=Organisation.Kind.RESIDENTIAL_GROUP, represents_unit=None)
    )
    org_ids = Organisation.objects.filter(orgs).values("pk")
    coordinating = PlanRowParty.objects.filter(role=PlanRowParty.Role.COORDINATING).filter(
        Q(person__in=person_ids) | Q(organisation__in=org_ids)
    )
    return (
        Q(person__in=person_ids)
        | Q(row__lead_person__in=person_ids)
        | Q(organisation__in=org_ids)
        | Q(row__in=coordinating.values("row_id"))
    )


def tasks_for_user(user, persons: list[Person] | None = None):
    """ "Việc của tôi": the tasks assigned to the user (see `assignment_q`)."""
    return Task.objects.filter(assignment_q(user, persons), closed_on__isnull=True)


def task_scope(user):
    """Tasks a user may open: those of plans in their units, and those assigned to them."""
    return Task.objects.filter(Q(row__plan__unit__in=visible_unit_ids(user)) | assignment_q(user))


def can_update(user, task: Task) -> bool:
    """The task's person, the row's leader, or an editor of the plan's unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    person_users = {task.person.user_id if task.person_id else None}
    if task.row.lead_person_id:
        person_users.add(task.row.lead_person.user_id)
    if user.pk in person_users:
        return True
    return can_act_on_unit(user, task.row.plan.unit, EDITOR_ROLES)


# --- Progress -----------------------------------------------------------------------------


def _snapshot(task: Task) -> dict:
    return {
        "status": task.status,
        "percent": task.percent,
        "done_on": task.done_on.isoformat() if task.done_on else None,
    }


def post_update(
    actor,
    task: Task,
    *,
    note: str,
    percent: int | None = None,
    status: str = "",
    occurrence: TaskOccurrence | None = None,
    on: dt.date | None = None,
    channel: str = "web",
) -> TaskUpdate:
    """Record progress: a note, an optional percentage and status (for the task or an occurrence)."""
    note = (note or "").strip()
    if not note:
        raise TaskError("Cần ghi nội dung cập nhật.")
    if percent is not None and not 0 <= percent <= 100:
        raise TaskError("Tiến độ phải từ 0 đến 100%.")
    if status == TaskStatus.OVERDUE:
        raise TaskError("Trạng thái 'quá hạn' được tính theo hạn, không chọn tay.")
    if status and status not in TaskStatus.values:
        raise TaskError("Trạng thái không hợp lệ.")
    if occurrence is not None and occurrence.task_id != task.pk:
        raise TaskError("Lần thực hiện không thuộc việc này.")
    on = on or timezone.localdate()
    with transaction.atomic():
        before = _snapshot(task)
        update = TaskUpdate.objects.create(
            task=task,
            occurrence=occurrence,
            author=actor if getattr(actor, "pk", None) else None,
            on=on,
            note=note,
            percent=percent,
            status=status,
        )
        if occurrence is not None and status:
            occurrence.status = status
            occurrence.done_on = on if status == TaskStatus.DONE else None
            occurrence.save(update_fields=["status", "done_on"])
            if task.status == TaskStatus.NOT_STARTED:
                task.status = TaskStatus.IN_PROGRESS
        elif status:
            task.status = status
        if percent is not None:
            task.percent = percent
        if status == TaskStatus.DONE and occurrence is None:
            task.done_on = on
            task.percent = 100 if percent is None else percent
            task.occurrences.exclude(status=TaskStatus.DONE).update(
                status=TaskStatus.DONE, done_on=on
            )
        elif task.status == TaskStatus.NOT_STARTED:
            task.status = TaskStatus.IN_PROGRESS
        if task.status != TaskStatus.DONE:
            task.done_on = None
        task.save(update_fields=["status", "percent", "done_on", "updated_at"])
        audit.record(
            actor,
            "task_update",
            task,
            before=before,
            after={**_snapshot(task), "occurrence": occurrence.pk if occurrence else None},
            channel=channel,
            note=note[:200],
        )
    return update


def mark_done(
    actor,
    task: Task,
    *,
    occurrence: TaskOccurrence | None = None,
    on: dt.date | None = None,
    note: str = "",
    channel: str = "web",
) -> TaskUpdate:
    """Mark the task (every open occurrence) or one occurrence done."""
    default = f"Đã hoàn thành {occurrence.label}" if occurrence else "Đã hoàn thành"
    return post_update(
        actor,
        task,
        note=note or default,
        status=TaskStatus.DONE,
        occurrence=occurrence,
        on=on,
        channel=channel,
    )
