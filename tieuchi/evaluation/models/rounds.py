"""Rounds: the ward's self-assessment, the inspection by the level above, and corrective actions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tieuchi.catalog.models import CatalogNode
from tieuchi.evaluation.models.results import EvaluationRun, Verdict
from tieuchi.orgs.models import AdminUnit, Organisation, Person
from tieuchi.plans.models import EvaluationRound


class RoundAssessment(models.Model):
    """The verdicts of one stage of one round for one unit (self-assessment or inspection)."""

    class Stage(models.TextChoices):
        SELF = "self", _("Tự đánh giá")
        INSPECTION = "inspection", _("Kiểm tra, thẩm tra")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang đánh giá")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", pgettext_lazy("status", "Trả lại")
        CONFIRMED = "confirmed", _("Đã xác nhận")

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="round_assessments")
    stage = models.CharField(_("bước"), max_length=20, choices=Stage)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status, default=Status.DRAFT)
    run = models.ForeignKey(
        EvaluationRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text=_("Kết quả tính tự động mà đánh giá này dựa vào."),
    )
    assessor_name = models.CharField(_("đơn vị, người đánh giá"), max_length=200, blank=True)
    note = models.TextField(_("nhận xét chung"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đánh giá theo đợt")
        verbose_name_plural = _("đánh giá theo đợt")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "stage"], name="one_assessment_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.unit} – {self.get_stage_display()}"


class ItemAssessment(models.Model):
    """The verdict and remark on one sub-criterion within an assessment."""

    assessment = models.ForeignKey(RoundAssessment, on_delete=models.CASCADE, related_name="items")
    node = models.ForeignKey(CatalogNode, on_delete=models.PROTECT, related_name="+")
    computed_verdict = models.CharField(max_length=10, choices=Verdict, blank=True)
    verdict = models.CharField(_("kết luận"), max_length=10, choices=Verdict)
    remark = models.TextField(_("nhận xét"), blank=True)

    class Meta:
        verbose_name = _("kết luận theo nội dung")
        verbose_name_plural = _("kết luận theo nội dung")
        ordering = ["assessment_id", "node__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="one_item_per_node")
        ]

    def __str__(self) -> str:
        return f"{self.node.code}: {self.get_verdict_display()}"


class CorrectiveAction(models.Model):
    """What must be fixed after a failed item, by whom and by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang khắc phục")
        DONE = "done", _("Đã khắc phục")
        CANCELLED = "cancelled", _("Hủy")

    item = models.ForeignKey(ItemAssessment, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("nội dung khắc phục"))
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("hạn khắc phục"))
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("việc khắc phục")
        verbose_name_plural = _("việc khắc phục")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class Transition(models.Model):
    """Every workflow move of every stateful object: who, when, from, to, why."""

    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("bước chuyển trạng thái")
        verbose_name_plural = _("bước chuyển trạng thái")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}: {self.from_state} → {self.to_state}"
