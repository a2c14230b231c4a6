"""Response shape of the aggregate rows (sums and verdicts by unit, indicator and period)."""

import datetime as dt

from ninja import Field, Schema

from tieuchi.api.schemas.common import Number, number
from tieuchi.evaluation.engine.rollup import ratio_percent


class AggregateOut(Schema):
    unit: str
    unit_name: str
    catalog: str
    as_of: dt.date
    measure: str
    period: str = Field(..., description="Năm 2023, quý 2023-Q4 hoặc tháng 2023-11.")
    numerator: int = Field(..., description="Σ tử số của các số liệu đầy đủ đã báo cáo.")
    denominator: int = Field(..., description="Σ mẫu số.")
    percent: Number | None = Field(..., description="Σ tử số × 100 ÷ Σ mẫu số; null khi mẫu số 0.")
    reported: int = Field(..., description="Số đơn vị đã báo cáo đủ.")
    expected: int = Field(..., description="Số đơn vị phải báo cáo.")
    own_figure: bool = Field(..., description="Đơn vị có số liệu riêng (thay cho tổng cấp dưới).")
    verdict: str = Field(..., description="met, not_met hoặc no_data.")
    updated_at: dt.datetime

    @staticmethod
    def resolve_unit(row) -> str:
        return row.unit.official_code

    @staticmethod
    def resolve_unit_name(row) -> str:
        return row.unit.name

    @staticmethod
    def resolve_catalog(row) -> str:
        return row.catalog.key

    @staticmethod
    def resolve_measure(row) -> str:
        return row.measure.code

    @staticmethod
    def resolve_numerator(row) -> int:
        return row.part[0]

    @staticmethod
    def resolve_denominator(row) -> int:
        return row.part[1]

    @staticmethod
    def resolve_percent(row):
        num, den = row.part[:2]
        return number(round(ratio_percent(num, den), 4)) if den else None

    @staticmethod
    def resolve_reported(row) -> int:
        return row.part[2]

    @staticmethod
    def resolve_expected(row) -> int:
        return row.part[3]

    @staticmethod
    def resolve_own_figure(row) -> bool:
        return row.own_state != 0
