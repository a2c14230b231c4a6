"""Checking a filled-in template completely before anything is written.

`check_upload` returns a `CheckResult`: the template's unit, catalog and period, one planned row
per figure (new / changed / unchanged / empty, with old and new values) and every problem found,
each with its sheet, row, column letter and the reason in Vietnamese. One problem, of any kind,
means nothing will be written.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_noop

from tieuchi.catalog.models import Catalog, IndicatorKind, Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.cells import (
    CellRejected,
    Figures,
    is_blank,
    parse_boolean,
    parse_level,
    parse_number,
)
from tieuchi.collection.excel.context import (
    TemplateError,
    approved_unit_ids,
    find_unit,
    newest_catalog,
    normalise_period,
    period_closed,
    period_label,
    unit_label,
    units_by_code,
)
from tieuchi.collection.excel.layout import COL, COLLECTED_AT, COLUMNS
from tieuchi.collection.excel.reader import (
    FileRefused,
    WorkbookData,
    check_archive,
    read_workbook,
)
from tieuchi.collection.excel.template import checksum, describe, figures_of
from tieuchi.collection.models import Observation
from tieuchi.core.formatting import vn_number
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_edit_unit

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
    kind: str = "error"  # error | conflict | locked | file

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
# [row, unit code, unit id, measure id, measure code, status, base version, new, old], where new
# and old are [numerator, denominator, value, boolean, level] (numbers as exact text) or null.
ROW_FIELDS = ("row", "unit", "unit_id", "measure_id", "code", "status", "base", "new", "old")


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


def check_upload(
    data: bytes,
    file_name: str,
    user,
    *,
    unit: AdminUnit | None = None,
    period: str | None = None,
    catalog: Catalog | None = None,
) -> CheckResult:
    """Check everything; `unit`, `period`, `catalog` (when given) are what the user meant to import."""
    result = CheckResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        check_archive(data, file_name)
        book = read_workbook(data)
        _identify(result, book, user, unit, period, catalog)
    except FileRefused as refused:
        result.problems.append(Problem(refused.message, kind="file"))
        return result
    _check_rows(result, book)
    return result


def _refuse(message: str):
    raise FileRefused(message)


def _identify(result: CheckResult, book: WorkbookData, user, unit, period, catalog) -> None:
    meta = result.meta = book.meta
    if meta.get("format") != layout.FORMAT:
        _refuse(
            "Tệp không phải mẫu nhập số liệu của tieuchi (hoặc là mẫu cũ); "
            "hãy tải mẫu mới ở trang Nhập số liệu."
        )
    _check_headers(book.headers)
    expected = checksum(meta, (row[1:6] for row in book.rows))
    if not hmac.compare_digest(expected, meta.get("checksum", "")) or meta.get("rows") != str(
        len(book.rows)
    ):
        _refuse(
            "Mẫu đã bị sửa (mã kiểm tra không khớp): có dòng bị thêm, xóa hoặc cột ẩn, sheet "
            "'_meta' bị sửa. Hãy tải mẫu mới và nhập lại số liệu vào đó."
        )
    try:
        result.period = normalise_period(meta.get("period", ""))
        result.unit = find_unit(meta.get("unit_code", ""), result.period)
    except TemplateError as error:
        _refuse(f"Mẫu không hợp lệ: {error}")
    result.include_subunits = meta.get("subunits") == "1"
    key, version = meta.get("catalog_key", ""), meta.get("catalog_version", "")
    found = Catalog.objects.filter(key=key, version=version).first()
    newest = newest_catalog(key)
    if found is None or newest is None or newest.pk != found.pk:
        now = f"; hiện dùng phiên bản {newest.version}" if newest else ""
        _refuse(
            f"Mẫu được tạo cho bộ tiêu chí {key} phiên bản {version}{now}. "
            "Hãy tải mẫu mới và nhập lại số liệu vào đó."
        )
    result.catalog = found
    root = result.unit
    if unit is not None and unit.official_code != root.official_code:
        _refuse(
            f"Tệp là mẫu của {unit_label(root)} ({root.official_code}), không phải của "
            f"{unit_label(unit)} ({unit.official_code}) đang chọn."
        )
    if period and normalise_period(period) != result.period:
        _refuse(
            f"Tệp là mẫu {period_label(result.period)} ({result.period}), không phải "
            f"{period_label(normalise_period(period))} đang chọn."
        )
    if catalog is not None and catalog.key != found.key:
        _refuse(f"Tệp là mẫu của bộ tiêu chí {found.key}, không phải {catalog.key} đang chọn.")
    if not can_edit_unit(user, root):
        _refuse(f"Bạn không có quyền nhập số liệu cho {unit_label(root)} ({root.official_code}).")
    if period_closed(found, result.period):
        _refuse(f"Kỳ {result.period} của bộ tiêu chí {found.key} đã khóa; không nhập thêm được.")


def _check_headers(headers: list) -> None:
    for column, header in zip(COLUMNS, headers, strict=False):
        text = str(header).strip() if header is not None else ""
        wanted = column.header
        if column.key == "previous" and text.startswith(wanted):
            continue
        if text != wanted:
            _refuse(
                f"Sheet '{layout.DATA_SHEET}' đã bị sửa cấu trúc: cột {column.letter} phải là "
                f"'{wanted}' (đang là '{text}'). Hãy tải mẫu mới."
            )


KIND_HINT = {
    (
        "numerator",
        "denominator",
    ): f"nhập ở cột {COL['numerator'].letter} và {COL['denominator'].letter}",
    ("value",): f"nhập ở cột {COL['value'].letter}",
    ("result",): f"nhập ở cột {COL['result'].letter}",
}
INPUT_POSITION = {"numerator": 6, "denominator": 7, "value": 8, "result": 9}  # in a FileRow


@dataclass(slots=True)
class _Spec:
    """What the loop needs to know about a measure, computed once per measure."""

    measure: Measure
    measure_id: int
    code: str
    level: str
    kind: str
    keys: tuple[str, ...]
    closed: tuple[int, ...]  # positions in a FileRow that must stay empty
    scale: list[str]


def _spec(measure: Measure) -> _Spec:
    keys = layout.input_keys(measure.kind)
    closed = tuple(INPUT_POSITION[key] for key in layout.INPUT_KEYS if key not in keys)
    scale = [str(item) for item in (measure.config or {}).get("scale") or []]
    return _Spec(
        measure,
        measure.pk,
        measure.code,
        measure.collected_at or "ward",
        measure.kind,
        keys,
        closed,
        scale,
    )


def _check_rows(result: CheckResult, book: WorkbookData) -> None:
    root, catalog, period = result.unit, result.catalog, result.period
    problems = result.problems
    units = {
        code: unit
        for code, unit in units_by_code({row[1] for row in book.rows}, period).items()
        if unit.path.startswith(root.path)
    }
    wanted_ids = set()
    for row in book.rows:
        if row[2].isdigit():
            wanted_ids.add(int(row[2]))
    specs = {
        str(m.pk): _spec(m)
        for m in Measure.objects.filter(pk__in=wanted_ids, node__catalog=catalog)
    }
    unit_ids = [unit.pk for unit in units.values()]
    current = {
        (o.unit_id, o.measure_id): o
        for o in Observation.objects.filter(
            unit_id__in=unit_ids, measure_id__in=wanted_ids, period=period
        ).select_related("entered_by")
    }
    approved = approved_unit_ids(catalog, period, unit_ids)
    letters = {key: COL[key].letter for key in layout.INPUT_KEYS}
    levels = {code: COLLECTED_AT.get(unit.level) for code, unit in units.items()}
    unit_pks = {code: unit.pk for code, unit in units.items()}
    naming = result.include_subunits
    names: dict[int, str] = {}

    def label(unit, measure) -> str:
        if not naming:
            return measure.code
        if unit.pk not in names:
            names[unit.pk] = unit_label(unit)
        return f"{measure.code} của {names[unit.pk]}"

    seen: dict[tuple[int, int], int] = {}
    planned = result.rows
    for row in book.rows:
        number, unit_code, measure_id, measure_code, version, original = row[:6]
        unit = units.get(unit_code)
        if unit is None:
            problems.append(
                Problem(f"đơn vị '{unit_code}' không thuộc {unit_label(root)}.", number)
            )
            continue
        spec = specs.get(measure_id)
        if spec is None or spec.level != levels[unit_code]:
            problems.append(
                Problem(
                    f"chỉ tiêu '{measure_code}' không có trong bộ tiêu chí "
                    f"{catalog.key} {catalog.version} cho {unit_label(unit)}; hãy tải mẫu mới.",
                    number,
                )
            )
            continue
        measure = spec.measure
        unit_pk, measure_pk = unit_pks[unit_code], spec.measure_id
        key = (unit_pk, measure_pk)
        if key in seen:
            problems.append(Problem(f"chỉ tiêu {measure.code} trùng với dòng {seen[key]}.", number))
            continue
        seen[key] = number
        new = _read_values(row, spec, letters, problems)
        if new is None:
            continue
        if new.empty:
            planned.append(
                PlannedRow(number, unit_pk, unit_code, measure_pk, spec.code, EMPTY, new)
            )
            continue
        observation = current.get(key)
        if observation is None:
            old, base, status = None, None, NEW
        else:
            old, base, status = figures_of(observation), observation.version, CHANGED
        if (original and new.canonical() == original) or (old is not None and new == old):
            status = UNCHANGED
        elif str(base or 0) != (version or "0"):
            problems.append(
                Problem(
                    _conflict_text(label(unit, measure), observation, new, measure),
                    number,
                    letters[spec.keys[0]],
                    kind="conflict",
                )
            )
            continue
        elif unit_pk in approved or (
            observation is not None and observation.status == Observation.Status.APPROVED
        ):
            problems.append(
                Problem(
                    f"số liệu {label(unit, measure)} đã được duyệt và khóa; cần mở khóa (có lý do) "
                    "trước khi sửa.",
                    number,
                    kind="locked",
                )
            )
            continue
        planned.append(
            PlannedRow(number, unit_pk, unit_code, measure_pk, spec.code, status, new, old, base)
        )


def _conflict_text(label: str, observation, new: Figures, measure: Measure) -> str:
    if observation is None:
        return f"số liệu {label} đã bị xóa sau khi bạn tải mẫu; hãy tải mẫu mới và nhập lại."
    who = observation.entered_by.display_name if observation.entered_by else "người khác"
    when = timezone.localtime(observation.entered_at).strftime("%H:%M %d/%m/%Y")
    return (
        f"xung đột: số liệu {label} đã được {who} sửa lúc {when}, sau khi bạn tải mẫu "
        f"(giá trị hiện tại: {describe(figures_of(observation), measure) or 'trống'}; "
        f"trong tệp: {describe(new, measure)}). Hãy tải mẫu mới."
    )


def _number(raw):
    """parse_number with a fast path for the common cells: empty, or a whole number."""
    if raw == "" or raw is None:
        return None
    if type(raw) is float and raw.is_integer() and 0 <= raw < 1e12:
        return Decimal(int(raw))
    return parse_number(raw)


def _read_values(row, spec: _Spec, letters, problems: list[Problem]) -> Figures | None:
    """The row's figures, or None after adding one problem per bad cell."""
    number = row[0]
    errors = []
    for position in spec.closed:
        raw = row[position]
        if raw != "" and not is_blank(raw):
            key = layout.INPUT_KEYS[position - 6]
            kind = IndicatorKind(spec.kind).label if spec.kind in IndicatorKind else ""
            errors.append(
                Problem(
                    f"ô này không dùng cho chỉ tiêu {spec.measure.code} ({str(kind).lower()}); "
                    f"{KIND_HINT.get(spec.keys, '')}.",
                    number,
                    letters[key],
                )
            )
    numerator = denominator = value = boolean = None
    level = ""
    try:
        if spec.kind in layout.RATIO_KINDS:
            numerator = _number(row[6])
    except CellRejected as rejected:
        errors.append(Problem(str(rejected), number, letters["numerator"]))
    try:
        if spec.kind in layout.RATIO_KINDS:
            denominator = _number(row[7])
        elif spec.keys == ("value",):
            value = _number(row[8])
        elif spec.kind == "boolean":
            boolean = parse_boolean(row[9])
        else:
            level = parse_level(row[9], spec.scale)
    except CellRejected as rejected:
        key = {"ratio": "denominator", "boolean": "result", "level": "result"}.get(
            spec.kind, "value"
        )
        errors.append(Problem(str(rejected), number, letters[key]))
    if not errors and (numerator is None) != (denominator is None):
        missing = "denominator" if denominator is None else "numerator"
        word = "mẫu số" if missing == "denominator" else "tử số"
        errors.append(
            Problem(f"thiếu {word}; tỷ lệ cần cả tử số và mẫu số.", number, letters[missing])
        )
    elif not errors and numerator is not None and numerator > denominator:
        errors.append(
            Problem(
                f"tử số ({vn_number(numerator)}) không được lớn hơn mẫu số "
                f"({vn_number(denominator)}).",
                number,
                letters["numerator"],
            )
        )
    if errors:
        errors.sort(key=lambda problem: problem.column)
        problems.extend(errors)
        return None
    return Figures(numerator, denominator, value, boolean, level)
