"""GET /units: the unit tree on a date, as the caller may see it (same as /units/export.json)."""

import datetime as dt
from typing import Annotated

from ninja import Query, Router

from tieuchi.api.schemas.common import ErrorOut
from tieuchi.api.schemas.units import UnitTree
from tieuchi.orgs.queries import default_day, visible_tree

router = Router(tags=["units"])


@router.get(
    "/units",
    response={200: UnitTree, 401: ErrorOut, 422: ErrorOut},
    summary="Cây đơn vị hành chính vào một ngày",
)
def unit_tree(request, as_of: Annotated[dt.date | None, Query(None, example="2023-06-01")] = None):
    """The units valid on `as_of` (YYYY-MM-DD; default today, or the last day the caller's own
    units existed) that the caller may see: their own units and everything below them."""
    day = as_of or default_day(request.auth)
    return {
        "as_of": day,
        "units": [node.to_dict() for node in visible_tree(request.auth, day)],
    }
