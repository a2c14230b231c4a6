"""Tasks follow their plan row after a row edit or a Word import; progress reports are never lost."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.orgs.models import Person
from tieuchi.plans.models import PlanRow, Task, TaskUpdate
from tieuchi.plans.services import row_version, update_plan_row
from tieuchi.plans.tasks_service import generate_tasks, post_update
from tieuchi.plans.tests.docx_builders import build_plan_docx, giang_bien_rows

pytestmark = pytest.mark.django_db


def row(code: str) -> PlanRow:
    return PlanRow.objects.select_related("plan").get(
        plan__key="giang-bien-2023", criterion_code=code
    )


def edit(code: str, **changes) -> PlanRow:
    current = row(code)
    data = {
        "solution": current.solution,
        "lead_person": current.lead_person,
        "implementing": "; ".join(
            p.text for p in current.parties.all() if p.role == "implementing"
        ),
        "coordinating": "; ".join(
            p.text for p in current.parties.all() if p.role == "coordinating"
        ),
        "deadline_text": current.deadline_text,
        "note": current.note,
    }
    data.update(changes)
    actor = User.objects.get(username="dong.giangbien")
    return update_plan_row(actor, current, data, expected_version=row_version(current))


def tasks_of(code: str) -> dict[str, Task]:
    return {t.party_text: t for t in Task.objects.filter(row=row(code)).order_by("pk")}


def test_a_new_unit_gets_a_task_and_a_reported_unit_that_left_is_closed_with_its_reports():
    before = tasks_of("6.1")
    reported = before["Bộ phận LĐTB&X H"]
    reports = TaskUpdate.objects.filter(task=reported).count()
    assert reports >= 1
    saved = edit("6.1", implementing="Bộ phận VHXH; Công an phường")
    assert saved.task_sync.created == 2 and saved.task_sync.closed == 1
    after = tasks_of("6.1")
    assert set(after) == {"Bộ phận LĐTB&X H", "Bộ phận VHXH", "Công an phường"}
    kept = after["Bộ phận LĐTB&X H"]
    assert kept.pk == reported.pk and kept.closed_on is not None
    assert f"giữ lại {reports} cập nhật" in kept.closed_reason
    assert TaskUpdate.objects.filter(task=kept).count() == reports
    for new in ("Bộ phận VHXH", "Công an phường"):
        assert [o.due_on for o in after[new].occurrences.all()] == [dt.date(2023, 11, 30)]
    event = AuditEvent.objects.filter(action="update", object_id=str(saved.pk)).first()
    assert event.after["tasks"]["closed"] == 1


def test_an_unreported_task_of_a_unit_that_left_is_deleted():
    edit("6.1", implementing="Bộ phận LĐTB&X H; Công an phường")
    assert "Công an phường" in tasks_of("6.1")
    saved = edit("6.1", implementing="Bộ phận LĐTB&X H")
    assert saved.task_sync.removed == 1 and saved.task_sync.closed == 0
    assert set(tasks_of("6.1")) == {"Bộ phận LĐTB&X H"}


def test_a_closed_task_reopens_when_its_unit_comes_back():
    edit("6.1", implementing="Công an phường")
    saved = edit("6.1", implementing="Bộ phận LĐTB&X H; Công an phường")
    assert saved.task_sync.reopened == 1
    task = tasks_of("6.1")["Bộ phận LĐTB&X H"]
    assert task.closed_on is None and task.closed_reason == ""


def test_a_new_deadline_moves_open_occurrences_and_keeps_reported_ones():
    task = tasks_of("6.1")["Bộ phận LĐTB&X H"]
    assert [o.due_on for o in task.occurrences.all()] == [dt.date(2023, 11, 30)]
    edit("6.1", deadline_text="Quý III/2023")
    assert [o.due_on for o in task.occurrences.all()] == [dt.date(2023, 9, 30)]
    task.refresh_from_db()
    assert task.due_on == dt.date(2023, 9, 30)
    occurrence = task.occurrences.get()
    post_update(None, task, note="Đã làm", status="done", occurrence=occurrence, channel="system")
    edit("6.1", deadline_text="Tháng 12/2023")
    dues = [o.due_on for o in task.occurrences.all()]
    assert dues == [dt.date(2023, 9, 30), dt.date(2023, 12, 31)]


def test_a_new_leader_sees_the_row_in_their_view(login):
    tinh = Person.objects.get(
        short_name="Đ/c Tỉnh", organisation__admin_unit__official_code="00121"
    )
    url = f"/plans/tasks/leader/{tinh.pk}/?on=2023-10-15"
    assert "6.1 " not in login("tinh.giangbien").get(url).content.decode()
    edit("6.1", lead_person=tinh)
    assert "6.1 " in login("tinh.giangbien").get(url).content.decode()


def test_saving_the_same_row_again_changes_no_task():
    edit("6.1", implementing="Bộ phận VHXH")
    snapshot = list(Task.objects.filter(row=row("6.1")).values().order_by("pk"))
    saved = edit("6.1", implementing="Bộ phận VHXH")
    assert not saved.task_sync.changed
    assert list(Task.objects.filter(row=row("6.1")).values().order_by("pk")) == snapshot
    assert not generate_tasks(row("6.1").plan).changed


def test_the_row_edit_page_says_what_happened_to_the_tasks(login):
    client = login("dong.giangbien")
    current = row("6.1")
    data = {
        "solution": current.solution,
        "lead_person": current.lead_person_id,
        "implementing": "Công an phường",
        "coordinating": "",
        "deadline_text": current.deadline_text,
        "note": "",
        "version": row_version(current),
    }
    page = client.post("/plans/giang-bien-2023/rows/6.1/edit/", data, follow=True)
    text = page.content.decode()
    assert "1 việc đóng lại và giữ nguyên báo cáo tiến độ" in text
    closed = tasks_of("6.1")["Bộ phận LĐTB&X H"]
    detail = client.get(f"/plans/tasks/{closed.pk}/").content.decode()
    assert f"Việc đã đóng ngày {closed.closed_on:%d/%m/%Y}" in detail
    mine = login("dong.giangbien").get("/plans/tasks/mine/?on=2023-10-15").content.decode()
    assert f"/plans/tasks/{closed.pk}/" not in mine


def test_confirming_a_word_import_makes_the_tasks_follow_the_new_rows(login, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    rows = giang_bien_rows()
    changed = next(r for r in rows if r["code"] == "6.1")
    changed["implementing"] = "Công an phường"
    client = login("dong.giangbien")
    upload = client.post(
        "/plans/import/",
        {"plan": "giang-bien-2023", "file": SimpleUploadedFile("kh68.docx", build_plan_docx(rows))},
    )
    review_url = upload["Location"]
    review = client.get(review_url).content.decode()
    assert "Việc đã có báo cáo tiến độ không bị xóa" in review
    form = {f"code_{i}": r["code"] for i, r in enumerate(rows, start=1)} | {"confirm": "1"}
    page = client.post(review_url, form, follow=True).content.decode()
    assert "1 việc đóng lại" in page
    after = tasks_of("6.1")
    assert after["Bộ phận LĐTB&X H"].closed_on is not None
    assert after["Công an phường"].closed_on is None
    event = AuditEvent.objects.filter(action="import_docx").first()
    assert event.after["tasks"]["created"] == 1
    # The same document again changes nothing.
    client.post(review_url, form)
    again = AuditEvent.objects.filter(action="import_docx").first().after["tasks"]
    assert again["unchanged"] == Task.objects.filter(row__plan__key="giang-bien-2023").count() - 1
    assert not any(value for key, value in again.items() if key != "unchanged")
