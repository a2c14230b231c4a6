"""Small builders for engine inputs, so each test table row stays one line."""

import datetime as dt
from decimal import Decimal

from tieuchi.evaluation.engine import (
    EvaluationInput,
    Figure,
    MeasureDef,
    ThresholdDef,
    UnitInfo,
    evaluate_measure,
)

AS_OF = dt.date(2023, 11, 30)
QD04 = "04/2022/QĐ-TTg"
KH68 = "68/KH-UBND"

WARD = UnitInfo(1, "00121", "Phường Giang Biên", "phuong", 100)
TOWN = UnitInfo(1, "10000", "Thị trấn Trâu Quỳ", "thi_tran", 100)
COMMUNE = UnitInfo(1, "10003", "Xã Đông Dư", "xa", 100)
DISTRICT = UnitInfo(100, "004", "Quận Long Biên", "quan", None)


def tdps(count: int, parent_id: int = 1, first_id: int = 10) -> tuple[UnitInfo, ...]:
    """TDP 1 … TDP n under the unit `parent_id`."""
    return tuple(
        UnitInfo(first_id + i, f"{parent_id:05}-{i:02}", f"TDP {i}", "to_dan_pho", parent_id)
        for i in range(1, count + 1)
    )


def th(comparator: str, value=None, *, layer: str = "national", **kw) -> ThresholdDef:
    for key in ("value_max", "baseline_value"):
        if kw.get(key) is not None:
            kw[key] = Decimal(str(kw[key]))
    number = Decimal(str(value)) if value is not None else None
    return ThresholdDef(layer=layer, comparator=comparator, value=number, **kw)


def target(measure_code: str, comparator: str, value=None, **kw) -> ThresholdDef:
    """A plan target of the ward on a measure."""
    kw.setdefault("layer", "ward")
    kw.setdefault("source", KH68)
    return th(comparator, value, measure_code=measure_code, **kw)


def measure(kind: str, *thresholds: ThresholdDef, code: str = "m", **kw) -> MeasureDef:
    kw.setdefault("unit", "%" if kind in ("ratio", "range") else "")
    return MeasureDef(code=code, name=f"Chỉ số {code}", kind=kind, thresholds=thresholds, **kw)


def fig(unit_id: int = 1, code: str = "m", period: str = "2023", **kw) -> Figure:
    for key in ("numerator", "denominator", "value"):
        if isinstance(kw.get(key), int | float | str):
            kw[key] = Decimal(str(kw[key]))
    return Figure(unit_id=unit_id, measure_code=code, period=period, **kw)


def ratio_fig(numerator, denominator, unit_id: int = 1, code: str = "m", **kw) -> Figure:
    return fig(unit_id, code, numerator=numerator, denominator=denominator, **kw)


def make_input(unit: UnitInfo = WARD, **kw) -> EvaluationInput:
    kw.setdefault("as_of", AS_OF)
    return EvaluationInput(unit=unit, **kw)


def run(m: MeasureDef, unit: UnitInfo = WARD, evidence_required: bool = False, **kw):
    return evaluate_measure(make_input(unit, **kw), m, evidence_required=evidence_required)
