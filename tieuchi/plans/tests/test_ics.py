"""The personal calendar feed: RFC 5545 text, secret address, revocation."""

import datetime as dt

import pytest

from tieuchi.accounts.models import User
from tieuchi.plans import ics
from tieuchi.plans.models import CalendarToken, TaskOccurrence
from tieuchi.plans.tasks_service import tasks_for_user


def unfold(text: str) -> list[str]:
    """A tiny RFC 5545 reader: CRLF lines, continuation lines start with a space."""
    assert text.endswith("\r\n")
    raw = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in raw)
    assert all(len(line.encode("utf-8")) <= 75 for line in raw)
    lines = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def test_escape_and_fold():
    assert ics.escape("a, b; c\\d\ne") == "a\\, b\\; c\\\\d\\ne"
    long = "SUMMARY:" + "Tổng vệ sinh môi trường, khơi thông cống rãnh; " * 5
    folded = ics.fold(long)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long


def test_calendar_structure():
    events = [
        ics.Event("a@x", dt.date(2023, 10, 31), "Hạn: 1.1 Quy hoạch, chỉnh trang; đô thị"),
        ics.Event("b@x", dt.date(2023, 11, 30), "Hạn: 2.1", description="Thực hiện: TDP"),
    ]
    lines = unfold(ics.calendar(events, name="Lịch", now=dt.datetime(2023, 1, 1, tzinfo=dt.UTC)))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and lines.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20231031" in lines and "DTEND;VALUE=DATE:20231101" in lines
    assert "SUMMARY:Hạn: 1.1 Quy hoạch\\, chỉnh trang\\; đô thị" in lines
    assert "DTSTAMP:20230101T000000Z" in lines


@pytest.mark.django_db
def test_feed_by_secret_address_and_revocation(login, client):
    hoai = login("hoai.giangbien")
    response = hoai.post("/plans/tasks/calendar/token/", follow=True)
    message = str(list(response.context["messages"])[0])
    url = message.split(": ", 1)[1].strip()
    path = url.split("testserver", 1)[1]
    assert path.startswith("/plans/tasks/calendar/") and path.endswith(".ics")
    token = path.rsplit("/", 1)[1][: -len(".ics")]
    assert len(token) >= 32
    stored = CalendarToken.objects.get(user__username="hoai.giangbien")
    assert token not in stored.token_hash  # only the hash is kept

    feed = client.get(path)  # no login
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    lines = unfold(feed.content.decode("utf-8"))
    user = User.objects.get(username="hoai.giangbien")
    expected = TaskOccurrence.objects.filter(task__in=tasks_for_user(user)).count()
    assert lines.count("BEGIN:VEVENT") == expected > 0
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == expected
    assert all(
        line.startswith("DTSTART;VALUE=DATE:") and len(line) == len("DTSTART;VALUE=DATE:") + 8
        for line in lines
        if line.startswith("DTSTART")
    )
    assert any(line.startswith("SUMMARY:Hạn: ") for line in lines)

    assert hoai.post(f"/plans/tasks/calendar/token/{stored.pk}/revoke/").status_code == 302
    assert client.get(path).status_code == 404
    assert client.get("/plans/tasks/calendar/not-a-real-token.ics").status_code == 404
    # Another user cannot revoke someone else's token
    other = login("dong.giangbien")
    assert other.post(f"/plans/tasks/calendar/token/{stored.pk}/revoke/").status_code == 404
