"""Observed values (unit × measure × period), recorded events, titles held, benchmarks, evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tieuchi.catalog.models import CatalogNode, Measure
from tieuchi.orgs.models import AdminUnit, LegalDocument


class Observation(models.Model):
    """One figure for one unit, one measure and one period ("2023", "2023-Q4", "2023-11")."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", pgettext_lazy("status", "Trả lại")
        APPROVED = "approved", _("Đã duyệt")

    # No index of its own on unit or period: the unique (unit, measure, period) index serves
    # every lookup by unit, none is by period alone, and each index slows a 100,000-row import.
    unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="observations")
    period = models.CharField(_("kỳ"), max_length=10)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    numerator = models.DecimalField(
        _("tử số"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("mẫu số"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    value = models.DecimalField(
        _("giá trị"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    boolean_value = models.BooleanField(_("đạt"), null=True, blank=True)
    level = models.CharField(_("mức, xếp loại"), max_length=60, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status, default=Status.DRAFT)
    source = models.CharField(_("nguồn số liệu"), max_length=200, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)
    # Unindexed: only deleting a user looks figures up by approver (accounts are deactivated,
    # not deleted), while every imported figure would pay for the index (its NULLs included).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic locking counter.")

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        ordering = ["unit_id", "measure_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "measure", "period"], name="one_value_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gte=0),
                name="denominator_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.measure.code} {self.period}"

    @property
    def percent(self):
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator * 100 / self.denominator


class Event(models.Model):
    """One occurrence for a "không để xảy ra" item: date, what happened, where it was reported."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="events")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="events")
    occurred_on = models.DateField(_("ngày xảy ra"))
    description = models.TextField(_("mô tả"))
    source = models.CharField(_("nguồn"), max_length=200)
    cases = models.PositiveIntegerField(_("số người mắc, số vụ"), null=True, blank=True)
    severity = models.CharField(_("mức độ"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d/%m/%Y} {self.description[:60]}"


class TitleAward(models.Model):
    """A title or standard held by a unit for a time (An toàn ANTT, chuẩn tiếp cận pháp luật, …)."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="titles")
    title_code = models.CharField(_("mã danh hiệu"), max_length=60, db_index=True)
    title_name = models.CharField(_("danh hiệu"), max_length=200)
    year = models.PositiveIntegerField(_("năm"), null=True, blank=True)
    level = models.CharField(_("mức"), max_length=40, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    decision = models.ForeignKey(
        LegalDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_text = models.CharField(_("quyết định"), max_length=200, blank=True)
    revoked_on = models.DateField(_("thu hồi ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("danh hiệu")
        verbose_name_plural = _("danh hiệu")
        ordering = ["unit_id", "title_code", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.title_name} – {self.unit}"


class Benchmark(models.Model):
    """An outside reference value (city per-capita income, local poverty rate) with source and date."""

    key = models.CharField(_("mã"), max_length=60, db_index=True)
    name = models.CharField(_("tên"), max_length=200)
    scope_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="benchmarks")
    period = models.CharField(_("kỳ"), max_length=10)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit_of_measure = models.CharField(max_length=60, blank=True)
    source = models.CharField(_("nguồn"), max_length=300)
    published_on = models.DateField(_("ngày công bố"), null=True, blank=True)

    class Meta:
        verbose_name = _("mức chuẩn so sánh")
        verbose_name_plural = _("mức chuẩn so sánh")
        constraints = [
            models.UniqueConstraint(fields=["key", "scope_unit", "period"], name="benchmark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period}"


class Evidence(models.Model):
    """A file (photo, PDF, minutes) stored by content hash under the data directory."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="evidence")
    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    node = models.ForeignKey(
        CatalogNode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Evidence of a task's progress report (photos of the work done, minutes). The link lives here
    # because collection sits above plans; plans pages read it as `task_update.evidence`.
    task_update = models.ForeignKey(
        "plans.TaskUpdate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.TextField(_("mô tả"), blank=True)
    captured_on = models.DateField(_("ngày chụp, lập"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ReportingWindow(models.Model):
    """When figures of a period are due, and whether the period is still open for entry."""

    catalog = models.ForeignKey(
        "catalog.Catalog", on_delete=models.CASCADE, related_name="reporting_windows"
    )
    period = models.CharField(_("kỳ"), max_length=10)
    opens_on = models.DateField(_("mở từ ngày"))
    due_on = models.DateField(_("hạn nộp"))
    closed = models.BooleanField(_("đã khóa kỳ"), default=False)

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["catalog", "period"], name="one_window_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.catalog.key} {self.period}"


class Submission(models.Model):
    """A unit's figures for one period as a whole: draft → submitted → returned | approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", pgettext_lazy("status", "Trả lại")
        APPROVED = "approved", _("Đã duyệt")

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="submissions")
    catalog = models.ForeignKey(
        "catalog.Catalog", on_delete=models.PROTECT, related_name="submissions"
    )
    period = models.CharField(_("kỳ"), max_length=10)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("ghi chú, lý do trả lại"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("bộ số liệu theo kỳ")
        verbose_name_plural = _("bộ số liệu theo kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "catalog", "period"], name="one_submission_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period} – {self.get_status_display()}"


class SubmissionEvent(models.Model):
    """Each workflow move of a submission: who, when, from, to, note (reason when returned)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bước chuyển bộ số liệu")
        verbose_name_plural = _("bước chuyển bộ số liệu")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} {self.from_state} → {self.to_state}"


class Reminder(models.Model):
    """A reminder sent to a unit about a missing submission; unique so it is never sent twice."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="reminders")
    catalog = models.ForeignKey("catalog.Catalog", on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=10)
    kind = models.CharField(max_length=20)  # e.g. "before_due", "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        verbose_name = _("nhắc nhở")
        verbose_name_plural = _("nhắc nhở")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "catalog", "period", "kind"], name="one_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.kind}"


class ImportBatch(models.Model):
    """An uploaded Excel file checked and previewed; committed later in one transaction, or discarded."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Chờ xác nhận")
        COMMITTED = "committed", _("Đã nhập")
        REFUSED = "refused", _("Bị từ chối")
        DISCARDED = "discarded", _("Đã hủy")

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="imports")
    catalog = models.ForeignKey("catalog.Catalog", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status, default=Status.PREVIEW)
    rows = models.JSONField(
        default=list, help_text="Checked rows: new / changed / unchanged, with values."
    )
    errors = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập Excel")
        verbose_name_plural = _("lần nhập Excel")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
