"""Round and recognition pages. Views parse input, call one service and render or redirect;
what is allowed is decided by the workflow tables, what is visible by the user's scope."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tieuchi.evaluation import forms, recognition, rounds, workflow
from tieuchi.evaluation.models import (
    CorrectiveAction,
    Council,
    ItemAssessment,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
    RoundAssessment,
    SatisfactionSurvey,
)
from tieuchi.evaluation.workflow import TransitionRefused
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound
from tieuchi.plans.queries import plans_visible_to

Stage = RoundAssessment.Stage


def _unit(request, code: str) -> AdminUnit:
    unit = (
        AdminUnit.objects.visible_to(request.user)
        .filter(official_code=code)
        .order_by("-valid_from")
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def _round(request, round_id: int) -> EvaluationRound:
    rounds_ = EvaluationRound.objects.filter(plan__in=plans_visible_to(request.user))
    return get_object_or_404(rounds_.select_related("plan__unit", "plan__catalog"), pk=round_id)


def _assessment(request, pk: int) -> RoundAssessment:
    queryset = rounds.assessments_visible_to(request.user).select_related(
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
    context = {"nav": "evaluation", "overview": rounds.rounds_overview(request.user, plans)}
    return render(request, "evaluation/rounds/list.html", context)


MOVE_BUTTONS = {
    Stage.SELF: [
        ("submit", gettext_lazy("Gửi bản tự đánh giá"), True),
        ("return", gettext_lazy("Trả lại cho phường"), False),
    ],
    Stage.INSPECTION: [("confirm", gettext_lazy("Xác nhận kết quả kiểm tra"), True)],
}


def _assessment_context(request, evaluation_round, unit, stage, *, errors=None, posted=None):
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
    items = rounds.assessment_items(assessment) if assessment else []
    ward = {}
    if stage == Stage.INSPECTION and own and assessment:
        ward = {item.node_id: item for item in own.items.all()}
    computed = rounds.computed_results(assessment.run if assessment else None)
    for item in items:
        item.version = rounds.item_version(item)
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
        "day": rounds.round_day(evaluation_round),
    }


@login_required
def assessment_page(request, round_id: int, code: str, stage: str = Stage.SELF):
    evaluation_round, unit = _round(request, round_id), _unit(request, code)
    if not unit.path.startswith(evaluation_round.plan.unit.path):
        raise Http404
    context = _assessment_context(request, evaluation_round, unit, stage)
    return render(request, "evaluation/rounds/assessment.html", context)


@login_required
@require_POST
def assessment_start(request, round_id: int, code: str, stage: str):
    evaluation_round, unit = _round(request, round_id), _unit(request, code)
    try:
        if stage == Stage.SELF:
            assessment = rounds.start_self_assessment(request.user, evaluation_round, unit)
        else:
            own = get_object_or_404(
                RoundAssessment, round=evaluation_round, unit=unit, stage=Stage.SELF
            )
            assessment = rounds.start_inspection(request.user, own)
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
        changed = rounds.update_items(request.user, assessment, changes)
    except rounds.ItemsRefused as refused:
        posted = {c.item_id: (c.verdict, c.remark) for c in changes}
        context = _assessment_context(
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
        saved = bool(rounds.update_items(request.user, assessment, changes))
    except rounds.ItemsRefused as refused:
        error = refused.errors.get(item.pk, str(refused))
    except TransitionRefused as refused:
        error = str(refused)
    if error and changes:
        change = changes[0]
        item.verdict, item.remark, item.version = change.verdict, change.remark, change.version
    else:
        item.refresh_from_db(fields=["verdict", "remark"])
        item.version = rounds.item_version(item)
    item.result = rounds.computed_results(assessment.run).get(item.node_id)
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
    "submit": rounds.submit_self_assessment,
    "return": rounds.return_self_assessment,
    "confirm": rounds.confirm_inspection,
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
        messages.success(request, _("Đã %(what)s.") % {"what": workflow.VERBS[action]})
    return redirect(_page(assessment))


@login_required
def action_list(request):
    status = request.GET.get("status", "")
    if status not in CorrectiveAction.Status.values:
        status = ""
    actions = list(rounds.actions_visible_to(request.user, status=status))
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
        assessment__in=rounds.assessments_visible_to(request.user)
    ).select_related("node", "assessment__round__plan", "assessment__unit")
    item = get_object_or_404(items, pk=item_id)
    unit = item.assessment.unit
    form = forms.CorrectiveActionForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rounds.add_corrective_action(
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
    organisation, person = rounds.default_responsible(item)
    context = {"nav": "evaluation", "item": item, "form": form, "default": (organisation, person)}
    return render(request, "evaluation/rounds/action_new.html", context)


@login_required
@require_POST
def action_move(request, pk: int, move: str):
    action = get_object_or_404(rounds.actions_visible_to(request.user), pk=pk)
    if move not in ("close", "cancel"):
        raise Http404
    form = forms.CloseActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"note": "", "closed_on": None}
    try:
        rounds.close_corrective_action(
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


# ─────────────────────────────── recognition ───────────────────────────────


@dataclass(frozen=True)
class Step:
    """One form of the recognition page: what it posts to, the workflow action that decides who
    sees it, and the service it calls. `target` is looked up inside the page's unit only."""

    form: type | None
    target: str  # unit | registration | dossier | council | decision
    action: str
    call: Callable


def _meeting(user, council, d):
    present = {member.pk for member in d["present"]}
    return recognition.record_meeting(
        user,
        council,
        meeting_on=d["meeting_on"],
        present_ids=present,
        votes_for=d["votes_for"],
        votes_against=d["votes_against"],
        conclusion=d["conclusion"],
    )


R = recognition
STEPS = {
    "register": Step(
        forms.RegistrationForm, "unit", "register", lambda u, t, d: R.register(u, t, **d)
    ),
    "survey": Step(
        forms.SurveyForm, "registration", "record", lambda u, t, d: R.record_survey(u, t, **d)
    ),
    "open": Step(None, "registration", "open", lambda u, t, d: R.open_dossier(u, t)),
    "checklist": Step(
        forms.ChecklistForm,
        "dossier",
        "edit",
        lambda u, t, d: R.update_checklist(u, t, set(d["done"])),
    ),
    "submit": Step(
        forms.DatedNoteForm,
        "dossier",
        "submit",
        lambda u, t, d: R.submit_dossier(u, t, d["note"], on=d["on"]),
    ),
    "accept": Step(
        forms.DatedNoteForm,
        "dossier",
        "accept",
        lambda u, t, d: R.accept_dossier(u, t, d["note"], on=d["on"]),
    ),
    "return": Step(
        forms.NoteForm, "dossier", "return", lambda u, t, d: R.return_dossier(u, t, d["note"])
    ),
    "council": Step(
        forms.CouncilForm, "dossier", "form_council", lambda u, t, d: R.form_council(u, t, **d)
    ),
    "meeting": Step(forms.MeetingForm, "council", "record_meeting", _meeting),
    "decide": Step(
        forms.DecisionForm, "dossier", "recognise", lambda u, t, d: R.recognise(u, t, **d)
    ),
    "refuse": Step(forms.NoteForm, "dossier", "refuse", lambda u, t, d: R.refuse(u, t, d["note"])),
    "check": Step(
        forms.MaintenanceForm,
        "decision",
        "check",
        lambda u, t, d: R.maintenance_check(u, t, **d),
    ),
    "revoke": Step(
        forms.RevokeForm,
        "decision",
        "revoke",
        lambda u, t, d: R.revoke(u, t, d["note"], revoked_on=d["revoked_on"]),
    ),
}
TARGETS = {
    "registration": lambda unit: Registration.objects.filter(unit=unit),
    "dossier": lambda unit: RecognitionDossier.objects.filter(registration__unit=unit),
    "council": lambda unit: Council.objects.filter(dossier__registration__unit=unit),
    "decision": lambda unit: RecognitionDecision.objects.filter(unit=unit),
}


def _make_form(step: str, target, data=None, initial=None):
    form_class = STEPS[step].form
    if form_class is None:
        return None
    kwargs = {"council": target} if step == "meeting" else {}
    return form_class(data, initial=initial, **kwargs)


def _step_forms(roles, unit, registration, dossier, bound: dict) -> dict:
    """The forms of the steps the user may take now (True for a step without fields)."""
    upper = f"UBND {unit.parent}" if unit.parent_id else ""
    probes = {"register": (Registration(unit=unit), unit, {"registered_with": upper})}
    if registration:
        open_ones = [d for d in registration.dossiers.all() if d.status not in R.CLOSED]
        survey = SatisfactionSurvey(registration=registration)
        probes["survey"] = (survey, registration, {"organiser": f"Ủy ban MTTQ {unit}"})
        if not open_ones:
            probes["open"] = (RecognitionDossier(registration=registration), registration, None)
    if dossier:
        council = getattr(dossier, "council", None)
        done = [key for key, _label in R.CHECKLIST if dossier.checklist.get(key)]
        for step, spec in STEPS.items():
            if spec.target == "dossier" or (spec.target == "council" and council):
                target = council if spec.target == "council" else dossier
                probes[step] = (dossier, target, {"done": done} if step == "checklist" else None)
    found = {}
    for step, (probe, target, initial) in probes.items():
        if STEPS[step].action in workflow.allowed(probe, roles):
            found[step] = bound.get(step) or _make_form(step, target, initial=initial) or True
    return found


def _decision_entries(decisions, roles, bound: dict) -> list[dict]:
    entries = []
    for decision in decisions:
        can = workflow.allowed(decision, roles)
        entry = {
            "decision": decision,
            "state": workflow.state_label(decision),
            "state_code": workflow.state_of(decision),
        }
        for step in ("check", "revoke"):
            entry[step] = bound.get(step) or _make_form(step, decision) if step in can else None
        entries.append(entry)
    return entries


def _recognition_context(request, unit, bound=None) -> dict:
    data = R.recognition_of(unit)
    roles = workflow.roles_on(request.user, unit)
    registration = next(iter(data["registrations"]), None)
    dossier = next(iter(registration.dossiers.all()), None) if registration else None
    council = getattr(dossier, "council", None) if dossier else None
    members = list(council.members.all()) if council else []
    objects = [*data["registrations"], *data["decisions"]]
    for reg in data["registrations"]:
        objects += [*reg.surveys.all(), *reg.dossiers.all()]
    checklist = dossier.checklist if dossier else {}
    return {
        "nav": "evaluation",
        "unit": unit,
        "registrations": data["registrations"],
        "registration": registration,
        "dossier": dossier,
        "council": council,
        "members": members,
        "quorum": R.quorum(council, members) if council else None,
        "deadlines": R.deadlines(dossier, council) if dossier else {},
        "checklist": [(label, checklist.get(key)) for key, label in R.CHECKLIST],
        "decisions": _decision_entries(data["decisions"], roles, bound or {}),
        "steps": _step_forms(roles, unit, registration, dossier, bound or {}),
        "history": workflow.history(objects),
    }


@login_required
def recognition_page(request, code: str):
    unit = _unit(request, code)
    return render(request, "evaluation/recognition/page.html", _recognition_context(request, unit))


@login_required
@require_POST
def recognition_step(request, code: str, step: str, pk: int = 0):
    unit = _unit(request, code)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    target = unit if spec.target == "unit" else get_object_or_404(TARGETS[spec.target](unit), pk=pk)
    form = _make_form(step, target, request.POST)
    if form is not None and not form.is_valid():
        context = _recognition_context(request, unit, bound={step: form})
        return render(request, "evaluation/recognition/page.html", context, status=422)
    try:
        spec.call(request.user, target, form.cleaned_data if form is not None else {})
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Đã ghi nhận."))
    return redirect(reverse("evaluation:recognition", args=[unit.official_code]) + f"#{step}")
