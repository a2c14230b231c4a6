"""Evidence files (photos, PDFs, minutes): checked, stored once by content hash, linked, audited.

A file is stored at DATA_DIR/evidence/<sha256[:2]>/<sha256>: the same content uploaded twice (or
for two figures) is stored once, and each link is its own `Evidence` row. The type is decided by
the content's signature, never by the name or the browser's content type; the name's extension
must agree with it. Reading goes through `evidence_visible_to`, the same scope as every page.
"""

import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from tieuchi.accounts import audit
from tieuchi.accounts.roles import APPROVER_ROLES
from tieuchi.collection.models import Evidence, Observation
from tieuchi.collection.services import period_bounds
from tieuchi.collection.signals import figures_changed
from tieuchi.orgs.scope import can_act_on_unit, can_edit_unit, visible_unit_ids

MAX_EVIDENCE_BYTES = settings.MAX_EVIDENCE_MB * 1024 * 1024  # per file (documented setting)
CHUNK = 64 * 1024
NAME_MAX_LENGTH = Evidence._meta.get_field("original_name").max_length


@dataclass(frozen=True)
class FileType:
    content_type: str
    label: str  # shown in refusals
    extensions: tuple[str, ...]  # the first is added to a name that has none
    inline: bool  # browsers can show it in the page


JPEG = FileType("image/jpeg", "ảnh JPEG", (".jpg", ".jpeg", ".jfif"), True)
PNG = FileType("image/png", "ảnh PNG", (".png",), True)
HEIC = FileType("image/heic", "ảnh HEIC", (".heic", ".heif"), False)
PDF = FileType("application/pdf", "tệp PDF", (".pdf",), True)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "văn bản Word (.docx)",
    (".docx",),
    False,
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "bảng tính Excel (.xlsx)",
    (".xlsx",),
    False,
)
FILE_TYPES = (JPEG, PNG, HEIC, PDF, DOCX, XLSX)
BY_CONTENT_TYPE = {file_type.content_type: file_type for file_type in FILE_TYPES}
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
ALLOWED_TEXT = "ảnh JPEG, PNG, HEIC, tệp PDF, văn bản Word (.docx) hoặc bảng tính Excel (.xlsx)"


class EvidenceRejected(ValueError):
    """A file or a deletion that is refused, with the reason in Vietnamese."""


def evidence_root() -> Path:
    return Path(settings.DATA_DIR) / "evidence"


def stored_path(sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256")
    return evidence_root() / sha256[:2] / sha256


# --- type by content ------------------------------------------------------------------------------


def _office_type(path: Path) -> FileType | None:
    """DOCX or XLSX by the parts inside the ZIP container; macro-enabled documents are refused."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise EvidenceRejected(
            "Tệp có chứa macro (VBA); hãy lưu lại dưới dạng .docx hoặc .xlsx thông thường."
        )
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect_type(head: bytes, path: Path | None = None) -> FileType | None:
    """The file's type from its first bytes (and, for a ZIP, from its parts), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04") and path is not None:
        return _office_type(path)
    return None


def clean_name(name: str, file_type: FileType) -> str:
    """The original name without folders or control characters; the right extension if none."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    stem, extension = os.path.splitext(name)
    if not extension:
        stem, extension = name or "minh-chung", file_type.extensions[0]
    stem = stem[: NAME_MAX_LENGTH - len(extension)]
    return f"{stem}{extension}"


def _check_extension(name: str, file_type: FileType) -> None:
    extension = os.path.splitext(name)[1].lower()
    if extension and extension not in file_type.extensions:
        raise EvidenceRejected(
            f"Tên tệp có đuôi {extension} nhưng nội dung là {file_type.label}; "
            "hãy đặt đúng đuôi tệp hoặc chọn đúng tệp."
        )


# --- permissions ----------------------------------------------------------------------------------


def evidence_visible_to(user):
    """Evidence of the units the user may see: the only way evidence is read or served."""
    return Evidence.objects.filter(unit__in=visible_unit_ids(user))


def can_upload(user, unit) -> bool:
    """Whoever may change the unit's figures may attach evidence to them."""
    return can_edit_unit(user, unit)


def can_delete(user, evidence: Evidence) -> bool:
    """The uploader, or an approver of the unit (ward leader, administrator), if they may edit it."""
    if not can_edit_unit(user, evidence.unit):
        return False
    return evidence.uploaded_by_id == getattr(user, "pk", None) or can_act_on_unit(
        user, evidence.unit, APPROVER_ROLES
    )


# --- store and delete -----------------------------------------------------------------------------


def _snapshot(evidence: Evidence) -> dict:
    return {
        "sha256": evidence.sha256,
        "name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "unit": evidence.unit.official_code,
        "observation": evidence.observation_id,
        "node": evidence.node_id,
        "task_update": evidence.task_update_id,
        "description": evidence.description,
        "captured_on": evidence.captured_on.isoformat() if evidence.captured_on else None,
    }


def _receive(upload) -> tuple[Path, str, int, bytes]:
    """Copy the upload to a temporary file next to the store: (path, sha256, size, first bytes)."""
    declared = getattr(upload, "size", None)
    if declared is not None and declared > MAX_EVIDENCE_BYTES:
        raise EvidenceRejected(_too_big())
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    chunks = (
        upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    )
    with tempfile.NamedTemporaryFile(dir=root, prefix=".upload-", delete=False) as handle:
        path = Path(handle.name)
        try:
            for chunk in chunks:
                size += len(chunk)
                if size > MAX_EVIDENCE_BYTES:
                    raise EvidenceRejected(_too_big())
                if len(head) < 1024:
                    head += chunk[: 1024 - len(head)]
                digest.update(chunk)
                handle.write(chunk)
        except BaseException:
            handle.close()
            path.unlink(missing_ok=True)
            raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise EvidenceRejected("Tệp rỗng (0 byte).")
    return path, digest.hexdigest(), size, head


def _too_big() -> str:
    mib = MAX_EVIDENCE_BYTES // (1024 * 1024)
    return f"Tệp vượt quá giới hạn {mib} MB; hãy thu nhỏ ảnh hoặc tách thành nhiều tệp."


def _keep(temporary: Path, sha256: str) -> None:
    """Move the received file into the store, unless the same content is already there."""
    final = stored_path(sha256)
    if final.exists():
        temporary.unlink(missing_ok=True)
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary.chmod(0o640)
    os.replace(temporary, final)


def _refresh_results(observation: Observation | None) -> None:
    """Evidence of a figure counts in its verdict ("chưa đính kèm minh chứng"): re-evaluate."""
    if observation is None:
        return
    unit, catalog = observation.unit, observation.measure.node.catalog
    transaction.on_commit(
        lambda: figures_changed.send(sender=Observation, unit=unit, catalog=catalog)
    )


def store_evidence(
    actor,
    upload,
    *,
    unit,
    observation: Observation | None = None,
    node=None,
    task_update=None,
    description: str = "",
    captured_on=None,
    channel: str = "web",
) -> tuple[Evidence, bool]:
    """Check and store one uploaded file linked to a figure, a criterion, a task's progress
    update (plans.TaskUpdate, whose plan's unit is `unit`) or just the unit.

    Returns (evidence, created). The same content already linked to the same thing is not added
    twice: the existing row is returned with created=False.
    """
    if observation is not None:
        if observation.unit_id != unit.pk:
            raise EvidenceRejected("Số liệu được chọn không thuộc đơn vị này.")
        node = node or observation.measure.node
    if task_update is not None and task_update.task.row.plan.unit_id != unit.pk:
        raise EvidenceRejected("Cập nhật tiến độ được chọn không thuộc kế hoạch của đơn vị này.")
    temporary, sha256, size, head = _receive(upload)
    try:
        file_type = detect_type(head, temporary)
        if file_type is None:
            raise EvidenceRejected(f"Loại tệp không được nhận; chỉ nhận {ALLOWED_TEXT}.")
        name = clean_name(getattr(upload, "name", ""), file_type)
        _check_extension(name, file_type)
        _keep(temporary, sha256)
    finally:
        temporary.unlink(missing_ok=True)
    with transaction.atomic():
        existing = Evidence.objects.filter(
            sha256=sha256, unit=unit, observation=observation, node=node, task_update=task_update
        ).first()
        if existing is not None:
            return existing, False
        evidence = Evidence.objects.create(
            unit=unit,
            observation=observation,
            node=node,
            task_update=task_update,
            sha256=sha256,
            original_name=name,
            content_type=file_type.content_type,
            size=size,
            description=(description or "").strip(),
            captured_on=captured_on,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(actor, "upload", evidence, after=_snapshot(evidence), channel=channel)
        _refresh_results(observation)
    return evidence, True


def delete_evidence(actor, evidence: Evidence, *, channel: str = "web") -> None:
    """Remove one link; the file goes when no other link uses the same content."""
    observation = evidence.observation
    if observation is not None and observation.status == Observation.Status.APPROVED:
        raise EvidenceRejected(
            "Số liệu đã được duyệt và khóa; không thể xóa minh chứng của số liệu này."
        )
    sha256 = evidence.sha256
    with transaction.atomic():
        audit.record(actor, "delete", evidence, before=_snapshot(evidence), channel=channel)
        evidence.delete()
        _refresh_results(observation)

        def remove_unused_file():
            if not Evidence.objects.filter(sha256=sha256).exists():
                stored_path(sha256).unlink(missing_ok=True)

        transaction.on_commit(remove_unused_file)


# --- lists ----------------------------------------------------------------------------------------


def evidence_for_period(user, unit, period: str):
    """Evidence of the unit and the units below it for a period, as the user may see it.

    Evidence of a figure belongs to the figure's period; other evidence to the period holding
    its date (captured_on). Evidence with no figure and no date is listed for every period.
    """
    start, end = period_bounds(period)
    in_period = (
        Q(observation__period=period)
        | Q(observation__isnull=True, captured_on__range=(start, end))
        | Q(observation__isnull=True, captured_on__isnull=True)
    )
    return (
        evidence_visible_to(user)
        .filter(unit__path__startswith=unit.path)
        .filter(in_period)
        .select_related(
            "unit", "observation__measure", "node__catalog", "uploaded_by", "task_update__task"
        )
        .order_by("unit__path", "-uploaded_at", "-pk")
    )
