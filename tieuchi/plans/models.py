"""Plans (Kế hoạch / Chương trình), their rows as the Word appendix shows them, targets and rounds."""

import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.catalog.models import Catalog, CatalogNode, Comparator, Layer, Measure
from tieuchi.orgs.models import AdminUnit, LegalDocument, Organisation, Person


class Plan(models.Model):
    """A unit's plan for a period, built on one catalog version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đang thực hiện")
        CLOSED = "closed", _("Đã kết thúc")
        ENDED_BY_REORGANISATION = "ended_by_reorganisation", _("Kết thúc do sắp xếp đơn vị")

    key = models.SlugField(_("mã kế hoạch"), max_length=80, unique=True)
    name = models.CharField(_("tên"), max_length=400)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="plans")
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="plans")
    legal_document = models.ForeignKey(
        LegalDocument, on_delete=models.PROTECT, related_name="plans"
    )
    parent_document = models.ForeignKey(
        LegalDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="child_plans"
    )
    parent_plan = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="child_plans"
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=30, choices=Status, default=Status.ACTIVE)
    school_year_end = models.CharField(
        _("ngày kết thúc năm học (dd/mm)"),
        max_length=5,
        default="31/05",
        help_text=_("Dùng để hiểu thời hạn 'Năm học 2022 - 2023'."),
    )
    source_file = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-period_start", "key"]

    def __str__(self) -> str:
        return f"{self.legal_document.number} – {self.name}"


class PlanRow(models.Model):
    """One row of the plan's appendix table: a sub-criterion with its solution and owners."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rows")
    node = models.ForeignKey(
        CatalogNode, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_rows"
    )
    parent_row = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="child_rows",
        verbose_name=_("dòng kế hoạch cấp trên"),
        help_text=_("Dòng cùng tiêu chí trong kế hoạch cấp trên mà dòng này thực hiện."),
    )
    criterion_code = models.CharField(_("số thứ tự tiêu chí"), max_length=20)
    position = models.PositiveIntegerField(default=0)
    criterion_text = models.TextField(_("nội dung tiêu chí như văn bản"), blank=True)
    solution = models.TextField(_("giải pháp thực hiện"), blank=True)
    lead_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_rows"
    )
    leader_text = models.CharField(_("lãnh đạo phụ trách như văn bản"), max_length=120, blank=True)
    deadline_text = models.CharField(
        _("thời gian hoàn thành như văn bản"), max_length=200, blank=True
    )
    deadline_kind = models.CharField(_("loại thời hạn"), max_length=20, blank=True, db_index=True)
    deadline_due = models.DateField(_("hạn cuối"), null=True, blank=True, db_index=True)
    deadline = models.JSONField(_("thời hạn đã chuẩn hóa"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    flags = models.JSONField(_("cần xem lại"), default=list, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("dòng kế hoạch")
        verbose_name_plural = _("dòng kế hoạch")
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "criterion_code"], name="plan_row_code")
        ]

    def __str__(self) -> str:
        return f"{self.plan.key} {self.criterion_code}"


class PlanRowParty(models.Model):
    """An implementing or coordinating unit (or person) of a row, recognised or kept as written."""

    class Role(models.TextChoices):
        IMPLEMENTING = "implementing", _("Thực hiện")
        COORDINATING = "coordinating", _("Phối hợp")

    row = models.ForeignKey(PlanRow, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=20, choices=Role)
    text = models.CharField(_("như văn bản"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_parties"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_parties"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("đơn vị thực hiện, phối hợp")
        verbose_name_plural = _("đơn vị thực hiện, phối hợp")
        ordering = ["row_id", "role", "position"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.organisation_id:
            return str(self.organisation)
        if self.person_id:
            return self.person.short_name
        return self.text


class Target(models.Model):
    """The plan's own target for a measure where it differs from the catalog (e.g. 85% schools)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    node = models.ForeignKey(CatalogNode, on_delete=models.PROTECT, related_name="plan_targets")
    measure = models.ForeignKey(
        Measure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_targets",
        help_text=_("Trống khi chỉ tiêu của kế hoạch không trùng chỉ số nào của bộ tiêu chí."),
    )
    layer = models.CharField(max_length=20, choices=Layer, default=Layer.WARD)
    comparator = models.CharField(max_length=20, choices=Comparator)
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    value_max = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    text = models.TextField(_("như văn bản viết"))
    source_ref = models.CharField(max_length=120, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu của kế hoạch")
        verbose_name_plural = _("chỉ tiêu của kế hoạch")
        ordering = ["plan_id", "node_id", "id"]

    def __str__(self) -> str:
        return f"{self.node.code}: {self.text[:60]}"


class EvaluationRound(models.Model):
    """A scheduled check of the plan: "Đợt 1 – tháng 05/2023"."""

    class Kind(models.TextChoices):
        SELF = "self", _("Tự đánh giá")
        INSPECTION = "inspection", _("Kiểm tra của cấp trên")
        COUNCIL = "council", _("Thẩm định")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("đợt"))
    name = models.CharField(_("tên đợt"), max_length=120)
    scheduled_month = models.DateField(_("tháng dự kiến"))
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.INSPECTION)
    evaluator = models.CharField(_("đơn vị kiểm tra"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="round_number")]

    def __str__(self) -> str:
        return self.name

    @property
    def judged_on(self) -> dt.date:
        """A round judges the unit as of the last day of its scheduled month."""
        month = self.scheduled_month
        return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# --- Tasks, progress and reminders (see plans/occurrences.py for how due dates are expanded) ---


class TaskStatus(models.TextChoices):
    """Stored statuses are the manual ones; "quá hạn" is derived from the due date, never stored."""

    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    AT_RISK = "at_risk", _("Có nguy cơ trễ")
    OVERDUE = "overdue", _("Quá hạn")
    DONE = "done", _("Hoàn thành")


class Task(models.Model):
    """One implementing party's share of a plan row; its due dates are its occurrences."""

    row = models.ForeignKey(PlanRow, on_delete=models.CASCADE, related_name="tasks")
    key = models.CharField(
        max_length=220, help_text="org:<id>, person:<id> hoặc text:<như văn bản>"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    party_text = models.CharField(_("đơn vị/cá nhân thực hiện như văn bản"), max_length=200)
    title = models.CharField(_("việc"), max_length=300)
    cadence = models.CharField(_("nhịp"), max_length=20, blank=True)
    due_on = models.DateField(_("hạn cuối"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    done_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    # A task whose party left the row but that has progress reports is closed, never deleted.
    closed_on = models.DateField(_("đóng ngày"), null=True, blank=True)
    closed_reason = models.CharField(_("lý do đóng"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("việc")
        verbose_name_plural = _("việc")
        ordering = ["row__plan_id", "row__position", "id"]
        constraints = [models.UniqueConstraint(fields=["row", "key"], name="task_row_key")]

    def __str__(self) -> str:
        return f"{self.row.criterion_code} – {self.party_text}"


class TaskOccurrence(models.Model):
    """One due date of a task: a week, a month-end check-in, or the single deadline."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    due_on = models.DateField(_("hạn"), db_index=True)
    label = models.CharField(_("kỳ"), max_length=80)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskStatus, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần thực hiện")
        verbose_name_plural = _("lần thực hiện")
        ordering = ["task_id", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["task", "due_on"], name="task_occurrence_due")
        ]

    def __str__(self) -> str:
        return f"{self.task} – {self.label}"


class TaskUpdate(models.Model):
    """A progress report on a task (or one of its occurrences): note, optional %, status."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    occurrence = models.ForeignKey(
        TaskOccurrence, on_delete=models.CASCADE, null=True, blank=True, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on = models.DateField(_("ngày"))
    note = models.TextField(_("nội dung"))
    percent = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=TaskStatus, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.task} – {self.on:%d/%m/%Y}"


class Notification(models.Model):
    """An in-app message; `key` makes each reminder unique per user (idempotent sending)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120)
    text = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_user_key")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class CalendarToken(models.Model):
    """A secret calendar-feed address; only the SHA-256 of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(
        max_length=8, help_text="the token's first characters, to tell it apart"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch cá nhân (.ics)")
        verbose_name_plural = _("lịch cá nhân (.ics)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.hint}…"
