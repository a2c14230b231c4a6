"""Programme 02 dashboard: each indicator of a programme against its target, with trajectory."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog
from tieuchi.catalog.services import latest_catalog
from tieuchi.dashboards.queries_programme import programme_progress
from tieuchi.orgs.models import AdminUnit


@login_required
def programme(request, catalog_key: str, unit_id: int):
    """A unit outside the user's scope answers 404, exactly like a unit that does not exist."""
    unit = get_object_or_404(AdminUnit.objects.visible_to(request.user), pk=unit_id)
    catalog = latest_catalog(catalog_key)
    if catalog is None or catalog.kind != Catalog.Kind.PROGRAMME:
        raise Http404(_("Không có chương trình “%(key)s”.") % {"key": catalog_key})
    progress = programme_progress(unit, catalog, timezone.localdate())
    context = {"progress": progress, "nav": "evaluation"}
    return render(request, "dashboards/programme.html", context)
