"""Filtering the plan table by leader, unit and deadline, as officials ask for it."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEADLINE_CHOICES = [
    ("", _("Tất cả")),
    ("continuous", _("Thường xuyên")),
    ("recurring", _("Định kỳ (hàng ngày, tuần, tháng)")),
    ("dated", _("Có hạn cụ thể")),
    ("linked", _("Theo dự án, kế hoạch khác")),
    ("unspecified", _("Không ghi thời gian")),
    ("flagged", _("Cần kiểm tra lại")),
]
DATED_KINDS = ["month", "year", "quarter", "school_year", "range"]


@dataclass
class PlanFilter:
    leader: int | None = None
    organisation: int | None = None
    deadline: str = ""
    due_by: dt.date | None = None

    @classmethod
    def from_query(cls, query) -> "PlanFilter":
        def integer(name):
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        due_by = None
        text = query.get("due_by", "")
        if text:
            try:
                due_by = dt.date.fromisoformat(text)
            except ValueError:
                due_by = None
        deadline = query.get("deadline", "")
        valid = {choice for choice, _label in DEADLINE_CHOICES}
        return cls(
            integer("leader"), integer("unit"), deadline if deadline in valid else "", due_by
        )

    @property
    def active(self) -> bool:
        return any([self.leader, self.organisation, self.deadline, self.due_by])

    def apply(self, rows):
        if self.leader:
            rows = rows.filter(lead_person_id=self.leader)
        if self.organisation:
            rows = rows.filter(parties__organisation_id=self.organisation).distinct()
        if self.deadline == "dated":
            rows = rows.filter(deadline_kind__in=DATED_KINDS)
        elif self.deadline == "flagged":
            rows = rows.exclude(Q(flags=[]) | Q(flags__isnull=True))
        elif self.deadline:
            rows = rows.filter(deadline_kind=self.deadline)
        if self.due_by:
            rows = rows.filter(deadline_due__isnull=False, deadline_due__lte=self.due_by)
        return rows
