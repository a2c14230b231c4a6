"""Unit pages: the tree on a date and one unit's details."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from tieuchi.orgs.models import AdminUnit, Organisation, Person
from tieuchi.orgs.queries import default_day, visible_tree
from tieuchi.orgs.tree import flatten


def asked_day(request) -> dt.date | None:
    text = request.GET.get("as_of", "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@login_required
def tree(request):
    day = asked_day(request) or default_day(request.user)
    forest = visible_tree(request.user, day)
    context = {
        "nav": "units",
        "day": day,
        "rows": list(flatten(forest)),
        "bad_date": bool(request.GET.get("as_of")) and asked_day(request) is None,
    }
    return render(request, "orgs/tree.html", context)


@login_required
def tree_json(request):
    day = asked_day(request) or default_day(request.user)
    forest = visible_tree(request.user, day)
    return JsonResponse(
        {"as_of": day.isoformat(), "units": [node.to_dict() for node in forest]},
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def detail(request, pk: int):
    unit = get_object_or_404(
        AdminUnit.objects.visible_to(request.user).select_related("parent"), pk=pk
    )
    context = {
        "nav": "units",
        "unit": unit,
        "ancestors": list(AdminUnit.objects.filter(pk__in=unit.ancestor_ids).order_by("path")),
        "children": list(unit.children.order_by("official_code")),
        "organisations": list(
            Organisation.objects.filter(admin_unit=unit).order_by("kind", "name")
        ),
        "people": list(
            Person.objects.filter(organisation__admin_unit=unit).select_related("organisation")
        ),
    }
    return render(request, "orgs/detail.html", context)
