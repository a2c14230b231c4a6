""".xlsx downloads of the rounds overview, a unit's self-assessment or inspection, the
corrective actions and the recompute jobs.

Same query functions and filters as the pages (`rounds_overview`, `assessment_context`,
`actions_visible_to`, the jobs list of system administrators).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.core.xlsx_tables import Column, TableExport, xlsx_response
from tieuchi.evaluation.models import CorrectiveAction, RecomputeJob, RoundAssessment
from tieuchi.evaluation.page_lookups import visible_unit_or_404
from tieuchi.evaluation.rounds import queries
from tieuchi.evaluation.views_assessments import assessment_context, visible_round_or_404
from tieuchi.evaluation.views_jobs import require_admin
from tieuchi.plans.queries import plans_visible_to

NOT_STARTED = "Chưa bắt đầu"


def _status(assessment) -> str:
    return assessment.get_status_display() if assessment else _(NOT_STARTED)


def rounds_rows(overview) -> list[list]:
    rows = []
    for entry in overview:
        evaluation_round = entry["round"]
        for row in entry["rows"]:
            shown = row["inspection"] or row["self"]
            rows.append(
                [
                    evaluation_round.name,
                    evaluation_round.plan.legal_document.number,
                    entry["day"],
                    str(row["unit"]),
                    _status(row["self"]),
                    _status(row["inspection"]),
                    shown.not_met if shown else None,
                    shown.open_actions if shown else None,
                ]
            )
    return rows


@login_required
def rounds_xlsx(request):
    overview = queries.rounds_overview(request.user, plans_visible_to(request.user))
    table = TableExport(
        title=_("Đánh giá theo đợt"),
        columns=[
            Column(_("Đợt đánh giá"), width=30),
            Column(_("Kế hoạch"), width=18),
            Column(_("Đánh giá đến ngày"), Column.DATE),
            Column(_("Đơn vị"), width=26),
            Column(_("Tự đánh giá"), width=16),
            Column(_("Kiểm tra của cấp trên"), width=16),
            Column(_("Nội dung chưa đạt"), Column.INTEGER),
            Column(_("Việc đang khắc phục"), Column.INTEGER),
        ],
        rows=rounds_rows(overview),
        sheet_name=_("Đợt đánh giá"),
    )
    return xlsx_response(table.to_bytes(), "dot-danh-gia.xlsx")


def assessment_rows(items, stage: str) -> list[list]:
    rows = []
    for item in items:
        parent = item.node.parent
        row = [
            f"{parent.code}. {parent.short_name or parent.name}" if parent else "",
            item.node.code,
            item.node.short_name or item.node.name,
            item.get_computed_verdict_display(),
            item.result.explanation if item.result else "",
        ]
        if stage == RoundAssessment.Stage.INSPECTION:
            ward = item.ward
            row += [ward.get_verdict_display() if ward else "", ward.remark if ward else ""]
        row += [item.get_verdict_display(), item.remark, item.action_count or None]
        rows.append(row)
    return rows


@login_required
def assessment_xlsx(request, round_id: int, code: str, stage: str = RoundAssessment.Stage.SELF):
    evaluation_round, unit = (
        visible_round_or_404(request, round_id),
        visible_unit_or_404(request, code),
    )
    if not unit.path.startswith(evaluation_round.plan.unit.path):
        raise Http404
    context = assessment_context(request, evaluation_round, unit, stage)
    assessment = context["assessment"]
    if assessment is None:
        raise Http404(_("Chưa có bản đánh giá này."))
    inspection = stage == RoundAssessment.Stage.INSPECTION
    columns = [
        Column(_("Tiêu chí"), width=28),
        Column(_("Mã"), width=8),
        Column(_("Nội dung"), width=40),
        Column(_("Kết quả tính tự động"), width=16),
        Column(_("Giải thích"), width=40),
    ]
    if inspection:
        columns += [
            Column(_("Phường tự đánh giá"), width=16),
            Column(_("Nhận xét của phường"), width=30),
        ]
    columns += [
        Column(_("Kết luận"), width=16),
        Column(_("Nhận xét"), width=36),
        Column(_("Việc khắc phục"), Column.INTEGER),
    ]
    title = _("Kiểm tra của cấp trên") if inspection else _("Tự đánh giá")
    table = TableExport(
        title=f"{title} – {unit}",
        subtitle=[
            evaluation_round.name,
            _("Đánh giá đến ngày: %(day)s") % {"day": f"{context['day']:%d/%m/%Y}"},
            _("Trạng thái: %(status)s") % {"status": assessment.get_status_display()},
        ],
        columns=columns,
        rows=assessment_rows(context["items"], stage),
        sheet_name=title,
    )
    filename = f"{'kiem-tra' if inspection else 'tu-danh-gia'}-{unit.official_code}-{round_id}.xlsx"
    return xlsx_response(table.to_bytes(), filename)


def action_rows(actions, today) -> list[list]:
    rows = []
    for action in actions:
        assessment = action.item.assessment
        person = action.responsible_person
        overdue = action.status == CorrectiveAction.Status.OPEN and action.due_on < today
        rows.append(
            [
                str(assessment.unit),
                assessment.round.name,
                action.item.node.code,
                action.item.node.short_name or action.item.node.name,
                action.description,
                str(action.responsible_organisation or ""),
                f"{person.short_name} {person.title_short}".strip() if person else "",
                action.due_on,
                action.get_status_display(),
                _("Quá hạn") if overdue else "",
                action.closed_on,
                action.closing_note,
            ]
        )
    return rows


@login_required
def actions_xlsx(request):
    status = request.GET.get("status", "")
    if status not in CorrectiveAction.Status.values:
        status = ""
    actions = queries.actions_visible_to(request.user, status=status)
    subtitle = []
    if status:
        label = CorrectiveAction.Status(status).label
        subtitle.append(_("Trạng thái: %(status)s") % {"status": label})
    table = TableExport(
        title=_("Việc khắc phục"),
        subtitle=subtitle,
        columns=[
            Column(_("Đơn vị"), width=24),
            Column(_("Đợt đánh giá"), width=24),
            Column(_("Mã"), width=8),
            Column(_("Nội dung"), width=36),
            Column(_("Việc cần khắc phục"), width=45),
            Column(_("Cơ quan chịu trách nhiệm"), width=26),
            Column(_("Người chịu trách nhiệm"), width=22),
            Column(_("Hạn"), Column.DATE),
            Column(_("Trạng thái"), width=16),
            Column(_("Quá hạn"), width=10),
            Column(_("Ngày kết thúc"), Column.DATE),
            Column(_("Kết quả, lý do"), width=30),
        ],
        rows=action_rows(actions, timezone.localdate()),
        sheet_name=_("Việc khắc phục"),
    )
    return xlsx_response(table.to_bytes(), "viec-khac-phuc.xlsx")


@login_required
def jobs_xlsx(request):
    require_admin(request)
    jobs = RecomputeJob.objects.select_related("catalog", "requested_by")[:50]
    table = TableExport(
        title=_("Tính lại kết quả đánh giá"),
        columns=[
            Column("#", Column.INTEGER, width=7),
            Column(_("Bộ tiêu chí"), width=24),
            Column(_("Ngày"), Column.DATE),
            Column(_("Trạng thái"), width=14),
            Column(_("Đã xong"), Column.INTEGER),
            Column(_("Tổng số"), Column.INTEGER),
            Column(_("Yêu cầu lúc"), Column.DATETIME),
            Column(_("Người yêu cầu"), width=20),
        ],
        rows=(
            [
                job.pk,
                job.catalog.key,
                job.as_of,
                job.get_status_display(),
                job.done,
                job.total,
                job.requested_at,
                str(job.requested_by or ""),
            ]
            for job in jobs
        ),
        sheet_name=_("Tính lại"),
    )
    return xlsx_response(table.to_bytes(), "tinh-lai-ket-qua.xlsx")
