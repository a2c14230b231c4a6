"""Checking the data rows of an identified template: each row's unit, measure, cells and
version, giving a planned row or the problems found in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.utils import timezone

from tieuchi.catalog.models import IndicatorKind, Measure
from tieuchi.collection.excel import layout
from tieuchi.collection.excel.cells import (
    CellRejected,
    Figures,
    is_blank,
    parse_boolean,
    parse_level,
    parse_number,
)
from tieuchi.collection.excel.check_result import (
    CHANGED,
    EMPTY,
    NEW,
    UNCHANGED,
    CheckResult,
    PlannedRow,
    Problem,
)
from tieuchi.collection.excel.context import (
    approved_unit_ids,
    unit_label,
    units_by_code,
)
from tieuchi.collection.excel.layout import COL, COLLECTED_AT
from tieuchi.collection.excel.reader import (
    WorkbookData,
)
from tieuchi.collection.excel.template_rows import describe, figures_of
from tieuchi.collection.excel.unusual import flag_unusual
from tieuchi.collection.models import Observation
from tieuchi.core.formatting import vn_number

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
    ratio: bool = False
    pick_closed: Callable = tuple  # the closed cells of a row, as a tuple
    all_empty: tuple = ()  # what pick_closed gives for a row with all of them empty


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
        ratio=measure.kind in layout.RATIO_KINDS,
        pick_closed=(lambda row: tuple(row[i] for i in closed))
        if len(closed) < 2
        else itemgetter(*closed),
        all_empty=("",) * len(closed),
    )


def check_rows(result: CheckResult, book: WorkbookData) -> None:
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
    if not problems:
        flag_unusual(planned, {spec.measure_id: spec.measure for spec in specs.values()}, period)


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
    if spec.ratio:
        # Most ratio rows hold two whole numbers and nothing else: decided without the general
        # path's parsing (a fifth of the checking time of a 100,000-row file).
        numerator, denominator = row[6], row[7]
        if (
            type(numerator) is float
            and type(denominator) is float
            and numerator.is_integer()
            and denominator.is_integer()
            and 0 <= numerator <= denominator < 1e12
            and spec.pick_closed(row) == spec.all_empty
        ):
            return Figures(Decimal(int(numerator)), Decimal(int(denominator)))
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
