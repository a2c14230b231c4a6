"""Reminders to units that have not submitted a period's figures: in the app and by email.

A reminder is stored as a `Reminder` (shown on the unit's entry page) and mailed to the unit's
members who enter figures. The unique constraint (unit, catalog, period, kind) makes sending
idempotent: the same kind of reminder ("before_due" while the due date has not passed,
"overdue" after it) never goes to a unit twice, however often the page button or the cron job
(`tieuchi send_reminders`) runs.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tieuchi.accounts.roles import EDITOR_ROLES
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.collection.entry.completeness_report import completeness
from tieuchi.collection.entry.measures import COLLECTED_AT
from tieuchi.collection.entry.periods import parse_period, period_label
from tieuchi.collection.models import Reminder, ReportingWindow
from tieuchi.orgs.models import AdminUnit, Membership

log = logging.getLogger(__name__)

BEFORE_DUE, OVERDUE = "before_due", "overdue"
KIND_LABELS = {BEFORE_DUE: "nhắc trước hạn", OVERDUE: "nhắc quá hạn"}


def reminder_kind(window: ReportingWindow | None, today: dt.date) -> str:
    return OVERDUE if window is not None and today > window.due_on else BEFORE_DUE


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    skipped: list[AdminUnit] = field(default_factory=list)  # already reminded with this kind
    emails: int = 0

    def extend(self, other: "Outcome") -> None:
        self.sent += other.sent
        self.skipped += other.skipped
        self.emails += other.emails

    @property
    def message(self) -> str:
        """What the page says after the button (in the reader's language)."""
        parts = []
        if self.sent:
            names = ", ".join(r.unit.name for r in self.sent)
            parts.append(
                ngettext(
                    "Đã gửi nhắc nhở cho %(n)s đơn vị: %(names)s",
                    "Đã gửi nhắc nhở cho %(n)s đơn vị: %(names)s",
                    len(self.sent),
                )
                % {"n": len(self.sent), "names": names}
            )
        else:
            parts.append(_("Không gửi nhắc nhở mới nào"))
        if self.skipped:
            parts.append(
                ngettext(
                    "bỏ qua %(n)s đơn vị đã được nhắc",
                    "bỏ qua %(n)s đơn vị đã được nhắc",
                    len(self.skipped),
                )
                % {"n": len(self.skipped)}
            )
        emails = ngettext(" (%(n)s thư điện tử).", " (%(n)s thư điện tử).", self.emails) % {
            "n": self.emails
        }
        return "; ".join(parts) + emails


def recipients(unit: AdminUnit) -> list:
    """The unit's own members who enter figures (today's memberships)."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(unit=unit, role__in=EDITOR_ROLES)
        .exclude(valid_from__gt=today)
        .exclude(valid_to__lt=today)
        .select_related("user")
        .order_by("user__username")
    )
    users = {m.user.pk: m.user for m in memberships if m.user.is_active}
    return list(users.values())


def send_reminders(
    parent: AdminUnit,
    catalog: Catalog,
    period: str,
    *,
    actor=None,
    today: dt.date | None = None,
    only: AdminUnit | None = None,
) -> Outcome:
    """Remind every unit below `parent` that has not submitted `period` (or only `only`)."""
    today = today or timezone.localdate()
    report = completeness(parent, catalog, period, today=today)
    kind = reminder_kind(report.window, today)
    outcome = Outcome()
    for child in report.missing:
        if only is not None and child.unit.pk != only.pk:
            continue
        people = recipients(child.unit)
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    unit=child.unit,
                    catalog=catalog,
                    period=period,
                    kind=kind,
                    recipients=[
                        {"username": u.username, "name": u.display_name, "email": u.email}
                        for u in people
                    ],
                )
        except IntegrityError:
            outcome.skipped.append(child.unit)
            continue
        outcome.sent.append(reminder)
        outcome.emails += _mail(child, report, kind, people, actor)
    return outcome


def _mail(child, report, kind: str, people, actor) -> int:
    addresses = [u.email for u in people if u.email]
    if not addresses:
        return 0
    window = report.window
    due = f" Hạn nộp: {window.due_on:%d/%m/%Y}." if window else ""
    path = reverse("collection:entry", args=[child.unit.pk, report.period])
    name = child.title
    subject = f"[tieuchi] Nhắc nộp số liệu {period_label(report.period)} – {name}"
    body = (
        f"Kính gửi {name},\n\n"
        f"{name} chưa gửi số liệu {report.catalog.name} {period_label(report.period)} "
        f"(đã nhập {child.filled}/{child.required} nội dung; trạng thái: {child.state_label})."
        f"{due}\n\nNhập và gửi số liệu tại: {path}?catalog={report.catalog.key}\n\n"
        f"Đây là thư {KIND_LABELS[kind]} tự động của tieuchi"
        + (f", gửi theo yêu cầu của {actor.display_name}." if getattr(actor, "pk", None) else ".")
    )
    sent = 0
    for address in addresses:
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:  # the reminder stays stored in the app; the mail server can be retried
            log.exception("Không gửi được thư nhắc nhở tới %s", address)
    return sent


def reporting_parents(catalog: Catalog, period: str, within: AdminUnit | None = None):
    """The units whose children report figures of `catalog` in `period` (for the cron job)."""
    start, end = parse_period(period)
    levels = {
        level
        for level, collected in COLLECTED_AT.items()
        if Measure.objects.filter(node__catalog=catalog, collected_at__in=collected)
        .exclude(kind="title")
        .exists()
    }
    children = (
        AdminUnit.objects.filter(level__in=levels, parent__isnull=False)
        .exclude(valid_from__gt=end)
        .exclude(valid_to__lt=start)
    )
    if within is not None:  # the units below `within`, not `within` itself
        children = children.filter(path__startswith=within.path).exclude(pk=within.pk)
    parent_ids = set(children.values_list("parent_id", flat=True))
    return list(AdminUnit.objects.filter(pk__in=parent_ids).order_by("path"))


def send_all(
    catalog: Catalog,
    period: str,
    *,
    within: AdminUnit | None = None,
    today: dt.date | None = None,
) -> tuple[Outcome, dict[AdminUnit, Outcome]]:
    """Reminders for every reporting unit (below `within`) that has not submitted."""
    total, by_parent = Outcome(), defaultdict(Outcome)
    for parent in reporting_parents(catalog, period, within):
        outcome = send_reminders(parent, catalog, period, today=today)
        by_parent[parent] = outcome
        total.extend(outcome)
    return total, dict(by_parent)
