"""Excel round-trip pages: download a template, upload it filled in, preview, commit or discard."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.check_result import (
    CHANGED,
    EMPTY,
    NEW,
    STATUS_LABELS,
    UNCHANGED,
    Problem,
    row_dict,
)
from tieuchi.collection.excel.commit import (
    ConfirmationNeeded,
    commit_batch,
    discard_batch,
    save_batch,
)
from tieuchi.collection.excel.context import (
    TemplateError,
    choose_catalog,
    newest_catalog,
    normalise_period,
    unit_label,
)
from tieuchi.collection.excel.reader import mib, size_text
from tieuchi.collection.excel.row_writer import WARNING, CommitRefused
from tieuchi.collection.excel.template import build_template
from tieuchi.collection.excel.template_rows import collect_rows, describe, template_filename
from tieuchi.collection.excel.validate import check_upload
from tieuchi.collection.models import ImportBatch
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_edit_unit, editable_unit_ids, visible_unit_ids

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_LIMIT = 1000  # rows listed on the preview page; the counts always cover the whole file
IMPORT_LEVELS = ("district", "commune", "residential_group")


class ImportForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Đơn vị"), coerce=int)
    period = forms.CharField(
        label=gettext_lazy("Kỳ"),
        max_length=10,
        help_text=gettext_lazy("Năm 2023, quý 2023-Q4 hoặc tháng 2023-11"),
    )
    catalog = forms.ChoiceField(label=gettext_lazy("Bộ tiêu chí"), required=False)
    subunits = forms.BooleanField(
        label=gettext_lazy("Kèm các đơn vị trực thuộc (tổ dân phố…)"), required=False
    )
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel đã điền (.xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = (
            AdminUnit.objects.filter(pk__in=editable_unit_ids(user), level__in=IMPORT_LEVELS)
            .only("pk", "name", "unit_type", "official_code", "path")
            .order_by("path", "official_code")
        )
        self.fields["unit"].choices = [
            (unit.pk, f"{unit_label(unit)} ({unit.official_code})") for unit in units
        ]
        keys = sorted(set(Catalog.objects.values_list("key", flat=True)))
        self.fields["catalog"].choices = [("", _("Tự chọn theo đơn vị"))] + [
            (key, key) for key in keys
        ]

    def clean_period(self):
        try:
            return normalise_period(self.cleaned_data["period"])
        except TemplateError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        data = super().clean()
        if not self.errors:
            data["unit_obj"] = AdminUnit.objects.get(pk=data["unit"])
        return data

    def chosen_catalog(self) -> Catalog | None:
        """The catalog picked in the form (its newest version); None for "choose by unit"."""
        key = self.cleaned_data.get("catalog")
        return newest_catalog(key) if key else None


def start_context(request, form, problems=(), batch=None):
    return {
        "nav": "data",
        "form": form,
        "problems": list(problems),
        "batch": batch,
        "max_mib": layout.MAX_UPLOAD_BYTES // (1024 * 1024),
        "recent": list(
            ImportBatch.objects.filter(uploaded_by=request.user)
            .select_related("unit", "catalog")
            .order_by("-uploaded_at")[:10]
        ),
    }


@login_required
def import_start(request):
    """GET: the form (download a template, upload a file). POST: check an uploaded file."""
    if request.method != "POST":
        initial = {"period": str(timezone.localdate().year)}
        form = ImportForm(initial=initial | request.GET.dict(), user=request.user)
        return render(request, "collection/import/start.html", start_context(request, form))
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return render(request, "collection/import/start.html", start_context(request, form))
    upload = form.cleaned_data.get("file")
    if upload is None:
        form.add_error("file", _("Hãy chọn tệp Excel đã điền."))
        return render(request, "collection/import/start.html", start_context(request, form))
    if upload.size > layout.MAX_UPLOAD_BYTES:
        problem = Problem(
            _("Tệp quá lớn (%(size)s); tối đa %(max)s.")
            % {"size": size_text(upload.size), "max": mib(layout.MAX_UPLOAD_BYTES)},
            kind="file",
        )
        return render(
            request, "collection/import/start.html", start_context(request, form, [problem])
        )
    data = form.cleaned_data
    result = check_upload(
        upload.read(),
        upload.name,
        request.user,
        unit=data["unit_obj"],
        period=data["period"],
        catalog=form.chosen_catalog(),
    )
    batch = save_batch(result, request.user)
    if result.ok:
        return redirect("collection:import_preview", pk=batch.pk)
    return render(
        request,
        "collection/import/start.html",
        start_context(request, form, result.problems, batch),
    )


@login_required
def import_template(request):
    """The template for the unit, period and catalog chosen in the form (the download button
    posts the form, so the CSRF token stays out of the URL; a plain link with GET works too)."""
    form = ImportForm(request.POST if request.method == "POST" else request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "collection/import/start.html", start_context(request, form))
    data = form.cleaned_data
    unit = data["unit_obj"]
    if not can_edit_unit(request.user, unit):
        raise PermissionDenied
    try:
        catalog = choose_catalog(unit, data.get("catalog") or None)
    except TemplateError as error:
        form.add_error("catalog", str(error))
        return render(request, "collection/import/start.html", start_context(request, form))
    rows = collect_rows(unit, catalog, data["period"], include_subunits=data["subunits"])
    if not rows:
        form.add_error(
            "subunits",
            _(
                "%(unit)s không nhập trực tiếp chỉ tiêu nào của %(catalog)s; hãy chọn "
                "'Kèm các đơn vị trực thuộc' hoặc một phường, tổ dân phố."
            )
            % {"unit": unit_label(unit), "catalog": catalog.key},
        )
        return render(request, "collection/import/start.html", start_context(request, form))
    content = build_template(
        unit,
        catalog,
        data["period"],
        include_subunits=data["subunits"],
        generated_by=request.user.username,
        rows=rows,
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = template_filename(unit, catalog, data["period"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _batch(request, pk: int) -> ImportBatch:
    queryset = ImportBatch.objects.select_related("unit", "catalog", "uploaded_by").filter(
        unit_id__in=visible_unit_ids(request.user)
    )
    return get_object_or_404(queryset, pk=pk)


@login_required
def import_preview(request, pk: int):
    batch = _batch(request, pk)
    rows = batch.rows
    counts = Counter(row[5] for row in rows)  # the status, see validate.ROW_FIELDS
    counts = {status: counts.get(status, 0) for status in (NEW, CHANGED, UNCHANGED, EMPTY)}
    listed = [row_dict(row) for row in rows if row[5] in (NEW, CHANGED)][:PREVIEW_LIMIT]
    measures = Measure.objects.only("pk", "name", "kind", "unit_of_measure", "code").in_bulk(
        {row["measure_id"] for row in listed}
    )
    unit_ids = {row["unit_id"] for row in listed}
    several = len(unit_ids) > 1 or (unit_ids and batch.unit_id not in unit_ids)
    units = AdminUnit.objects.only("pk", "name", "unit_type").in_bulk(unit_ids) if several else {}
    shown = []
    for row in listed:
        measure = measures.get(row["measure_id"])
        shown.append(
            {
                "row": row["row"],
                "code": row["code"],
                "name": measure.name if measure else "",
                "unit": unit_label(units[row["unit_id"]]) if row["unit_id"] in units else "",
                "status": row["status"],
                "status_label": _(STATUS_LABELS[row["status"]]),
                "old": describe(row["old"], measure) if measure else "",
                "new": describe(row["new"], measure) if measure else "",
            }
        )
    problems = [Problem.from_json(item) for item in batch.errors]
    flagged = [row_dict(row) for row in rows if len(row) > WARNING and row[WARNING]]
    context = {
        "unusual": [
            {"row": row["row"], "code": row["code"], "warning": row["warning"]}
            for row in flagged[:PREVIEW_LIMIT]
        ],
        "unusual_count": len(flagged),
        "nav": "data",
        "batch": batch,
        "unit_label": unit_label(batch.unit),
        "counts": counts,
        "summary": _(
            "%(total)s dòng: %(new)s mới, %(changed)s thay đổi, %(unchanged)s không đổi, "
            "%(empty)s để trống"
        )
        % {
            "total": len(rows),
            "new": counts[NEW],
            "changed": counts[CHANGED],
            "unchanged": counts[UNCHANGED],
            "empty": counts[EMPTY],
        },
        "rows": shown,
        "more": max(0, counts[NEW] + counts[CHANGED] - len(shown)),
        "several_units": several,
        "problems": problems,
        "can_commit": batch.status == ImportBatch.Status.PREVIEW
        and batch.uploaded_by_id == request.user.pk,
    }
    return render(request, "collection/import/preview.html", context)


def _own_preview(request, pk: int) -> ImportBatch:
    batch = _batch(request, pk)
    if batch.uploaded_by_id != request.user.pk:
        raise PermissionDenied
    return batch


@login_required
@require_POST
def import_commit(request, pk: int):
    batch = _own_preview(request, pk)
    confirmed = request.POST.get("confirm_unusual") == "1"
    try:
        report = commit_batch(batch, request.user, confirm_unusual=confirmed)
    except ConfirmationNeeded as needed:
        messages.error(
            request,
            _(
                "Chưa ghi gì: %(n)s số liệu khác xa kỳ trước cần được xác nhận; đánh dấu ô "
                "xác nhận rồi ghi lại."
            )
            % {"n": len(needed.problems)},
        )
        return redirect("collection:import_preview", pk=batch.pk)
    except CommitRefused as refused:
        messages.error(
            request,
            _("Chưa ghi gì: %(n)s lỗi, xem danh sách bên dưới.") % {"n": len(refused.problems)},
        )
        return redirect("collection:import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Đã ghi %(n)s số liệu (%(new)s mới, %(changed)s thay đổi).")
        % {"n": report.written, "new": report.created, "changed": report.updated},
    )
    return redirect("collection:import_preview", pk=batch.pk)


@login_required
@require_POST
def import_discard(request, pk: int):
    batch = _own_preview(request, pk)
    if discard_batch(batch):
        messages.info(request, _("Đã hủy lần nhập này; không ghi gì."))
    return redirect("collection:import")
