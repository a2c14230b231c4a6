"""The landing page: what the user is responsible for, at a glance."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from tieuchi.catalog.models import Catalog
from tieuchi.dashboards.views_dashboards import dashboard_url
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import active_memberships, home_unit
from tieuchi.plans.queries import plans_visible_to


@login_required
def home(request):
    plans = list(plans_visible_to(request.user).select_related("unit", "legal_document"))
    memberships = list(active_memberships(request.user))
    unit = home_unit(request.user)
    context = {
        "unit": unit,
        "memberships": memberships,
        "dashboards": _dashboards([m.unit for m in memberships] or [unit]),
        "plans": plans,
        "catalogs": list(Catalog.objects.select_related("legal_document").order_by("key")),
        "unit_count": AdminUnit.objects.visible_to(request.user).count(),
    }
    return render(request, "dashboards/home.html", context)


def _dashboards(units) -> list[tuple[object, str]]:
    """(unit, dashboard address) for each of the user's own units that has a dashboard."""
    links = {}
    for unit in sorted((u for u in units if u is not None), key=lambda u: u.path):
        url = dashboard_url(unit)
        if url:
            links.setdefault(url, (unit, url))
    return list(links.values())


def healthz(request):
    """For load balancers and monitoring: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable", status=503)
    return JsonResponse({"status": "ok"})
