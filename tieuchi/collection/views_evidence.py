"""Evidence pages: the list for a unit and a period with the upload form, serving, deleting, and
the files attached to a task's progress update."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tieuchi.catalog.models import CatalogNode
from tieuchi.catalog.queries import catalogs_visible_to
from tieuchi.collection import evidence as service
from tieuchi.collection.models import Observation
from tieuchi.collection.services import ValueRejected, period_bounds
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import home_unit
from tieuchi.plans.models import TaskUpdate
from tieuchi.plans.tasks_service import can_update, task_scope

UPLOAD_FIELDS = ("file", "photo")  # "photo" is the camera input on phones


class EvidenceForm(forms.Form):
    link = forms.ChoiceField(label=gettext_lazy("Minh chứng cho"))
    description = forms.CharField(
        label=gettext_lazy("Mô tả"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    captured_on = forms.DateField(
        label=gettext_lazy("Ngày chụp, lập"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].choices = choices


def unit_or_404(user, pk: int) -> AdminUnit:
    return get_object_or_404(AdminUnit.objects.visible_to(user), pk=pk)


def period_or_404(period: str) -> tuple[dt.date, dt.date]:
    try:
        return period_bounds(period)
    except ValueRejected as exc:
        raise Http404 from exc


def _link_choices(user, unit: AdminUnit, period: str) -> tuple[list, dict, dict]:
    """Choices for "what is this evidence for": the unit, a figure of the period, a criterion."""
    observations = {
        f"obs:{o.pk}": o
        for o in Observation.objects.filter(unit=unit, period=period)
        .select_related("measure__node__catalog")
        .order_by("measure__node__catalog__key", "measure__node__position", "measure__position")
    }
    newest = {}
    for catalog in catalogs_visible_to(user):
        newest.setdefault(catalog.key, catalog)  # ordered by key, newest version first
    nodes = {
        f"node:{n.pk}": n
        for n in CatalogNode.objects.filter(catalog__in=newest.values())
        .exclude(node_type=CatalogNode.NodeType.GROUP)
        .select_related("catalog")
        .order_by("catalog__key", "position")
    }
    choices = [("unit", _("Đơn vị nói chung (không gắn số liệu, tiêu chí)"))]
    if observations:
        choices.append(
            (
                _("Số liệu kỳ %(period)s") % {"period": period},
                [
                    (
                        key,
                        f"{o.measure.node.catalog.key} · {o.measure.code} · {o.measure.name[:80]}",
                    )
                    for key, o in observations.items()
                ],
            )
        )
    by_catalog: dict[str, list] = {}
    for key, node in nodes.items():
        label = f"{node.code}. {(node.short_name or node.name)[:80]}"
        by_catalog.setdefault(node.catalog.key, []).append((key, label))
    for catalog_key, items in by_catalog.items():
        choices.append((_("Tiêu chí – %(catalog)s") % {"catalog": catalog_key}, items))
    return choices, observations, nodes


def _initial_link(request, observations: dict, nodes: dict) -> str:
    wanted = request.GET.get("observation", "")
    if f"obs:{wanted}" in observations:
        return f"obs:{wanted}"
    code, catalog = request.GET.get("node", ""), request.GET.get("catalog", "")
    for key, node in nodes.items():
        if node.code == code and (not catalog or node.catalog.key == catalog):
            return key
    return "unit"


@login_required
def evidence_index(request):
    """Pick the unit and period: ?unit=CODE&period=2023, by default the user's own unit."""
    code = request.GET.get("unit", "").strip()
    units = AdminUnit.objects.visible_to(request.user)
    unit = (
        units.filter(official_code=code).order_by("-valid_from").first()
        if code
        else home_unit(request.user)
    )
    if unit is None or not units.filter(pk=unit.pk).exists():
        raise Http404
    period = request.GET.get("period", "").strip()
    if not period:
        latest = (
            Observation.objects.filter(unit__path__startswith=unit.path)
            .order_by("-period_end")
            .values_list("period", flat=True)
            .first()
        )
        period = latest or str(dt.date.today().year)
    period_or_404(period)
    return redirect("collection:evidence_list", unit_id=unit.pk, period=period)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_list(request, unit_id: int, period: str):
    unit = unit_or_404(request.user, unit_id)
    period_or_404(period)
    may_upload = service.can_upload(request.user, unit)
    choices, observations, nodes = _link_choices(request.user, unit, period)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        form = EvidenceForm(request.POST, choices=choices)
        uploads = [f for field in UPLOAD_FIELDS for f in request.FILES.getlist(field) if f]
        if not uploads:
            errors.append(_("Chưa chọn tệp nào."))
        if form.is_valid() and uploads:
            link = form.cleaned_data["link"]
            stored = 0
            for upload in uploads:
                try:
                    _evidence, created = service.store_evidence(
                        request.user,
                        upload,
                        unit=unit,
                        observation=observations.get(link),
                        node=nodes.get(link),
                        description=form.cleaned_data["description"],
                        captured_on=form.cleaned_data["captured_on"],
                        channel="web",
                    )
                except service.EvidenceRejected as exc:
                    errors.append(f"{upload.name}: {exc}")
                    continue
                stored += 1
                if not created:
                    messages.info(
                        request,
                        _("%(name)s: tệp này đã có sẵn cho đúng mục này, không thêm lần nữa.")
                        % {"name": upload.name},
                    )
            if stored:
                messages.success(request, _("Đã lưu %(n)s tệp minh chứng.") % {"n": stored})
            if not errors:
                return redirect(request.get_full_path())
        status = 400
    else:
        form = EvidenceForm(
            choices=choices, initial={"link": _initial_link(request, observations, nodes)}
        )
    items = list(service.evidence_for_period(request.user, unit, period))
    for item in items:
        item.may_delete = service.can_delete(request.user, item)
    context = {
        "nav": "units",
        "unit": unit,
        "period": period,
        "items": items,
        "form": form if may_upload else None,
        "errors": errors,
        "max_mib": service.MAX_EVIDENCE_BYTES // (1024 * 1024),
        "accept": ",".join(
            ["image/*", "application/pdf"]
            + [ext for t in (service.DOCX, service.XLSX, service.HEIC) for ext in t.extensions]
        ),
    }
    return render(request, "collection/evidence/list.html", context, status=status)


@login_required
def evidence_file(request, pk: int):
    """The stored file, only for users who may see the unit (404 for everybody else)."""
    evidence = get_object_or_404(service.evidence_visible_to(request.user), pk=pk)
    path = service.stored_path(evidence.sha256)
    if not path.exists():
        raise Http404
    file_type = service.BY_CONTENT_TYPE.get(evidence.content_type)
    attachment = request.GET.get("download") == "1" or not (file_type and file_type.inline)
    response = FileResponse(
        path.open("rb"),
        as_attachment=attachment,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = get_object_or_404(
        service.evidence_visible_to(request.user).select_related("unit", "observation"), pk=pk
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("collection:evidence_index") + f"?unit={evidence.unit.official_code}"
    if not service.can_delete(request.user, evidence):
        messages.error(request, _("Bạn không có quyền xóa minh chứng này."))
        return redirect(back)
    try:
        service.delete_evidence(request.user, evidence, channel="web")
    except service.EvidenceRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã xóa minh chứng %(name)s.") % {"name": evidence.original_name}
        )
    return redirect(back)


@login_required
@require_POST
def task_update_evidence(request, pk: int):
    """Files attached to a task's progress update, from the task page (a phone's camera too).
    Whoever may update the task may attach; the files are served like all evidence, only to
    users who may see the plan's unit."""
    update = get_object_or_404(
        TaskUpdate.objects.filter(task__in=task_scope(request.user)).select_related(
            "task__row__plan__unit", "task__row__node", "task__row__lead_person", "task__person"
        ),
        pk=pk,
    )
    task = update.task
    if not can_update(request.user, task):
        raise PermissionDenied(_("Bạn không có quyền cập nhật việc này."))
    uploads = [f for field in UPLOAD_FIELDS for f in request.FILES.getlist(field) if f]
    if not uploads:
        messages.error(request, _("Chưa chọn tệp nào."))
    stored = 0
    for upload in uploads:
        try:
            service.store_evidence(
                request.user,
                upload,
                unit=task.row.plan.unit,
                task_update=update,
                node=task.row.node,  # counted under its criterion in the scorecard
                description=request.POST.get("description", "")[:1000],
                captured_on=update.on,
                channel="web",
            )
        except service.EvidenceRejected as exc:
            messages.error(request, f"{upload.name}: {exc}")
        else:
            stored += 1
    if stored:
        messages.success(request, _("Đã lưu %(n)s tệp minh chứng.") % {"n": stored})
    return redirect(reverse("plans:task_detail", args=[task.pk]) + f"#update-{update.pk}")
