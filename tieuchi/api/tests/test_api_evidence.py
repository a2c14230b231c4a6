"""/api/v1/evidence: list (of a value, a criterion, a task's progress update), upload
(multipart) and download, with the evidence pages' scope, type and size checks, and audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.collection.models import Evidence, Observation
from tieuchi.collection.tests.test_evidence import JPEG, PDF
from tieuchi.plans.models import Task
from tieuchi.plans.tasks_service import post_update


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def send(client, content: bytes, name: str, **fields):
    """POST /evidence as multipart/form-data, the way a script or phone app sends a file."""
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return client.client.post("/api/v1/evidence", data, headers=client._headers(None))


def figure(code="6.1", unit="00121-TDP01") -> Observation:
    return Observation.objects.get(
        unit__official_code=unit,
        measure__code=code,
        measure__node__catalog__key="qd04-2022",
        period="2023",
    )


@pytest.mark.django_db
def test_a_photo_of_a_value_is_uploaded_listed_downloaded_and_audited(api):
    head = api("tdp01.giangbien")
    value = figure()
    response = send(head, JPEG, "so-theo-doi.jpg", observation=value.pk, description="Sổ tổ")
    assert response.status_code == 200, response.content
    saved = response.json()
    assert saved["created"] is True
    assert (saved["unit"], saved["name"], saved["content_type"]) == (
        "00121-TDP01",
        "so-theo-doi.jpg",
        "image/jpeg",
    )
    assert (saved["observation"], saved["criterion"], saved["catalog"]) == (
        value.pk,
        value.measure.node.code,
        "qd04-2022",
    )
    event = AuditEvent.objects.get(object_type="collection.evidence", object_id=str(saved["id"]))
    assert (event.action, event.channel, event.actor.username) == (
        "upload",
        "api",
        "tdp01.giangbien",
    )
    again = send(head, JPEG, "so-theo-doi.jpg", observation=value.pk)
    assert again.json()["created"] is False and again.json()["id"] == saved["id"]

    listed = head.get("/evidence", {"observation": value.pk}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == saved["id"]
    file = head.client.get(saved["download"], headers=head._headers(None))
    assert file.status_code == 200 and file["Content-Type"] == "image/jpeg"
    assert b"".join(file.streaming_content) == JPEG
    # The ward leader sees it; another ward's leader does not (404, as if it did not exist).
    assert api("dong.giangbien").get("/evidence", {"observation": value.pk}).json()["count"] == 1
    other = api("lanhdao.phucloi")
    assert other.get(saved["download"].removeprefix("/api/v1")).status_code == 404
    assert other.get("/evidence", {"observation": value.pk}).status_code == 404


@pytest.mark.django_db
def test_evidence_of_a_criterion_is_listed_by_catalog_and_criterion(api):
    officer = api("canbo.giangbien")
    response = send(officer, PDF, "bien-ban.pdf", unit="00121", catalog="qd04-2022", criterion="1")
    assert response.status_code == 200, response.content
    assert (response.json()["criterion"], response.json()["observation"]) == ("1", None)
    listed = officer.get("/evidence", {"unit": "00121", "catalog": "qd04-2022", "criterion": "1"})
    assert [item["name"] for item in listed.json()["items"]] == ["bien-ban.pdf"]
    only_catalog = officer.get("/evidence", {"catalog": "qd04-2022"})
    assert only_catalog.status_code == 422
    assert only_catalog.json()["error"]["code"] == "validation_error"


@pytest.mark.django_db
def test_evidence_of_a_task_update_goes_through_the_task_rights(api):
    task = Task.objects.filter(row__plan__unit__official_code="00121").order_by("pk").first()
    update = post_update(
        User.objects.get(username="canbo.giangbien"), task, note="Đã niêm yết", percent=50
    )
    response = send(api("canbo.giangbien"), JPEG, "niem-yet.jpg", task_update=update.pk)
    assert response.status_code == 200, response.content
    assert response.json()["task_update"] == update.pk
    assert Evidence.objects.get(task_update=update).unit.official_code == "00121"
    viewer = api("xem.giangbien")  # sees the task and its files, may not update it
    assert viewer.get("/evidence", {"task_update": update.pk}).json()["count"] == 1
    refused = send(viewer, JPEG, "khac.jpg", task_update=update.pk)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert send(api("lanhdao.phucloi"), JPEG, "x.jpg", task_update=update.pk).status_code == 404


@pytest.mark.parametrize(
    ("username", "fields", "status", "code"),
    [
        ("tdp01.giangbien", {"unit": "00121-TDP02"}, 404, "not_found"),  # not in their scope
        ("xem.giangbien", {"unit": "00121"}, 403, "forbidden"),  # a viewer
        ("tdp01.giangbien", {}, 422, "validation_error"),  # no target
        ("tdp01.giangbien", {"unit": "00121-TDP01", "observation": 1}, 422, "validation_error"),
    ],
)
@pytest.mark.django_db
def test_uploads_outside_the_rules_are_refused_and_store_nothing(
    api, username, fields, status, code
):
    before = Evidence.objects.count()
    response = send(api(username), JPEG, "anh.jpg", **fields)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert Evidence.objects.count() == before


@pytest.mark.django_db
def test_a_file_that_is_not_evidence_is_refused_with_the_reason(api):
    response = send(api("tdp01.giangbien"), b"MZ\x90\x00 exe", "anh.jpg", unit="00121-TDP01")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("validation_error", "file")
    assert error["message"].startswith("Loại tệp không được nhận")
    assert not Evidence.objects.filter(original_name="anh.jpg").exists()
