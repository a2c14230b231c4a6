"""Evidence of a task's progress update: uploaded from the task page (a phone's camera too),
listed there and in the unit's evidence list, counted under its criterion, served only within
the unit's scope, and audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.collection.evidence import store_evidence
from tieuchi.collection.models import Evidence
from tieuchi.collection.tests.test_evidence import JPEG, PDF
from tieuchi.plans.models import Task
from tieuchi.plans.tasks_service import post_update


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def update(db):
    """A progress update of a task of Giang Biên's plan, by the ward officer."""
    task = (
        Task.objects.filter(row__plan__unit__official_code="00121", row__node__isnull=False)
        .order_by("pk")
        .first()
    )
    officer = User.objects.get(username="canbo.giangbien")
    return post_update(officer, task, note="Đã niêm yết tại nhà văn hóa", percent=50)


def attach(client, update, content: bytes, name: str, field="photo"):
    files = {field: SimpleUploadedFile(name, content, content_type="application/octet-stream")}
    return client.post(
        f"/data/evidence/task-updates/{update.pk}/", {**files, "description": "Ảnh bảng tin"}
    )


@pytest.mark.django_db
def test_a_photo_is_attached_to_a_progress_update_and_listed_on_the_task(login, update):
    officer = login("canbo.giangbien")
    page = officer.get(f"/plans/tasks/{update.task_id}/").content.decode()
    assert f'action="/data/evidence/task-updates/{update.pk}/"' in page
    assert 'capture="environment"' in page and 'accept="image/*,application/pdf"' in page

    response = attach(officer, update, JPEG, "bang-tin.jpg")
    assert response.status_code == 302
    assert response["Location"] == f"/plans/tasks/{update.task_id}/#update-{update.pk}"
    evidence = Evidence.objects.get(task_update=update)
    assert evidence.unit == update.task.row.plan.unit
    assert evidence.node == update.task.row.node  # counted under the criterion in the scorecard
    assert (evidence.content_type, evidence.description) == ("image/jpeg", "Ảnh bảng tin")
    assert evidence.captured_on == update.on
    event = AuditEvent.objects.get(object_type="collection.evidence", object_id=str(evidence.pk))
    assert (event.action, event.channel, event.actor.username) == (
        "upload",
        "web",
        "canbo.giangbien",
    )
    assert event.after["task_update"] == update.pk

    page = officer.get(f"/plans/tasks/{update.task_id}/").content.decode()
    assert f'href="/data/evidence/{evidence.pk}/file/">bang-tin.jpg</a>' in page
    assert officer.get(f"/data/evidence/{evidence.pk}/file/").getvalue() == JPEG
    year = update.on.year
    listed = officer.get(f"/data/evidence/unit/{evidence.unit_id}/{year}/").content.decode()
    assert "bang-tin.jpg" in listed and "Cập nhật tiến độ:" in listed


@pytest.mark.django_db
def test_the_task_page_reads_evidence_in_a_fixed_number_of_queries(login, update):
    officer = login("canbo.giangbien")
    attach(officer, update, JPEG, "mot.jpg")
    url = f"/plans/tasks/{update.task_id}/"
    officer.get(url)
    with CaptureQueriesContext(connection) as one:
        officer.get(url)
    second = post_update(update.author, update.task, note="Thêm ảnh", percent=80)
    attach(officer, second, PDF, "bien-ban.pdf", field="file")
    attach(officer, second, b"\x89PNG\r\n\x1a\n" + b"\x01" * 80, "anh.png")
    with CaptureQueriesContext(connection) as three:
        page = officer.get(url).content.decode()
    assert "bien-ban.pdf" in page and "anh.png" in page and "mot.jpg" in page
    assert len(three) == len(one)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("xem.giangbien", 403),  # sees the task, may not update it
        ("lanhdao.phucloi", 404),  # another ward: the update does not exist for them
    ],
)
@pytest.mark.django_db
def test_only_those_who_may_update_the_task_attach_files(login, update, username, status):
    assert attach(login(username), update, JPEG, "x.jpg").status_code == status
    assert not Evidence.objects.filter(task_update=update).exists()


@pytest.mark.django_db
def test_a_task_file_is_served_only_within_the_units_scope(login, update):
    attach(login("canbo.giangbien"), update, PDF, "bien-ban.pdf", field="file")
    evidence = Evidence.objects.get(task_update=update)
    assert login("xem.giangbien").get(f"/data/evidence/{evidence.pk}/file/").status_code == 200
    assert login("lanhdao.phucloi").get(f"/data/evidence/{evidence.pk}/file/").status_code == 404


@pytest.mark.django_db
def test_a_refused_file_says_why_and_stores_nothing(login, update):
    officer = login("canbo.giangbien")
    response = attach(officer, update, b"MZ\x90\x00 not a photo", "virus.jpg")
    assert response.status_code == 302
    page = officer.get(response["Location"]).content.decode()
    assert "virus.jpg: Loại tệp không được nhận" in page
    assert not Evidence.objects.filter(task_update=update).exists()


@pytest.mark.django_db
def test_the_scorecard_links_each_criterions_evidence_to_the_list(login, update):
    """The ward's scorecard counts a criterion's files and links to the unit's evidence list."""
    officer = User.objects.get(username="canbo.giangbien")
    ward = update.task.row.plan.unit
    node = update.task.row.node
    store_evidence(
        officer, SimpleUploadedFile("bien-ban.pdf", PDF), unit=ward, node=node, channel="web"
    )
    page = login("dong.giangbien").get(reverse("evaluation:scorecard", args=[ward.pk]))
    html = page.content.decode()
    run = page.context["run"]
    link = f'href="/data/evidence/unit/{ward.pk}/{run.as_of.year}/?node={node.code}&amp;catalog='
    assert link in html
    listed = login("dong.giangbien").get(f"/data/evidence/unit/{ward.pk}/{run.as_of.year}/")
    assert "bien-ban.pdf" in listed.content.decode()
