"""Evidence: checked by content, stored once by hash, linked, served only within scope, audited."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.catalog.models import Measure
from tieuchi.collection import evidence as service
from tieuchi.collection.models import Evidence, Observation
from tieuchi.collection.services import save_observation
from tieuchi.collection.signals import figures_changed
from tieuchi.orgs.models import AdminUnit

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 50


def office(main_part: str, *, macro: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        if macro:
            archive.writestr(main_part.split("/")[0] + "/vbaProject.bin", b"\x00")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def tdp01(db):
    return AdminUnit.objects.get(official_code="00121-TDP01")


@pytest.fixture
def head(db):
    return User.objects.get(username="tdp01.giangbien")


def observation(unit, code="6.1", period="2023") -> Observation:
    return Observation.objects.get(
        unit=unit, measure__code=code, measure__node__catalog__key="qd04-2022", period=period
    )


def page(unit, period="2023") -> str:
    return f"/data/evidence/unit/{unit.pk}/{period}/"


def upload(client, unit, content: bytes, name: str, period="2023", **fields):
    data = {"link": "unit", "description": "", "captured_on": "", **fields}
    data["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(page(unit, period), data)


@pytest.mark.django_db
def test_a_photo_is_stored_by_hash_linked_and_audited(login, tdp01, head, data_dir):
    figure = observation(tdp01)
    response = upload(
        login("tdp01.giangbien"),
        tdp01,
        JPEG,
        "ảnh họp tổ.jpg",
        link=f"obs:{figure.pk}",
        description="Họp tổ tháng 11",
        captured_on="2023-11-12",
    )
    assert response.status_code == 302, response.content.decode()
    evidence = Evidence.objects.get(unit=tdp01)
    sha = hashlib.sha256(JPEG).hexdigest()
    assert (evidence.sha256, evidence.content_type, evidence.size) == (sha, "image/jpeg", len(JPEG))
    assert (evidence.observation, evidence.node, evidence.uploaded_by) == (
        figure,
        figure.measure.node,
        head,
    )
    assert evidence.original_name == "ảnh họp tổ.jpg"
    assert evidence.captured_on.isoformat() == "2023-11-12"
    stored = data_dir / "evidence" / sha[:2] / sha
    assert stored.read_bytes() == JPEG
    assert [p.name for p in (data_dir / "evidence").iterdir()] == [sha[:2]]  # no temporary left
    event = AuditEvent.objects.get(object_type="collection.evidence", object_id=str(evidence.pk))
    assert (event.action, event.actor, event.channel) == ("upload", head, "web")
    assert event.after["sha256"] == sha and event.after["observation"] == figure.pk


@pytest.mark.django_db
def test_the_same_content_is_stored_once(tdp01, head, data_dir):
    figure = observation(tdp01)
    first, created = service.store_evidence(
        head, SimpleUploadedFile("a.pdf", PDF), unit=tdp01, observation=figure
    )
    again, created_again = service.store_evidence(
        head, SimpleUploadedFile("b.pdf", PDF), unit=tdp01, observation=figure
    )
    other, created_other = service.store_evidence(
        head, SimpleUploadedFile("c.pdf", PDF), unit=tdp01, node=figure.measure.node.parent
    )
    assert (created, created_again, created_other) == (True, False, True)
    assert again.pk == first.pk and other.pk != first.pk
    files = [p for p in (data_dir / "evidence").rglob("*") if p.is_file()]
    assert files == [service.stored_path(hashlib.sha256(PDF).hexdigest())]
    assert (
        AuditEvent.objects.filter(object_type="collection.evidence", action="upload").count() == 2
    )


@pytest.mark.django_db
def test_a_file_is_served_only_to_those_who_may_see_the_unit(login, tdp01, head):
    evidence, _ = service.store_evidence(
        head, SimpleUploadedFile("biên bản họp.pdf", PDF), unit=tdp01
    )
    url = f"/data/evidence/{evidence.pk}/file/"
    for username in ["tdp01.giangbien", "dong.giangbien", "kiemtra.longbien", "admin"]:
        response = login(username).get(url)
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert (
            "filename*=utf-8''bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf"
            in (response["Content-Disposition"])
        )
    download = login("tdp01.giangbien").get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    # Another ward, and the TDP next door: exactly like a file that does not exist.
    tdp02_head = User.objects.create(username="tdp02.giangbien")
    tdp02_head.memberships.create(
        unit=AdminUnit.objects.get(official_code="00121-TDP02"), role="tdp_head"
    )
    for client in [login("lanhdao.phucloi"), login("tdp02.giangbien")]:
        assert client.get(url).status_code == 404
        assert client.get("/data/evidence/999999/file/").status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"MZ\x90\x00 not an image", "anh.jpg", "Loại tệp không được nhận"),
        (b"<html><script>alert(1)</script></html>", "trang.pdf", "Loại tệp không được nhận"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "hinh.svg", "Loại tệp không được nhận"),
        (PNG, "anh.pdf", "có đuôi .pdf nhưng nội dung là ảnh PNG"),
        (PDF, "bien-ban.exe", "có đuôi .exe nhưng nội dung là tệp PDF"),
        (office("xl/workbook.xml", macro=True), "so-lieu.xlsx", "có chứa macro"),
        (b"PK\x03\x04 broken zip", "so-lieu.xlsx", "Loại tệp không được nhận"),
        (b"", "rong.jpg", "Tệp rỗng"),
    ],
)
@pytest.mark.django_db
def test_a_file_of_the_wrong_type_is_refused(login, tdp01, data_dir, content, name, reason):
    response = upload(login("tdp01.giangbien"), tdp01, content, name)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()
    assert not [p for p in data_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PNG, "so-do.png", "image/png"),
        (HEIC, "IMG_0001.HEIC", "image/heic"),
        (office("word/document.xml"), "bien-ban.docx", service.DOCX.content_type),
        (office("xl/workbook.xml"), "so-lieu.xlsx", service.XLSX.content_type),
        (JPEG, "image", "image/jpeg"),
    ],
)
@pytest.mark.django_db
def test_accepted_types_are_recognised_by_content(tdp01, head, content, name, content_type):
    evidence, created = service.store_evidence(head, SimpleUploadedFile(name, content), unit=tdp01)
    assert created and evidence.content_type == content_type
    assert evidence.original_name == (name if name != "image" else "image.jpg")


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(login, tdp01, data_dir, monkeypatch):
    monkeypatch.setattr(service, "MAX_EVIDENCE_BYTES", 1024)
    response = upload(login("tdp01.giangbien"), tdp01, JPEG + b"\x00" * 2000, "lon.jpg")
    assert response.status_code == 400
    assert "Tệp vượt quá giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not [p for p in data_dir.rglob("*") if p.is_file()]

    class Lying:
        """An upload whose declared size is small but whose content is not."""

        name, size = "lon.jpg", 10

        def chunks(self, size):
            yield JPEG
            yield b"\x00" * 2000

    with pytest.raises(service.EvidenceRejected, match="vượt quá giới hạn"):
        service.store_evidence(None, Lying(), unit=tdp01)
    assert not [p for p in data_dir.rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_the_page_lists_the_period_and_lets_phones_use_the_camera(login, tdp01, head):
    figure = observation(tdp01)
    service.store_evidence(head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01, observation=figure)
    response = login("tdp01.giangbien").get(page(tdp01) + f"?observation={figure.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'capture="environment"' in html and 'accept="image/*,application/pdf"' in html
    assert 'enctype="multipart/form-data"' in html
    assert f'value="obs:{figure.pk}" selected' in html
    assert "a.jpg" in html and "Số liệu 6.1, kỳ 2023" in html
    # The ward leader sees the TDPs' evidence on the ward's page; another period does not list it.
    ward = AdminUnit.objects.get(official_code="00121")
    assert "a.jpg" in login("dong.giangbien").get(page(ward)).content.decode()
    assert "a.jpg" not in login("dong.giangbien").get(page(ward, "2022")).content.decode()
    assert login("lanhdao.phucloi").get(page(tdp01)).status_code == 404
    assert login("tdp01.giangbien").get(page(tdp01, "2023-13")).status_code == 404
    index = login("tdp01.giangbien").get("/data/evidence/")
    assert index.status_code == 302 and index["Location"] == page(tdp01)


@pytest.mark.django_db
def test_a_viewer_sees_the_list_but_cannot_upload(login, tdp01):
    viewer = login("xem.giangbien")
    html = viewer.get(page(tdp01)).content.decode()
    assert "Chưa có minh chứng nào" in html and 'type="file"' not in html
    assert upload(viewer, tdp01, JPEG, "a.jpg").status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_deleting_is_audited_and_the_file_goes_with_its_last_link(
    login, tdp01, head, data_dir, django_capture_on_commit_callbacks
):
    draft = save_observation(
        head,
        tdp01,
        Measure.objects.get(code="8.2", node__catalog__key="qd04-2022"),
        "2024",
        {"numerator": 1, "denominator": 2},
        expected_version=None,
    )
    first, _ = service.store_evidence(
        head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01, observation=draft
    )
    second, _ = service.store_evidence(head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01)
    path = service.stored_path(first.sha256)
    client = login("tdp01.giangbien")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/data/evidence/{first.pk}/delete/", {"next": page(tdp01, "2024")})
    assert response.status_code == 302 and response["Location"] == page(tdp01, "2024")
    assert not Evidence.objects.filter(pk=first.pk).exists()
    assert path.exists()  # still used by the second link
    event = AuditEvent.objects.get(
        object_type="collection.evidence", object_id=str(first.pk), action="delete"
    )
    assert (event.actor, event.before["sha256"]) == (head, first.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/data/evidence/{second.pk}/delete/")
    assert not path.exists()


@pytest.mark.django_db
def test_who_may_delete(login, tdp01, head):
    approved = observation(tdp01)
    locked, _ = service.store_evidence(
        head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01, observation=approved
    )
    response = login("tdp01.giangbien").post(f"/data/evidence/{locked.pk}/delete/", follow=True)
    assert "đã được duyệt và khóa" in response.content.decode()
    assert Evidence.objects.filter(pk=locked.pk).exists()
    free, _ = service.store_evidence(head, SimpleUploadedFile("b.pdf", PDF), unit=tdp01)
    # Another editor of the ward who is not an approver and did not upload it: refused.
    refused = login("canbo.giangbien").post(f"/data/evidence/{free.pk}/delete/", follow=True)
    assert "không có quyền xóa" in refused.content.decode()
    # Outside the scope: as if it did not exist.
    assert login("lanhdao.phucloi").post(f"/data/evidence/{free.pk}/delete/").status_code == 404
    # The ward leader may.
    login("dong.giangbien").post(f"/data/evidence/{free.pk}/delete/")
    assert not Evidence.objects.filter(pk=free.pk).exists()


@pytest.mark.django_db
def test_evidence_of_a_figure_refreshes_its_results(
    tdp01, head, django_capture_on_commit_callbacks
):
    received = []

    def listener(sender, unit, catalog, **kwargs):
        received.append((unit.official_code, catalog.key))

    figures_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            service.store_evidence(
                head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01, observation=observation(tdp01)
            )
        for callback in callbacks:
            callback()
    finally:
        figures_changed.disconnect(listener)
    assert received == [("00121-TDP01", "qd04-2022")]


@pytest.mark.django_db
def test_a_figure_of_another_unit_cannot_be_the_link(tdp01, head):
    other = observation(AdminUnit.objects.get(official_code="00121-TDP02"))
    with pytest.raises(service.EvidenceRejected, match="không thuộc đơn vị này"):
        service.store_evidence(
            head, SimpleUploadedFile("a.jpg", JPEG), unit=tdp01, observation=other
        )
