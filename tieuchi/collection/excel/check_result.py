"""The outcome of checking a file: its problems, one planned row per figure (new / changed /
unchanged / empty), and the compact form the rows are kept in on an ImportBatch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from tieuchi.catalog.models import Catalog
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.cells import (
    Figures,
)
from tieuchi.orgs.models import AdminUnit

NEW, CHANGED, UNCHANGED, EMPTY = "new", "changed", "unchanged", "empty"
# Shown translated on the preview page.
STATUS_LABELS = {
    NEW: gettext_noop("Mới"),
    CHANGED: gettext_noop("Thay đổi"),
    UNCHANGED: gettext_noop("Không đổi"),
    EMPTY: gettext_noop("Để trống"),
}


@dataclass(frozen=True)
class Problem:
    """Why (part of) the file cannot be imported. `row` None: the file as a whole."""

    message: str
    row: int | None = None
    column: str = ""
    sheet: str = layout.DATA_SHEET
    kind: str = "error"  # error | conflict | locked | file | unusual (to be confirmed)

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"Sheet '{self.sheet}', dòng {self.row}"
        if self.column:
            where += f", cột {self.column}"
        return f"{where}: {self.message}"

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet if self.row is not None else "",
            "row": self.row,
            "column": self.column,
            "kind": self.kind,
            "message": self.message,
            "text": str(self),
        }

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        return cls(
            message=data["message"],
            row=data.get("row"),
            column=data.get("column", ""),
            sheet=data.get("sheet") or layout.DATA_SHEET,
            kind=data.get("kind", "error"),
        )


# How a checked row is kept in ImportBatch.rows (compact: a 100,000-row file stays small):
# [row, unit code, unit id, measure id, measure code, status, base version, new, old, warning],
# where new and old are [numerator, denominator, value, boolean, level] (numbers as exact text)
# or null, and warning (only on a figure far from the unit's history) says why it is unusual.
ROW_FIELDS = (
    "row",
    "unit",
    "unit_id",
    "measure_id",
    "code",
    "status",
    "base",
    "new",
    "old",
    "warning",
)


@dataclass(slots=True)
class PlannedRow:
    row: int
    unit_id: int
    unit_code: str
    measure_id: int
    code: str
    status: str
    new: Figures
    old: Figures | None = None
    base: int | None = None  # the figure's version when checked; None: there is none yet
    warning: str = ""  # far from the unit's history: written only once confirmed

    def as_list(self) -> list:
        if self.status not in (NEW, CHANGED):
            return [self.row, self.unit_code, self.unit_id, self.measure_id, self.code, self.status]
        return [
            self.row,
            self.unit_code,
            self.unit_id,
            self.measure_id,
            self.code,
            self.status,
            self.base,
            self.new.as_list(),
            self.old.as_list() if self.old is not None else None,
            *([self.warning] if self.warning else []),
        ]


def row_dict(stored: list) -> dict:
    """A stored row as a dict (missing fields None); `new` and `old` as Figures."""
    data = dict(zip(ROW_FIELDS, stored, strict=False))
    for key in ROW_FIELDS:
        data.setdefault(key, None)
    data["new"] = Figures.from_list(data["new"]) if data["new"] is not None else None
    data["old"] = Figures.from_list(data["old"]) if data["old"] is not None else None
    return data


@dataclass
class CheckResult:
    file_name: str
    sha256: str
    unit: AdminUnit | None = None
    catalog: Catalog | None = None
    period: str = ""
    include_subunits: bool = False
    meta: dict = field(default_factory=dict)
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unusual(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.warning]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.status for row in self.rows)
        return {status: counted.get(status, 0) for status in (NEW, CHANGED, UNCHANGED, EMPTY)}

    def summary(self) -> str:
        return summary_text(len(self.rows), self.counts)


def summary_text(total: int, counts: dict[str, int]) -> str:
    return (
        f"{total} dòng: {counts[NEW]} mới, {counts[CHANGED]} thay đổi, "
        f"{counts[UNCHANGED]} không đổi, {counts[EMPTY]} để trống"
    )
