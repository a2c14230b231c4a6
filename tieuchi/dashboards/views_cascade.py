"""The plan cascade page: each target of a district plan (KH 72 of quận Long Biên) with the rows of
the ward plans that implement it, their tasks by status and the ward's latest verdict on the
sub-criterion. The .xlsx download is built from the same read.

Lives in dashboards because it reads evaluation results, which plans (a lower layer) must not.
`?on=YYYY-MM-DD` looks at the tasks as of another day (the demo is in 2023).
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response
from tieuchi.evaluation.models import EvaluationRun, NodeResult
from tieuchi.evaluation.verdict_display import verdict_view
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.exports import leader_label
from tieuchi.plans.queries_cascade import Cascade, cascade, cascade_plan


def _today(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _read(request, key: str) -> Cascade:
    plan = cascade_plan(request.user, key)
    if plan is None:
        raise Http404(_("Không có kế hoạch này trong phạm vi của bạn."))
    table = cascade(request.user, plan, _today(request))
    _add_verdicts(table)
    return table


def _add_verdicts(table: Cascade) -> None:
    """Each ward row gets its ward's newest current verdict on the row's sub-criterion (2 queries)."""
    unit_ids = {ward_plan.unit_id for ward_plan in table.ward_plans}
    newest = (
        EvaluationRun.objects.filter(
            unit=OuterRef("pk"), catalog__key=table.plan.catalog.key, is_current=True
        )
        .order_by("-as_of", "-computed_at", "-pk")
        .values("pk")[:1]
    )
    runs = dict(
        AdminUnit.objects.filter(pk__in=unit_ids)
        .annotate(run_id=Subquery(newest))
        .values_list("pk", "run_id")
    )
    results = NodeResult.objects.filter(
        run_id__in=[run for run in runs.values() if run]
    ).values_list("run_id", "code", "verdict", "run__as_of")
    verdicts = {(run, code): (verdict, as_of) for run, code, verdict, as_of in results}
    for ward_row in table.ward_rows:
        row = ward_row.row
        found = verdicts.get((runs.get(row.plan.unit_id), row.criterion_code))
        if found:
            ward_row.verdict = verdict_view(found[0])
            ward_row.verdict_as_of = found[1]


@login_required
def cascade_page(request, key: str):
    table = _read(request, key)
    context = {"nav": "plans", "table": table, "today": table.today}
    return render(request, "dashboards/cascade.html", context)


@login_required
def cascade_xlsx(request, key: str):
    table = _read(request, key)
    columns = [
        Column(_("Mã tiêu chí"), width=10),
        Column(_("Nội dung tiêu chí"), width=40),
        Column(_("Phường"), width=18),
        Column(_("Kế hoạch"), width=14),
        Column(_("Lãnh đạo phụ trách"), width=20),
        Column(_("Thời gian hoàn thành"), width=18),
        Column(_("Hạn cuối"), Column.DATE),
        Column(_("Hoàn thành"), Column.INTEGER),
        Column(_("Đúng tiến độ"), Column.INTEGER),
        Column(_("Có nguy cơ trễ"), Column.INTEGER),
        Column(_("Quá hạn"), Column.INTEGER),
        Column(_("Kết quả đánh giá gần nhất"), width=18),
    ]
    rows = (
        [
            target.row.criterion_code,
            target.row.criterion_text,
            ward_row.row.plan.unit.name,
            ward_row.row.plan.legal_document.number,
            leader_label(ward_row.row),
            ward_row.row.deadline_text,
            ward_row.row.deadline_due,
            ward_row.counts.done,
            ward_row.counts.on_time,
            ward_row.counts.at_risk,
            ward_row.counts.overdue,
            ward_row.verdict.label if ward_row.verdict else "",
        ]
        for target in table.targets
        for ward_row in target.ward_rows
    )
    export = TableExport(
        title=f"{table.plan.legal_document.number} – {table.plan.name}",
        subtitle=[
            _("Tiến độ của các phường theo từng nội dung, tính đến ngày %(day)s")
            % {"day": f"{table.today:%d/%m/%Y}"}
        ],
        columns=columns,
        rows=rows,
        sheet_name=_("Tiến độ các phường"),
    )
    return xlsx_response(export.to_bytes(), f"{table.plan.key}-cac-phuong.xlsx")
