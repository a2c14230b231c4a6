"""Finding what a request names (unit codes, catalog keys) within the caller's scope."""

import datetime as dt

from django.db.models import F

from tieuchi.api.errors import ApiError
from tieuchi.catalog.queries import catalogs_visible_to
from tieuchi.orgs.models import AdminUnit


def unit_by_code(queryset, code: str, day: dt.date | None = None) -> AdminUnit | None:
    """A unit by official code. Codes outlive reorganisations, so several rows may share one:
    the row valid on `day` wins, otherwise the newest."""
    units = queryset.filter(official_code=code)
    if day is not None:
        on_day = units.valid_on(day).order_by(F("valid_from").desc(nulls_last=True)).first()
        if on_day is not None:
            return on_day
    return units.order_by(F("valid_to").desc(nulls_first=True), "-pk").first()


def visible_unit(user, code: str, *, field: str = "unit", day=None) -> AdminUnit:
    """A unit the user may see; any other code is answered as if it did not exist (404)."""
    unit = unit_by_code(AdminUnit.objects.visible_to(user), code, day)
    if unit is None:
        raise ApiError(
            "not_found", f"Không có đơn vị mã '{code}' (hoặc bạn không được xem).", field=field
        )
    return unit


def visible_catalog(user, key: str, *, version: str | None = None, field: str = "catalog"):
    """The newest loaded version of a catalog (or the version asked for)."""
    catalogs = catalogs_visible_to(user).filter(key=key)
    if version:
        catalogs = catalogs.filter(version=version)
    catalog = catalogs.first()
    if catalog is None:
        what = f"'{key}'" + (f" phiên bản '{version}'" if version else "")
        raise ApiError("not_found", f"Không có bộ tiêu chí {what}.", field=field)
    return catalog
