"""The ward leader's switch for the public page: publish the current result, or take it down."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tieuchi.dashboards.models import Publication
from tieuchi.dashboards.services import can_publish, publish, unpublish
from tieuchi.evaluation.queries_scorecard import current_run, default_catalog
from tieuchi.orgs.models import AdminUnit


@login_required
def publication(request, unit_id: int):
    unit = get_object_or_404(AdminUnit.objects.visible_to(request.user), pk=unit_id)
    catalog = default_catalog(unit.unit_type)
    run = current_run(unit, catalog) if catalog else None
    allowed = can_publish(request.user, unit)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied(_("Chỉ lãnh đạo phường mới được công khai kết quả của phường."))
        if request.POST.get("action") == "unpublish":
            unpublish(unit, actor=request.user)
            messages.success(request, _("Đã thôi công khai kết quả của %(unit)s.") % {"unit": unit})
        elif run is None:
            messages.error(request, _("Đơn vị chưa có kết quả đánh giá để công khai."))
        else:
            publish(unit, run, actor=request.user, note=request.POST.get("note", "")[:1000])
            messages.success(request, _("Đã công khai kết quả của %(unit)s.") % {"unit": unit})
        return redirect("dashboards:publication", unit_id=unit.pk)
    current = Publication.objects.filter(unit=unit).select_related("published_run").first()
    context = {"unit": unit, "run": run, "current": current, "allowed": allowed}
    return render(request, "dashboards/publication.html", context)
