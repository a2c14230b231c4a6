"""Demo tasks for the Giang Biên plan: generated from the rows, with a believable 2023 history.

Progress is recorded up to a cut-off (`today`, but never after 30/11/2023, the second inspection
round): about two thirds of the one-off tasks due before the cut-off are done, the rest in progress
or untouched; weekly and monthly duties are done for most past weeks and months. Everything not done
by the time you look is late, so in 2026 every open 2023 item shows as overdue, which is right.
Idempotent: the history is written once (the first time the plan has no task updates).
"""

import datetime as dt

from tieuchi.plans.models import Plan, Task, TaskStatus, TaskUpdate
from tieuchi.plans.tasks_service import generate_tasks, post_update

LAST_PROGRESS = dt.date(2023, 11, 30)


def _author(task):
    for person in (task.person, task.row.lead_person):
        if person is not None and person.user_id:
            return person.user
    return None


def build_tasks(plan: Plan, *, today: dt.date | None = None) -> dict:
    """Generate the plan's tasks and, once, a history of updates up to `today` (in 2023)."""
    today = today or dt.date.today()
    cutoff = min(today, LAST_PROGRESS)
    result = generate_tasks(plan)
    if TaskUpdate.objects.filter(task__row__plan=plan).exists():
        return {"generated": result.as_dict(), "updates": 0}
    tasks = list(
        Task.objects.filter(row__plan=plan)
        .select_related("row__lead_person__user", "person__user")
        .prefetch_related("occurrences")
        .order_by("row__position", "pk")
    )
    updates = 0
    for index, task in enumerate(tasks):
        author = _author(task)
        occurrences = [o for o in task.occurrences.all() if o.due_on <= cutoff]
        if task.cadence == "once":
            if not occurrences:
                if index % 3 == 0:  # started early on something due later
                    post_update(
                        author,
                        task,
                        note="Đã xây dựng kế hoạch chi tiết, đang triển khai.",
                        percent=40,
                        status=TaskStatus.IN_PROGRESS,
                        on=min(cutoff, dt.date(2023, 9, 15)),
                        channel="system",
                    )
                    updates += 1
                continue
            due = occurrences[0].due_on
            if index % 3 != 2:
                post_update(
                    author,
                    task,
                    note="Đã hoàn thành, báo cáo kết quả kèm hồ sơ minh chứng.",
                    status=TaskStatus.DONE,
                    on=due - dt.timedelta(days=3),
                    channel="system",
                )
            else:
                post_update(
                    author,
                    task,
                    note="Đang thực hiện, còn chờ phối hợp của các đơn vị liên quan.",
                    percent=60,
                    status=TaskStatus.IN_PROGRESS,
                    on=due - dt.timedelta(days=20),
                    channel="system",
                )
            updates += 1
            continue
        # Recurring and continuous duties: most past periods done, an occasional one missed.
        for number, occurrence in enumerate(occurrences):
            if (number + index) % 7 == 6:
                continue
            post_update(
                author,
                task,
                note=f"Đã thực hiện {occurrence.label}.",
                status=TaskStatus.DONE,
                occurrence=occurrence,
                on=occurrence.due_on,
                channel="system",
            )
            updates += 1
    return {"generated": result.as_dict(), "updates": updates}
