"""Results of running the engine, stored with their inputs so any verdict can be explained later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.catalog.models import Catalog, CatalogNode
from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound, Plan


class Verdict(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NO_DATA = "no_data", _("Chưa đủ dữ liệu")


class EvaluationRun(models.Model):
    """One evaluation of one unit against one catalog as of one date.

    `result` is the engine's whole verdict tree (to_dict); `inputs` the figures, events, titles and
    thresholds it used, so the verdict can be explained and recomputed without today's data.
    Only one run per (unit, catalog, as_of, round) is current; older ones stay for history.
    """

    class Trigger(models.TextChoices):
        MANUAL = "manual", _("Chạy thủ công")
        VALUE_CHANGE = "value_change", _("Số liệu thay đổi")
        FULL_RECOMPUTE = "full_recompute", _("Tính lại toàn bộ")
        ROUND = "round", _("Đợt đánh giá")

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="evaluation_runs")
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="evaluation_runs")
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    as_of = models.DateField(_("tính đến ngày"))
    period = models.CharField(_("kỳ"), max_length=10)
    verdict = models.CharField(_("kết quả"), max_length=10, choices=Verdict)
    recognisable = models.BooleanField(_("đủ điều kiện công nhận"), null=True, blank=True)
    met_count = models.PositiveSmallIntegerField(_("số tiêu chí đạt"), default=0)
    total_count = models.PositiveSmallIntegerField(_("tổng số tiêu chí"), default=0)
    result = models.JSONField(_("cây kết quả"))
    inputs = models.JSONField(_("dữ liệu đầu vào"))
    input_hash = models.CharField(max_length=64, db_index=True)
    trigger = models.CharField(max_length=20, choices=Trigger, default=Trigger.MANUAL)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_current = models.BooleanField(default=True, db_index=True)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lần đánh giá")
        verbose_name_plural = _("lần đánh giá")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["unit", "catalog", "is_current"])]

    def __str__(self) -> str:
        return f"{self.unit} – {self.catalog.key} – {self.as_of:%d/%m/%Y}"


class NodeResult(models.Model):
    """One row per catalog node of a run, for matrices and lists without reading the JSON tree."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="node_results")
    node = models.ForeignKey(CatalogNode, on_delete=models.PROTECT, related_name="results")
    code = models.CharField(max_length=20)
    depth = models.PositiveSmallIntegerField(default=0)
    verdict = models.CharField(max_length=10, choices=Verdict)
    met_count = models.PositiveSmallIntegerField(default=0)
    total_count = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("kết quả theo tiêu chí")
        verbose_name_plural = _("kết quả theo tiêu chí")
        ordering = ["run_id", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "node"], name="one_result_per_node")]

    def __str__(self) -> str:
        return f"{self.code}: {self.get_verdict_display()}"
