"""The recognition page of a unit: its registration, dossier, council, decisions, and one form per
step the user may take. Views parse input, call one service and render or redirect; what is
allowed is decided by the workflow tables, what is visible by the user's scope."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tieuchi.evaluation import forms, workflow
from tieuchi.evaluation.models import (
    Council,
    RecognitionDecision,
    RecognitionDossier,
    Registration,
    SatisfactionSurvey,
)
from tieuchi.evaluation.page_lookups import visible_unit_or_404
from tieuchi.evaluation.recognition.council import form_council, recognise, record_meeting, refuse
from tieuchi.evaluation.recognition.dossier import (
    accept_dossier,
    open_dossier,
    return_dossier,
    submit_dossier,
    update_checklist,
)
from tieuchi.evaluation.recognition.maintenance import maintenance_check, revoke
from tieuchi.evaluation.recognition.queries import recognition_of
from tieuchi.evaluation.recognition.registration import record_survey, register
from tieuchi.evaluation.recognition.rules import CHECKLIST, CLOSED, deadlines, quorum
from tieuchi.evaluation.workflow import TransitionRefused


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
    return record_meeting(
        user,
        council,
        meeting_on=d["meeting_on"],
        present_ids=present,
        votes_for=d["votes_for"],
        votes_against=d["votes_against"],
        conclusion=d["conclusion"],
    )


STEPS = {
    "register": Step(
        forms.RegistrationForm, "unit", "register", lambda u, t, d: register(u, t, **d)
    ),
    "survey": Step(
        forms.SurveyForm, "registration", "record", lambda u, t, d: record_survey(u, t, **d)
    ),
    "open": Step(None, "registration", "open", lambda u, t, d: open_dossier(u, t)),
    "checklist": Step(
        forms.ChecklistForm,
        "dossier",
        "edit",
        lambda u, t, d: update_checklist(u, t, set(d["done"])),
    ),
    "submit": Step(
        forms.DatedNoteForm,
        "dossier",
        "submit",
        lambda u, t, d: submit_dossier(u, t, d["note"], on=d["on"]),
    ),
    "accept": Step(
        forms.DatedNoteForm,
        "dossier",
        "accept",
        lambda u, t, d: accept_dossier(u, t, d["note"], on=d["on"]),
    ),
    "return": Step(
        forms.NoteForm, "dossier", "return", lambda u, t, d: return_dossier(u, t, d["note"])
    ),
    "council": Step(
        forms.CouncilForm, "dossier", "form_council", lambda u, t, d: form_council(u, t, **d)
    ),
    "meeting": Step(forms.MeetingForm, "council", "record_meeting", _meeting),
    "decide": Step(
        forms.DecisionForm, "dossier", "recognise", lambda u, t, d: recognise(u, t, **d)
    ),
    "refuse": Step(forms.NoteForm, "dossier", "refuse", lambda u, t, d: refuse(u, t, d["note"])),
    "check": Step(
        forms.MaintenanceForm,
        "decision",
        "check",
        lambda u, t, d: maintenance_check(u, t, **d),
    ),
    "revoke": Step(
        forms.RevokeForm,
        "decision",
        "revoke",
        lambda u, t, d: revoke(u, t, d["note"], revoked_on=d["revoked_on"]),
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
        open_ones = [d for d in registration.dossiers.all() if d.status not in CLOSED]
        survey = SatisfactionSurvey(registration=registration)
        probes["survey"] = (survey, registration, {"organiser": f"Ủy ban MTTQ {unit}"})
        if not open_ones:
            probes["open"] = (RecognitionDossier(registration=registration), registration, None)
    if dossier:
        council = getattr(dossier, "council", None)
        done = [key for key, _label in CHECKLIST if dossier.checklist.get(key)]
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
    data = recognition_of(unit)
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
        "quorum": quorum(council, members) if council else None,
        "deadlines": deadlines(dossier, council) if dossier else {},
        "checklist": [(label, checklist.get(key)) for key, label in CHECKLIST],
        "decisions": _decision_entries(data["decisions"], roles, bound or {}),
        "steps": _step_forms(roles, unit, registration, dossier, bound or {}),
        "history": workflow.history(objects),
    }


@login_required
def recognition_page(request, code: str):
    unit = visible_unit_or_404(request, code)
    return render(request, "evaluation/recognition/page.html", _recognition_context(request, unit))


@login_required
@require_POST
def recognition_step(request, code: str, step: str, pk: int = 0):
    unit = visible_unit_or_404(request, code)
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
