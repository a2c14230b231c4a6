"""The report page of a unit (one prefilled form per document kind) and the downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from tieuchi.orgs.models import AdminUnit, UnitLevel
from tieuchi.orgs.scope import active_memberships
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.forms import HeaderForm, initial_from
from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import ReportKind, all_kinds
from tieuchi.reports.pdf import PdfUnavailable, docx_to_pdf, not_installed_message, pdf_available
from tieuchi.reports.request import ReportInputError, default_round, resolve_request

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ISSUING_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT)


def _unit(request, unit_id: int) -> AdminUnit:
    units = AdminUnit.objects.visible_to(request.user).select_related("parent")
    return get_object_or_404(units, pk=unit_id)


def _issues_from_above(user, unit: AdminUnit) -> bool:
    """District-issued kinds are for district and city staff over this unit (and admins)."""
    if user.is_superuser:
        return True
    return any(
        membership.unit.level in ISSUING_LEVELS
        and unit.path.startswith(membership.unit.path)
        and membership.unit_id != unit.pk
        for membership in active_memberships(user)
    )


def available_kinds(user, unit: AdminUnit) -> list[ReportKind]:
    from_above = None  # asked only when a district-issued kind applies to this unit
    kinds = []
    for kind in all_kinds().values():
        if kind.unit_levels and unit.level not in kind.unit_levels:
            continue
        if kind.issued_by_district:
            from_above = _issues_from_above(user, unit) if from_above is None else from_above
            if not from_above:
                continue
        kinds.append(kind)
    return kinds


def _round(unit: AdminUnit, value: str | None) -> EvaluationRound | None:
    if not value:
        return default_round(unit)
    if not value.isdigit():
        raise Http404
    rounds = EvaluationRound.objects.filter(plan__unit=unit).select_related("plan")
    return get_object_or_404(rounds, pk=int(value))


@login_required
def unit_reports(request, unit_id: int):
    unit = _unit(request, unit_id)
    chosen_round = _round(unit, request.GET.get("round"))
    rounds = EvaluationRound.objects.filter(plan__unit=unit).order_by("scheduled_month", "pk")
    forms = []
    for kind in available_kinds(request.user, unit):
        report = resolve_request(kind, unit, request.user, round=chosen_round)
        form = HeaderForm(prefix=kind.slug, initial=initial_from(report.header))
        forms.append((kind, form))
    return _page(request, unit, chosen_round, list(rounds), forms)


def _page(request, unit, chosen_round, rounds, forms, status=200, problem=""):
    context = {
        "problem": problem,
        "nav": "evaluation",
        "unit": unit,
        "rounds": rounds,
        "selected_round": chosen_round,
        "forms": forms,
        "pdf_available": pdf_available(),
        "pdf_missing": not_installed_message(),
    }
    return render(request, "reports/unit.html", context, status=status)


@login_required
def download(request, unit_id: int, kind: str):
    unit = _unit(request, unit_id)
    report_kind = all_kinds().get(kind)
    if report_kind is None:
        raise Http404(_("Không có loại văn bản “%(kind)s”.") % {"kind": kind})
    if report_kind not in available_kinds(request.user, unit):
        raise PermissionDenied(_("Văn bản này do cấp quận, thành phố ban hành."))
    chosen_round = _round(unit, request.GET.get("round"))
    form = HeaderForm(request.GET, prefix=kind)
    rounds = EvaluationRound.objects.filter(plan__unit=unit).order_by("scheduled_month", "pk")
    if not form.is_valid():
        return _page(request, unit, chosen_round, list(rounds), [(report_kind, form)], status=400)
    try:
        report = resolve_request(
            report_kind, unit, request.user, round=chosen_round, overrides=form.cleaned_data
        )
        data, file_name = generate(report)
    except ReportInputError as exc:  # the data cannot make this document yet: say why
        forms = [(report_kind, form)]
        return _page(request, unit, chosen_round, list(rounds), forms, status=409, problem=exc)
    content_type = DOCX_TYPE
    if request.GET.get("format") == "pdf":
        try:
            data = docx_to_pdf(data)
        except PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        content_type, file_name = "application/pdf", file_name.removesuffix(".docx") + ".pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
