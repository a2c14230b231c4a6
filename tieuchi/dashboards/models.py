"""Which units show their results on the public page, and which evaluation run they show."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.evaluation.models import EvaluationRun
from tieuchi.orgs.models import AdminUnit


class Publication(models.Model):
    """A unit's opt-in to the public page. Unpublishing keeps the row (and its history in the
    audit log) and only clears `is_public`, so the page answers 404 again at once."""

    unit = models.OneToOneField(
        AdminUnit, on_delete=models.PROTECT, related_name="publication", verbose_name=_("đơn vị")
    )
    is_public = models.BooleanField(_("đang công khai"), default=False)
    published_run = models.ForeignKey(
        EvaluationRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kết quả được công khai"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("công khai kết quả")
        verbose_name_plural = _("công khai kết quả")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_public=False) | models.Q(published_run__isnull=False),
                name="public_has_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {'công khai' if self.is_public else 'không công khai'}"
