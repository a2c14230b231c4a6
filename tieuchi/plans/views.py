"""Plan pages: the list and the appendix table with filters and downloads."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from tieuchi.orgs.models import Organisation, Person
from tieuchi.plans.exports import plan_dict, plan_xlsx
from tieuchi.plans.filters import DEADLINE_CHOICES, PlanFilter
from tieuchi.plans.queries import plan_rows, plans_visible_to


def _plan(request, key: str):
    queryset = plans_visible_to(request.user).select_related(
        "unit", "legal_document", "parent_document", "catalog"
    )
    return get_object_or_404(queryset, key=key)


@login_required
def plan_list(request):
    plans = plans_visible_to(request.user).select_related("unit", "legal_document")
    return render(request, "plans/list.html", {"nav": "plans", "plans": list(plans)})


@login_required
def plan_detail(request, key: str):
    plan = _plan(request, key)
    filters = PlanFilter.from_query(request.GET)
    rows = list(filters.apply(plan_rows(plan)))
    context = {
        "nav": "plans",
        "plan": plan,
        "rows": rows,
        "filters": filters,
        "deadline_choices": DEADLINE_CHOICES,
        "leaders": list(Person.objects.filter(led_rows__plan=plan).distinct().order_by("id")),
        "organisations": list(
            Organisation.objects.filter(plan_parties__row__plan=plan)
            .distinct()
            .order_by("kind", "name")
        ),
        "rounds": list(plan.rounds.all()),
        "today": dt.date.today(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "plans/detail.html#table", context)
    return render(request, "plans/detail.html", context)


@login_required
def plan_json(request, key: str):
    return JsonResponse(plan_dict(_plan(request, key)), json_dumps_params={"ensure_ascii": False})


@login_required
def plan_download_xlsx(request, key: str):
    plan = _plan(request, key)
    response = HttpResponse(
        plan_xlsx(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.key}.xlsx"'
    return response
