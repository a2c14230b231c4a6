"""Task reminders: before the due date and when overdue, in the app and by email, only once."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from tieuchi.accounts.models import User
from tieuchi.plans.models import Notification, Task, TaskOccurrence, TaskStatus
from tieuchi.plans.reminders import send_task_reminders, send_task_reminders_job

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 10, 25)


@pytest.fixture(autouse=True)
def emails():
    for username in ("dong.giangbien", "hoai.giangbien", "tinh.giangbien"):
        User.objects.filter(username=username).update(email=f"{username}@example.vn")


def test_reminders_are_sent_once():
    outcome = send_task_reminders(today=DAY)
    assert outcome.notifications and outcome.emails > 0
    notifications = Notification.objects.count()
    sent_mail = len(mail.outbox)
    assert notifications == len(outcome.notifications)
    assert sent_mail == outcome.emails
    assert {"[tieuchi]" in m.subject for m in mail.outbox} == {True}

    again = send_task_reminders(today=DAY)
    assert again.notifications == [] and again.emails == 0
    assert again.skipped == len(outcome.notifications)
    assert Notification.objects.count() == notifications
    assert len(mail.outbox) == sent_mail


def test_before_and_overdue_reminders_reach_leader_and_implementers():
    send_task_reminders(today=DAY)
    keys = set(Notification.objects.values_list("key", flat=True))
    assert any(k.endswith(":before") for k in keys)
    assert any(k.endswith(":overdue") for k in keys)
    # 31/10/2023 is within 7 days: every open occurrence due then is announced to its leader
    occurrence = (
        TaskOccurrence.objects.filter(
            due_on=dt.date(2023, 10, 31), task__row__lead_person__user__isnull=False
        )
        .exclude(status=TaskStatus.DONE)
        .exclude(task__status=TaskStatus.DONE)
        .select_related("task__row__lead_person")
        .first()
    )
    leader = occurrence.task.row.lead_person.user
    note = Notification.objects.get(user=leader, key=f"task-occurrence:{occurrence.pk}:before")
    assert "Sắp đến hạn" in note.text and note.url == f"/plans/tasks/{occurrence.task_id}/"
    # The reminder shows on the leader's page
    assert note.text in _mine(leader)


def _mine(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get("/plans/tasks/mine/").content.decode()


def test_done_tasks_are_not_reminded():
    Task.objects.update(status=TaskStatus.DONE)
    assert send_task_reminders(today=DAY).notifications == []


def test_command_and_worker_task(capsys):
    call_command("send_task_reminders", "--today", "2023-10-25")
    first = capsys.readouterr().out
    assert "Đã tạo" in first and Notification.objects.exists()
    call_command("send_task_reminders", "--today", "2023-10-25")
    assert "Đã tạo 0 nhắc nhở" in capsys.readouterr().out
    result = send_task_reminders_job.call("2023-10-25")
    assert result["notifications"] == 0 and result["skipped"] > 0
