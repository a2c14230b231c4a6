"""Inputs of the evaluation engine: plain frozen dataclasses, no Django.

The caller (a Django service, the CLI, a benchmark) copies catalog rows, units and observed values
into these records; the engine never reads the database. Numbers are Decimals (ints and floats are
accepted and converted where they are compared).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

Number = Decimal | int | float


class Verdict(StrEnum):
    """A verdict as a plain string ("met", "not_met", "no_data"), with its Vietnamese label."""

    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {"met": "Đạt", "not_met": "Chưa đạt", "no_data": "Chưa đủ dữ liệu"}[self.value]


# Layers whose threshold gives the recognition verdict: "national" for criteria sets (QĐ 04),
# "programme" for programme catalogs (CTr 02). Others are performance targets shown side by side.
RECOGNITION_LAYERS = ("national", "programme")
# When a measure has no recognition threshold, the most local target judges it instead.
FALLBACK_LAYERS = ("ward", "district", "city")

RESIDENTIAL_TYPES = frozenset({"to_dan_pho", "thon"})
COMMUNE_TYPES = frozenset({"phuong", "xa", "thi_tran", "dac_khu"})


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    unit_type: str
    parent_id: int | None = None


@dataclass(frozen=True)
class ThresholdDef:
    """One requirement on a measure: a catalog threshold or (with measure_code) a plan target."""

    layer: str = "national"
    unit_type: str = "any"
    comparator: str = ""
    value: Number | None = None
    value_max: Number | None = None
    level: str = ""
    benchmark: str = ""
    baseline_value: Number | None = None
    baseline_text: str = ""
    target_year: int | None = None
    text: str = ""
    source: str = ""
    measure_code: str = ""  # set on plan targets (extra_thresholds); empty on catalog thresholds


PlanTarget = ThresholdDef


@dataclass(frozen=True)
class MeasureDef:
    code: str
    name: str = ""
    kind: str = "boolean"
    unit: str = ""
    aggregation: str = ""
    collected_at: str = "ward"
    config: dict[str, Any] = field(default_factory=dict, compare=False)
    thresholds: tuple[ThresholdDef, ...] = ()


@dataclass(frozen=True)
class NodeDef:
    code: str
    name: str = ""
    node_type: str = "subcriterion"
    children: tuple[NodeDef, ...] = ()
    measures: tuple[MeasureDef, ...] = ()
    evidence_required: bool = False


@dataclass(frozen=True)
class Figure:
    """An observed value of one measure, for one unit and one period ("2023")."""

    unit_id: int
    measure_code: str
    period: str
    numerator: Number | None = None
    denominator: Number | None = None
    value: Number | None = None
    boolean: bool | None = None
    level: str | None = None
    status: str = "verified"  # draft | submitted | verified | rejected (rejected ones are ignored)
    source: str = ""
    has_evidence: bool = False


@dataclass(frozen=True)
class EventRecord:
    """One occurrence counted by a zero-events measure (an encroachment, a food poisoning…)."""

    unit_id: int
    measure_code: str
    occurred_on: dt.date
    description: str = ""
    source: str = ""
    cases: int | None = None


@dataclass(frozen=True)
class TitleRecord:
    """A title held by a unit under a decision ("An toàn về ANTT", "chuẩn tiếp cận pháp luật")."""

    unit_id: int
    title_code: str
    title_name: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # last day of validity, inclusive; None = open-ended
    revoked_on: dt.date | None = None
    decision: str = ""


@dataclass(frozen=True)
class BenchmarkValue:
    """An external reference value (the city's per-capita income), with its source and date."""

    key: str
    period: str
    value: Number
    source: str = ""
    published_on: dt.date | None = None


@dataclass(frozen=True)
class Registration:
    registered_on: dt.date
    kind: str = "first"  # first | renewal


@dataclass(frozen=True)
class Survey:
    respondents: int
    satisfied: int


@dataclass(frozen=True)
class EvaluationInput:
    """Everything needed to judge one unit as of one date; `units` is the unit and all below it."""

    as_of: dt.date
    unit: UnitInfo
    catalog_key: str = ""
    period: str = ""  # default: the year of as_of
    previous_period: str = ""  # default: the year before
    units: tuple[UnitInfo, ...] = ()
    nodes: tuple[NodeDef, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[EventRecord, ...] = ()
    titles: tuple[TitleRecord, ...] = ()
    benchmarks: tuple[BenchmarkValue, ...] = ()
    extra_thresholds: tuple[ThresholdDef, ...] = ()
    registration: Registration | None = None
    survey: Survey | None = None
    recognition_rule: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.period:
            object.__setattr__(self, "period", str(self.as_of.year))
        if not self.previous_period:
            object.__setattr__(self, "previous_period", _previous(self.period, self.as_of))
        if not any(unit.id == self.unit.id for unit in self.units):
            object.__setattr__(self, "units", (self.unit, *self.units))


def _previous(period: str, as_of: dt.date) -> str:
    return str(int(period) - 1) if period.isdigit() else str(as_of.year - 1)
