"""Plan pages: the list and the appendix table with filters and downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tieuchi.accounts.roles import PLAN_EDITOR_ROLES
from tieuchi.orgs.models import Organisation, Person
from tieuchi.orgs.scope import can_act_on_unit
from tieuchi.plans.exports import plan_dict, plan_xlsx
from tieuchi.plans.filters import DEADLINE_CHOICES, PlanFilter
from tieuchi.plans.forms import PlanRowForm
from tieuchi.plans.queries import plan_rows, plans_visible_to
from tieuchi.plans.services import StaleEditError, row_version, update_plan_row


def visible_plan_or_404(request, key: str):
    queryset = plans_visible_to(request.user).select_related(
        "unit", "legal_document", "parent_document", "catalog", "parent_plan"
    )
    return get_object_or_404(queryset, key=key)


@login_required
def plan_list(request):
    plans = plans_visible_to(request.user).select_related("unit", "legal_document")
    return render(request, "plans/list.html", {"nav": "plans", "plans": list(plans)})


@login_required
def plan_detail(request, key: str):
    plan = visible_plan_or_404(request, key)
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
        "can_edit": can_act_on_unit(request.user, plan.unit, PLAN_EDITOR_ROLES),
    }
    if request.headers.get("HX-Request"):
        return render(request, "plans/detail.html#table", context)
    return render(request, "plans/detail.html", context)


@login_required
def plan_json(request, key: str):
    return JsonResponse(
        plan_dict(visible_plan_or_404(request, key)), json_dumps_params={"ensure_ascii": False}
    )


@login_required
def plan_download_xlsx(request, key: str):
    plan = visible_plan_or_404(request, key)
    response = HttpResponse(
        plan_xlsx(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.key}.xlsx"'
    return response


@login_required
def row_edit(request, key: str, code: str):
    """Correct one row of the plan (ward leaders only); a stale form is refused, never overwrites."""
    plan = visible_plan_or_404(request, key)
    if not can_act_on_unit(request.user, plan.unit, PLAN_EDITOR_ROLES):
        raise PermissionDenied
    row = get_object_or_404(plan_rows(plan), criterion_code=code)
    if request.method == "POST":
        form = PlanRowForm(request.POST, unit=plan.unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = update_plan_row(request.user, row, data, expected_version=data["version"])
            except StaleEditError as error:
                messages.error(request, str(error))
                return redirect("plans:row_edit", key=plan.key, code=code)
            messages.success(request, _("Đã lưu dòng %(code)s.") % {"code": code})
            if saved.task_sync:
                task_message = tasks_changed_message(saved.task_sync.as_dict())
                if task_message:
                    messages.info(request, task_message)
            return redirect(f"{reverse('plans:detail', args=[plan.key])}#row-{code}")
    else:
        form = PlanRowForm(unit=plan.unit, initial=_initial(row))
    return render(
        request, "plans/row_edit.html", {"nav": "plans", "plan": plan, "row": row, "form": form}
    )


def tasks_changed_message(tasks: dict) -> str:
    """What happened to the tasks after a row edit or an import; "" when nothing changed."""
    if not any(v for k, v in tasks.items() if k != "unchanged"):
        return ""
    return (
        _(
            "Việc được cập nhật theo kế hoạch: %(created)s việc mới, %(updated)s việc sửa, "
            "%(removed)s việc bỏ (chưa có báo cáo), %(closed)s việc đóng lại và giữ nguyên báo cáo "
            "tiến độ, %(reopened)s việc mở lại."
        )
        % tasks
    )


def _initial(row) -> dict:
    def joined(role):
        return "; ".join(party.text for party in row.parties.all() if party.role == role)

    return {
        "solution": row.solution,
        "lead_person": row.lead_person_id,
        "implementing": joined("implementing"),
        "coordinating": joined("coordinating"),
        "deadline_text": row.deadline_text,
        "note": row.note,
        "version": row_version(row),
    }
