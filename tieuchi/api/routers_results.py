"""GET /results: the current evaluation runs of the units the caller may see."""

from typing import Annotated

from ninja import Query, Router
from ninja.pagination import paginate

from tieuchi.api.lookups import visible_catalog, visible_unit
from tieuchi.api.schemas.common import Code, ErrorOut, Pages
from tieuchi.api.schemas.results import ResultOut
from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.scope import visible_unit_ids

router = Router(tags=["results"])


@router.get(
    "/results",
    response={200: list[ResultOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Kết quả đánh giá hiện hành",
)
@paginate(Pages)
def result_list(
    request,
    unit: Annotated[Code, Query("", example="00121")] = "",
    catalog: Annotated[Code, Query("", example="qd04-2022")] = "",
    subtree: bool = False,
):
    """Current runs (one per unit, catalog, date and round), newest date first per unit.

    `unit` (a code) narrows to that unit, and with `subtree=true` to the units below it too;
    a unit the caller may not see is a 404, exactly like an unknown code."""
    user = request.auth
    runs = EvaluationRun.objects.filter(unit__in=visible_unit_ids(user), is_current=True)
    if unit:
        found = visible_unit(user, unit)
        runs = (
            runs.filter(unit__path__startswith=found.path) if subtree else runs.filter(unit=found)
        )
    if catalog:
        runs = runs.filter(catalog__key=visible_catalog(user, catalog).key)
    return (
        runs.select_related("unit", "catalog", "round")
        .defer("inputs")
        .order_by("unit__path", "catalog__key", "-as_of", "round__number", "-pk")
    )
