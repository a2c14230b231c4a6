"""The report page of a unit (one prefilled form per document kind) and the downloads.

Each form offers a draft (no number, nothing kept: "Số:      /BC-UBND") or "Đăng ký vào sổ
văn bản đi" (POST): the proposed next number of the issuer's register, then the download of
the numbered document (`tieuchi.reports.services.issue`).
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tieuchi.evaluation.selection import unit_or_404
from tieuchi.orgs.models import AdminUnit, UnitLevel
from tieuchi.orgs.scope import active_memberships
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.forms import HeaderForm, initial_from
from tieuchi.reports.generate import generate
from tieuchi.reports.kinds import ReportKind, all_kinds
from tieuchi.reports.pdf import PdfUnavailable, docx_to_pdf, not_installed_message, pdf_available
from tieuchi.reports.request import (
    ReportInputError,
    default_round,
    issuing_unit,
    resolve_request,
)
from tieuchi.reports.services import (
    RegisterError,
    RegisterForbidden,
    issue,
    next_numbers,
    registered_numbers,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ISSUING_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT)


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
    unit = unit_or_404(request.user, unit_id)
    chosen_round = _round(unit, request.GET.get("round"))
    rounds = EvaluationRound.objects.filter(plan__unit=unit).order_by("scheduled_month", "pk")
    reports = [
        resolve_request(kind, unit, request.user, round=chosen_round)
        for kind in available_kinds(request.user, unit)
    ]
    proposed = next_numbers(
        [(issuing_unit(r.kind, unit).pk, r.header.date.year) for r in reports if r.header.date]
    )
    registered = registered_numbers(unit, chosen_round)
    forms = []
    for report in reports:
        header = report.header
        if not header.number and header.date:  # its number if registered, else the next one
            key = (issuing_unit(report.kind, unit).pk, header.date.year)
            number = registered.get((report.kind.slug, *key)) or proposed[key]
            header = replace(header, number=str(number))
        form = HeaderForm(prefix=report.kind.slug, initial=initial_from(header))
        forms.append((report.kind, form))
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


def _kind_for(request, unit: AdminUnit, kind: str) -> ReportKind:
    report_kind = all_kinds().get(kind)
    if report_kind is None:
        raise Http404(_("Không có loại văn bản “%(kind)s”.") % {"kind": kind})
    if report_kind not in available_kinds(request.user, unit):
        raise PermissionDenied(_("Văn bản này do cấp quận, thành phố ban hành."))
    return report_kind


@login_required
def download(request, unit_id: int, kind: str):
    """The document as typed on the form (GET or POST); with `draft`, without a number."""
    unit = unit_or_404(request.user, unit_id)
    report_kind = _kind_for(request, unit, kind)
    data = request.POST if request.method == "POST" else request.GET
    chosen_round = _round(unit, data.get("round"))
    form = HeaderForm(data, prefix=kind)
    rounds = EvaluationRound.objects.filter(plan__unit=unit).order_by("scheduled_month", "pk")
    if not form.is_valid():
        return _page(request, unit, chosen_round, list(rounds), [(report_kind, form)], status=400)
    overrides = dict(form.cleaned_data)
    if request.GET.get("draft") or data.get(
        "draft"
    ):  # a draft takes no number: "Số:      /BC-UBND" until registered
        overrides["number"] = ""
    try:
        report = resolve_request(
            report_kind, unit, request.user, round=chosen_round, overrides=overrides
        )
        content, file_name = generate(report)
    except ReportInputError as exc:  # the data cannot make this document yet: say why
        forms = [(report_kind, form)]
        return _page(request, unit, chosen_round, list(rounds), forms, status=409, problem=exc)
    return _file_response(content, file_name, data.get("format"))


@require_POST
@login_required
def register(request, unit_id: int, kind: str):
    """ "Đăng ký vào sổ văn bản đi": number the document, record it, download it."""
    unit = unit_or_404(request.user, unit_id)
    report_kind = _kind_for(request, unit, kind)
    chosen_round = _round(unit, request.POST.get("round"))
    form = HeaderForm(request.POST, prefix=kind)
    rounds = EvaluationRound.objects.filter(plan__unit=unit).order_by("scheduled_month", "pk")
    forms = [(report_kind, form)]
    if not form.is_valid():
        return _page(request, unit, chosen_round, list(rounds), forms, status=400)
    try:
        report = resolve_request(
            report_kind, unit, request.user, round=chosen_round, overrides=form.cleaned_data
        )
        issued = issue(report, request.user)
    except RegisterForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except (ReportInputError, RegisterError) as exc:  # number taken, no date, data missing
        return _page(request, unit, chosen_round, list(rounds), forms, status=409, problem=exc)
    return _file_response(issued.data, issued.file_name, request.POST.get("format"))


def _file_response(data: bytes, file_name: str, wanted: str | None) -> HttpResponse:
    content_type = DOCX_TYPE
    if wanted == "pdf":
        try:
            data = docx_to_pdf(data)
        except PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        content_type, file_name = "application/pdf", file_name.removesuffix(".docx") + ".pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
