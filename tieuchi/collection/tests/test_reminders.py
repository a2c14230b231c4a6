"""Completeness and timeliness of a period's figures, and reminders to the units still missing."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from tieuchi.accounts.models import User
from tieuchi.accounts.roles import Role
from tieuchi.catalog.models import Catalog
from tieuchi.collection import entry, reminders
from tieuchi.collection.models import Reminder, ReportingWindow, Submission
from tieuchi.collection.services import save_observation
from tieuchi.orgs.models import AdminUnit, Membership

CATALOG = "qd04-2022"


def unit(code: str) -> AdminUnit:
    return AdminUnit.objects.get(official_code=code)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def catalog(db):
    return Catalog.objects.get(key=CATALOG)


@pytest.fixture
def head13(db):
    head = User.objects.create(
        username="tdp13.giangbien", full_name="Tổ trưởng TDP số 13", email="to13@example.vn"
    )
    Membership.objects.create(user=head, unit=unit("00121-TDP13"), role=Role.TDP_HEAD)
    return head


def window(catalog, due_on: dt.date) -> ReportingWindow:
    return ReportingWindow.objects.create(
        catalog=catalog, period="2023", opens_on=dt.date(2023, 1, 1), due_on=due_on
    )


def submit_tdp13(head, catalog, *, at: dt.datetime | None = None) -> Submission:
    tdp13 = unit("00121-TDP13")
    for code, figures in {"6.1": (700, 760), "8.2": (2100, 2280)}.items():
        measure = catalog.nodes.get(code=code).measures.get()
        save_observation(
            head,
            tdp13,
            measure,
            "2023",
            {"numerator": figures[0], "denominator": figures[1]},
            expected_version=None,
        )
    submission = entry.apply_transition(head, "submit", tdp13, catalog, "2023")
    if at is not None:
        Submission.objects.filter(pk=submission.pk).update(submitted_at=at)
    return submission


@pytest.mark.django_db
def test_completeness_lists_each_tdp_with_status_and_what_is_missing(catalog):
    report = entry.completeness(unit("00121"), catalog, "2023")
    assert len(report.children) == 20
    by_name = {c.unit.name: c for c in report.children}
    # The demo's figures were approved one by one: those TDPs count as approved.
    assert by_name["Tổ dân phố số 1"].state == "approved"
    assert (by_name["Tổ dân phố số 13"].filled, by_name["Tổ dân phố số 13"].required) == (5, 7)
    assert [c.unit.name for c in report.missing] == ["Tổ dân phố số 7", "Tổ dân phố số 13"]


@pytest.mark.parametrize(
    ("due_on", "submitted_on", "timeliness"),
    [
        (dt.date(2024, 1, 15), dt.date(2024, 1, 10), "Đúng hạn"),
        (dt.date(2024, 1, 15), dt.date(2024, 1, 15), "Đúng hạn"),
        (dt.date(2024, 1, 15), dt.date(2024, 1, 18), "Muộn 3 ngày"),
        (None, dt.date(2024, 1, 18), "Đã gửi"),
    ],
)
@pytest.mark.django_db
def test_a_submission_is_on_time_or_late_against_the_due_date(
    catalog, head13, due_on, submitted_on, timeliness
):
    if due_on:
        window(catalog, due_on)
    moment = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(16, 30)))
    submit_tdp13(head13, catalog, at=moment)
    report = entry.completeness(unit("00121"), catalog, "2023", today=dt.date(2024, 2, 1))
    tdp13 = next(c for c in report.children if c.unit.official_code == "00121-TDP13")
    assert (tdp13.state, tdp13.timeliness) == ("submitted", timeliness)
    tdp7 = next(c for c in report.children if c.unit.official_code == "00121-TDP07")
    assert tdp7.missing
    assert tdp7.timeliness == ("Quá hạn 17 ngày" if due_on else "Chưa gửi")


@pytest.mark.django_db
def test_the_completeness_page_for_the_ward(login, catalog, head13):
    window(catalog, dt.date(2024, 1, 15))
    submit_tdp13(head13, catalog)
    response = login("canbo.giangbien").get(f"/data/completeness/{unit('00121').pk}/2023/")
    assert response.status_code == 200
    page = text(response)
    assert "Tình hình nộp số liệu: Phường Giang Biên – năm 2023" in page
    assert "Hạn nộp: 15/01/2024" in page and "Đã gửi: 19/20" in page and "Chưa gửi: 1" in page
    assert re.search(r"Tổ dân phố số 13 Đã gửi, chờ duyệt 7/7 \d\d:\d\d \d\d/\d\d/\d{4} Muộn", page)
    assert re.search(r"Tổ dân phố số 7 Đang nhập 6/7 — Quá hạn \d+ ngày", page)
    assert "Gửi nhắc nhở" in page
    # A TDP head sees only their own TDP: the ward's page is not theirs.
    assert (
        login("tdp01.giangbien").get(f"/data/completeness/{unit('00121').pk}/2023/").status_code
        == 404
    )


@pytest.mark.django_db
def test_the_district_sees_its_wards(login, catalog):
    response = login("kiemtra.longbien").get(f"/data/completeness/{unit('004').pk}/2023/")
    assert response.status_code == 200
    report = entry.completeness(unit("004"), catalog, "2023")
    assert len(report.children) == 14
    assert all(child.unit.level == "commune" for child in report.children)
    assert "Phường Giang Biên" not in [c.title for c in report.children if c.submitted]


@pytest.mark.django_db
def test_a_reminder_goes_in_the_app_and_by_mail_and_never_twice(login, catalog, head13):
    tdp13 = unit("00121-TDP13")
    window(catalog, dt.date(2099, 1, 15))  # not yet due: a "before_due" reminder
    officer = login("canbo.giangbien")
    url = f"/data/completeness/{unit('00121').pk}/2023/remind/?catalog={CATALOG}"
    first = officer.post(url, follow=True)
    assert "Đã gửi nhắc nhở cho 2 đơn vị: Tổ dân phố số 7, Tổ dân phố số 13" in text(first)
    sent = Reminder.objects.get(unit=tdp13)
    assert (sent.kind, sent.period) == ("before_due", "2023")
    assert sent.recipients == [
        {"username": "tdp13.giangbien", "name": "Tổ trưởng TDP số 13", "email": "to13@example.vn"}
    ]
    assert [m.to for m in mail.outbox] == [["to13@example.vn"]]  # TDP 7 has no account
    assert "Nhắc nộp số liệu năm 2023 – Tổ dân phố số 13" in mail.outbox[0].subject
    assert "Hạn nộp: 15/01/2099" in mail.outbox[0].body
    assert f"/data/units/{tdp13.pk}/2023/?catalog={CATALOG}" in mail.outbox[0].body
    # In the app: the TDP's own entry page shows it.
    page = text(login("tdp13.giangbien").get(f"/data/units/{tdp13.pk}/2023/"))
    assert "Nhắc nhở" in page and "hạn nộp 15/01/2099" in page

    again = officer.post(url, follow=True)
    assert "Không gửi nhắc nhở mới nào; bỏ qua 2 đơn vị đã được nhắc" in text(again)
    assert Reminder.objects.filter(unit=tdp13).count() == 1 and len(mail.outbox) == 1
    # Once the due date has passed, an "overdue" reminder is a new kind: sent once more.
    outcome = reminders.send_reminders(
        unit("00121"), catalog, "2023", today=dt.date(2099, 1, 16), only=tdp13
    )
    assert [r.kind for r in outcome.sent] == ["overdue"]
    assert Reminder.objects.filter(unit=tdp13).count() == 2 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_only_those_who_collect_the_figures_send_reminders(login):
    url = f"/data/completeness/{unit('00121').pk}/2023/remind/?catalog={CATALOG}"
    assert login("xem.giangbien").post(url).status_code == 403
    assert login("tdp01.giangbien").post(url).status_code == 404
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_send_reminders_command_for_cron(catalog, head13):
    out = StringIO()
    call_command("send_reminders", "--period", "2023", "--unit", "00121", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == [
        "Phường Giang Biên › Tổ dân phố số 7: đã nhắc (before_due, 0 người nhận)",
        "Phường Giang Biên › Tổ dân phố số 13: đã nhắc (before_due, 1 người nhận)",
    ]
    assert lines[-1] == (
        "qd04-2022 năm 2023: gửi 2 nhắc nhở, bỏ qua 0 đơn vị đã được nhắc, 1 thư điện tử."
    )
    again = StringIO()
    call_command("send_reminders", "--period", "2023", "--unit", "00121", stdout=again)
    assert again.getvalue().splitlines()[-1] == (
        "qd04-2022 năm 2023: gửi 0 nhắc nhở, bỏ qua 2 đơn vị đã được nhắc, 0 thư điện tử."
    )


@pytest.mark.django_db
def test_send_reminders_without_a_unit_covers_every_reporting_level(catalog):
    out = StringIO()
    call_command("send_reminders", "--period", "2023", stdout=out)
    sent = {r.unit.level for r in Reminder.objects.select_related("unit")}
    assert sent == {"residential_group", "commune"}  # TDPs of Giang Biên and wards of Long Biên
    assert not Reminder.objects.filter(unit__official_code="00121-TDP01").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2023-13"], "Kỳ '2023-13' không hợp lệ"),
        (["--period", "2023", "--catalog", "khong-co"], "Chưa nạp bộ tiêu chí 'khong-co'"),
        (["--period", "2023", "--unit", "99999"], "Không có đơn vị mã '99999'"),
        (["--period", "2023", "--date", "15/01/2024"], "Ngày '15/01/2024' không hợp lệ"),
    ],
)
@pytest.mark.django_db
def test_send_reminders_refuses_bad_arguments_in_vietnamese(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_reminders", *args)
