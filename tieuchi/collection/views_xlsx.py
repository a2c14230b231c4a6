""".xlsx downloads of the entry page, the completeness page and one value's history
(`<page>/export.xlsx`).

Each reads through the page's own checks and queries (`unit_and_rights`, `entry.build_sheet`,
`entry.completeness`, the value's audit events and `snapshot_text`), so the file holds what the
page shows.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tieuchi.accounts.models import AuditEvent
from tieuchi.collection import entry
from tieuchi.collection.models import Observation
from tieuchi.collection.views_entry import (
    ACTION_LABELS,
    checked_period,
    requested_catalog,
    snapshot_text,
    unit_and_rights,
)
from tieuchi.core.xlsx_tables import Column, TableExport, workbook_bytes, xlsx_response


def sheet_rows(sheet) -> list[list]:
    rows = []
    for group in sheet.groups:
        node = group.node
        for row in group.rows:
            figure = row.observation
            rows.append(
                [
                    f"{node.code}. {node.short_name or node.name}" if node else "",
                    row.code,
                    row.measure.name,
                    figure.numerator if figure else None,
                    figure.denominator if figure else None,
                    figure.value if figure and figure.value is not None else None,
                    row.percent,
                    row.shown,
                    row.measure.unit_of_measure,
                    figure.get_status_display() if figure else "",
                    row.previous_shown,
                ]
            )
    return rows


def rollup_rows(sheet) -> list[list]:
    return [
        [
            r.measure.code,
            r.measure.name,
            r.numerator if r.reported else None,
            r.denominator if r.reported else None,
            r.percent,
            r.reported,
            r.expected,
            ", ".join(unit.name for unit in r.missing),
        ]
        for r in sheet.rollup
    ]


@login_required
def entry_xlsx(request, unit_id: int, period: str):
    unit, _rights = unit_and_rights(request, unit_id)
    catalog, period = requested_catalog(request), checked_period(period)
    sheet = entry.build_sheet(request.user, unit, catalog, period)
    subtitle = [
        _("Kỳ: %(period)s") % {"period": sheet.label},
        f"{catalog.name} ({catalog.legal_document.number})",
        _("Trạng thái: %(state)s") % {"state": _(sheet.state_label)},
    ]
    number = Column.NUMBER
    figures = TableExport(
        title=_("Số liệu: %(unit)s") % {"unit": sheet.title},
        subtitle=subtitle,
        columns=[
            Column(_("Tiêu chí"), width=28),
            Column(_("Mã"), width=8),
            Column(_("Nội dung"), width=45),
            Column(_("Tử số"), number),
            Column(_("Mẫu số"), number),
            Column(_("Giá trị"), number),
            Column(_("Tỷ lệ"), Column.PERCENT),
            Column(_("Như trên trang"), width=24),
            Column(_("Đơn vị tính"), width=12),
            Column(_("Trạng thái"), width=14),
            Column(_("Kỳ trước"), width=20),
        ],
        rows=sheet_rows(sheet),
        sheet_name=_("Số liệu"),
    )
    tables = [figures]
    if sheet.rollup:
        tables.append(
            TableExport(
                title=_("Tổng hợp từ các tổ dân phố: %(unit)s") % {"unit": sheet.title},
                subtitle=subtitle[:2],
                columns=[
                    Column(_("Mã"), width=8),
                    Column(_("Nội dung"), width=45),
                    Column(_("Tổng tử số"), number),
                    Column(_("Tổng mẫu số"), number),
                    Column(_("Tỷ lệ"), Column.PERCENT),
                    Column(_("Đã báo cáo"), Column.INTEGER),
                    Column(_("Phải báo cáo"), Column.INTEGER),
                    Column(_("Chưa báo cáo"), width=40),
                ],
                rows=rollup_rows(sheet),
                sheet_name=_("Tổng hợp"),
            )
        )
    filename = f"so-lieu-{unit.official_code}-{period}.xlsx"
    return xlsx_response(workbook_bytes(tables), filename)


def completeness_rows(report) -> list[list]:
    rows = []
    for child in report.children:
        submission = child.submission if child.submitted else None
        last_reminder = max((r.sent_at for r in child.reminders), default=None)
        rows.append(
            [
                child.unit.name,
                _(child.state_label),
                child.filled,
                child.required,
                submission.submitted_at if submission else None,
                child.timeliness,
                len(child.reminders) or None,
                last_reminder,
            ]
        )
    return rows


@login_required
def completeness_xlsx(request, unit_id: int, period: str):
    unit, _rights = unit_and_rights(request, unit_id)
    catalog, period = requested_catalog(request), checked_period(period)
    report = entry.completeness(unit, catalog, period)
    due_on = report.window.due_on if report.window else None
    table = TableExport(
        title=_("Tình hình nộp số liệu"),
        subtitle=[
            _("Đơn vị: %(unit)s") % {"unit": entry.unit_title(unit)},
            _("Kỳ: %(period)s") % {"period": report.label},
            catalog.name,
            _("Hạn nộp: %(day)s") % {"day": f"{due_on:%d/%m/%Y}" if due_on else _("chưa đặt")},
        ],
        columns=[
            Column(_("Đơn vị"), width=26),
            Column(_("Trạng thái"), width=16),
            Column(_("Đã nhập"), Column.INTEGER),
            Column(_("Phải nhập"), Column.INTEGER),
            Column(_("Gửi lúc"), Column.DATETIME),
            Column(_("Đúng hạn"), width=18),
            Column(_("Số lần nhắc"), Column.INTEGER),
            Column(_("Nhắc gần nhất"), Column.DATETIME),
        ],
        rows=completeness_rows(report),
        sheet_name=_("Tình hình nộp"),
    )
    filename = f"tinh-hinh-nop-{unit.official_code}-{period}.xlsx"
    return xlsx_response(table.to_bytes(), filename)


@login_required
def history_xlsx(request, pk: int):
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
    rows = (
        [
            event.at,
            (event.actor.display_name if event.actor else "") or _("hệ thống"),
            ACTION_LABELS.get(event.action, event.action),
            snapshot_text(mode, event.before, measure.unit_of_measure),
            snapshot_text(mode, event.after, measure.unit_of_measure),
            event.get_channel_display(),
            event.note,
        ]
        for event in events.order_by("at", "id")
    )
    table = TableExport(
        title=_("Lịch sử số liệu"),
        subtitle=[
            _("Đơn vị: %(unit)s") % {"unit": entry.unit_title(observation.unit)},
            _("Kỳ: %(period)s") % {"period": entry.period_title(observation.period)},
            f"{measure.code} – {measure.name}",
            _("Giá trị hiện tại: %(value)s")
            % {"value": entry.describe(mode, observation, measure.unit_of_measure)},
        ],
        columns=[
            Column(_("Thời điểm"), Column.DATETIME),
            Column(_("Người thực hiện"), width=22),
            Column(_("Thao tác"), width=18),
            Column(_("Trước"), width=26),
            Column(_("Sau"), width=26),
            Column(_("Kênh"), width=12),
            Column(_("Ghi chú"), width=30),
        ],
        rows=rows,
        sheet_name=_("Lịch sử"),
    )
    filename = f"lich-su-{observation.unit.official_code}-{measure.code}-{observation.period}.xlsx"
    return xlsx_response(table.to_bytes(), filename)
