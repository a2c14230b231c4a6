"""Request and response shapes of /api/v1 and the pagination every list uses.

Response shapes follow the exports documented in docs/cli.md (keys are only ever added).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import ConfigDict

Number = int | float
# No NUL characters: PostgreSQL cannot store or compare them.
NO_NUL = r"^[^\x00]*$"


def Text(max_length: int, *, min_length: int = 0, description: str = ""):  # noqa: N802
    """A string parameter: bounded, without NUL characters."""
    return Annotated[
        str,
        Field(
            min_length=min_length,
            max_length=max_length,
            pattern=NO_NUL,
            description=description or None,
        ),
    ]


Code = Text(80)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


def number(value) -> Number | None:
    """A stored decimal as JSON: an integer when whole (90, not 90.0), else a decimal (87.5)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


# --- pagination -----------------------------------------------------------------------------------


class Pages(PaginationBase):
    """?page=1&page_size=50 → {"count": N, "page": 1, "page_size": 50, "items": […]}."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, từ 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Số mục mỗi trang, 1–{MAX_PAGE_SIZE} (mặc định {DEFAULT_PAGE_SIZE}).",
        )

    class Output(Schema):
        count: int = Field(..., description="Tổng số mục (mọi trang).")
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params):
        size, page = pagination.page_size, pagination.page
        offset = (page - 1) * size
        return {
            "count": self._items_count(queryset),
            "page": page,
            "page_size": size,
            "items": queryset[offset : offset + size],
        }


# --- errors ---------------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(..., description="Mã lỗi ổn định: validation_error, not_found, …")
    message: str = Field(..., description="Thông báo bằng tiếng Việt.")
    field: str | None = Field(None, description="Trường gây lỗi, ví dụ values[0].numerator.")
    current: dict[str, Any] | None = Field(
        None, description="Với conflict và locked: số liệu hiện có."
    )


class ErrorBody(ErrorDetail):
    details: list[ErrorDetail] | None = Field(
        None, description="Khi gửi nhiều số liệu: lỗi của từng số liệu."
    )


class ErrorOut(Schema):
    error: ErrorBody


# --- units ----------------------------------------------------------------------------------------


class UnitNode(Schema):
    code: str
    name: str
    unit_type: str
    level: str
    type_label: str
    children: list["UnitNode"]


class UnitTree(Schema):
    as_of: dt.date
    units: list[UnitNode]


# --- catalogs -------------------------------------------------------------------------------------


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


# --- plans ----------------------------------------------------------------------------------------


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class PlanSummary(Schema):
    key: str
    name: str
    document: str
    issued_on: dt.date | None
    unit: str
    catalog: str
    period: PeriodOut

    @staticmethod
    def resolve_document(plan) -> str:
        return plan.legal_document.number

    @staticmethod
    def resolve_issued_on(plan):
        return plan.legal_document.issued_on

    @staticmethod
    def resolve_unit(plan) -> str:
        return plan.unit.official_code

    @staticmethod
    def resolve_catalog(plan) -> str:
        return plan.catalog.key

    @staticmethod
    def resolve_period(plan) -> dict:
        return {"start": plan.period_start, "end": plan.period_end}


class DeadlineOut(Schema):
    model_config = ConfigDict(extra="allow")

    kind: str | None = None
    text: str | None = None
    due: str | None = None
    start: str | None = None
    frequency: str | None = None
    weekday: int | None = None
    min_count: int | None = None
    linked_to: str | None = None
    flags: list[str] | None = None


class PlanRowOut(Schema):
    criterion_code: str
    criterion_group: str
    criterion: str
    solution: str
    leader: str
    leader_text: str
    implementing_units: list[str]
    coordinating_units: list[str]
    implementing_units_resolved: list[str]
    coordinating_units_resolved: list[str]
    deadline_text: str
    deadline: DeadlineOut
    note: str
    flags: list[str]


class PlanOut(Schema):
    key: str
    name: str
    document: str
    issued_on: dt.date | None
    unit: str
    catalog: str
    period: PeriodOut
    rows: list[PlanRowOut]


# --- values ---------------------------------------------------------------------------------------


class ValueOut(Schema):
    id: int
    unit: str = Field(..., description="Mã đơn vị (mã ĐVHC).")
    unit_name: str
    catalog: str
    catalog_version: str
    measure: str
    measure_name: str
    kind: str
    period: str = Field(..., description="2023, 2023-Q4 hoặc 2023-11.")
    numerator: Number | None
    denominator: Number | None
    value: Number | None
    boolean: bool | None
    level: str
    percent: Number | None = Field(..., description="tử số × 100 / mẫu số, khi có cả hai.")
    status: str = Field(..., description="draft, submitted, returned hoặc approved.")
    version: int = Field(..., description="Gửi lại làm expected_version khi sửa.")
    source: str
    entered_by: str | None = Field(..., description="Tên đăng nhập của người nhập.")
    entered_at: dt.datetime
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_unit(o) -> str:
        return o.unit.official_code

    @staticmethod
    def resolve_unit_name(o) -> str:
        return o.unit.name

    @staticmethod
    def resolve_catalog(o) -> str:
        return o.measure.node.catalog.key

    @staticmethod
    def resolve_catalog_version(o) -> str:
        return o.measure.node.catalog.version

    @staticmethod
    def resolve_measure(o) -> str:
        return o.measure.code

    @staticmethod
    def resolve_measure_name(o) -> str:
        return o.measure.name

    @staticmethod
    def resolve_kind(o) -> str:
        return o.measure.kind

    @staticmethod
    def resolve_numerator(o):
        return number(o.numerator)

    @staticmethod
    def resolve_denominator(o):
        return number(o.denominator)

    @staticmethod
    def resolve_value(o):
        return number(o.value)

    @staticmethod
    def resolve_boolean(o):
        return o.boolean_value

    @staticmethod
    def resolve_percent(o):
        percent = o.percent
        return None if percent is None else number(round(percent, 4))

    @staticmethod
    def resolve_entered_by(o) -> str | None:
        return o.entered_by.username if o.entered_by_id else None


Figure = Decimal | None


class ValueIn(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: Text(30, min_length=1, description="Mã đơn vị: 00121-TDP01.")
    catalog: Text(80, min_length=1, description="Mã bộ tiêu chí: qd04-2022.")
    measure: Text(20, min_length=1, description="Mã chỉ số đo: 6.1.")
    period: Text(10, min_length=1, description="2023, 2023-Q4 hoặc 2023-11.")
    numerator: Figure = Field(None, max_digits=16, decimal_places=4, description="Tử số.")
    denominator: Figure = Field(None, max_digits=16, decimal_places=4, description="Mẫu số.")
    value: Figure = Field(None, max_digits=16, decimal_places=4, description="Giá trị (số).")
    boolean: bool | None = Field(None, description="Đạt (true) / chưa đạt (false).")
    level: Text(60, description="Mức, xếp loại.") = ""
    source: Text(200, description="Nguồn số liệu.") = ""
    expected_version: int | None = Field(
        None,
        ge=1,
        le=2_147_483_647,
        description="Phiên bản đang sửa (version); null khi nhập mới.",
    )


EXAMPLE_VALUES = {
    "values": [
        {
            "unit": "00121-TDP01",
            "catalog": "qd04-2022",
            "measure": "6.1",
            "period": "2024",
            "numerator": 702,
            "denominator": 760,
            "expected_version": None,
        },
        {
            "unit": "00121-TDP01",
            "catalog": "qd04-2022",
            "measure": "8.2",
            "period": "2024",
            "numerator": "655.5",
            "denominator": 700,
            "source": "Sổ theo dõi của tổ",
            "expected_version": None,
        },
    ]
}


class ValuesIn(Schema):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_VALUES]})

    values: list[ValueIn] = Field(..., min_length=1, max_length=500)


class Warning(Schema):
    code: str = Field(..., description="unusual: xa số liệu kỳ trước (đã lưu, cần xem lại).")
    message: str
    field: str


class ValuesOut(Schema):
    values: list[ValueOut]
    warnings: list[Warning] = Field(
        ..., description="Số liệu đã lưu nhưng khác xa kỳ trước: nên kiểm tra lại."
    )


# --- results --------------------------------------------------------------------------------------


class RoundOut(Schema):
    number: int
    name: str


class ResultOut(Schema):
    id: int
    unit: str
    unit_name: str
    catalog: str
    catalog_version: str
    as_of: dt.date
    period: str
    round: RoundOut | None
    verdict: str = Field(..., description="met, not_met hoặc no_data.")
    recognisable: bool | None
    met_count: int
    total_count: int
    trigger: str
    computed_at: dt.datetime
    result: dict[str, Any] = Field(
        ..., description="Cây kết quả như `tieuchi evaluate --format json` (docs/cli.md)."
    )

    @staticmethod
    def resolve_unit(run) -> str:
        return run.unit.official_code

    @staticmethod
    def resolve_unit_name(run) -> str:
        return run.unit.name

    @staticmethod
    def resolve_catalog(run) -> str:
        return run.catalog.key

    @staticmethod
    def resolve_catalog_version(run) -> str:
        return run.catalog.version

    @staticmethod
    def resolve_round(run):
        if run.round_id is None:
            return None
        return {"number": run.round.number, "name": run.round.name}
