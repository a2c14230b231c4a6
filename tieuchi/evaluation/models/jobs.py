"""Progress of long evaluation jobs (a full recompute after a catalog or threshold change)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.catalog.models import Catalog


class RecomputeJob(models.Model):
    """One full re-evaluation of every unit a catalog applies to, run by the background worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    class Phase(models.TextChoices):
        WAITING = "", _("Chưa bắt đầu")
        AGGREGATES = "aggregates", _("Tính tổng hợp theo kỳ")
        UNITS = "units", _("Đánh giá từng đơn vị")

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="recompute_jobs")
    as_of = models.DateField(_("tính đến ngày"))
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(_("số kết quả thay đổi"), default=0)
    # The batch rebuild of the (catalog, as_of) aggregate set runs first, then the per-unit engine.
    phase = models.CharField(max_length=10, choices=Phase, default=Phase.WAITING, blank=True)
    aggregate_rows = models.PositiveIntegerField(_("số dòng tổng hợp"), default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tính lại toàn bộ")
        verbose_name_plural = _("tính lại toàn bộ")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.catalog.key} {self.as_of:%d/%m/%Y} – {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
