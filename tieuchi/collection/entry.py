"""Web data entry for one unit and one period, and the submission workflow around it.

- `build_sheet` reads everything the entry page shows in a fixed number of queries, whatever the
  number of measures: the rows generated from the catalog (a TDP enters the household facts
  collected at "residential_group"; a ward its own measures and sees the TDPs' roll-up), each with
  its current and previous figures, thresholds and plan targets.
- `save_row` stores one row typed in the form through `services.save_observation` (validation,
  optimistic locking, audit, re-evaluation after commit); a figure far from the unit's own history
  is held back until the user confirms it.
- `apply_transition` moves the unit's set of figures through `workflow.TRANSITIONS` in one
  transaction, with a SubmissionEvent, an audit record and the figures' own status.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tieuchi.accounts import audit
from tieuchi.accounts.models import AuditEvent
from tieuchi.accounts.roles import APPROVER_ROLES, EDITOR_ROLES, Role
from tieuchi.catalog.models import Catalog, CatalogNode, Comparator, Measure
from tieuchi.collection import workflow
from tieuchi.collection.models import (
    Observation,
    Reminder,
    ReportingWindow,
    Submission,
    SubmissionEvent,
)
from tieuchi.collection.services import (
    ConflictError,
    ValueRejected,
    period_bounds,
    save_observation,
    set_observation_status,
)
from tieuchi.collection.signals import figures_changed
from tieuchi.core.formatting import vn_number
from tieuchi.orgs.models import AdminUnit, UnitLevel
from tieuchi.orgs.scope import active_memberships
from tieuchi.plans.models import Plan, Target

DEFAULT_CATALOG = "qd04-2022"
# Which measures a unit enters, by the unit's level (Measure.collected_at).
COLLECTED_AT = {
    UnitLevel.RESIDENTIAL_GROUP: ("residential_group",),
    UnitLevel.COMMUNE: ("ward", "commune", ""),
    UnitLevel.DISTRICT: ("district",),
    UnitLevel.PROVINCE: ("province", "city"),
}
# Who may check figures of the units below them and send them back: the approvers and the
# ward's officers who collect the TDPs' figures.
REVIEWER_ROLES = APPROVER_ROLES | {Role.IMPLEMENTER, Role.CRITERION_LEAD}
ROLES_FOR = {
    workflow.EDITOR: EDITOR_ROLES,
    workflow.REVIEWER: REVIEWER_ROLES,
    workflow.APPROVER: APPROVER_ROLES,
}
# "Far outside the unit's own history": more than 3× or less than 1/3 of the last period, or a
# percentage that moved by more than 30 points.
UNUSUAL_FACTOR = Decimal(3)
UNUSUAL_POINTS = Decimal(30)
HUNDRED = Decimal(100)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# --- periods, catalogs, measures ------------------------------------------------------------------


def parse_period(period: str) -> tuple[dt.date, dt.date]:
    """Bounds of "2023", "2023-Q4" or "2023-11"; ValueRejected for anything else."""
    if len(period) not in (4, 7):
        raise ValueRejected(f"Kỳ '{period}' không hợp lệ; dùng dạng 2023, 2023-Q4 hoặc 2023-11.")
    if len(period) == 7 and period[5] == "q":
        raise ValueRejected(f"Kỳ '{period}' không hợp lệ; viết quý bằng chữ Q hoa (2023-Q4).")
    return period_bounds(period)


def previous_period(period: str) -> str:
    """The period before: 2023 → 2022, 2023-Q1 → 2022-Q4, 2023-01 → 2022-12."""
    parse_period(period)
    if len(period) == 4:
        return str(int(period) - 1)
    year, part = int(period[:4]), period[5:]
    if part.startswith("Q"):
        quarter = int(part[1:])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    month = int(part)
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def period_label(period: str) -> str:
    """ "năm 2023", "quý IV/2023", "tháng 11/2023"."""
    if len(period) == 4:
        return f"năm {period}"
    year, part = period[:4], period[5:]
    if part.startswith("Q"):
        return f"quý {ROMAN.get(int(part[1:]), part[1:])}/{year}"
    return f"tháng {part}/{year}"


def period_title(period: str) -> str:
    """period_label in the reader's language, for pages (period_label stays Vietnamese for
    messages, e-mails and files)."""
    if len(period) == 4:
        return _("năm %(year)s") % {"year": period}
    year, part = period[:4], period[5:]
    if part.startswith("Q"):
        quarter = ROMAN.get(int(part[1:]), part[1:])
        return _("quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
    return _("tháng %(month)s/%(year)s") % {"month": part, "year": year}


def unit_title(unit: AdminUnit) -> str:
    """ "Phường Giang Biên", but "Tổ dân phố số 13" (the name already says what it is)."""
    kind = str(unit.get_unit_type_display())
    return unit.name if unit.name.lower().startswith(kind.lower()) else f"{kind} {unit.name}"


def resolve_catalog(key: str | None) -> Catalog | None:
    """The newest version of the catalog `key` (default qd04-2022)."""
    return Catalog.objects.filter(key=key or DEFAULT_CATALOG).order_by("-version").first()


def input_mode(measure: Measure) -> str:
    """How a measure is typed: ratio (numerator + denominator), boolean, level, value; or title
    (held titles come from recognition decisions, not from this form)."""
    kind = measure.kind
    if kind == "ratio":
        return "ratio"
    if kind == "boolean":
        return "boolean"
    if kind == "level":
        return "level"
    if kind == "title":
        return "title"
    return "value"


def measures_for(unit: AdminUnit, catalog: Catalog):
    """The measures `unit` enters for `catalog`, in catalog order."""
    return (
        Measure.objects.filter(
            node__catalog=catalog, collected_at__in=COLLECTED_AT.get(unit.level, ())
        )
        .select_related("node")
        .order_by("node__position", "position")
    )


def unit_catalog_applies(unit: AdminUnit, catalog: Catalog, parent_type: str = "") -> bool:
    """A catalog applies to its unit types and to the TDPs and thôn below them."""
    types = catalog.applies_to_unit_types or []
    if not types:
        return True
    if unit.level == UnitLevel.RESIDENTIAL_GROUP:
        return (parent_type or (unit.parent.unit_type if unit.parent_id else "")) in types
    return unit.unit_type in types


# --- figures --------------------------------------------------------------------------------------


def is_filled(mode: str, observation: Observation | None) -> bool:
    if observation is None:
        return False
    if mode == "ratio":
        return observation.numerator is not None and observation.denominator is not None
    if mode == "boolean":
        return observation.boolean_value is not None
    if mode == "level":
        return bool(observation.level)
    return observation.value is not None


def percent(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * HUNDRED / Decimal(denominator)


def describe(mode: str, observation: Observation | None, unit_of_measure: str = "") -> str:
    """A figure in words: "700/760 (92,1 %)", "Đạt", "mức độ 3", "74.400.000 VND/người/năm"."""
    if observation is None:
        return ""
    if mode == "ratio" or (mode == "value" and observation.denominator is not None):
        if observation.numerator is None and observation.denominator is None:
            return vn_number(observation.value)
        share = percent(observation.numerator, observation.denominator)
        shown = f"{vn_number(observation.numerator)}/{vn_number(observation.denominator)}"
        return f"{shown} ({vn_number(share, 1)} %)" if share is not None else shown
    if mode == "boolean" or observation.boolean_value is not None:
        if observation.boolean_value is None:
            return ""
        return _("Đạt") if observation.boolean_value else _("Chưa đạt")
    if mode == "level" or observation.level:
        return observation.level
    if observation.value is None:
        return ""
    return f"{vn_number(observation.value)} {unit_of_measure}".strip()


def figure_problem(mode: str, measure: Measure, values: dict) -> tuple[str, str] | None:
    """Entry and submission checks beyond the number format: (field, reason) or None."""
    if mode == "ratio":
        numerator, denominator = values.get("numerator"), values.get("denominator")
        if numerator is None and denominator is not None:
            return "numerator", _("Cần nhập cả tử số.")
        if denominator is None and numerator is not None:
            return "denominator", _("Cần nhập cả mẫu số.")
        if numerator is None:
            return None
        if numerator < 0:
            return "numerator", _("Tử số không được âm.")
        if denominator < 0:
            return "denominator", _("Mẫu số không được âm.")
        if numerator > denominator:
            return "numerator", _("Tử số không được lớn hơn mẫu số.")
    elif mode == "value":
        value = values.get("value")
        if value is not None and value < 0:
            return "value", _("Giá trị không được âm.")
        if value is not None and measure.unit_of_measure == "%" and value > HUNDRED:
            return "value", _("Tỷ lệ không được lớn hơn 100 %.")
    elif mode == "level":
        scale = measure.config.get("scale") or []
        level = values.get("level") or ""
        if level and scale and level not in scale:
            return "level", _("Mức '%(level)s' không có trong thang: %(scale)s.") % {
                "level": level,
                "scale": ", ".join(scale),
            }
    return None


def unusual(mode: str, measure: Measure, values: dict, previous: Observation | None) -> str | None:
    """Why a figure looks far outside the unit's own history (to be confirmed, never refused)."""
    if previous is None:
        return None
    if mode == "ratio":
        new = percent(values.get("numerator"), values.get("denominator"))
        old = percent(previous.numerator, previous.denominator)
        if new is not None and old is not None and abs(new - old) > UNUSUAL_POINTS:
            return _moved(vn_number(new, 1), vn_number(old, 1))
        return _far(_("Mẫu số"), values.get("denominator"), previous.denominator, unit="")
    if mode == "value":
        new, old = values.get("value"), previous.value
        if new is None or old is None:
            return None
        if measure.unit_of_measure == "%":
            if abs(new - old) > UNUSUAL_POINTS:
                return _moved(vn_number(new), vn_number(old))
            return None
        return _far(_("Giá trị"), new, old, unit=measure.unit_of_measure)
    return None


def _moved(new: str, old: str) -> str:
    return _("Tỷ lệ %(new)s %% lệch hơn %(points)s điểm so với kỳ trước (%(old)s %%).") % {
        "new": new,
        "old": old,
        "points": vn_number(UNUSUAL_POINTS),
    }


def _far(what: str, new, old, *, unit: str) -> str | None:
    if new is None or old is None or old <= 0:
        return None
    if new > old * UNUSUAL_FACTOR or new < old / UNUSUAL_FACTOR:
        unit_text = f" {unit}" if unit else ""
        return _(
            "%(what)s %(new)s khác xa kỳ trước (%(old)s): gấp hơn 3 lần hoặc chưa bằng 1/3."
        ) % {
            "what": what,
            "new": f"{vn_number(new)}{unit_text}",
            "old": f"{vn_number(old)}{unit_text}",
        }
    return None


def observation_values(mode: str, observation: Observation | None) -> dict:
    """The figure's fields that the form shows, as Decimal/bool/str."""
    if observation is None:
        return {}
    return {
        "numerator": observation.numerator,
        "denominator": observation.denominator,
        "value": observation.value,
        "boolean_value": observation.boolean_value,
        "level": observation.level,
    }


# --- thresholds -----------------------------------------------------------------------------------

NUMERIC = {"gte", "gt", "lte", "lt", "eq"}


def threshold_text(comparator: str, value, value_max, unit: str, level: str = "", text="") -> str:
    symbol = Comparator(comparator).label if comparator in Comparator.values else comparator
    unit_text = f" {unit}" if unit else ""
    if comparator in NUMERIC and value is not None:
        return f"{symbol} {vn_number(value)}{unit_text}"
    if comparator == "between" and value is not None:
        return f"{vn_number(value)}–{vn_number(value_max)}{unit_text}"
    if comparator in ("reduction_gte", "reduction_between") and value is not None:
        top = f"–{vn_number(value_max)}" if value_max is not None else ""
        return f"{symbol} {vn_number(value)}{top} %"
    if comparator in ("level_gte",) and level:
        return f"{symbol} “{level}”"
    if comparator in ("maintain", "streak_gte") and value is not None:
        return f"{symbol} {vn_number(value)}{unit_text}"
    return str(symbol) if symbol else text


# --- permissions ----------------------------------------------------------------------------------


@dataclass
class Access:
    """The roles a user holds over a unit: on it or above (`here`), strictly above (`above`)."""

    here: set = field(default_factory=set)
    above: set = field(default_factory=set)

    @property
    def can_view(self) -> bool:
        return bool(self.here)

    @property
    def can_edit(self) -> bool:
        return bool(self.here & EDITOR_ROLES)

    def may(self, who: str) -> bool:
        roles = ROLES_FOR[who]
        return bool((self.here if who == workflow.EDITOR else self.above) & roles)


def access(user, unit: AdminUnit) -> Access:
    """One query: the user's active memberships that cover `unit`."""
    result = Access()
    if not getattr(user, "is_authenticated", False):
        return result
    if user.is_superuser:
        result.here.add(Role.SYSTEM_ADMIN)
        result.above.add(Role.SYSTEM_ADMIN)
    for membership in active_memberships(user):
        if unit.path.startswith(membership.unit.path):
            result.here.add(membership.role)
            if membership.unit.path != unit.path or membership.role == Role.SYSTEM_ADMIN:
                result.above.add(membership.role)
    return result


# --- the sheet ------------------------------------------------------------------------------------


@dataclass
class Row:
    measure: Measure
    mode: str
    observation: Observation | None = None
    previous: Observation | None = None
    thresholds: list[str] = field(default_factory=list)
    editable: bool = False

    @property
    def key(self) -> int:
        return self.measure.pk

    @property
    def code(self) -> str:
        return self.measure.code

    @property
    def required(self) -> bool:
        return self.mode != "title"

    @property
    def filled(self) -> bool:
        return is_filled(self.mode, self.observation)

    @property
    def locked(self) -> bool:
        return bool(self.observation and self.observation.status == Observation.Status.APPROVED)

    @property
    def returned(self) -> bool:
        return bool(self.observation and self.observation.status == Observation.Status.RETURNED)

    @property
    def version(self):
        return self.observation.version if self.observation else ""

    @property
    def shown(self) -> str:
        return describe(self.mode, self.observation, self.measure.unit_of_measure)

    @property
    def previous_shown(self) -> str:
        return describe(self.mode, self.previous, self.measure.unit_of_measure)

    @property
    def percent(self):
        if self.observation is None:
            return None
        return percent(self.observation.numerator, self.observation.denominator)

    @property
    def inputs(self) -> dict:
        """The form's initial texts, written the Vietnamese way."""
        obs = self.observation
        if obs is None:
            return {"numerator": "", "denominator": "", "value": "", "boolean": "", "level": ""}
        return {
            "numerator": vn_number(obs.numerator),
            "denominator": vn_number(obs.denominator),
            "value": vn_number(obs.value),
            "boolean": "" if obs.boolean_value is None else ("1" if obs.boolean_value else "0"),
            "level": obs.level,
        }

    @property
    def scale(self) -> list[str]:
        return list(self.measure.config.get("scale") or [])


@dataclass
class Group:
    node: CatalogNode | None
    rows: list[Row] = field(default_factory=list)


@dataclass
class RollupRow:
    measure: Measure
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    reported: int = 0
    expected: int = 0
    missing: list[AdminUnit] = field(default_factory=list)

    @property
    def percent(self):
        return percent(self.numerator, self.denominator) if self.reported else None


@dataclass
class Sheet:
    unit: AdminUnit
    catalog: Catalog
    period: str
    access: Access
    window: ReportingWindow | None
    submission: Submission | None
    period_open: bool
    reason: str
    groups: list[Group] = field(default_factory=list)
    rollup: list[RollupRow] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    events: list[SubmissionEvent] = field(default_factory=list)
    children_count: int = 0
    own_figures: bool = False  # the user entered some of the figures, so may not approve them
    all_approved: bool = False  # no workflow yet, but every figure was approved (loaded data)

    @property
    def title(self) -> str:
        return unit_title(self.unit)

    @property
    def label(self) -> str:
        return period_title(self.period)

    @property
    def state(self) -> str:
        if self.submission is not None:
            return self.submission.status
        return workflow.APPROVED if self.all_approved else workflow.DRAFT

    @property
    def state_label(self) -> str:
        return workflow.STATE_LABELS.get(self.state, self.state)

    @property
    def editable(self) -> bool:
        return self.period_open and self.access.can_edit

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.groups for row in group.rows]

    @property
    def required_count(self) -> int:
        return sum(1 for row in self.rows if row.required)

    @property
    def filled_count(self) -> int:
        return sum(1 for row in self.rows if row.required and row.filled)

    @property
    def moves(self) -> list[workflow.Transition]:
        """The moves this user may make now (approval is checked again when it is made)."""
        moves = []
        for move in workflow.moves_from(self.state):
            if not self.access.may(move.who):
                continue
            if move.action == "submit" and not self.window_open:
                continue
            if move.action == "approve" and self.own_figures:
                continue
            moves.append(move)
        return moves

    @property
    def window_open(self) -> bool:
        return window_problem(self.window, self.unit, self.period) is None


def window_problem(window: ReportingWindow | None, unit: AdminUnit, period: str) -> str | None:
    """Why figures of `period` cannot be entered at all (closed or not yet open period, unit not
    in existence); None when the period is open. Without a reporting window it is open."""
    start, end = parse_period(period)
    if (unit.valid_from and unit.valid_from > end) or (unit.valid_to and unit.valid_to < start):
        return _("%(unit)s không có hiệu lực trong %(period)s.") % {
            "unit": unit_title(unit),
            "period": period_title(period),
        }
    if window is None:
        return None
    if window.closed:
        return _("Kỳ báo cáo %(period)s đã khóa; không nhập hoặc sửa số liệu được nữa.") % {
            "period": period_title(period)
        }
    if timezone.localdate() < window.opens_on:
        return _("Kỳ báo cáo %(period)s mở từ ngày %(day)s; chưa nhập số liệu được.") % {
            "period": period_title(period),
            "day": f"{window.opens_on:%d/%m/%Y}",
        }
    return None


def state_problem(submission: Submission | None) -> str | None:
    if submission is None or workflow.entry_open(submission.status):
        return None
    who = submission.reviewed_by or submission.submitted_by
    if submission.status == Submission.Status.APPROVED:
        return _(
            "Số liệu kỳ này đã được %(who)s duyệt%(when)s và đã khóa; cần mở khóa (có lý do) "
            "trước khi sửa."
        ) % {
            "who": who.display_name if who else _("cấp trên"),
            "when": _when(submission.reviewed_at),
        }
    return _("Số liệu đã gửi duyệt%(when)s; chờ cấp trên duyệt hoặc trả lại để sửa.") % {
        "when": _when(submission.submitted_at)
    }


def _when(moment) -> str:
    if not moment:
        return ""
    return _(" lúc %(time)s") % {"time": f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"}


def build_sheet(
    user, unit: AdminUnit, catalog: Catalog, period: str, *, only: Measure | None = None
) -> Sheet:
    """Everything the entry page shows for `unit` and `period`, in a fixed number of queries."""
    start, end = parse_period(period)
    rights = access(user, unit)
    window = ReportingWindow.objects.filter(catalog=catalog, period=period).first()
    submission = (
        Submission.objects.filter(unit=unit, catalog=catalog, period=period)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    problem = window_problem(window, unit, period) or state_problem(submission)
    reason = problem or (
        "" if rights.can_edit else _("Bạn chỉ có quyền xem số liệu của đơn vị này.")
    )
    sheet = Sheet(unit, catalog, period, rights, window, submission, problem is None, reason)

    measures = list(measures_for(unit, catalog).prefetch_related("thresholds"))
    if only is not None:
        measures = [m for m in measures if m.pk == only.pk]
    ids = [m.pk for m in measures]
    current = _observations(unit, ids, period)
    previous = _observations(unit, ids, previous_period(period))
    ward = unit if unit.level != UnitLevel.RESIDENTIAL_GROUP else unit.parent
    targets = _plan_targets(ward, catalog, start, end, ids)
    ward_type = ward.unit_type if ward else unit.unit_type
    nodes = {n.pk: n for n in CatalogNode.objects.filter(catalog=catalog)}
    groups: dict[int | None, Group] = {}
    for measure in measures:
        mode = input_mode(measure)
        observation = current.get(measure.pk)
        row = Row(
            measure,
            mode,
            observation,
            previous.get(measure.pk),
            thresholds=_thresholds(measure, ward_type) + targets.get(measure.pk, []),
        )
        row.editable = sheet.editable and mode != "title" and not row.locked
        criterion = _criterion(nodes, measure.node_id)
        key = criterion.pk if criterion else None
        groups.setdefault(key, Group(criterion)).rows.append(row)
    sheet.groups = list(groups.values())
    required = [row for row in sheet.rows if row.required]
    if only is None and submission is None and required and all(r.locked for r in required):
        sheet.all_approved = True
        sheet.period_open = False
        sheet.reason = sheet.reason or _(
            "Toàn bộ số liệu kỳ này đã được duyệt và khóa; cần mở khóa (có lý do) trước khi sửa."
        )
        for row in sheet.rows:
            row.editable = False
    if only is None:
        sheet.reminders = list(
            Reminder.objects.filter(unit=unit, catalog=catalog, period=period).order_by("sent_at")
        )
        if submission is not None:
            sheet.events = labelled_events(submission)
        if sheet.state == workflow.SUBMITTED and rights.may(workflow.APPROVER):
            mine = entered_by(submission, current.values())
            sheet.own_figures = getattr(user, "pk", None) in mine
        if unit.level != UnitLevel.RESIDENTIAL_GROUP:
            sheet.rollup, sheet.children_count = _rollup(unit, catalog, period, start, end)
    return sheet


def labelled_events(submission: Submission) -> list[SubmissionEvent]:
    """The set's workflow steps, each with from_label / to_label in Vietnamese."""
    events = list(submission.events.select_related("actor"))
    for event in events:
        event.from_label = workflow.STATE_LABELS.get(event.from_state, event.from_state)
        event.to_label = workflow.STATE_LABELS.get(event.to_state, event.to_state)
    return events


def _observations(unit, measure_ids, period) -> dict[int, Observation]:
    rows = Observation.objects.filter(
        unit=unit, measure_id__in=measure_ids, period=period
    ).select_related("entered_by")
    return {o.measure_id: o for o in rows}


def _criterion(nodes: dict, node_id: int) -> CatalogNode | None:
    """The nearest criterion above a leaf (or the top node when the catalog has no criteria)."""
    node = nodes.get(node_id)
    top = node
    while node is not None:
        if node.node_type == CatalogNode.NodeType.CRITERION:
            return node
        top = node
        node = nodes.get(node.parent_id)
    return top


def _thresholds(measure: Measure, unit_type: str) -> list[str]:
    texts = []
    for t in measure.thresholds.all():
        if t.unit_type not in ("any", unit_type):
            continue
        shown = threshold_text(
            t.comparator, t.value, t.value_max, measure.unit_of_measure, t.level, t.text
        )
        texts.append(f"{t.get_layer_display()}: {shown}")
    return texts


def _plan_targets(ward, catalog, start, end, measure_ids) -> dict[int, list[str]]:
    if ward is None:
        return {}
    plan = (
        Plan.objects.filter(
            unit=ward, catalog__key=catalog.key, period_start__lte=end, period_end__gte=start
        )
        .select_related("legal_document")
        .first()
    )
    if plan is None:
        return {}
    found = defaultdict(list)
    targets = Target.objects.filter(plan=plan, measure_id__in=measure_ids).select_related("measure")
    for target in targets:
        shown = threshold_text(
            target.comparator,
            target.value,
            target.value_max,
            target.unit_of_measure or target.measure.unit_of_measure,
            text=target.text,
        )
        found[target.measure_id].append(f"{plan.legal_document.number}: {shown}")
    return found


def children_in(unit: AdminUnit, start: dt.date, end: dt.date):
    """The units directly below `unit` that existed at some time in the period."""
    return (
        AdminUnit.objects.filter(parent=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("official_code")
    )


def _rollup(unit, catalog, period, start, end) -> tuple[list[RollupRow], int]:
    """The TDPs' figures summed up for the ward: Σ numerators / Σ denominators, who is missing."""
    children = [c for c in children_in(unit, start, end) if c.level == UnitLevel.RESIDENTIAL_GROUP]
    if not children:
        return [], 0
    measures = list(
        Measure.objects.filter(node__catalog=catalog, collected_at="residential_group").order_by(
            "node__position", "position"
        )
    )
    rows = {m.pk: RollupRow(m, expected=len(children)) for m in measures}
    reported = defaultdict(set)
    figures = Observation.objects.filter(
        unit__in=children, measure__in=measures, period=period
    ).exclude(status=Observation.Status.RETURNED)
    for obs in figures.only("unit_id", "measure_id", "numerator", "denominator"):
        if obs.numerator is None or obs.denominator is None:
            continue
        row = rows[obs.measure_id]
        row.numerator += obs.numerator
        row.denominator += obs.denominator
        row.reported += 1
        reported[obs.measure_id].add(obs.unit_id)
    for row in rows.values():
        row.missing = [c for c in children if c.pk not in reported[row.measure.pk]]
    return list(rows.values()), len(children)


# --- saving one row -------------------------------------------------------------------------------


class EntryClosed(Exception):
    """The row cannot be changed now (period closed, set submitted or approved, no right)."""


@dataclass
class RowOutcome:
    row: Row
    saved: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""
    warning: str = ""
    conflict: str = ""
    unchanged: bool = False
    pending: str = ""  # half a ratio typed: waiting for the other number, nothing wrong yet


def save_row(
    user,
    unit: AdminUnit,
    catalog: Catalog,
    period: str,
    measure: Measure,
    values: dict,
    *,
    expected_version: int | None,
    confirm: bool = False,
) -> RowOutcome:
    """Store one row of the form. `values` are already parsed (Decimal / bool / str / None).

    Raises EntryClosed when the sheet is not open to this user; every other problem comes back
    in the outcome, to be shown next to the field.
    """
    sheet = build_sheet(user, unit, catalog, period, only=measure)
    if not sheet.rows:
        raise EntryClosed(f"{measure.code} không thuộc các chỉ tiêu {unit_title(unit)} nhập.")
    row = sheet.rows[0]
    if not sheet.editable:
        raise EntryClosed(sheet.reason)
    if row.mode == "title":
        raise EntryClosed("Chỉ tiêu này xác định theo quyết định công nhận, không nhập ở đây.")
    outcome = RowOutcome(row)
    if row.locked:
        outcome.message = _("Số liệu đã được duyệt và khóa; cần mở khóa (có lý do) trước khi sửa.")
        return outcome
    if row.mode == "ratio" and (values.get("numerator") is None) != (
        values.get("denominator") is None
    ):
        if values.get("denominator") is None:
            outcome.pending = _("Nhập tiếp mẫu số để lưu.")
        else:
            outcome.pending = _("Nhập tiếp tử số để lưu.")
        return outcome
    problem = figure_problem(row.mode, measure, values)
    if problem:
        field_name, reason = problem
        outcome.errors[field_name] = reason
        return outcome
    empty = all(values.get(name) in (None, "") for name in _fields(row.mode))
    if row.observation is None and empty:
        outcome.unchanged = True
        return outcome
    if row.observation is not None and _same(row, values):
        outcome.unchanged = True
        return outcome
    warning = unusual(row.mode, measure, values, row.previous)
    if warning and not confirm:
        outcome.warning = warning
        return outcome
    stored = {name: values.get(name) for name in _fields(row.mode)}
    try:
        with transaction.atomic():
            observation = save_observation(
                user, unit, measure, period, stored, expected_version=expected_version
            )
            if observation.status in (
                Observation.Status.SUBMITTED,
                Observation.Status.RETURNED,
            ):
                set_observation_status(
                    user,
                    [observation],
                    Observation.Status.DRAFT,
                    action="status",
                    note="Sửa số liệu: trở lại trạng thái nháp.",
                )
    except ConflictError as error:
        outcome.conflict = str(error)
        row.observation = error.current
        return outcome
    except ValueRejected as error:
        outcome.message = str(error)
        return outcome
    row.observation = observation
    outcome.saved = True
    outcome.warning = warning or ""
    return outcome


def _fields(mode: str) -> tuple[str, ...]:
    return {
        "ratio": ("numerator", "denominator"),
        "boolean": ("boolean_value",),
        "level": ("level",),
        "value": ("value",),
    }.get(mode, ())


def _same(row: Row, values: dict) -> bool:
    current = observation_values(row.mode, row.observation)

    def plain(value):
        return None if value == "" else value

    return all(plain(current.get(n)) == plain(values.get(n)) for n in _fields(row.mode))


# --- the workflow ---------------------------------------------------------------------------------


class WorkflowError(Exception):
    """A move that was refused; nothing was written. The message is in Vietnamese."""


class NotAllowed(WorkflowError):
    """The user holds no role that allows this move on this unit."""


class SelfApproval(WorkflowError):
    """The would-be approver entered or sent some of the figures."""


class MissingItems(WorkflowError):
    def __init__(self, items: list[tuple[str, str, str]]):
        self.items = items
        listed = "; ".join(f"{code} – {name[:80]} ({why})" for code, name, why in items)
        super().__init__(
            _("Chưa gửi được: còn %(n)s nội dung chưa nhập đủ: %(items)s.")
            % {"n": len(items), "items": listed}
        )


def apply_transition(
    actor,
    action: str,
    unit: AdminUnit,
    catalog: Catalog,
    period: str,
    *,
    reason: str = "",
    returned_measure_ids=(),
    channel: str = AuditEvent.Channel.WEB,
) -> Submission:
    """Move the unit's figures of `period` (submit, return, approve, reopen) in one transaction."""
    parse_period(period)
    reason = (reason or "").strip()
    rights = access(actor, unit)
    with transaction.atomic():
        submission, created = Submission.objects.select_for_update(of=("self",)).get_or_create(
            unit=unit, catalog=catalog, period=period
        )
        observations = list(
            Observation.objects.select_for_update(of=("self",))
            .filter(unit=unit, period=period, measure__node__catalog=catalog)
            .select_related("measure")
        )
        if created and _all_approved(unit, catalog, observations):
            submission.status = Submission.Status.APPROVED  # figures approved before the workflow
        try:
            move = workflow.transition(action, submission.status)
        except workflow.TransitionRefused as error:
            raise WorkflowError(str(error)) from error
        if not rights.may(move.who):
            raise NotAllowed(_not_allowed(move, unit))
        if move.needs_reason and not reason:
            raise WorkflowError(_("Cần ghi lý do khi %(what)s.") % {"what": _(move.label).lower()})
        if action == "submit":
            window = ReportingWindow.objects.filter(catalog=catalog, period=period).first()
            if problem := window_problem(window, unit, period):
                raise WorkflowError(problem)
            _check_complete(unit, catalog, observations)
        if action == "approve":
            _check_not_own(actor, submission, observations)
        before = submission.status
        _move_figures(actor, action, observations, returned_measure_ids, reason, channel)
        now = timezone.now()
        submission.status = move.target
        if action == "submit":
            submission.submitted_by, submission.submitted_at = _user(actor), now
        else:
            submission.reviewed_by, submission.reviewed_at = _user(actor), now
        submission.note = reason
        submission.version += 1
        submission.save()
        SubmissionEvent.objects.create(
            submission=submission,
            action=action,
            from_state=before,
            to_state=move.target,
            actor=_user(actor),
            note=reason,
        )
        audit.record(
            actor,
            f"submission.{action}",
            submission,
            before={"status": before, "version": submission.version - 1},
            after={"status": move.target, "version": submission.version},
            channel=channel,
            note=reason,
        )
        transaction.on_commit(
            lambda: figures_changed.send(sender=Observation, unit=unit, catalog=catalog)
        )
    return submission


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _not_allowed(move: workflow.Transition, unit: AdminUnit) -> str:
    values = {"unit": unit_title(unit), "what": _(move.label).lower()}
    if move.who == workflow.EDITOR:
        return _("Bạn không có quyền nhập và gửi số liệu của %(unit)s.") % values
    if move.who == workflow.APPROVER:
        return (
            _(
                "Bạn không có quyền duyệt hoặc mở khóa số liệu của %(unit)s: cần vai trò phù hợp "
                "ở đơn vị cấp trên (%(what)s)."
            )
            % values
        )
    return (
        _(
            "Bạn không có quyền kiểm tra, trả lại số liệu của %(unit)s: cần vai trò phù hợp "
            "ở đơn vị cấp trên (%(what)s)."
        )
        % values
    )


def _all_approved(unit, catalog, observations) -> bool:
    by_measure = {o.measure_id: o for o in observations}
    required = [m for m in measures_for(unit, catalog) if input_mode(m) != "title"]
    return bool(required) and all(
        m.pk in by_measure and by_measure[m.pk].status == Observation.Status.APPROVED
        for m in required
    )


def _check_complete(unit, catalog, observations) -> None:
    """Validation again at submission: every required item filled and consistent."""
    by_measure = {o.measure_id: o for o in observations}
    items = []
    for measure in measures_for(unit, catalog):
        mode = input_mode(measure)
        if mode == "title":
            continue
        observation = by_measure.get(measure.pk)
        if not is_filled(mode, observation):
            items.append((measure.code, measure.name, _("chưa nhập")))
            continue
        problem = figure_problem(mode, measure, observation_values(mode, observation))
        if problem:
            items.append((measure.code, measure.name, problem[1].rstrip(".")))
    if items:
        raise MissingItems(items)


def entered_by(submission: Submission | None, observations) -> set[int]:
    """Everyone who entered one of the figures (now or earlier, by any channel) or sent the set."""
    ids = [str(o.pk) for o in observations]
    people = {o.entered_by_id for o in observations}
    if submission is not None:
        people.add(submission.submitted_by_id)
    people |= set(
        AuditEvent.objects.filter(
            object_type=Observation._meta.label_lower,
            object_id__in=ids,
            action__in=["create", "update"],
        ).values_list("actor_id", flat=True)
    )
    people.discard(None)
    return people


def _check_not_own(actor, submission, observations) -> None:
    """The approver never entered any of the figures, nor sent them."""
    if getattr(actor, "pk", None) in entered_by(submission, observations):
        raise SelfApproval(
            _(
                "Người duyệt không được là người đã nhập hoặc gửi số liệu này; "
                "cần một người khác có quyền duyệt."
            )
        )


def _move_figures(actor, action, observations, returned_ids, reason, channel) -> None:
    returned_ids = {int(pk) for pk in returned_ids or ()}
    target = workflow.FIGURE_STATUS[action]
    if action == "submit":
        chosen = [o for o in observations if o.status in (workflow.DRAFT, workflow.RETURNED)]
        set_observation_status(actor, chosen, target, action="submit", channel=channel)
        return
    if action == "return":
        open_ = [o for o in observations if o.status != workflow.APPROVED]
        flagged = [o for o in open_ if o.measure_id in returned_ids]
        others = [o for o in open_ if o.measure_id not in returned_ids]
        set_observation_status(
            actor, flagged, workflow.RETURNED, action="return", channel=channel, note=reason
        )
        set_observation_status(
            actor, others, workflow.DRAFT, action="return", channel=channel, note=reason
        )
        return
    set_observation_status(actor, observations, target, action=action, channel=channel, note=reason)


# --- completeness ---------------------------------------------------------------------------------


@dataclass
class ChildStatus:
    unit: AdminUnit
    submission: Submission | None
    required: int
    filled: int
    due_on: dt.date | None
    today: dt.date
    reminders: list[Reminder] = field(default_factory=list)
    approved: int = 0  # figures approved one by one (loaded data, before the workflow)

    @property
    def title(self) -> str:
        return unit_title(self.unit)

    @property
    def state(self) -> str:
        if self.submission is not None:
            return self.submission.status
        if self.required and self.approved >= self.required:
            return workflow.APPROVED
        return workflow.DRAFT if self.filled else "none"

    @property
    def state_label(self) -> str:
        if self.state == "none":
            return gettext_noop("Chưa nhập")
        return workflow.STATE_LABELS.get(self.state, self.state)

    @property
    def submitted(self) -> bool:
        return self.state in (workflow.SUBMITTED, workflow.APPROVED)

    @property
    def missing(self) -> bool:
        return not self.submitted

    @property
    def submitted_on(self) -> dt.date | None:
        if not self.submitted or self.submission is None or not self.submission.submitted_at:
            return None
        return timezone.localtime(self.submission.submitted_at).date()

    @property
    def on_time(self) -> bool | None:
        """True/False for a submitted set when there is a due date; None otherwise."""
        if self.due_on is None or self.submitted_on is None:
            return None
        return self.submitted_on <= self.due_on

    @property
    def days_late(self) -> int:
        if self.due_on is None:
            return 0
        day = self.submitted_on or (None if self.submitted else self.today)
        return max(0, (day - self.due_on).days) if day else 0

    @property
    def timeliness(self) -> str:
        if self.due_on is None:
            return _("Đã gửi") if self.submitted else _("Chưa gửi")
        if self.submitted and self.on_time is None:
            return _("Không rõ ngày gửi")
        days = {"days": self.days_late}
        if self.submitted:
            if self.on_time:
                return _("Đúng hạn")
            return ngettext("Muộn %(days)s ngày", "Muộn %(days)s ngày", self.days_late) % days
        if self.days_late:
            return ngettext("Quá hạn %(days)s ngày", "Quá hạn %(days)s ngày", self.days_late) % days
        return _("Chưa đến hạn")


@dataclass
class Completeness:
    parent: AdminUnit
    catalog: Catalog
    period: str
    window: ReportingWindow | None
    children: list[ChildStatus]

    @property
    def label(self) -> str:
        return period_title(self.period)

    @property
    def missing(self) -> list[ChildStatus]:
        return [c for c in self.children if c.missing]

    @property
    def submitted_count(self) -> int:
        return sum(1 for c in self.children if c.submitted)

    @property
    def late_count(self) -> int:
        return sum(1 for c in self.children if c.on_time is False)


def completeness(
    parent: AdminUnit, catalog: Catalog, period: str, *, today: dt.date | None = None
) -> Completeness:
    """Each unit directly below `parent` that reports figures of `catalog`: its status, whether it
    submitted on time (against the reporting window's due date), what it still misses."""
    start, end = parse_period(period)
    today = today or timezone.localdate()
    window = ReportingWindow.objects.filter(catalog=catalog, period=period).first()
    children = [
        c
        for c in children_in(parent, start, end)
        if unit_catalog_applies(c, catalog, parent.unit_type)
    ]
    levels = {c.level for c in children}
    measures = defaultdict(list)
    for measure in Measure.objects.filter(node__catalog=catalog).exclude(kind="title"):
        for level in levels:
            if measure.collected_at in COLLECTED_AT.get(level, ()):
                measures[level].append(measure)
    children = [c for c in children if measures.get(c.level)]
    mode_of = {m.pk: input_mode(m) for ms in measures.values() for m in ms}
    filled, approved = defaultdict(int), defaultdict(int)
    figures = Observation.objects.filter(
        unit__in=children, measure_id__in=list(mode_of), period=period
    )
    for obs in figures:
        if is_filled(mode_of[obs.measure_id], obs):
            filled[obs.unit_id] += 1
            approved[obs.unit_id] += obs.status == Observation.Status.APPROVED
    submissions = {
        s.unit_id: s
        for s in Submission.objects.filter(unit__in=children, catalog=catalog, period=period)
    }
    reminders = defaultdict(list)
    for reminder in Reminder.objects.filter(
        unit__in=children, catalog=catalog, period=period
    ).order_by("sent_at"):
        reminders[reminder.unit_id].append(reminder)
    rows = [
        ChildStatus(
            child,
            submissions.get(child.pk),
            len(measures[child.level]),
            filled[child.pk],
            window.due_on if window else None,
            today,
            reminders[child.pk],
            approved[child.pk],
        )
        for child in children
    ]
    return Completeness(parent, catalog, period, window, rows)
