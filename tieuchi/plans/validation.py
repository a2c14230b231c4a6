"""Validate a plan data file (docs/catalog-format.md, "Plan file") into plain specs. No database."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tieuchi.catalog.fileformat import COMPARATORS, LAYERS, Checker, DocumentSpec

ORGANISATION_KINDS = {
    "ubnd",
    "party",
    "mttq",
    "doan_the",
    "bo_phan",
    "to_cong_tac",
    "cong_an",
    "quan_su",
    "tram_y_te",
    "truong",
    "dai_truyen_thanh",
    "tdp",
    "clb",
    "doanh_nghiep",
    "khac",
}


@dataclass
class PersonSpec:
    short_name: str
    full_name: str
    title: str
    title_short: str
    aliases: list[str]


@dataclass
class OrganisationSpec:
    name: str
    short_name: str
    kind: str
    aliases: list[str]


@dataclass
class RoundSpec:
    number: int
    name: str
    month: dt.date
    kind: str
    evaluator: str


@dataclass
class RowSpec:
    line: int
    criterion: str
    criterion_text: str
    solution: str
    leader: str
    implementing: str
    coordinating: str
    deadline: str
    note: str


@dataclass
class TargetSpec:
    line: int
    criterion: str
    measure: str
    comparator: str
    value: Decimal | None
    value_max: Decimal | None
    unit: str
    text: str
    layer: str
    source_ref: str
    note: str


@dataclass
class PlanSpec:
    key: str
    name: str
    catalog: str
    unit: str
    legal_document: DocumentSpec | None
    parent_document: DocumentSpec | None
    period_start: dt.date | None
    period_end: dt.date | None
    school_year_end: str
    people: list[PersonSpec] = field(default_factory=list)
    organisations: list[OrganisationSpec] = field(default_factory=list)
    rounds: list[RoundSpec] = field(default_factory=list)
    rows: list[RowSpec] = field(default_factory=list)
    targets: list[TargetSpec] = field(default_factory=list)


def validate_plan(data: Any) -> tuple[PlanSpec | None, list]:
    check = Checker()
    if not isinstance(data, dict):
        check.add(data, "", "tệp phải là một bảng khóa: giá trị (key, catalog, unit, rows, …)")
        return None, check.problems
    period = check.mapping(data, "period")
    spec = PlanSpec(
        key=check.text(data, "key", max_length=80),
        name=check.text(data, "name", max_length=400),
        catalog=check.text(data, "catalog"),
        unit=check.text(data, "unit"),
        legal_document=check.document(data, "legal_document"),
        parent_document=check.document(data, "parent_document", required=False),
        period_start=check.date(period, "start", required=True) if period else None,
        period_end=check.date(period, "end", required=True) if period else None,
        school_year_end=_school_year_end(check, data),
    )
    if spec.period_start and spec.period_end and spec.period_end < spec.period_start:
        check.add(period, "end", "ngày kết thúc trước ngày bắt đầu")
    for raw in check.sequence(data, "people", required=False):
        spec.people.append(
            PersonSpec(
                short_name=check.text(raw, "short_name", max_length=80),
                full_name=check.text(raw, "full_name", max_length=150),
                title=check.text(raw, "title", max_length=150),
                title_short=check.text(raw, "title_short", required=False, max_length=40),
                aliases=_strings(check, raw, "aliases"),
            )
        )
    for raw in check.sequence(data, "organisations", required=False):
        spec.organisations.append(
            OrganisationSpec(
                name=check.text(raw, "name", max_length=200),
                short_name=check.text(raw, "short_name", required=False, max_length=80),
                kind=check.choice(raw, "kind", ORGANISATION_KINDS),
                aliases=_strings(check, raw, "aliases"),
            )
        )
    for raw in check.sequence(data, "rounds", required=False):
        month = check.text(raw, "month")
        spec.rounds.append(
            RoundSpec(
                number=int(check.number(raw, "number") or 0),
                name=check.text(raw, "name", max_length=120),
                month=_month(check, raw, month),
                kind=check.choice(
                    raw, "kind", {"self", "inspection", "council"}, default="inspection"
                ),
                evaluator=check.text(raw, "evaluator", required=False, max_length=200),
            )
        )
    _rows(check, data, spec)
    _targets(check, data, spec)
    return (None, check.problems) if check.problems else (spec, [])


def _rows(check: Checker, data: dict, spec: PlanSpec) -> None:
    seen: set[str] = set()
    for raw in check.sequence(data, "rows"):
        if not isinstance(raw, dict):
            check.add(data, "rows", "mỗi dòng kế hoạch phải là một bảng khóa: giá trị")
            continue
        code = check.text(raw, "criterion", max_length=20)
        if code in seen:
            check.add(raw, "criterion", f"tiêu chí '{code}' xuất hiện hai lần")
        seen.add(code)
        spec.rows.append(
            RowSpec(
                line=raw.line,
                criterion=code,
                criterion_text=check.text(raw, "criterion_text", required=False),
                solution=check.text(raw, "solution", required=False),
                leader=check.text(raw, "leader", required=False, max_length=120),
                implementing=check.text(raw, "implementing", required=False),
                coordinating=check.text(raw, "coordinating", required=False),
                deadline=check.text(raw, "deadline", required=False, max_length=200),
                note=check.text(raw, "note", required=False),
            )
        )


def _targets(check: Checker, data: dict, spec: PlanSpec) -> None:
    for raw in check.sequence(data, "targets", required=False):
        if not isinstance(raw, dict):
            check.add(data, "targets", "mỗi chỉ tiêu phải là một bảng khóa: giá trị")
            continue
        spec.targets.append(
            TargetSpec(
                line=raw.line,
                criterion=check.text(raw, "criterion", max_length=20),
                measure=check.text(raw, "measure", required=False, max_length=20),
                comparator=check.choice(raw, "comparator", COMPARATORS),
                value=check.number(raw, "value"),
                value_max=check.number(raw, "value_max"),
                unit=check.text(raw, "unit", required=False, max_length=60),
                text=check.text(raw, "text"),
                layer=check.choice(raw, "layer", LAYERS, default="ward"),
                source_ref=check.text(raw, "source_ref", required=False, max_length=120),
                note=check.text(raw, "note", required=False),
            )
        )


def _strings(check: Checker, raw: Any, key: str) -> list[str]:
    items = check.sequence(raw, key, required=False)
    return [str(item).strip() for item in items if str(item).strip()]


def _school_year_end(check: Checker, data: dict) -> str:
    value = str(data.get("school_year_end", "31/05"))
    try:
        day, month = (int(part) for part in value.split("/"))
        dt.date(2024, month, day)
    except (ValueError, TypeError):
        check.add(data, "school_year_end", f"'{value}' phải có dạng dd/mm, ví dụ 31/05")
        return "31/05"
    return f"{day:02d}/{month:02d}"


def _month(check: Checker, raw: Any, text: str) -> dt.date:
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        if text:
            check.add(raw, "month", f"'{text}' phải có dạng YYYY-MM")
        return dt.date(1900, 1, 1)
