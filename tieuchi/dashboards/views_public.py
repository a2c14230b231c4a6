"""Public pages, no login: the wards that chose to publish, and one ward's published result.

Responses may be cached by browsers and proxies for five minutes; the language cookie is the only
thing that changes them. The templates use no session, user or CSRF token.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from tieuchi.dashboards.queries_public import public_criteria, publication_of, published
from tieuchi.evaluation.verdict_display import verdict_view

PUBLIC_CACHE = {"public": True, "max_age": 300}


@require_safe
@cache_control(**PUBLIC_CACHE)
@vary_on_cookie
def public_list(request):
    publications = list(published().order_by("unit__official_code"))
    return render(request, "dashboards/public/list.html", {"publications": publications})


@require_safe
@cache_control(**PUBLIC_CACHE)
@vary_on_cookie
def public_unit(request, unit_code: str):
    publication = publication_of(unit_code)
    if publication is None:
        raise Http404(_("Đơn vị này chưa công khai kết quả."))
    run = publication.published_run
    context = {
        "publication": publication,
        "unit": publication.unit,
        "run": run,
        "overall": verdict_view(run.verdict),
        "criteria": public_criteria(run.result),
    }
    return render(request, "dashboards/public/unit.html", context)
