"""Request and response shapes of figures (/api/v1/values): one or many values in, what was
saved (with warnings) out."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import ConfigDict

from tieuchi.api.schemas.common import Number, Text, number


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
    confirm_unusual: bool = Field(
        False,
        description="Xác nhận số liệu khác xa kỳ trước của đơn vị; không có: lỗi 422 unusual.",
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
    code: str = Field(
        ..., description="unusual: khác xa số liệu kỳ trước; đã lưu vì confirm_unusual."
    )
    message: str
    field: str


class ValuesOut(Schema):
    values: list[ValueOut]
    warnings: list[Warning] = Field(
        ..., description="Số liệu khác xa kỳ trước đã được xác nhận (confirm_unusual) và lưu."
    )
