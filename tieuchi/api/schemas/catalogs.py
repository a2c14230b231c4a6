"""Response shapes of catalogs: summaries, nodes, measures and their thresholds."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from tieuchi.api.schemas.common import Number


class CatalogSummary(Schema):
    key: str
    version: str
    name: str
    kind: str
    legal_document: str
    applies_to_unit_types: list[str]
    effective_from: dt.date | None
    effective_to: dt.date | None

    @staticmethod
    def resolve_legal_document(catalog) -> str:
        return catalog.legal_document.number


class ThresholdOut(Schema):
    measure: str
    layer: str
    unit_type: str
    comparator: str
    value: Number | None
    value_max: Number | None
    text: str
    level: str | None = None
    benchmark: str | None = None
    baseline_value: Number | None = None
    baseline: str | None = None
    target_year: int | None = None
    due: str | None = None
    source: str | None = None
    source_ref: str | None = None
    note: str | None = None


class MeasureOut(Schema):
    code: str
    name: str
    kind: str
    unit: str
    thresholds: list[ThresholdOut]


class CatalogNodeOut(Schema):
    code: str
    name: str
    type: str
    short_name: str | None = Field(None, description="Chỉ có khi tệp nguồn ghi tên ngắn.")
    kind: str | None = Field(None, description="Chỉ ở nút lá.")
    thresholds: list[ThresholdOut] | None = Field(None, description="Chỉ ở nút lá.")
    measures: list[MeasureOut] | None = Field(None, description="Chỉ ở nút lá.")
    children: list["CatalogNodeOut"]


class CatalogOut(Schema):
    key: str
    version: str
    name: str
    kind: str
    legal_document: str
    applies_to_unit_types: list[str]
    recognition: dict[str, Any]
    children: list[CatalogNodeOut]
