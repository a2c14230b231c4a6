"""Entry pages: the form per unit and period (rows saved one by one with htmx), the workflow
buttons, the history of a value and the completeness of the units below a unit."""

import json
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tieuchi.accounts.models import AuditEvent
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection import entry, reminders, workflow
from tieuchi.collection.forms_entry import BOOLEAN_CHOICES, RowForm, TransitionForm
from tieuchi.collection.models import Observation, ReportingWindow, Submission
from tieuchi.collection.services import ValueRejected
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import active_memberships, is_system_admin

ACTION_LABELS = {
    "create": gettext_lazy("Nhập mới"),
    "update": gettext_lazy("Sửa"),
    "status": gettext_lazy("Đổi trạng thái"),
    "submit": gettext_lazy("Gửi duyệt"),
    "return": gettext_lazy("Trả lại"),
    "approve": gettext_lazy("Duyệt"),
    "reopen": gettext_lazy("Mở khóa"),
    "import": gettext_lazy("Nhập từ Excel"),
}
STATUS_LABELS = dict(Observation.Status.choices)
# The inputs of a row by its mode (the names RowForm reads; "boolean" is boolean_value).
FIELDS_BY_MODE = {
    "ratio": ("numerator", "denominator"),
    "value": ("value",),
    "boolean": ("boolean",),
    "level": ("level",),
}


def unit_and_rights(request, unit_id: int):
    unit = get_object_or_404(AdminUnit.objects.select_related("parent"), pk=unit_id)
    rights = entry.access(request.user, unit)
    if not rights.can_view:
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit, rights


def requested_catalog(request):
    catalog = entry.resolve_catalog(request.GET.get("catalog") or request.POST.get("catalog"))
    if catalog is None:
        raise Http404(_("Không có bộ tiêu chí này."))
    return catalog


def checked_period(period: str) -> str:
    try:
        entry.parse_period(period)
    except ValueRejected as error:
        raise Http404(str(error)) from error
    return period


def _entry_url(unit, period, catalog, anchor: str = "") -> str:
    url = reverse("collection:entry", args=[unit.pk, period])
    return f"{url}?catalog={catalog.key}{'#' + anchor if anchor else ''}"


def default_period(catalog) -> str:
    """The open reporting window's period, else the newest year with figures, else this year."""
    today = timezone.localdate()
    window = (
        ReportingWindow.objects.filter(catalog=catalog, closed=False, opens_on__lte=today)
        .order_by("-opens_on")
        .first()
    )
    if window:
        return window.period
    newest = (
        Observation.objects.filter(measure__node__catalog=catalog)
        .annotate(size=Length("period"))
        .filter(size=4)
        .aggregate(Max("period"))["period__max"]
    )
    return newest or str(today.year)


@login_required
def entry_index(request):
    """The units the user works for, with links to their entry and completeness pages."""
    catalog = requested_catalog(request)
    period = request.GET.get("period") or default_period(catalog)
    checked_period(period)
    units = {m.unit.pk: m.unit for m in active_memberships(request.user)}
    if not units and is_system_admin(request.user):
        units = {u.pk: u for u in AdminUnit.objects.filter(parent__isnull=True)}
    start, end = entry.parse_period(period)
    cards = []
    for unit in sorted(units.values(), key=lambda u: u.path):
        children = list(entry.children_in(unit, start, end))
        cards.append({"unit": unit, "title": entry.unit_title(unit), "children": children})
    context = {
        "nav": "data",
        "catalog": catalog,
        "period": period,
        "period_label": entry.period_title(period),
        "cards": cards,
        "catalogs": list(
            Catalog.objects.order_by("key", "-version").values_list("key", "name").distinct()
        ),
    }
    return render(request, "collection/entry/index.html", context)


@login_required
def entry_page(request, unit_id: int, period: str):
    unit, _rights = unit_and_rights(request, unit_id)
    catalog, period = requested_catalog(request), checked_period(period)
    sheet = entry.build_sheet(request.user, unit, catalog, period)
    context = {
        "nav": "data",
        "sheet": sheet,
        "boolean_choices": BOOLEAN_CHOICES,
        "previous_label": entry.period_title(entry.previous_period(period)),
        "parent_title": entry.unit_title(unit.parent) if unit.parent_id else "",
        "returnable": [row for row in sheet.rows if row.observation and not row.locked],
    }
    return render(request, "collection/entry/page.html", context)


def _row_context(sheet, row, outcome=None, form_errors=None, sent_version=None) -> dict:
    """Context of the row and result partials; `sent_version` is kept after a conflict so the
    next save is refused again until the row is reloaded."""
    errors = dict(form_errors or {})
    if outcome is not None:
        errors.update(outcome.errors)
    shown = {}
    if outcome is not None and outcome.saved:
        shown = {name: row.inputs[name] for name in FIELDS_BY_MODE.get(row.mode, ())}
    return {
        "sheet": sheet,
        "row": row,
        "outcome": outcome,
        "errors": errors,
        "keep_version": sent_version is not None,
        "sent_version": sent_version or "",
        "field_errors": [(name, errors.get(name, "")) for name in FIELDS_BY_MODE.get(row.mode, ())],
        "shown_back": json.dumps(shown),
        "boolean_choices": BOOLEAN_CHOICES,
        "previous_label": entry.period_title(entry.previous_period(sheet.period)),
    }


@login_required
def entry_row(request, unit_id: int, period: str, measure_id: int):
    """GET: one row of the form (to reload it after a conflict). POST: save the row."""
    unit, rights = unit_and_rights(request, unit_id)
    period = checked_period(period)
    measure = get_object_or_404(Measure.objects.select_related("node__catalog"), pk=measure_id)
    catalog = measure.node.catalog
    if request.method != "POST":
        sheet = entry.build_sheet(request.user, unit, catalog, period, only=measure)
        if not sheet.rows:
            raise Http404
        return render(request, "collection/entry/page.html#row", _row_context(sheet, sheet.rows[0]))
    if not rights.can_edit:
        raise PermissionDenied(_("Bạn không có quyền nhập số liệu của đơn vị này."))
    htmx = request.headers.get("HX-Request") == "true"
    sheet = entry.build_sheet(request.user, unit, catalog, period, only=measure)
    if not sheet.rows:
        raise Http404
    row = sheet.rows[0]
    form = RowForm(request.POST, mode=row.mode, scale=row.scale)
    sent_version = request.POST.get("version", "")
    outcome = None
    if form.is_valid():
        version = form.cleaned_data.get("version")
        try:
            outcome = entry.save_row(
                request.user,
                unit,
                catalog,
                period,
                measure,
                form.values,
                expected_version=version,
                confirm=form.cleaned_data.get("confirm", False),
            )
        except entry.EntryClosed as error:
            outcome = entry.RowOutcome(row, message=str(error))
        row = outcome.row
    if not htmx:
        _flash(request, row, outcome, form)
        return redirect(_entry_url(unit, period, catalog, f"row-{row.key}"))
    keep = sent_version if outcome is not None and outcome.conflict else None
    context = _row_context(sheet, row, outcome, form.field_errors, sent_version=keep)
    return render(request, "collection/entry/page.html#result", context)


def _flash(request, row, outcome, form) -> None:
    """Messages for the page reloaded after a save without JavaScript."""
    if form.errors:
        for text in form.field_errors.values():
            messages.error(request, f"{row.code}: {text}")
        return
    if outcome.saved:
        messages.success(request, _("%(code)s: đã lưu.") % {"code": row.code})
    if outcome.pending:
        messages.info(request, f"{row.code}: {outcome.pending}")
    for text in [*outcome.errors.values(), outcome.message, outcome.conflict]:
        if text:
            messages.error(request, f"{row.code}: {text}")
    if outcome.warning and not outcome.saved:
        messages.warning(
            request,
            _("%(code)s: %(warning)s Đánh dấu “Xác nhận giá trị bất thường” để lưu.")
            % {"code": row.code, "warning": outcome.warning},
        )


@login_required
@require_POST
def transition(request, unit_id: int, period: str):
    unit, _rights = unit_and_rights(request, unit_id)
    catalog, period = requested_catalog(request), checked_period(period)
    form = TransitionForm(
        request.POST,
        measure_choices=[(m.pk, m.code) for m in entry.measures_for(unit, catalog)],
    )
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ; hãy tải lại trang."))
        return redirect(_entry_url(unit, period, catalog))
    action = form.cleaned_data["action"]
    try:
        entry.apply_transition(
            request.user,
            action,
            unit,
            catalog,
            period,
            reason=form.cleaned_data["reason"],
            returned_measure_ids=form.cleaned_data["measures"],
        )
    except entry.NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    except entry.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _(workflow.TRANSITIONS[action].done))
    return redirect(_entry_url(unit, period, catalog))


def snapshot_text(mode: str, snapshot: dict | None, unit_of_measure: str) -> str:
    """An audit snapshot ({"numerator": "700", …, "status": …}) in words."""
    if not snapshot:
        return "—"

    def number(name):
        value = snapshot.get(name)
        return None if value in (None, "") else Decimal(str(value))

    figure = Observation(
        numerator=number("numerator"),
        denominator=number("denominator"),
        value=number("value"),
        boolean_value=snapshot.get("boolean_value"),
        level=snapshot.get("level") or "",
    )
    shown = entry.describe(mode, figure, unit_of_measure) or _("(trống)")
    status = STATUS_LABELS.get(snapshot.get("status"), snapshot.get("status") or "")
    return f"{shown} · {status}" if status else shown


@login_required
def history(request, pk: int):
    """Every change of one value: who, when, before, after, through which channel."""
    observation = get_object_or_404(
        Observation.objects.select_related("unit", "measure__node__catalog"), pk=pk
    )
    if not entry.access(request.user, observation.unit).can_view:
        raise Http404
    measure = observation.measure
    mode = entry.input_mode(measure)
    events = AuditEvent.objects.filter(
        object_type=Observation._meta.label_lower, object_id=str(observation.pk)
    ).select_related("actor")
    rows = [
        {
            "event": event,
            "action": ACTION_LABELS.get(event.action, event.action),
            "before": snapshot_text(mode, event.before, measure.unit_of_measure),
            "after": snapshot_text(mode, event.after, measure.unit_of_measure),
        }
        for event in events.order_by("at", "id")
    ]
    catalog = measure.node.catalog
    submission = Submission.objects.filter(
        unit=observation.unit, catalog=catalog, period=observation.period
    ).first()
    steps = entry.labelled_events(submission) if submission else []
    context = {
        "nav": "data",
        "observation": observation,
        "unit_title": entry.unit_title(observation.unit),
        "measure": measure,
        "catalog": catalog,
        "rows": rows,
        "steps": steps,
        "state_labels": workflow.STATE_LABELS,
        "shown": entry.describe(mode, observation, measure.unit_of_measure),
        "period_label": entry.period_title(observation.period),
        "entry_url": _entry_url(observation.unit, observation.period, catalog, f"row-{measure.pk}"),
    }
    return render(request, "collection/entry/history.html", context)


@login_required
def completeness_page(request, unit_id: int, period: str):
    unit, rights = unit_and_rights(request, unit_id)
    catalog, period = requested_catalog(request), checked_period(period)
    report = entry.completeness(unit, catalog, period)
    context = {
        "nav": "data",
        "report": report,
        "unit": unit,
        "unit_title": entry.unit_title(unit),
        "catalog": catalog,
        "period": period,
        "can_remind": bool(rights.here & entry.REVIEWER_ROLES) and bool(report.missing),
        "kind_labels": reminders.KIND_LABELS,
        "due_on": report.window.due_on if report.window else None,
    }
    return render(request, "collection/entry/completeness.html", context)


@login_required
@require_POST
def remind(request, unit_id: int, period: str):
    unit, rights = unit_and_rights(request, unit_id)
    catalog, period = requested_catalog(request), checked_period(period)
    if not rights.here & entry.REVIEWER_ROLES:
        raise PermissionDenied(_("Bạn không có quyền gửi nhắc nhở cho các đơn vị này."))
    outcome = reminders.send_reminders(unit, catalog, period, actor=request.user)
    (messages.success if outcome.sent else messages.info)(request, outcome.message)
    url = reverse("collection:completeness", args=[unit.pk, period])
    return redirect(f"{url}?catalog={catalog.key}")
