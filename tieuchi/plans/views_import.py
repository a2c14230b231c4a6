"""Import a plan from Word: upload, review every row with its match, then confirm to save.

Nothing is saved before "Xác nhận nhập". The uploaded file is kept under DATA_DIR/uploads, named
by its sha256, and parsed again on each request; the user's corrections travel in the form.
"""

import hashlib
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tieuchi.accounts.roles import PLAN_EDITOR_ROLES
from tieuchi.orgs.scope import can_act_on_unit
from tieuchi.plans.docx_export import plan_docx
from tieuchi.plans.docx_import.reader import DocxImportError, read_docx
from tieuchi.plans.docx_import.rows import analyse, catalog_matcher, save_import
from tieuchi.plans.queries import plans_visible_to
from tieuchi.plans.views import tasks_changed_message, visible_plan_or_404

MAX_UPLOAD = 10 * 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}")


def _editable_plans(user):
    plans = plans_visible_to(user).select_related("unit", "legal_document", "catalog")
    return [plan for plan in plans if can_act_on_unit(user, plan.unit, PLAN_EDITOR_ROLES)]


class UploadForm(forms.Form):
    plan = forms.ChoiceField(label=gettext_lazy("Kế hoạch"))
    file = forms.FileField(label=gettext_lazy("Tệp Word (.docx)"))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [
            (plan.key, f"{plan.legal_document.number} – {plan.unit}") for plan in plans
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(_("Chỉ nhận tệp Word .docx."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        return upload


def _upload_dir():
    folder = settings.DATA_DIR / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(digest: str):
    if not _DIGEST.fullmatch(digest or ""):
        raise Http404
    path = _upload_dir() / f"{digest}.docx"
    if not path.exists():
        raise Http404
    return path


def _editable_plan(request, key: str):
    plan = visible_plan_or_404(request, key)
    if not can_act_on_unit(request.user, plan.unit, PLAN_EDITOR_ROLES):
        raise PermissionDenied
    return plan


@login_required
def upload(request):
    plans = _editable_plans(request.user)
    if not plans:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        digest = hashlib.sha256(data).hexdigest()
        (_upload_dir() / f"{digest}.docx").write_bytes(data)
        name = form.cleaned_data["file"].name
        request.session[f"docx_import_{digest}"] = name
        return redirect("plans:import_review", key=form.cleaned_data["plan"], digest=digest)
    return render(request, "plans/import/upload.html", {"nav": "plans", "form": form})


def _overrides(post) -> dict[int, str]:
    result = {}
    for name, value in post.items():
        if name.startswith("code_") and name[5:].isdigit():
            result[int(name[5:])] = value.strip()
    return result


@login_required
def review(request, key: str, digest: str):
    plan = _editable_plan(request, key)
    path = _stored(digest)
    name = request.session.get(f"docx_import_{digest}", path.name)
    try:
        document = read_docx(path, name)
    except DocxImportError as error:
        messages.error(request, str(error))
        return redirect("plans:import")
    overrides = _overrides(request.POST) if request.method == "POST" else {}
    rows = analyse(document, plan, overrides)
    if request.method == "POST" and "confirm" in request.POST:
        summary = save_import(plan, rows, actor=request.user, channel="web", source=name)
        messages.success(
            request,
            _(
                "Đã nhập %(name)s: %(created)s dòng mới, %(updated)s dòng cập nhật, %(skipped)s dòng bỏ qua."
            )
            % {"name": name, **summary},
        )
        task_message = tasks_changed_message(summary["tasks"])
        if task_message:
            messages.info(request, task_message)
        return redirect("plans:detail", key=plan.key)
    leaves = sorted(catalog_matcher(plan.catalog).leaves.values(), key=_code_order)
    context = {
        "nav": "plans",
        "plan": plan,
        "name": name,
        "digest": digest,
        "rows": rows,
        "leaves": leaves,
        "flagged": sum(1 for row in rows if row.flags or row.needs_review),
        "unmatched": sum(1 for row in rows if row.criterion_code is None),
    }
    return render(request, "plans/import/review.html", context)


def _code_order(node):
    return [int(part) if part.isdigit() else 0 for part in node.code.split(".")]


@login_required
def plan_download_docx(request, key: str):
    plan = visible_plan_or_404(request, key)
    response = HttpResponse(
        plan_docx(plan),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{plan.key}.docx"'
    return response
