"""Recognition: registration, satisfaction survey, dossier, council, decision, upkeep, revocation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.models.results import EvaluationRun, Verdict
from tieuchi.orgs.models import AdminUnit, LegalDocument


class Registration(models.Model):
    """The ward registers to build towards the standard (first time, or renewal after 5 years)."""

    class Kind(models.TextChoices):
        FIRST = "first", _("Công nhận lần đầu")
        RENEWAL = "renewal", _("Công nhận lại")

    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="registrations")
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind, default=Kind.FIRST)
    registered_on = models.DateField(_("ngày đăng ký"))
    registered_with = models.CharField(_("đăng ký với"), max_length=200)
    document = models.ForeignKey(
        LegalDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("đăng ký xây dựng")
        verbose_name_plural = _("đăng ký xây dựng")
        ordering = ["-registered_on"]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_kind_display()} ({self.registered_on:%d/%m/%Y})"


class SatisfactionSurvey(models.Model):
    """The UBMTTQ survey of residents' satisfaction and agreement (HD 91/HD-MTTW-BTT)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="surveys")
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    opened_on = models.DateField(_("từ ngày"))
    closed_on = models.DateField(_("đến ngày"))
    respondents = models.PositiveIntegerField(_("số người được lấy ý kiến"))
    satisfied = models.PositiveIntegerField(_("số người hài lòng, đồng thuận"))
    method = models.CharField(_("phương pháp"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lấy ý kiến sự hài lòng")
        verbose_name_plural = _("lấy ý kiến sự hài lòng")
        ordering = ["-closed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfied__lte=models.F("respondents")), name="survey_counts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organiser} {self.closed_on:%d/%m/%Y}"

    @property
    def rate(self):
        return self.satisfied * 100 / self.respondents if self.respondents else None


class RecognitionDossier(models.Model):
    """The dossier sent up for recognition; `checklist` maps each required document to done/missing."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Đang chuẩn bị")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Hồ sơ đầy đủ")
        COUNCIL = "council", _("Hội đồng thẩm định")
        RECOGNISED = "recognised", _("Đã công nhận")
        REFUSED = "refused", _("Không công nhận")

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PREPARING)
    checklist = models.JSONField(_("danh mục hồ sơ"), default=dict)
    run = models.ForeignKey(
        EvaluationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị công nhận")
        verbose_name_plural = _("hồ sơ đề nghị công nhận")

    def __str__(self) -> str:
        return f"{self.registration.unit} – {self.get_status_display()}"


class Council(models.Model):
    """The appraisal council (Hội đồng thẩm định): formed, meets, votes by ballot with ≥ 70% quorum."""

    dossier = models.OneToOneField(
        RecognitionDossier, on_delete=models.CASCADE, related_name="council"
    )
    formed_on = models.DateField(_("ngày thành lập"))
    meeting_on = models.DateField(_("ngày họp"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("phiếu đồng ý"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("phiếu không đồng ý"), null=True, blank=True)
    conclusion = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hội đồng thẩm định")
        verbose_name_plural = _("hội đồng thẩm định")

    def __str__(self) -> str:
        return f"Hội đồng {self.dossier}"


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch Hội đồng")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
        MEMBER = "member", _("Thành viên")
        SECRETARY = "secretary", _("Thư ký")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=200)
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    present = models.BooleanField(_("có mặt"), default=False)

    class Meta:
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")

    def __str__(self) -> str:
        return f"{self.name} – {self.get_role_display()}"


class RecognitionDecision(models.Model):
    """The decision recognising the unit, valid for 5 years unless revoked."""

    dossier = models.OneToOneField(
        RecognitionDossier, on_delete=models.PROTECT, related_name="decision"
    )
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="recognitions")
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    valid_until = models.DateField(_("có giá trị đến"))
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    published_on = models.DateField(null=True, blank=True)
    revoked_on = models.DateField(_("thu hồi ngày"), null=True, blank=True)
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return f"{self.number} – {self.unit}"


class MaintenanceCheck(models.Model):
    """The yearly check that a recognised unit still keeps the criteria."""

    decision = models.ForeignKey(
        RecognitionDecision, on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    run = models.ForeignKey(
        EvaluationRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict)
    note = models.TextField(blank=True)
    checked_on = models.DateField()

    class Meta:
        verbose_name = _("kiểm tra duy trì")
        verbose_name_plural = _("kiểm tra duy trì")
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="one_check_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.decision} – {self.year}"
