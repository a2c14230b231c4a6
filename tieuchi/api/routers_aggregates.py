"""GET /aggregates: the stored sums and verdicts of the ratio indicators by unit, indicator and
period (the aggregate sets the full recompute builds and every saved figure keeps current)."""

import datetime as dt
from typing import Annotated

from ninja import Query, Router
from ninja.pagination import paginate

from tieuchi.api.lookups import visible_catalog, visible_unit
from tieuchi.api.schemas.aggregates import AggregateOut
from tieuchi.api.schemas.common import Code, ErrorOut, Pages, Text
from tieuchi.evaluation.models import MeasureAggregate
from tieuchi.orgs.scope import visible_unit_ids

router = Router(tags=["results"])


@router.get(
    "/aggregates",
    response={200: list[AggregateOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tổng hợp theo kỳ của các chỉ tiêu tỷ lệ",
)
@paginate(Pages)
def aggregate_list(
    request,
    catalog: Annotated[Code, Query("", example="qd04-2022")] = "",
    as_of: dt.date | None = None,
    unit: Annotated[Code, Query("", example="00121")] = "",
    measure: Annotated[Code, Query("", example="2.5")] = "",
    period: Annotated[Text(10), Query("", example="2023-03")] = "",
):
    """Rows of the units the caller may see, by unit, catalog, date, indicator and period.

    `unit` (a code) narrows to that unit; a unit the caller may not see is a 404, like an
    unknown code. Σ tử số, Σ mẫu số, reported and expected are what the unit is judged on: its
    own figure when it has one, else the sum of its sub-units."""
    user = request.auth
    rows = MeasureAggregate.objects.filter(unit__in=visible_unit_ids(user))
    if catalog:
        rows = rows.filter(catalog__key=visible_catalog(user, catalog).key)
    if as_of:
        rows = rows.filter(as_of=as_of)
    if unit:
        rows = rows.filter(unit=visible_unit(user, unit, day=as_of))
    if measure:
        rows = rows.filter(measure__code=measure)
    if period:
        rows = rows.filter(period=period)
    return rows.select_related("unit", "catalog", "measure").order_by(
        "unit__path", "catalog__key", "-as_of", "measure__code", "period", "pk"
    )
