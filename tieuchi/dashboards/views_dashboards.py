"""The ward dashboard, the district (or city) dashboard with its .xlsx downloads, and "Tổng quan":
the dashboard of the user's own unit. Thin views over queries_ward and queries_district."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.catalog.services import latest_catalog
from tieuchi.core.xlsx_tables import xlsx_response
from tieuchi.dashboards import exports, page_cache
from tieuchi.dashboards.queries_district import district_dashboard, is_city, newest_ward_run
from tieuchi.dashboards.queries_ward import ward_dashboard
from tieuchi.evaluation.queries_matrix import matrix_parent
from tieuchi.evaluation.queries_scorecard import default_catalog
from tieuchi.evaluation.selection import catalog_or_404, parse_day
from tieuchi.orgs.models import AdminUnit, UnitLevel
from tieuchi.orgs.scope import home_unit


def dashboard_url(unit: AdminUnit | None) -> str | None:
    """The dashboard that fits a unit: a ward's own, or the district (city) one above wards."""
    if unit is None:
        return None
    if unit.level == UnitLevel.COMMUNE:
        return reverse("dashboards:ward", args=[unit.pk])
    if unit.level in (UnitLevel.DISTRICT, UnitLevel.PROVINCE):
        return reverse("dashboards:district", args=[unit.pk])
    return None


@login_required
def mine(request):
    """The "Tổng quan" menu: the dashboard of the user's own (highest) unit."""
    unit = home_unit(request.user)
    if unit is not None and unit.level == UnitLevel.RESIDENTIAL_GROUP:
        ward = AdminUnit.objects.visible_to(request.user).filter(pk=unit.parent_id).first()
        unit = ward or unit
    return redirect(dashboard_url(unit) or reverse("home"))


@login_required
def ward(request, unit_id: int):
    units = AdminUnit.objects.visible_to(request.user).select_related("parent")
    unit = get_object_or_404(units, pk=unit_id)
    if unit.level in (UnitLevel.DISTRICT, UnitLevel.PROVINCE):
        return redirect("dashboards:district", unit_id=unit.pk)
    if unit.level != UnitLevel.COMMUNE:
        raise Http404(_("Trang tổng quan chỉ có cho phường, xã."))
    today = timezone.localdate()
    # The criteria set for this type of ward unless asked otherwise (not a programme's indicators).
    catalog = catalog_or_404(request.GET.get("catalog")) or default_catalog(unit.unit_type)
    board = ward_dashboard(unit, catalog, today)
    run = board.run
    if run is not None:
        by = f"round={run.round_id}" if run.round_id else f"as_of={run.as_of.isoformat()}"
        scorecard_query = f"catalog={run.catalog.key}&{by}"
    else:
        scorecard_query = ""
    context = {
        "nav": "dashboards",
        "unit": unit,
        "board": board,
        "chart": board.chart(),
        "scorecard_query": scorecard_query,
        "district": unit.parent if unit.parent_id else None,
    }
    return render(request, "dashboards/ward.html", context)


def _parent(request, unit_id: int) -> AdminUnit:
    """The district or city, if the user may see it or a ward below it; 404 otherwise."""
    parent = matrix_parent(request.user, unit_id)
    if parent is None or parent.level == UnitLevel.RESIDENTIAL_GROUP:
        raise Http404(_("Đơn vị này không có hoặc không thuộc phạm vi của bạn."))
    return parent


def _board(request, parent: AdminUnit):
    """(board, whether a bad date was given) for the district page and its downloads."""
    catalog = catalog_or_404(request.GET.get("catalog"))
    newest = newest_ward_run(request.user, parent, catalog)
    if catalog is None:
        catalog = latest_catalog(newest.catalog.key) if newest else default_catalog()
        if catalog is None:
            raise Http404(_("Chưa nạp bộ tiêu chí nào."))
    given = request.GET.get("as_of")
    as_of = parse_day(given) or (newest.as_of if newest else timezone.localdate())
    return district_dashboard(request.user, parent, catalog, as_of), bool(given) and not parse_day(
        given
    )


@login_required
def district(request, unit_id: int):
    # The board is cached per scope and results version (page_cache); the key is read first.
    key = page_cache.board_key(request, unit_id)
    page = page_cache.cached_board(key)
    if page is None:
        parent = _parent(request, unit_id)
        if parent.level == UnitLevel.COMMUNE:
            return redirect("dashboards:ward", unit_id=parent.pk)
        page = page_cache.store_board(key, _district_board(request, parent))
    return render(request, "dashboards/district.html", {"nav": "dashboards", "page": page})


def _district_board(request, parent: AdminUnit) -> dict:
    """The board's HTML, rendered without the request: nothing in it may depend on the reader
    beyond their scope (which is part of the cache key)."""
    board, bad_date = _board(request, parent)
    query = f"catalog={board.catalog.key}&as_of={board.as_of.isoformat()}"
    for line in board.lines:
        line.scorecard_url = reverse("evaluation:scorecard", args=[line.unit.pk])
        line.dashboard_url = reverse("dashboards:ward", args=[line.unit.pk])
    ranking = board.ranking()
    context = {
        "board": board,
        "ranking": ranking,
        "totals": board.totals,
        "chart": board.chart(),
        "bad_date": bad_date,
        "city": is_city(board.parent),
        "scorecard_query": query,
        "download_query": query,
    }
    body = render_to_string("dashboards/_district_board.html", context)
    return {"title": str(board.parent), "charts": bool(ranking), "body": body}


@login_required
def district_xlsx(request, unit_id: int, table: str):
    board, _bad_date = _board(request, _parent(request, unit_id))
    if table == "heatmap":
        export, name = exports.heatmap_table(board), "bang-nhiet"
    elif table == "ranking":
        export, name = exports.ranking_table(board), "xep-hang"
    else:
        raise Http404
    filename = f"{name}-{board.parent.official_code}-{board.as_of.isoformat()}.xlsx"
    return xlsx_response(export.to_bytes(), filename)
