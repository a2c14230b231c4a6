"""Administrative units with validity dates, their lineage, organisations, people and memberships."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tieuchi.accounts.roles import Role


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố, thôn")


class UnitType(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc Trung ương")
    QUAN = "quan", _("Quận")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO_THUOC_TINH = "thanh_pho_thuoc_tinh", _("Thành phố thuộc tỉnh")
    PHUONG = "phuong", _("Phường")
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    THON = "thon", _("Thôn")


class LegalDocument(models.Model):
    """A legal or administrative document: "68/KH-UBND", "04/2022/QĐ-TTg", "02-CTr/QU"."""

    number = models.CharField(_("số, ký hiệu"), max_length=60, unique=True)
    doc_type = models.CharField(_("loại văn bản"), max_length=20)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    effective_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    source_url = models.URLField(_("nguồn"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units that exist on `day` (valid_to is the last day of validity)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def visible_to(self, user):
        """The one scope rule: a user sees the units they belong to and everything below them."""
        from tieuchi.orgs.scope import visible_unit_ids

        return self.filter(pk__in=visible_unit_ids(user))


class AdminUnit(models.Model):
    """An administrative unit as it existed between valid_from and valid_to.

    A change of parent, type or code after a reorganisation closes this row and opens a new one,
    linked by UnitLineage, so figures keep pointing at the unit they were collected for.
    `path` holds the ancestors' ids ("/1/2/7/") so "this unit and everything below" is one query.
    """

    official_code = models.CharField(_("mã đơn vị hành chính"), max_length=30, db_index=True)
    name = models.CharField(_("tên"), max_length=150)
    level = models.CharField(_("cấp"), max_length=20, choices=UnitLevel)
    unit_type = models.CharField(_("loại đơn vị"), max_length=30, choices=UnitType)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    established_by = models.ForeignKey(
        LegalDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản thành lập"),
    )
    area_km2 = models.DecimalField(
        _("diện tích (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    population_as_of = models.DateField(_("dân số tính đến"), null=True, blank=True)
    households = models.PositiveIntegerField(_("số hộ"), null=True, blank=True)
    is_public = models.BooleanField(_("công khai kết quả"), default=False)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path", "official_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["official_code", "valid_from"], name="unit_code_per_version"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_type_display()} {self.name}"

    def save(self, *args, **kwargs):
        if self.pk is None:
            super().save(*args, **kwargs)  # the path contains the unit's own id
            kwargs.pop("force_insert", None)
            args = ()
        old_path = self.path
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.pk}/"
        if kwargs.get("update_fields") is not None and self.path != old_path:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._move_descendants(old_path, self.path)

    def _move_descendants(self, old_path: str, new_path: str) -> None:
        """Keep the ancestors' ids of every unit below right when this unit gets a new parent."""
        below = AdminUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
        moved = []
        for unit in below.only("pk", "path"):
            unit.path = new_path + unit.path[len(old_path) :]
            moved.append(unit)
        AdminUnit.objects.bulk_update(moved, ["path"])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    @property
    def depth(self) -> int:
        return max(len(self.ancestor_ids), 0)


class UnitLineage(models.Model):
    """How units became other units: merge, split, partial transfer, rename, type change."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        PARTIAL_TRANSFER = "partial_transfer", _("Điều chỉnh một phần")
        RENAME = "rename", _("Đổi tên")
        TYPE_CHANGE = "type_change", _("Đổi loại đơn vị")

    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="predecessor_links"
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind)
    effective_date = models.DateField(_("ngày hiệu lực"))
    basis = models.ForeignKey(
        LegalDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area_share = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    population_share = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quan hệ kế thừa đơn vị")
        verbose_name_plural = _("quan hệ kế thừa đơn vị")

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class Organisation(models.Model):
    """A body that acts: UBND, Đảng ủy, UBMTTQ, a bộ phận, công an, a school, a TDP, a company."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
        PARTY_COMMITTEE = "party", _("Cấp ủy Đảng")
        FATHERLAND_FRONT = "mttq", _("Ủy ban MTTQ")
        MASS_ORGANISATION = "doan_the", _("Đoàn thể chính trị - xã hội")
        DEPARTMENT = "bo_phan", _("Bộ phận chuyên môn")
        TEAM = "to_cong_tac", _("Tổ công tác")
        POLICE = "cong_an", _("Công an")
        MILITARY = "quan_su", _("Quân sự")
        HEALTH_STATION = "tram_y_te", _("Trạm y tế")
        SCHOOL = "truong", _("Trường học")
        BROADCAST = "dai_truyen_thanh", _("Đài truyền thanh")
        RESIDENTIAL_GROUP = "tdp", _("Tổ dân phố")
        CLUB = "clb", _("Câu lạc bộ")
        COMPANY = "doanh_nghiep", _("Doanh nghiệp, đơn vị bên ngoài")
        OTHER = "khac", _("Khác")

    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    aliases = models.JSONField(_("cách viết khác"), default=list, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind)
    admin_unit = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="organisations"
    )
    represents_unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Với tổ dân phố: đơn vị hành chính mà tổ chức này đại diện."),
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        ordering = ["admin_unit__path", "kind", "name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Person(models.Model):
    """A named official as plans write them: "Đ/c Đông", Chủ tịch UBND phường Giang Biên."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    short_name = models.CharField(_("cách gọi trong văn bản"), max_length=80)
    title = models.CharField(_("chức vụ"), max_length=150)
    title_short = models.CharField(_("chức vụ viết tắt"), max_length=40, blank=True)
    aliases = models.JSONField(_("cách viết khác"), default=list, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["organisation_id", "id"]

    def __str__(self) -> str:
        return f"{self.short_name} – {self.title_short or self.title}"


class Membership(models.Model):
    """A user's role in a unit. It grants that role over the unit and every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


def unit_labels(units) -> dict[int, str]:
    """str(unit) of many units, each type's label translated once (get_FOO_display re-hashes
    the choices on every call: a third of a second for the 2,000 TDPs of a large import)."""
    types: dict[str, str] = {}
    labels = {}
    for unit in units:
        if unit.unit_type not in types:
            types[unit.unit_type] = str(unit).removesuffix(f" {unit.name}")
        labels[unit.pk] = f"{types[unit.unit_type]} {unit.name}"
    return labels
