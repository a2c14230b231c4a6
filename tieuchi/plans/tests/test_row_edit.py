"""Ward leaders correct plan rows; nobody else can, and a stale form never overwrites."""

import datetime as dt

import pytest

from tieuchi.accounts.models import AuditEvent
from tieuchi.orgs.models import Person
from tieuchi.plans.models import PlanRow
from tieuchi.plans.services import row_version

URL = "/plans/giang-bien-2023/rows/{code}/edit/"


def form_data(row: PlanRow, **changes) -> dict:
    data = {
        "solution": row.solution,
        "lead_person": row.lead_person_id or "",
        "implementing": "Bộ phận DC-XD",
        "coordinating": "Các TDP; Tổ TTXD",
        "deadline_text": row.deadline_text,
        "note": "",
        "version": row_version(row),
    }
    data.update(changes)
    return data


def row(code: str) -> PlanRow:
    return PlanRow.objects.get(plan__key="giang-bien-2023", criterion_code=code)


@pytest.mark.django_db
def test_it_saves_a_leaders_correction_with_a_reparsed_deadline_and_one_audit_event():
    from django.test import Client

    from tieuchi.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="dong.giangbien"))
    target = row("1.4")
    hoai = Person.objects.get(short_name="Đ/c Hoài")
    before_events = AuditEvent.objects.count()
    response = client.post(
        URL.format(code="1.4"),
        form_data(
            target, deadline_text="Tháng 12/2023", lead_person=hoai.pk, solution="Giải pháp mới"
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.deadline_kind == "month"
    assert target.deadline_due == dt.date(2023, 12, 31)
    assert target.lead_person == hoai
    assert target.solution == "Giải pháp mới"
    assert [p.display_name for p in target.parties.order_by("role", "position")] != []
    assert target.flags == []
    assert AuditEvent.objects.count() == before_events + 1
    event = AuditEvent.objects.first()
    assert (event.action, event.object_type, event.channel) == ("update", "plans.planrow", "web")
    assert event.before["deadline_text"] == "Năm 2023"
    assert event.after["deadline_text"] == "Tháng 12/2023"


@pytest.mark.django_db
def test_it_flags_units_it_cannot_recognise(login):
    target = row("1.4")
    client = login("hoai.giangbien")
    client.post(URL.format(code="1.4"), form_data(target, implementing="Ban Quản lý dự án XYZ"))
    target.refresh_from_db()
    assert "Chưa nhận ra đơn vị 'Ban Quản lý dự án XYZ'" in target.flags


@pytest.mark.django_db
def test_it_refuses_a_stale_form_and_keeps_the_other_persons_change(login):
    target = row("2.1")
    stale = row_version(target)
    first = login("tinh.giangbien")
    assert (
        first.post(
            URL.format(code="2.1"), form_data(target, solution="Bản của Đ/c Tỉnh")
        ).status_code
        == 302
    )
    second = login("dong.giangbien")
    response = second.post(
        URL.format(code="2.1"), form_data(target, solution="Bản cũ", version=stale), follow=True
    )
    target.refresh_from_db()
    assert target.solution == "Bản của Đ/c Tỉnh"
    assert "vừa được" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("dong.giangbien", 200),
        ("tinh.giangbien", 200),
        ("canbo.giangbien", 403),
        ("xem.giangbien", 403),
        ("tdp01.giangbien", 404),  # the TDP head cannot even see the ward's plan
        ("kiemtra.longbien", 403),  # inspectors read, they do not rewrite the ward's plan
        ("lanhdao.phucloi", 404),  # another ward: the plan does not exist for them
    ],
)
@pytest.mark.django_db
def test_only_the_wards_leaders_may_open_or_post_the_form(login, username, status):
    client = login(username)
    target = row("3.1")
    assert client.get(URL.format(code="3.1")).status_code == status
    response = client.post(URL.format(code="3.1"), form_data(target, solution="Sửa trái phép"))
    target.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
    else:
        assert response.status_code == status
        assert target.solution != "Sửa trái phép"
