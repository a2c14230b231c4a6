"""GET /catalogs and /catalogs/{key}: criteria sets and programmes (public legal data)."""

from typing import Annotated

from ninja import Path, Router
from ninja.pagination import paginate

from tieuchi.api.lookups import visible_catalog
from tieuchi.api.schemas.catalogs import CatalogOut, CatalogSummary
from tieuchi.api.schemas.common import Code, ErrorOut, Pages
from tieuchi.catalog.queries import catalog_dict, catalogs_visible_to

router = Router(tags=["catalogs"])


@router.get(
    "/catalogs",
    response={200: list[CatalogSummary], 401: ErrorOut, 422: ErrorOut},
    summary="Danh sách bộ tiêu chí (mọi phiên bản đã nạp)",
)
@paginate(Pages)
def catalog_list(request):
    return catalogs_visible_to(request.auth)


@router.get(
    "/catalogs/{key}",
    response={200: CatalogOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    exclude_unset=True,
    summary="Một bộ tiêu chí với cây tiêu chí, chỉ số đo và ngưỡng",
)
def catalog_detail(
    request, key: Annotated[Code, Path(..., example="qd04-2022")], version: Code = ""
):
    """The newest loaded version unless `version` is given; the shape of `tieuchi export catalog`."""
    return catalog_dict(visible_catalog(request.auth, key, version=version, field="key"))
