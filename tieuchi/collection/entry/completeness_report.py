"""Which units below a parent have entered and submitted their figures, and on time."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection import workflow
from tieuchi.collection.entry.figures import is_filled
from tieuchi.collection.entry.measures import (
    COLLECTED_AT,
    children_in,
    input_mode,
    unit_catalog_applies,
    unit_title,
)
from tieuchi.collection.entry.periods import parse_period, period_title
from tieuchi.collection.models import (
    Observation,
    Reminder,
    ReportingWindow,
    Submission,
)
from tieuchi.orgs.models import AdminUnit


@dataclass
class ChildStatus:
    unit: AdminUnit
    submission: Submission | None
    required: int
    filled: int
    due_on: dt.date | None
    today: dt.date
    reminders: list[Reminder] = field(default_factory=list)
    approved: int = 0  # figures approved one by one (loaded data, before the workflow)

    @property
    def title(self) -> str:
        return unit_title(self.unit)

    @property
    def state(self) -> str:
        if self.submission is not None:
            return self.submission.status
        if self.required and self.approved >= self.required:
            return workflow.APPROVED
        return workflow.DRAFT if self.filled else "none"

    @property
    def state_label(self) -> str:
        if self.state == "none":
            return gettext_noop("Chưa nhập")
        return workflow.STATE_LABELS.get(self.state, self.state)

    @property
    def submitted(self) -> bool:
        return self.state in (workflow.SUBMITTED, workflow.APPROVED)

    @property
    def missing(self) -> bool:
        return not self.submitted

    @property
    def submitted_on(self) -> dt.date | None:
        if not self.submitted or self.submission is None or not self.submission.submitted_at:
            return None
        return timezone.localtime(self.submission.submitted_at).date()

    @property
    def on_time(self) -> bool | None:
        """True/False for a submitted set when there is a due date; None otherwise."""
        if self.due_on is None or self.submitted_on is None:
            return None
        return self.submitted_on <= self.due_on

    @property
    def days_late(self) -> int:
        if self.due_on is None:
            return 0
        day = self.submitted_on or (None if self.submitted else self.today)
        return max(0, (day - self.due_on).days) if day else 0

    @property
    def timeliness(self) -> str:
        if self.due_on is None:
            return _("Đã gửi") if self.submitted else _("Chưa gửi")
        if self.submitted and self.on_time is None:
            return _("Không rõ ngày gửi")
        days = {"days": self.days_late}
        if self.submitted:
            if self.on_time:
                return _("Đúng hạn")
            return ngettext("Muộn %(days)s ngày", "Muộn %(days)s ngày", self.days_late) % days
        if self.days_late:
            return ngettext("Quá hạn %(days)s ngày", "Quá hạn %(days)s ngày", self.days_late) % days
        return _("Chưa đến hạn")


@dataclass
class Completeness:
    parent: AdminUnit
    catalog: Catalog
    period: str
    window: ReportingWindow | None
    children: list[ChildStatus]

    @property
    def label(self) -> str:
        return period_title(self.period)

    @property
    def missing(self) -> list[ChildStatus]:
        return [c for c in self.children if c.missing]

    @property
    def submitted_count(self) -> int:
        return sum(1 for c in self.children if c.submitted)

    @property
    def late_count(self) -> int:
        return sum(1 for c in self.children if c.on_time is False)


def completeness(
    parent: AdminUnit, catalog: Catalog, period: str, *, today: dt.date | None = None
) -> Completeness:
    """Each unit directly below `parent` that reports figures of `catalog`: its status, whether it
    submitted on time (against the reporting window's due date), what it still misses."""
    start, end = parse_period(period)
    today = today or timezone.localdate()
    window = ReportingWindow.objects.filter(catalog=catalog, period=period).first()
    children = [
        c
        for c in children_in(parent, start, end)
        if unit_catalog_applies(c, catalog, parent.unit_type)
    ]
    levels = {c.level for c in children}
    measures = defaultdict(list)
    for measure in Measure.objects.filter(node__catalog=catalog).exclude(kind="title"):
        for level in levels:
            if measure.collected_at in COLLECTED_AT.get(level, ()):
                measures[level].append(measure)
    children = [c for c in children if measures.get(c.level)]
    mode_of = {m.pk: input_mode(m) for ms in measures.values() for m in ms}
    filled, approved = defaultdict(int), defaultdict(int)
    figures = Observation.objects.filter(
        unit__in=children, measure_id__in=list(mode_of), period=period
    )
    for obs in figures:
        if is_filled(mode_of[obs.measure_id], obs):
            filled[obs.unit_id] += 1
            approved[obs.unit_id] += obs.status == Observation.Status.APPROVED
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(unit__in=children, catalog=catalog, period=period)
    }
    reminders = defaultdict(list)
    for reminder in Reminder.objects.filter(
        unit__in=children, catalog=catalog, period=period
    ).order_by("sent_at"):
        reminders[reminder.unit_id].append(reminder)
    rows = [
        ChildStatus(
            child,
            submissions.get(child.pk),
            len(measures[child.level]),
            filled[child.pk],
            window.due_on if window else None,
            today,
            reminders[child.pk],
            approved[child.pk],
        )
        for child in children
    ]
    return Completeness(parent, catalog, period, window, rows)
