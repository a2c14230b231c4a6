"""Plan tasks: generation, scope, the leader/overdue/mine/calendar pages, progress updates."""

import datetime as dt

import pytest

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.orgs.models import Person
from tieuchi.plans.models import Plan, PlanRow, Task, TaskOccurrence, TaskStatus, TaskUpdate
from tieuchi.plans.tasks_service import (
    TaskError,
    current_status,
    generate_tasks,
    mark_done,
    post_update,
    tasks_for_user,
    with_progress,
)

pytestmark = pytest.mark.django_db
ON = "2023-10-15"


@pytest.fixture
def plan():
    return Plan.objects.get(key="giang-bien-2023")


def person(short_name):
    return Person.objects.get(short_name=short_name, user__isnull=False)


def test_demo_has_tasks_with_history(plan):
    tasks = Task.objects.filter(row__plan=plan)
    assert tasks.count() >= plan.rows.count()
    weekly = tasks.get(row__deadline_text="Hàng tuần")
    assert weekly.cadence == "weekly" and weekly.occurrences.count() == 53
    assert TaskUpdate.objects.filter(task__row__plan=plan).exists()
    assert tasks.filter(status=TaskStatus.DONE).exists()
    assert tasks.filter(status=TaskStatus.IN_PROGRESS).exists()


def test_generation_is_idempotent_and_updates_in_place(plan):
    before = (Task.objects.count(), TaskOccurrence.objects.count())
    result = generate_tasks(plan)
    assert (result.created, result.updated, result.occurrences_created) == (0, 0, 0)
    assert (Task.objects.count(), TaskOccurrence.objects.count()) == before
    assert not result.changed
    assert AuditEvent.objects.filter(action="generate_tasks", object_id=str(plan.pk)).count() == 1

    row = PlanRow.objects.filter(plan=plan, deadline_text="Tháng 10/2023").first()
    row.deadline = {**row.deadline, "due": "2023-11-30", "text": "Tháng 11/2023"}
    row.save()
    result = generate_tasks(plan)
    assert result.created == 0 and result.updated >= 1
    for task in row.tasks.all():
        assert task.due_on == dt.date(2023, 11, 30)
        dates = list(task.occurrences.values_list("due_on", flat=True))
        # a reported (done) occurrence is kept; an untouched one is replaced
        assert dt.date(2023, 11, 30) in dates


@pytest.mark.parametrize(
    ("username", "short_name"),
    [
        ("dong.giangbien", "Đ/c Đông"),
        ("hoai.giangbien", "Đ/c Hoài"),
        ("tinh.giangbien", "Đ/c Tỉnh"),
    ],
)
def test_each_leader_sees_their_rows(login, plan, username, short_name):
    leader = person(short_name)
    rows = PlanRow.objects.filter(plan=plan, lead_person=leader)
    assert rows.exists()
    response = login(username).get(f"/plans/tasks/leader/{leader.pk}/?on={ON}")
    assert response.status_code == 200
    html = response.content.decode()
    for row in rows:
        assert f'id="row-{row.criterion_code}"' in html
    counts = dict((s, n) for s, _label, n in response.context["counts"])
    assert sum(counts.values()) == Task.objects.filter(row__lead_person=leader).count()
    assert counts[TaskStatus.OVERDUE] > 0  # something is late on 15/10/2023
    # Their own page lists their rows too
    mine = login(username).get(f"/plans/tasks/mine/?on={ON}")
    led = {t.pk for t in mine.context["tasks"] if t.row.lead_person_id == leader.pk}
    assert led == set(Task.objects.filter(row__lead_person=leader).values_list("pk", flat=True))


def test_mine_due_this_month_first_and_filter(login):
    response = login("hoai.giangbien").get(f"/plans/tasks/mine/?on={ON}")
    tasks = response.context["tasks"]
    first = tasks[0]
    assert first.next_due and (first.next_due.year, first.next_due.month) == (2023, 10)
    late = login("hoai.giangbien").get(f"/plans/tasks/mine/?on={ON}&status=overdue")
    assert late.context["tasks"]
    assert {t.shown_status for t in late.context["tasks"]} == {TaskStatus.OVERDUE}


def test_in_2026_everything_open_in_2023_is_overdue(plan):
    today = dt.date(2026, 1, 15)
    tasks = with_progress(Task.objects.filter(row__plan=plan, occurrences__isnull=False), today)
    statuses = {current_status(t, today) for t in tasks}
    assert statuses <= {TaskStatus.DONE, TaskStatus.OVERDUE}


def test_overdue_list_and_scope(login, plan):
    unit = plan.unit
    response = login("dong.giangbien").get(f"/plans/tasks/overdue/{unit.pk}/?on={ON}")
    assert response.status_code == 200
    assert response.context["tasks"]
    assert {t.shown_status for t in response.context["tasks"]} == {TaskStatus.OVERDUE}
    other = login("lanhdao.phucloi")
    assert other.get(f"/plans/tasks/overdue/{unit.pk}/").status_code == 404
    assert other.get(f"/plans/tasks/leader/{person('Đ/c Đông').pk}/").status_code == 404
    task = Task.objects.filter(row__plan=plan).first()
    assert other.get(f"/plans/tasks/{task.pk}/").status_code == 404
    assert not tasks_for_user(User.objects.get(username="lanhdao.phucloi")).exists()


def test_tdp_head_sees_tasks_of_the_wards_residential_groups(login, plan):
    user = User.objects.get(username="tdp01.giangbien")
    tasks = tasks_for_user(user)
    codes = set(tasks.values_list("row__criterion_code", flat=True))
    assert {"1.6", "1.1"} <= codes  # implementing 1.6, coordinating 1.1
    task = tasks.filter(row__criterion_code="1.1").first()
    assert login("tdp01.giangbien").get(f"/plans/tasks/{task.pk}/").status_code == 200


def test_calendar_lists_the_months_due_dates(login):
    response = login("hoai.giangbien").get("/plans/tasks/calendar/?month=2023-10&on=2023-10-15")
    assert response.status_code == 200
    days = response.context["days"]
    assert days and all(day.month == 10 and day.year == 2023 for day, _items in days)
    assert any(day == dt.date(2023, 10, 31) for day, _items in days)
    assert response.context["previous"] == "2023-09" and response.context["next"] == "2023-11"


def test_detail_update_and_mark_done(login, plan):
    leader = person("Đ/c Tỉnh")
    task = Task.objects.filter(row__lead_person=leader, status=TaskStatus.NOT_STARTED).first()
    client = login("tinh.giangbien")
    page = client.get(f"/plans/tasks/{task.pk}/")
    assert page.status_code == 200 and page.context["can_update"]
    response = client.post(
        f"/plans/tasks/{task.pk}/update/",
        {"note": "Đã họp triển khai", "percent": "30", "status": "in_progress", "on": "2023-10-01"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.percent) == (TaskStatus.IN_PROGRESS, 30)
    update = task.updates.get()
    assert update.on == dt.date(2023, 10, 1) and update.author.username == "tinh.giangbien"
    assert AuditEvent.objects.filter(action="task_update", object_id=str(task.pk)).exists()
    mark_done(update.author, task, on=dt.date(2023, 10, 20))
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_on == dt.date(2023, 10, 20)
    assert not task.occurrences.exclude(status=TaskStatus.DONE).exists()


def test_update_is_refused_for_a_viewer_and_validated(login, plan):
    task = Task.objects.filter(row__plan=plan).first()
    assert (
        login("xem.giangbien").post(f"/plans/tasks/{task.pk}/update/", {"note": "x"}).status_code
        == 403
    )
    with pytest.raises(TaskError):
        post_update(None, task, note="x", percent=120)
    with pytest.raises(TaskError):
        post_update(None, task, note="x", status=TaskStatus.OVERDUE)
    with pytest.raises(TaskError):
        post_update(None, task, note="  ")


def test_occurrence_done_leaves_the_task_open(plan):
    task = Task.objects.get(row__plan=plan, row__deadline_text="Hàng tuần")
    occurrence = task.occurrences.exclude(status=TaskStatus.DONE).first()
    mark_done(None, task, occurrence=occurrence, on=occurrence.due_on)
    occurrence.refresh_from_db()
    task.refresh_from_db()
    assert occurrence.status == TaskStatus.DONE and task.status != TaskStatus.DONE


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/plans/tasks/mine/?on=2023-10-15", 12),
        ("/plans/tasks/calendar/?month=2023-10", 12),
        ("/plans/tasks/leader/{leader}/?on=2023-10-15", 12),
        ("/plans/tasks/overdue/{unit}/?on=2023-10-15", 12),
    ],
)
def test_query_counts_do_not_grow_with_tasks(
    login, plan, django_assert_max_num_queries, url, limit
):
    url = url.format(leader=person("Đ/c Hoài").pk, unit=plan.unit.pk)
    client = login("hoai.giangbien")
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
