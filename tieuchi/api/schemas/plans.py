"""Response shapes of plans: summaries, periods, deadlines and plan rows."""

import datetime as dt

from ninja import Schema
from pydantic import ConfigDict


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
