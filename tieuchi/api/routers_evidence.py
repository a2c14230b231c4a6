"""Evidence files through the API: list (of a value, a criterion or a task's progress update),
upload (multipart) and download, with the evidence pages' scope, limits and audit
(`collection.evidence`: type by content, size limit, stored by content hash, channel "api")."""

from typing import Annotated

from django.http import FileResponse
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tieuchi.api.errors import ApiError
from tieuchi.api.lookups import visible_catalog, visible_unit
from tieuchi.api.schemas.common import NO_NUL, Code, ErrorOut, Pages
from tieuchi.api.schemas.evidence import EvidenceOut, EvidenceSaved
from tieuchi.catalog.models import CatalogNode
from tieuchi.collection import evidence as service
from tieuchi.collection.models import Observation
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import TaskUpdate
from tieuchi.plans.tasks_service import can_update, task_scope

router = Router(tags=["evidence"])

MAX_ID = 2_147_483_647
Id = Annotated[int | None, Query(None, ge=1, le=MAX_ID)]
FormId = Annotated[int | None, Form(None, ge=1, le=MAX_ID)]


def FormText(max_length: int):  # noqa: N802
    """An optional form field: bounded text without NUL characters."""
    return Form("", max_length=max_length, pattern=NO_NUL)


FILE_TYPES = [file_type.content_type for file_type in service.FILE_TYPES]


def _observation(user, pk: int, field: str) -> Observation:
    found = (
        Observation.objects.filter(unit__in=visible_unit_ids(user), pk=pk)
        .select_related("unit", "measure__node")
        .first()
    )
    if found is None:
        raise ApiError(
            "not_found", f"Không có số liệu id {pk} (hoặc bạn không được xem).", field=field
        )
    return found


def _task_update(user, pk: int, field: str) -> TaskUpdate:
    found = (
        TaskUpdate.objects.filter(task__in=task_scope(user), pk=pk)
        .select_related(
            "task__row__plan__unit", "task__row__node", "task__row__lead_person", "task__person"
        )
        .first()
    )
    if found is None:
        message = f"Không có cập nhật tiến độ id {pk} (hoặc bạn không được xem)."
        raise ApiError("not_found", message, field=field)
    return found


def _node(user, catalog: str, criterion: str) -> CatalogNode:
    found = CatalogNode.objects.filter(
        catalog=visible_catalog(user, catalog), code=criterion
    ).first()
    if found is None:
        message = f"Bộ tiêu chí '{catalog}' không có tiêu chí '{criterion}'."
        raise ApiError("not_found", message, field="criterion")
    return found


@router.get(
    "/evidence",
    response={200: list[EvidenceOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Minh chứng: của một số liệu, một tiêu chí hoặc một cập nhật tiến độ",
)
@paginate(Pages)
def evidence_list(
    request,
    observation: Id = None,
    task_update: Id = None,
    unit: Annotated[Code, Query("", example="00121")] = "",
    catalog: Annotated[Code, Query("", example="qd04-2022")] = "",
    criterion: Annotated[Code, Query("", example="6.1")] = "",
):
    """Files the caller may see (those of the units in their scope), newest first, narrowed by
    `observation` (a value's id), `task_update` (a progress update's id), `unit` (a code: that
    unit and the units below it) and `catalog` + `criterion` (a criterion or indicator code:
    files linked to it or to its values)."""
    user = request.auth
    files = service.evidence_visible_to(user).select_related("unit", "node__catalog", "uploaded_by")
    if observation is not None:
        files = files.filter(observation=_observation(user, observation, "observation"))
    if task_update is not None:
        files = files.filter(task_update=_task_update(user, task_update, "task_update"))
    if unit:
        files = files.filter(unit__path__startswith=visible_unit(user, unit).path)
    if criterion or catalog:
        if not (criterion and catalog):
            message = "Lọc theo tiêu chí cần cả catalog và criterion."
            raise ApiError("validation_error", message, field="criterion")
        files = files.filter(node=_node(user, catalog, criterion))
    return files.order_by("-uploaded_at", "-pk")


@router.post(
    "/evidence",
    response={
        200: EvidenceSaved,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    summary="Tải lên một tệp minh chứng (multipart/form-data)",
)
def evidence_upload(
    request,
    file: File[UploadedFile],
    observation: FormId = None,
    task_update: FormId = None,
    unit: Annotated[str, FormText(30)] = "",
    catalog: Annotated[str, FormText(80)] = "",
    criterion: Annotated[str, FormText(20)] = "",
    description: Annotated[str, FormText(1000)] = "",
):
    """Attach one file to a value (`observation`: its id), to a task's progress update
    (`task_update`: its id), or to a unit (`unit`: its code), optionally for a criterion
    (`catalog` + `criterion`). Photos (JPEG, PNG, HEIC), PDF, Word (.docx) and Excel (.xlsx),
    recognised by their content, up to the size limit (TIEUCHI_MAX_EVIDENCE_MB). You must be
    allowed to enter the unit's figures (or, for a progress update, to update the task)."""
    user = request.auth
    targets = [observation is not None, task_update is not None, bool(unit)]
    if sum(targets) != 1:
        message = "Gửi đúng một trong observation, task_update hoặc unit."
        raise ApiError("validation_error", message, field="unit")
    found_observation = found_update = node = None
    if observation is not None:
        found_observation = _observation(user, observation, "observation")
        target_unit = found_observation.unit
        allowed = service.can_upload(user, target_unit)
    elif task_update is not None:
        found_update = _task_update(user, task_update, "task_update")
        target_unit = found_update.task.row.plan.unit
        node = found_update.task.row.node
        allowed = can_update(user, found_update.task)
    else:
        target_unit = visible_unit(user, unit)
        allowed = service.can_upload(user, target_unit)
    if not allowed:
        message = f"Bạn không có quyền thêm minh chứng cho {target_unit.name}."
        raise ApiError("forbidden", message, field="unit")
    if criterion or catalog:
        if not (criterion and catalog) or found_update is not None:
            message = "catalog và criterion đi cùng nhau, với unit hoặc observation."
            raise ApiError("validation_error", message, field="criterion")
        node = _node(user, catalog, criterion)
    try:
        saved, created = service.store_evidence(
            user,
            file,
            unit=target_unit,
            observation=found_observation,
            node=node,
            task_update=found_update,
            description=description,
            captured_on=found_update.on if found_update else None,
            channel="api",
        )
    except service.EvidenceRejected as exc:
        raise ApiError("validation_error", str(exc), field="file") from exc
    saved.created = created
    return saved


@router.get(
    "/evidence/{evidence_id}/file",
    response={401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp minh chứng, đúng loại đã lưu.",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in FILE_TYPES
                },
            }
        }
    },
    summary="Tải một tệp minh chứng",
)
def evidence_file(request, evidence_id: Annotated[int, Path(..., ge=1, le=MAX_ID)]):
    """The stored file, as an attachment; 404 for a file outside the caller's scope."""
    found = service.evidence_visible_to(request.auth).filter(pk=evidence_id).first()
    path = service.stored_path(found.sha256) if found else None
    if found is None or not path.exists():
        raise ApiError(
            "not_found",
            f"Không có minh chứng id {evidence_id} (hoặc bạn không được xem).",
            field="evidence_id",
        )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
