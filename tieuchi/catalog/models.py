"""Criteria catalogs as versioned data: catalog → nodes (group, criterion, sub-criterion, indicator)
→ measures (what is counted) → thresholds (per layer and unit-type variant)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tieuchi.orgs.models import LegalDocument


class Catalog(models.Model):
    """One version of a criteria set or programme, loaded from a data file in the repository."""

    class Kind(models.TextChoices):
        CRITERIA_SET = "criteria_set", _("Bộ tiêu chí")
        PROGRAMME = "programme", _("Chương trình")

    key = models.SlugField(_("mã bộ tiêu chí"), max_length=80)
    version = models.CharField(_("phiên bản"), max_length=20)
    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind)
    legal_document = models.ForeignKey(
        LegalDocument, on_delete=models.PROTECT, related_name="catalogs", verbose_name=_("căn cứ")
    )
    applies_to_unit_types = models.JSONField(_("áp dụng cho"), default=list)
    effective_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    effective_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    period_start = models.DateField(_("giai đoạn từ"), null=True, blank=True)
    period_end = models.DateField(_("giai đoạn đến"), null=True, blank=True)
    recognition_rule = models.JSONField(_("điều kiện công nhận"), default=dict, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    source_file = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="catalog_key_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class CatalogNode(models.Model):
    """A node of the catalog tree. Leaves (sub-criteria, indicators) carry measures."""

    class NodeType(models.TextChoices):
        GROUP = "group", _("Nhóm")
        CRITERION = "criterion", _("Tiêu chí")
        SUBCRITERION = "subcriterion", _("Nội dung tiêu chí")
        INDICATOR = "indicator", _("Chỉ tiêu")

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("số thứ tự"), max_length=20)
    node_type = models.CharField(_("loại"), max_length=20, choices=NodeType)
    name = models.TextField(_("nội dung"))
    short_name = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    evidence_required = models.BooleanField(_("cần minh chứng"), default=False)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["catalog_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "code"], name="node_code_per_catalog")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.short_name or self.name}"

    @property
    def is_leaf(self) -> bool:
        return self.node_type in {self.NodeType.SUBCRITERION, self.NodeType.INDICATOR}


class IndicatorKind(models.TextChoices):
    BOOLEAN = "boolean", _("Đạt / không đạt (có minh chứng)")
    ZERO_EVENTS = "zero_events", _("Không để xảy ra")
    RATIO = "ratio", _("Tỷ lệ")
    COUNT = "count", _("Số lượng")
    LEVEL = "level", _("Mức, xếp loại")
    BENCHMARK = "benchmark", _("So với mức chuẩn bên ngoài")
    TREND = "trend", _("So với năm trước")
    TITLE = "title", _("Danh hiệu, chuẩn được công nhận")
    RANGE = "range", _("Trong khoảng")
    REDUCTION = "reduction", _("Giảm so với mốc")
    STREAK = "streak", _("Liên tục nhiều năm")


class Measure(models.Model):
    """What is measured for a leaf node. A sub-criterion with several requirements (8.4: facilities
    100% and national standard ≥ 60%) has several measures; it is met only when all are."""

    node = models.ForeignKey(CatalogNode, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("mã"), max_length=20)
    name = models.TextField(_("nội dung đo"))
    kind = models.CharField(_("kiểu chỉ tiêu"), max_length=20, choices=IndicatorKind)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=60, blank=True)
    numerator_label = models.CharField(_("tử số"), max_length=300, blank=True)
    denominator_label = models.CharField(_("mẫu số"), max_length=300, blank=True)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=30, blank=True)
    collected_at = models.CharField(_("cấp thu thập"), max_length=30, blank=True)
    config = models.JSONField(_("tham số"), default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ số đo")
        verbose_name_plural = _("chỉ số đo")
        ordering = ["node_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["node", "code"], name="measure_code_per_node")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class Layer(models.TextChoices):
    NATIONAL = "national", _("Trung ương")
    CITY = "city", _("Thành phố")
    DISTRICT = "district", _("Quận, huyện")
    WARD = "ward", _("Phường, xã")
    PROGRAMME = "programme", _("Chương trình")


class Comparator(models.TextChoices):
    GTE = "gte", "≥"
    GT = "gt", ">"
    LTE = "lte", "≤"
    LT = "lt", "<"
    EQ = "eq", "="
    BETWEEN = "between", _("trong khoảng")
    IS_TRUE = "is_true", _("đạt")
    ZERO = "zero", _("không để xảy ra")
    NOT_ABOVE_PREVIOUS = "lte_previous", _("không tăng so với năm trước")
    BELOW_PREVIOUS = "lt_previous", _("giảm so với năm trước")
    GTE_BENCHMARK = "gte_benchmark", _("bằng hoặc cao hơn mức chuẩn")
    GT_BENCHMARK = "gt_benchmark", _("cao hơn mức chuẩn")
    LT_BENCHMARK = "lt_benchmark", _("thấp hơn mức chuẩn")
    REDUCTION_GTE = "reduction_gte", _("giảm ít nhất")
    REDUCTION_BETWEEN = "reduction_between", _("giảm trong khoảng")
    LEVEL_GTE = "level_gte", _("đạt mức trở lên")
    HELD = "held", _("được công nhận")
    STREAK_GTE = "streak_gte", _("liên tục ít nhất")
    MAINTAIN = "maintain", _("duy trì")


class Threshold(models.Model):
    """A requirement on a measure, for one layer and one unit-type variant, as the source wrote it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="thresholds")
    layer = models.CharField(_("cấp đặt chỉ tiêu"), max_length=20, choices=Layer)
    unit_type = models.CharField(_("áp dụng cho loại đơn vị"), max_length=30, default="any")
    comparator = models.CharField(_("phép so sánh"), max_length=20, choices=Comparator)
    value = models.DecimalField(_("ngưỡng"), max_digits=14, decimal_places=4, null=True, blank=True)
    value_max = models.DecimalField(
        _("ngưỡng trên"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    level = models.CharField(_("mức yêu cầu"), max_length=60, blank=True)
    benchmark = models.CharField(_("mức chuẩn so sánh"), max_length=200, blank=True)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_text = models.CharField(_("mốc so sánh"), max_length=200, blank=True)
    target_year = models.PositiveIntegerField(_("năm đạt"), null=True, blank=True)
    due_text = models.CharField(_("thời hạn như văn bản"), max_length=120, blank=True)
    text = models.TextField(_("như văn bản viết"), blank=True)
    source_document = models.ForeignKey(
        LegalDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_ref = models.CharField(_("vị trí trong văn bản"), max_length=120, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ngưỡng")
        verbose_name_plural = _("ngưỡng")
        ordering = ["measure_id", "position"]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.comparator} {self.value}"
