"""Round pages: the rounds overview, a unit's self-assessment and inspection, and corrective
actions. Views parse input, call one service and render or redirect; what is allowed is decided by
the workflow tables, what is visible by the user's scope."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tieuchi.evaluation import forms, workflow
from tieuchi.evaluation.models import CorrectiveAction, ItemAssessment, RoundAssessment
from tieuchi.evaluation.page_lookups import visible_unit_or_404
from tieuchi.evaluation.rounds import assessments, corrective_actions, queries, rules
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.plans.models import EvaluationRound
from tieuchi.plans.queries import plans_visible_to

Stage = RoundAssessment.Stage


def visible_round_or_404(request, round_id: int) -> EvaluationRound:
    rounds_ = EvaluationRound.objects.filter(plan__in=plans_visible_to(request.user))
    return get_object_or_404(rounds_.select_related("plan__unit", "plan__catalog"), pk=round_id)


def _assessment(request, pk: int) -> RoundAssessment:
    queryset = queries.assessments_visible_to(request.user).select_related(
        "round__plan__unit", "unit", "run"
    )
    return get_object_or_404(queryset, pk=pk)


def _page(assessment: RoundAssessment) -> str:
    name = (
        "evaluation:round_self" if assessment.stage == Stage.SELF else "evaluation:round_inspection"
    )
    return reverse(name, args=[assessment.round_id, assessment.unit.official_code])


@login_required
def round_list(request):
    plans = plans_visible_to(request.user)
    context = {"nav": "evaluation", "overview": queries.rounds_overview(request.user, plans)}
    return render(request, "evaluation/rounds/list.html", context)


MOVE_BUTTONS = {
    Stage.SELF: [
        ("submit", gettext_lazy("Gửi bản tự đánh giá"), True),
        ("return", gettext_lazy("Trả lại cho phường"), False),
    ],
    Stage.INSPECTION: [("confirm", gettext_lazy("Xác nhận kết quả kiểm tra"), True)],
}


def assessment_context(request, evaluation_round, unit, stage, *, errors=None, posted=None):
    both = RoundAssessment.objects.filter(round=evaluation_round, unit=unit).select_related("run")
    found = {a.stage: a for a in both}
    assessment, own = found.get(stage), found.get(Stage.SELF)
    roles = workflow.roles_on(request.user, unit)
    blank = RoundAssessment(round=evaluation_round, unit=unit, stage=stage)
    can = workflow.allowed(assessment or blank, roles)
    if stage == Stage.INSPECTION and assessment is None:
        can = can if own and "inspect" in workflow.allowed(own, roles) else set()
    if stage == Stage.SELF:
        can -= {"confirm", "inspect"}
    moves = MOVE_BUTTONS[stage]
    items = queries.assessment_items(assessment) if assessment else []
    ward = {}
    if stage == Stage.INSPECTION and own and assessment:
        ward = {item.node_id: item for item in own.items.all()}
    computed = queries.computed_results(assessment.run if assessment else None)
    for item in items:
        item.version = rules.item_version(item)
        item.result = computed.get(item.node_id)
        item.ward = ward.get(item.node_id)
        item.error = (errors or {}).get(item.pk, "")
        if posted and item.pk in posted:
            item.verdict, item.remark = posted[item.pk]
    return {
        "nav": "evaluation",
        "round": evaluation_round,
        "unit": unit,
        "stage": stage,
        "assessment": assessment,
        "own": own,
        "inspection": found.get(Stage.INSPECTION),
        "items": items,
        "can": can,
        "editable": "edit" in can,
        "moves": moves,
        "counts": Counter(item.verdict for item in items),
        "can_assign": bool(
            assessment
            and stage == Stage.INSPECTION
            and assessment.status == RoundAssessment.Status.CONFIRMED
            and "create" in workflow.allowed(CorrectiveAction(), roles)
        ),
        "verdicts": forms.VERDICT_CHOICES,
        "history": list(workflow.history(found.values())),
        "day": rules.round_day(evaluation_round),
    }


@login_required
def assessment_page(request, round_id: int, code: str, stage: str = Stage.SELF):
    evaluation_round, unit = (
        visible_round_or_404(request, round_id),
        visible_unit_or_404(request, code),
    )
    if not unit.path.startswith(evaluation_round.plan.unit.path):
        raise Http404
    context = assessment_context(request, evaluation_round, unit, stage)
    return render(request, "evaluation/rounds/assessment.html", context)


@login_required
@require_POST
def assessment_start(request, round_id: int, code: str, stage: str):
    evaluation_round, unit = (
        visible_round_or_404(request, round_id),
        visible_unit_or_404(request, code),
    )
    try:
        if stage == Stage.SELF:
            assessment = assessments.start_self_assessment(request.user, evaluation_round, unit)
        else:
            own = get_object_or_404(
                RoundAssessment, round=evaluation_round, unit=unit, stage=Stage.SELF
            )
            assessment = assessments.start_inspection(request.user, own)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        name = "evaluation:round_self" if stage == Stage.SELF else "evaluation:round_inspection"
        return redirect(name, round_id, unit.official_code)
    messages.success(request, _("Đã bắt đầu. Kết quả tính tự động đã được điền sẵn."))
    return redirect(_page(assessment))


@login_required
@require_POST
def assessment_items(request, pk: int):
    """Save the whole items table (the form without JavaScript)."""
    assessment = _assessment(request, pk)
    changes = forms.item_changes(request.POST, assessment.items.all())
    try:
        changed = assessments.update_items(request.user, assessment, changes)
    except rules.ItemsRefused as refused:
        posted = {c.item_id: (c.verdict, c.remark) for c in changes}
        context = assessment_context(
            request,
            assessment.round,
            assessment.unit,
            assessment.stage,
            errors=refused.errors,
            posted=posted,
        )
        messages.error(request, _("Chưa lưu: %(n)s nội dung cần sửa.") % {"n": len(refused.errors)})
        return render(request, "evaluation/rounds/assessment.html", context, status=422)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
        return redirect(_page(assessment))
    messages.success(request, _("Đã lưu %(n)s nội dung.") % {"n": len(changed)})
    return redirect(_page(assessment))


@login_required
@require_POST
def assessment_item(request, pk: int, item_id: int):
    """Save one row (htmx): answers with the row, saved or with the reason it was not."""
    assessment = _assessment(request, pk)
    item = get_object_or_404(assessment.items.select_related("node__parent"), pk=item_id)
    changes = forms.item_changes(request.POST, [item])
    error, saved = "", False
    try:
        saved = bool(assessments.update_items(request.user, assessment, changes))
    except rules.ItemsRefused as refused:
        error = refused.errors.get(item.pk, str(refused))
    except TransitionRefused as refused:
        error = str(refused)
    if error and changes:
        change = changes[0]
        item.verdict, item.remark, item.version = change.verdict, change.remark, change.version
    else:
        item.refresh_from_db(fields=["verdict", "remark"])
        item.version = rules.item_version(item)
    item.result = queries.computed_results(assessment.run).get(item.node_id)
    item.error, item.saved = error, saved
    context = {
        "item": item,
        "assessment": assessment,
        "editable": True,
        "verdicts": forms.VERDICT_CHOICES,
        "stage": assessment.stage,
    }
    return render(request, "evaluation/rounds/_item_row.html", context)


MOVES = {
    "submit": assessments.submit_self_assessment,
    "return": assessments.return_self_assessment,
    "confirm": assessments.confirm_inspection,
}


@login_required
@require_POST
def assessment_move(request, pk: int, action: str):
    assessment = _assessment(request, pk)
    move = MOVES.get(action)
    if move is None:
        raise Http404
    form = forms.NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        move(request.user, assessment, note)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã %(what)s.") % {"what": _(workflow.VERBS[action])})
    return redirect(_page(assessment))


@login_required
def action_list(request):
    status = request.GET.get("status", "")
    if status not in CorrectiveAction.Status.values:
        status = ""
    actions = list(queries.actions_visible_to(request.user, status=status))
    member_list = workflow.memberships(request.user)
    for action in actions:
        roles = workflow.roles_on(request.user, action.item.assessment.unit, member_list)
        action.can = workflow.allowed(action, roles)
    context = {
        "nav": "evaluation",
        "actions": actions,
        "status": status,
        "statuses": CorrectiveAction.Status.choices,
        "today": forms.today(),
    }
    return render(request, "evaluation/rounds/actions.html", context)


@login_required
def action_new(request, item_id: int):
    items = ItemAssessment.objects.filter(
        assessment__in=queries.assessments_visible_to(request.user)
    ).select_related("node", "assessment__round__plan", "assessment__unit")
    item = get_object_or_404(items, pk=item_id)
    unit = item.assessment.unit
    form = forms.CorrectiveActionForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            corrective_actions.add_corrective_action(
                request.user,
                item,
                description=data["description"],
                due_on=data["due_on"],
                organisation=data["responsible_organisation"],
                person=data["responsible_person"],
            )
        except TransitionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Đã giao việc khắc phục %(code)s.") % {"code": item.node.code}
            )
            return redirect(_page(item.assessment))
    organisation, person = queries.default_responsible(item)
    context = {"nav": "evaluation", "item": item, "form": form, "default": (organisation, person)}
    return render(request, "evaluation/rounds/action_new.html", context)


@login_required
@require_POST
def action_move(request, pk: int, move: str):
    action = get_object_or_404(queries.actions_visible_to(request.user), pk=pk)
    if move not in ("close", "cancel"):
        raise Http404
    form = forms.CloseActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"note": "", "closed_on": None}
    try:
        corrective_actions.close_corrective_action(
            request.user,
            action,
            data["note"],
            closed_on=data["closed_on"],
            cancel=move == "cancel",
        )
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã cập nhật việc khắc phục."))
    return redirect("evaluation:corrective_actions")
