"""The register of outgoing documents (sổ đăng ký văn bản đi) kept by each issuing body.

Numbering rule (domain.md §5.3, NĐ 30/2020 Điều 15): numbers run per issuer per calendar year,
from 01 on 1 January, in ONE sequence for all document types of the issuer (the văn thư keeps
one register; "12/BC-UBND" and "12/KH-UBND" cannot both exist in one year). So the constraint
is unique (issuer, year, number), whatever the symbol. The next number is the largest of the
year plus one: gaps (a number cancelled or issued on paper) are never reused.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound


class IssuedDocument(models.Model):
    issuer = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name=_("cơ quan ban hành"),
    )
    unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị được báo cáo"),
    )
    kind = models.CharField(_("loại văn bản"), max_length=40)  # ReportKind.slug
    number = models.PositiveIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=30)  # "BC-UBND"
    year = models.PositiveSmallIntegerField(_("năm"))
    date = models.DateField(_("ngày ban hành"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    round = models.ForeignKey(
        EvaluationRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đợt đánh giá"),
    )
    as_of = models.DateField(_("tính đến ngày"))
    sha256 = models.CharField(_("SHA-256 của tệp"), max_length=64)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    generated_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("sổ đăng ký văn bản đi")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"], name="issued_number_unique_per_issuer_year"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="issued_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol} ({self.date:%d/%m/%Y})"

    @property
    def number_symbol(self) -> str:
        """ "06/BC-UBND": below 10 with a leading 0, as the document prints it (NĐ 30 ô 3)."""
        return f"{self.number:02d}/{self.symbol}"
