"""GET /values and POST /values: figures read and written with the web entry form's rules.

Each figure is checked like a row of the entry page (`collection.entry`: the measures the unit
enters, the reporting window, the set's workflow state, the figure's kind and range) and saved
through `collection.services.save_observation` (optimistic locking, audit with channel "api",
re-evaluation after commit). A request with several figures is all or nothing: every figure is
checked, and if any is refused nothing is written and every problem is reported.
"""

import re
from dataclasses import dataclass
from typing import Annotated

from django.db import transaction
from ninja import Query, Router
from ninja.pagination import paginate

from tieuchi.accounts.roles import EDITOR_ROLES
from tieuchi.api.errors import detail, from_details
from tieuchi.api.lookups import unit_by_code, visible_catalog, visible_unit
from tieuchi.api.schemas.common import Code, ErrorOut, Pages
from tieuchi.api.schemas.values import ValueIn, ValueOut, ValuesIn, ValuesOut
from tieuchi.catalog.models import Catalog, Measure
from tieuchi.catalog.queries import catalogs_visible_to
from tieuchi.collection import entry
from tieuchi.collection.models import Observation
from tieuchi.collection.services import (
    ConflictError,
    ValueRejected,
    period_bounds,
    save_observation,
    set_observation_status,
    unusual_note,
)
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import can_act_on_unit, visible_unit_ids

router = Router(tags=["values"])

PERIOD = re.compile(r"\d{4}(-(Q[1-4]|0[1-9]|1[0-2]))?")
LOCKED_MESSAGE = "Số liệu đã được duyệt và khóa; cần mở khóa (có lý do) trước khi sửa."
FIGURE_FIELDS = ("numerator", "denominator", "value", "boolean", "level")


def _values(user):
    return Observation.objects.filter(unit__in=visible_unit_ids(user)).select_related(
        "unit", "measure__node__catalog", "entered_by"
    )


def current_value(observation: Observation) -> dict:
    """The stored figure as GET /values shows it (sent back with conflict and locked)."""
    return ValueOut.from_orm(observation).model_dump()


@router.get(
    "/values",
    response={200: list[ValueOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Số liệu đã nhập",
)
@paginate(Pages)
def value_list(
    request,
    unit: Annotated[Code, Query("", example="00121")] = "",
    period: Annotated[Code, Query("", example="2023")] = "",
    catalog: Annotated[Code, Query("", example="qd04-2022")] = "",
    measure: Annotated[Code, Query("", example="7.2")] = "",
    status: Observation.Status | None = None,
    subtree: bool = False,
):
    """Figures of the units the caller may see, ordered by unit, period and catalog order.

    `unit` (a code) narrows to that unit, with `subtree=true` to the units below it too; a unit
    the caller may not see is a 404, exactly like an unknown code. `catalog` is a catalog key
    (any loaded version), `measure` a measure code, `period` a period as stored (2023, 2023-Q4)."""
    user = request.auth
    values = _values(user)
    if unit:
        found = visible_unit(user, unit)
        values = (
            values.filter(unit__path__startswith=found.path)
            if subtree
            else values.filter(unit=found)
        )
    if catalog:
        values = values.filter(measure__node__catalog__key=visible_catalog(user, catalog).key)
    if measure:
        values = values.filter(measure__code=measure)
    if period:
        values = values.filter(period=period)
    if status:
        values = values.filter(status=status)
    return values.order_by(
        "unit__path",
        "period",
        "measure__node__catalog__key",
        "measure__node__position",
        "measure__position",
        "pk",
    )


# --- POST /values ---------------------------------------------------------------------------------

# The figure fields each kind of measure takes, as the entry form shows them (entry.input_mode).
MODE_FIELDS = {
    "ratio": ("numerator", "denominator"),
    "boolean": ("boolean",),
    "level": ("level",),
    "value": ("value",),
}
MODE_TEXT = {
    "ratio": "numerator và denominator",
    "boolean": "boolean (true/false)",
    "level": "level",
    "value": "value",
}
STORED_NAME = {"boolean": "boolean_value"}  # API name → Observation field


@dataclass
class Checked:
    """A figure that passed every check before writing."""

    index: int
    at: str
    item: ValueIn
    unit: AdminUnit
    measure: Measure
    row: entry.Row
    values: dict  # Observation field → value, only the fields of the measure's kind
    warning: str = ""


def _catalogs(user) -> dict[str, Catalog]:
    newest: dict[str, Catalog] = {}
    for catalog in catalogs_visible_to(user):
        newest.setdefault(catalog.key, catalog)  # ordered by key, newest version first
    return newest


def _given(item: ValueIn) -> list[str]:
    return [name for name in FIGURE_FIELDS if getattr(item, name) not in (None, "")]


def _check(user, index: int, item: ValueIn, catalogs: dict) -> tuple[list[dict], Checked | None]:
    """The web form's checks (entry.build_sheet, entry.figure_problem) before anything is written:
    (problems, None) or ([], the figure ready to save)."""
    at = f"values[{index}]"
    problems = []
    period_ok = bool(PERIOD.fullmatch(item.period))
    if period_ok:
        try:
            _start, end = period_bounds(item.period)
        except ValueRejected:
            period_ok = False
    if not period_ok:
        message = f"Kỳ '{item.period}' không hợp lệ; dùng dạng 2023, 2023-Q4 hoặc 2023-11."
        problems.append(detail("validation_error", message, f"{at}.period"))
    unit = unit_by_code(AdminUnit.objects.all(), item.unit, end if period_ok else None)
    if unit is None:
        problems.append(detail("not_found", f"Không có đơn vị mã '{item.unit}'.", f"{at}.unit"))
    elif not can_act_on_unit(user, unit, EDITOR_ROLES):
        message = f"Bạn không có quyền nhập số liệu của {unit.name} ({unit.official_code})."
        problems.append(detail("forbidden", message, f"{at}.unit"))
    catalog, measure = catalogs.get(item.catalog), None
    if catalog is None:
        message = f"Không có bộ tiêu chí '{item.catalog}'."
        problems.append(detail("not_found", message, f"{at}.catalog"))
    else:
        measure = (
            Measure.objects.filter(node__catalog=catalog, code=item.measure)
            .select_related("node__catalog")
            .first()
        )
        if measure is None:
            message = f"Bộ tiêu chí '{catalog.key}' không có chỉ số đo '{item.measure}'."
            problems.append(detail("not_found", message, f"{at}.measure"))
    if problems:
        return problems, None
    # The same sheet the entry page builds for this unit, period and measure.
    sheet = entry.build_sheet(user, unit, catalog, item.period, only=measure)
    if not sheet.rows:
        message = f"{measure.code} không thuộc các chỉ tiêu {entry.unit_title(unit)} nhập."
        return [detail("validation_error", message, f"{at}.measure")], None
    row = sheet.rows[0]
    if not sheet.period_open:
        return [detail("locked", sheet.reason, f"{at}.period")], None
    if row.mode == "title":
        message = "Chỉ tiêu này xác định theo quyết định công nhận, không nhập ở đây."
        return [detail("validation_error", message, f"{at}.measure")], None
    if row.locked:
        current = current_value(_reload(row.observation))
        return [detail("locked", LOCKED_MESSAGE, at, current=current)], None
    fields = MODE_FIELDS[row.mode]
    for name in _given(item):
        if name not in fields:
            message = f"Chỉ tiêu {measure.code} nhận {MODE_TEXT[row.mode]}; không nhận {name}."
            problems.append(detail("validation_error", message, f"{at}.{name}"))
    if not any(name in fields for name in _given(item)):
        message = f"Chưa có số liệu: chỉ tiêu {measure.code} cần {MODE_TEXT[row.mode]}."
        problems.append(detail("validation_error", message, at))
    if problems:
        return problems, None
    values = {STORED_NAME.get(name, name): getattr(item, name) for name in fields}
    values = {name: (None if value == "" else value) for name, value in values.items()}
    problem = entry.figure_problem(row.mode, measure, values)
    if problem:
        name, reason = problem
        api_name = {v: k for k, v in STORED_NAME.items()}.get(name, name)
        return [detail("validation_error", reason, f"{at}.{api_name}")], None
    warning = entry.unusual(row.mode, measure, values, row.previous) or ""
    if warning and not item.confirm_unusual:
        message = f"{warning} Kiểm tra lại; nếu đúng, gửi lại với confirm_unusual: true."
        return [detail("unusual", message, at)], None
    return [], Checked(index, at, item, unit, measure, row, values, warning)


def _reload(observation: Observation) -> Observation:
    return Observation.objects.select_related("unit", "measure__node__catalog", "entered_by").get(
        pk=observation.pk
    )


def _rejected_field(message: str, at: str) -> str:
    """Which field a refusal of save_observation is about, from its (stable) wording."""
    if message.startswith(("Tử số không được lớn hơn", "Tử số và mẫu số không được âm")):
        return f"{at}.numerator"
    if message.startswith("Kỳ "):
        return f"{at}.period"
    return at


def _save(user, figure: Checked) -> tuple[dict | None, Observation | None]:
    """Save one checked figure through the service, as the entry form does:
    (problem, None) or (None, the saved figure)."""
    at, item = figure.at, figure.item
    try:
        with transaction.atomic():
            observation = save_observation(
                user,
                figure.unit,
                figure.measure,
                item.period,
                figure.values,
                expected_version=item.expected_version,
                channel="api",
                source=item.source,
                note=unusual_note(figure.warning) if figure.warning else "",
            )
            if observation.status in (Observation.Status.SUBMITTED, Observation.Status.RETURNED):
                set_observation_status(
                    user,
                    [observation],
                    Observation.Status.DRAFT,
                    action="status",
                    note="Sửa số liệu: trở lại trạng thái nháp.",
                    channel="api",
                )
    except ConflictError as exc:
        current = current_value(_reload(exc.current))
        if exc.current.status == Observation.Status.APPROVED:
            return detail("locked", LOCKED_MESSAGE, at, current=current), None
        return detail("conflict", str(exc), f"{at}.expected_version", current=current), None
    except ValueRejected as exc:
        message = str(exc)
        if message.startswith("Số liệu đã được duyệt"):
            current = Observation.objects.filter(
                unit=figure.unit, measure=figure.measure, period=item.period
            ).first()
            current = current_value(_reload(current)) if current else None
            return detail("locked", message, at, current=current), None
        if item.expected_version is not None and figure.row.observation is None:
            return detail("conflict", message, f"{at}.expected_version", current=None), None
        return detail("validation_error", message, _rejected_field(message, at)), None
    return None, observation


@router.post(
    "/values",
    response={
        200: ValuesOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        423: ErrorOut,
    },
    summary="Gửi một hoặc nhiều số liệu",
)
def submit_values(request, payload: ValuesIn):
    """Create or change figures, all or nothing, with the entry form's rules.

    A new figure is sent with `expected_version: null`; a change with the `version` last read.
    Refusals: 403 forbidden (a unit the caller may not enter figures for), 404 not_found
    (unknown unit, catalog or measure), 422 validation_error, 423 locked (approved figure, set
    submitted or approved, closed period), 409 conflict (someone saved it since: `current` holds
    their figure), 422 unusual (far from the unit's previous period: send it again with
    `confirm_unusual: true` to save it; the confirmation is kept in the value's history)."""
    user = request.auth
    catalogs = _catalogs(user)
    problems: list[tuple[int, dict]] = []  # (index of the figure, problem)
    checked: list[Checked] = []
    seen: dict[tuple, str] = {}
    for index, item in enumerate(payload.values):
        found, figure = _check(user, index, item, catalogs)
        problems.extend((index, problem) for problem in found)
        if figure is None:
            continue
        key = (figure.unit.pk, figure.measure.pk, item.period)
        if key in seen:
            message = f"Số liệu này đã có ở {seen[key]} trong cùng yêu cầu."
            problems.append((index, detail("validation_error", message, figure.at)))
            continue
        seen[key] = figure.at
        checked.append(figure)
    saved = []
    # Every figure is tried, so that all problems are reported at once; any problem rolls all back.
    with transaction.atomic():
        for figure in checked:
            problem, observation = _save(user, figure)
            if problem is not None:
                problems.append((figure.index, problem))
            else:
                saved.append(observation)
        if problems:
            problems.sort(key=lambda pair: pair[0])
            raise from_details([problem for _index, problem in problems])
    ids = [observation.pk for observation in saved]
    fresh = Observation.objects.filter(pk__in=ids).select_related(
        "unit", "measure__node__catalog", "entered_by"
    )
    by_id = {observation.pk: observation for observation in fresh}
    warnings = [
        detail("unusual", figure.warning, figure.at) for figure in checked if figure.warning
    ]
    return {"values": [by_id[pk] for pk in ids], "warnings": warnings}
