"""Validate a catalog data file (docs/catalog-format.md) into plain specs. No database access."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from tieuchi.core.yamlfile import Problem, line_of

KINDS = {
    "boolean",
    "zero_events",
    "ratio",
    "count",
    "level",
    "benchmark",
    "trend",
    "title",
    "range",
    "reduction",
    "streak",
}
COMPARATORS = {
    "gte",
    "gt",
    "lte",
    "lt",
    "eq",
    "between",
    "is_true",
    "zero",
    "lte_previous",
    "lt_previous",
    "gte_benchmark",
    "gt_benchmark",
    "lt_benchmark",
    "reduction_gte",
    "reduction_between",
    "level_gte",
    "held",
    "streak_gte",
    "maintain",
}
NEEDS_VALUE = {
    "gte",
    "gt",
    "lte",
    "lt",
    "eq",
    "between",
    "reduction_gte",
    "reduction_between",
    "streak_gte",
    "maintain",
}
NEEDS_MAX = {"between", "reduction_between"}
LAYERS = {"national", "city", "district", "ward", "programme"}
NODE_TYPES = {"group", "criterion", "subcriterion", "indicator"}
LEAF_TYPES = {"subcriterion", "indicator"}
UNIT_TYPES = {
    "any",
    "tinh",
    "thanh_pho_tw",
    "quan",
    "huyen",
    "thi_xa",
    "thanh_pho_thuoc_tinh",
    "phuong",
    "xa",
    "thi_tran",
    "dac_khu",
    "to_dan_pho",
    "thon",
}


@dataclass
class DocumentSpec:
    number: str
    doc_type: str
    title: str
    issuer: str
    issued_on: dt.date | None = None
    effective_from: dt.date | None = None
    signer: str = ""


@dataclass
class ThresholdSpec:
    comparator: str
    text: str
    layer: str
    unit_type: str = "any"
    value: Decimal | None = None
    value_max: Decimal | None = None
    level: str = ""
    benchmark: str = ""
    baseline_value: Decimal | None = None
    baseline: str = ""
    target_year: int | None = None
    due: str = ""
    source: str = ""
    source_ref: str = ""
    note: str = ""


@dataclass
class MeasureSpec:
    code: str
    name: str
    kind: str
    unit: str = ""
    numerator: str = ""
    denominator: str = ""
    aggregation: str = ""
    collected_at: str = "ward"
    config: dict = field(default_factory=dict)
    thresholds: list[ThresholdSpec] = field(default_factory=list)


@dataclass
class NodeSpec:
    code: str
    node_type: str
    name: str
    short_name: str = ""
    evidence_required: bool = False
    guidance: str = ""
    note: str = ""
    children: list["NodeSpec"] = field(default_factory=list)
    measures: list[MeasureSpec] = field(default_factory=list)


@dataclass
class CatalogSpec:
    key: str
    version: str
    name: str
    kind: str
    legal_document: DocumentSpec
    applies_to_unit_types: list[str]
    effective_from: dt.date | None
    period_start: dt.date | None
    period_end: dt.date | None
    recognition: dict
    description: str
    nodes: list[NodeSpec]

    def walk(self):
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


class Checker:
    """Collects problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: Any, key: str, message: str) -> None:
        self.problems.append(Problem(line_of(where, key), key, message))

    def text(self, data: Any, key: str, *, required: bool = True, max_length: int = 0) -> str:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(data, key, "thiếu giá trị bắt buộc")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(data, key, f"phải là chuỗi ký tự, nhận được {type(value).__name__}")
            return ""
        text = str(value).strip()
        if max_length and len(text) > max_length:
            self.add(data, key, f"dài {len(text)} ký tự, tối đa {max_length}")
        return text

    def date(self, data: Any, key: str, *, required: bool = False) -> dt.date | None:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.add(data, key, "thiếu ngày (YYYY-MM-DD)")
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.add(data, key, f"'{value}' không phải ngày hợp lệ (YYYY-MM-DD)")
            return None

    def number(self, data: Any, key: str) -> Decimal | None:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            return None
        if isinstance(value, bool):
            self.add(data, key, "phải là số")
            return None
        try:
            number = Decimal(str(value).replace(" ", ""))
        except InvalidOperation:
            self.add(data, key, f"'{value}' không phải là số (dùng dấu chấm thập phân: 87.5)")
            return None
        if not number.is_finite():
            self.add(data, key, f"'{value}' không phải là số hữu hạn")
            return None
        return number

    def choice(self, data: Any, key: str, allowed: set[str], default: str | None = None) -> str:
        value = data.get(key, default) if isinstance(data, dict) else default
        if value is None:
            self.add(data, key, "thiếu giá trị bắt buộc")
            return ""
        if str(value) not in allowed:
            self.add(
                data, key, f"'{value}' không hợp lệ; chọn một trong: {', '.join(sorted(allowed))}"
            )
            return ""
        return str(value)

    def mapping(self, data: Any, key: str, *, required: bool = True) -> dict:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.add(data, key, "thiếu mục bắt buộc")
            return {}
        if not isinstance(value, dict):
            self.add(data, key, "phải là một bảng khóa: giá trị")
            return {}
        return value

    def sequence(self, data: Any, key: str, *, required: bool = True) -> list:
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.add(data, key, "thiếu danh sách bắt buộc")
            return []
        if not isinstance(value, list):
            self.add(data, key, "phải là một danh sách")
            return []
        return value

    def document(self, data: Any, key: str, *, required: bool = True) -> DocumentSpec | None:
        doc = self.mapping(data, key, required=required)
        if not doc:
            return None
        return DocumentSpec(
            number=self.text(doc, "number", max_length=60),
            doc_type=self.text(doc, "doc_type", max_length=20),
            title=self.text(doc, "title", max_length=500),
            issuer=self.text(doc, "issuer", max_length=200),
            issued_on=self.date(doc, "issued_on"),
            effective_from=self.date(doc, "effective_from"),
            signer=self.text(doc, "signer", required=False, max_length=150),
        )
