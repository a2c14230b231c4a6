"""Why figures of a period cannot be entered now: the reporting window, the unit's
existence, or the submission's workflow state."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tieuchi.collection import workflow
from tieuchi.collection.entry.measures import unit_title
from tieuchi.collection.entry.periods import parse_period, period_title
from tieuchi.collection.models import (
    ReportingWindow,
    Submission,
)
from tieuchi.orgs.models import AdminUnit


def window_problem(window: ReportingWindow | None, unit: AdminUnit, period: str) -> str | None:
    """Why figures of `period` cannot be entered at all (closed or not yet open period, unit not
    in existence); None when the period is open. Without a reporting window it is open."""
    start, end = parse_period(period)
    if (unit.valid_from and unit.valid_from > end) or (unit.valid_to and unit.valid_to < start):
        return _("%(unit)s không có hiệu lực trong %(period)s.") % {
            "unit": unit_title(unit),
            "period": period_title(period),
        }
    if window is None:
        return None
    if window.closed:
        return _("Kỳ báo cáo %(period)s đã khóa; không nhập hoặc sửa số liệu được nữa.") % {
            "period": period_title(period)
        }
    if timezone.localdate() < window.opens_on:
        return _("Kỳ báo cáo %(period)s mở từ ngày %(day)s; chưa nhập số liệu được.") % {
            "period": period_title(period),
            "day": f"{window.opens_on:%d/%m/%Y}",
        }
    return None


def state_problem(submission: Submission | None) -> str | None:
    if submission is None or workflow.entry_open(submission.status):
        return None
    who = submission.reviewed_by or submission.submitted_by
    if submission.status == Submission.Status.APPROVED:
        return _(
            "Số liệu kỳ này đã được %(who)s duyệt%(when)s và đã khóa; cần mở khóa (có lý do) "
            "trước khi sửa."
        ) % {
            "who": who.display_name if who else _("cấp trên"),
            "when": _when(submission.reviewed_at),
        }
    return _("Số liệu đã gửi duyệt%(when)s; chờ cấp trên duyệt hoặc trả lại để sửa.") % {
        "when": _when(submission.submitted_at)
    }


def _when(moment) -> str:
    if not moment:
        return ""
    return _(" lúc %(time)s") % {"time": f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"}
