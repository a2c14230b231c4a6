"""Scorecard of one unit per round, the ward × criteria matrix of a district, and recomputing."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tieuchi.accounts.roles import PLAN_EDITOR_ROLES
from tieuchi.evaluation.models import EvaluationRun, Verdict
from tieuchi.evaluation.queries_matrix import default_matrix_parent
from tieuchi.evaluation.queries_scorecard import default_catalog, round_day, scorecard
from tieuchi.evaluation.selection import (
    catalog_or_404,
    parse_day,
    round_or_404,
    run_plan,
    selected_matrix,
    selected_run,
    unit_or_404,
)
from tieuchi.evaluation.services import evaluate_unit
from tieuchi.orgs.models import UnitLevel
from tieuchi.orgs.scope import can_act_on_unit, home_unit
from tieuchi.plans.models import EvaluationRound

# ?show= on the scorecard: which sub-criteria to list.
SHOW_CHOICES = [
    ("", gettext_lazy("Tất cả nội dung")),
    ("open", gettext_lazy("Chưa đạt hoặc chưa đủ dữ liệu")),
    (Verdict.NOT_MET, gettext_lazy("Chỉ nội dung chưa đạt")),
    (Verdict.NO_DATA, gettext_lazy("Chỉ nội dung chưa đủ dữ liệu")),
]
SHOWN = {
    "": {Verdict.MET, Verdict.NOT_MET, Verdict.NO_DATA},
    "open": {Verdict.NOT_MET, Verdict.NO_DATA},
    Verdict.NOT_MET: {Verdict.NOT_MET},
    Verdict.NO_DATA: {Verdict.NO_DATA},
}


def _rounds(unit, plan, catalog) -> list[tuple[EvaluationRound, bool]]:
    """The plan's rounds, each with whether it already has a result."""
    if plan is None or catalog is None:
        return []
    rounds = list(plan.rounds.all())
    done = set(
        EvaluationRun.objects.filter(
            unit=unit, catalog__key=catalog.key, is_current=True, round__in=rounds
        ).values_list("round_id", flat=True)
    )
    return [(evaluation_round, evaluation_round.pk in done) for evaluation_round in rounds]


def _query(**params) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@login_required
def index(request):
    """The "Đánh giá" menu: a ward's own scorecard, otherwise the matrix of the user's district."""
    unit = home_unit(request.user)
    if unit is not None and unit.level in (UnitLevel.COMMUNE, UnitLevel.RESIDENTIAL_GROUP):
        return redirect("evaluation:scorecard", pk=unit.pk)
    return redirect("evaluation:matrix_default")


@login_required
def unit_scorecard(request, pk: int):
    unit = unit_or_404(request.user, pk)
    chosen = selected_run(unit, request.GET)
    catalog, chosen_round, as_of, run = chosen.catalog, chosen.round, chosen.as_of, chosen.run
    plan = run_plan(run, chosen_round)
    if catalog is None:  # nothing computed yet: offer the plan's catalog, or the unit type's
        catalog = plan.catalog if plan else default_catalog(unit.unit_type)
    show = request.GET.get("show", "")
    show = show if show in SHOWN else ""
    card = scorecard(run, plan) if run else None
    criteria = []
    if card:
        for criterion in card.criteria:
            items = [item for item in criterion.items if item.verdict.code in SHOWN[show]]
            if items or not show:
                criteria.append((criterion, items))
    context = {
        "nav": "evaluation",
        "unit": unit,
        "catalog": catalog,
        "run": run,
        "card": card,
        "criteria": criteria,
        "shown_count": sum(len(items) for _criterion, items in criteria),
        "plan": plan,
        "rounds": _rounds(unit, plan, catalog),
        "selected_round": chosen_round or (run.round if run else None),
        "as_of": run.as_of if run else (round_day(chosen_round) if chosen_round else as_of),
        "show": show,
        "show_choices": SHOW_CHOICES,
        "can_recompute": can_act_on_unit(request.user, unit, PLAN_EDITOR_ROLES),
        "matrix_parent": unit.parent if unit.parent_id else None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "evaluation/scorecard/page.html#items", context)
    return render(request, "evaluation/scorecard/page.html", context)


@login_required
def scorecard_json(request, pk: int):
    """The stored verdict tree, as `tieuchi evaluate --format json` prints it."""
    unit = unit_or_404(request.user, pk)
    run = selected_run(unit, request.GET).run
    if run is None:
        raise Http404
    response = JsonResponse(
        run.result, json_dumps_params={"ensure_ascii": False, "indent": 2}, safe=False
    )
    name = f"{unit.official_code}-{run.catalog.key}-{run.as_of.isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def recompute(request, pk: int):
    """Evaluate the unit again now; a new run is stored only when its inputs changed."""
    unit = unit_or_404(request.user, pk)
    if not can_act_on_unit(request.user, unit, PLAN_EDITOR_ROLES):
        raise PermissionDenied
    catalog = catalog_or_404(request.POST.get("catalog"))
    if catalog is None:
        raise Http404
    chosen_round = round_or_404(unit, request.POST.get("round"))
    as_of = parse_day(request.POST.get("as_of"))
    as_of = as_of or (round_day(chosen_round) if chosen_round else dt.date.today())
    before = set(
        EvaluationRun.objects.filter(unit=unit, is_current=True).values_list("pk", flat=True)
    )
    run = evaluate_unit(unit, catalog, as_of, round=chosen_round, actor=request.user, channel="web")
    if run.pk in before:
        messages.info(request, _("Số liệu không thay đổi từ lần tính trước; giữ nguyên kết quả."))
    else:
        messages.success(request, _("Đã tính lại và lưu kết quả mới."))
    query = _query(
        catalog=catalog.key,
        round=chosen_round.pk if chosen_round else None,
        as_of=None if chosen_round else as_of.isoformat(),
    )
    return redirect(f"{reverse('evaluation:scorecard', args=[unit.pk])}?{query}")


@login_required
def matrix_default(request):
    """The matrix of the user's district (a ward's staff see their own ward's row in it)."""
    parent = default_matrix_parent(request.user)
    if parent is None:
        return render(request, "evaluation/matrix/page.html", {"nav": "evaluation"})
    url = reverse("evaluation:matrix", args=[parent.pk])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@login_required
def unit_matrix(request, pk: int):
    table = selected_matrix(request.user, pk, request.GET)
    sort = "rank" if request.GET.get("sort") == "rank" else ""
    context = {
        "nav": "evaluation",
        "table": table,
        "rows": table.ranked() if sort else table.rows,
        "sort": sort,
        "child_noun": _child_noun(table),
        "bad_date": bool(request.GET.get("as_of")) and parse_day(request.GET.get("as_of")) is None,
        "scorecard_query": _query(catalog=table.catalog.key, as_of=table.as_of.isoformat()),
    }
    return render(request, "evaluation/matrix/page.html", context)


def _child_noun(table) -> str:
    """ "phường" when all rows are wards, otherwise "đơn vị"."""
    types = {row.unit.unit_type for row in table.rows}
    if len(types) == 1:
        return table.rows[0].unit.get_unit_type_display().lower()
    return _("đơn vị")
