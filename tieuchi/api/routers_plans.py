"""GET /plans and /plans/{key}: the plans of the units the caller may see."""

from typing import Annotated

from ninja import Path, Router
from ninja.pagination import paginate

from tieuchi.api.errors import ApiError
from tieuchi.api.schemas.common import Code, ErrorOut, Pages
from tieuchi.api.schemas.plans import PlanOut, PlanSummary
from tieuchi.plans.exports import plan_dict
from tieuchi.plans.queries import plans_visible_to

router = Router(tags=["plans"])


def _plans(user):
    return plans_visible_to(user).select_related("legal_document", "unit", "catalog")


@router.get(
    "/plans",
    response={200: list[PlanSummary], 401: ErrorOut, 422: ErrorOut},
    summary="Danh sách kế hoạch trong phạm vi của bạn",
)
@paginate(Pages)
def plan_list(request):
    return _plans(request.auth)


@router.get(
    "/plans/{key}",
    response={200: PlanOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    exclude_unset=True,
    summary="Một kế hoạch với mọi dòng của phụ lục",
)
def plan_detail(request, key: Annotated[Code, Path(..., example="giang-bien-2023")]):
    """The shape of `tieuchi export plan`. A plan outside the caller's scope is a 404."""
    plan = _plans(request.auth).filter(key=key).first()
    if plan is None:
        raise ApiError(
            "not_found", f"Không có kế hoạch '{key}' (hoặc bạn không được xem).", field="key"
        )
    return plan_dict(plan)
