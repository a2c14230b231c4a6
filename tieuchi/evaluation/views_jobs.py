"""Full-recompute jobs: request one and watch its progress (system administrators)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.jobs import request_full_recompute
from tieuchi.evaluation.models import RecomputeJob
from tieuchi.orgs.scope import is_system_admin


def require_admin(request) -> None:
    if not is_system_admin(request.user):
        raise PermissionDenied


@login_required
def job_list(request):
    require_admin(request)
    error = ""
    if request.method == "POST":
        catalog = Catalog.objects.filter(pk=request.POST.get("catalog") or 0).first()
        try:
            as_of = dt.date.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            as_of = None
        if catalog is None or as_of is None:
            error = _("Chọn bộ tiêu chí và ngày đánh giá hợp lệ.")
        else:
            job = request_full_recompute(catalog, as_of, actor=request.user)
            return redirect("evaluation:job", pk=job.pk)
    context = {
        "jobs": list(RecomputeJob.objects.select_related("catalog", "requested_by")[:50]),
        "catalogs": list(Catalog.objects.order_by("key")),
        "error": error,
    }
    return render(request, "evaluation/jobs/list.html", context)


@login_required
def job_detail(request, pk: int):
    require_admin(request)
    job = get_object_or_404(RecomputeJob.objects.select_related("catalog", "requested_by"), pk=pk)
    template = (
        "evaluation/jobs/detail.html#progress"
        if request.headers.get("HX-Request")
        else "evaluation/jobs/detail.html"
    )
    return render(request, template, {"job": job})
