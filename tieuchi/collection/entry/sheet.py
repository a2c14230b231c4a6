"""The entry sheet of one unit and one period: its rows grouped by criterion, built by
`build_sheet` in a fixed number of queries."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tieuchi.catalog.models import Catalog, CatalogNode, Measure
from tieuchi.collection import workflow
from tieuchi.collection.entry.closed_reasons import state_problem, window_problem
from tieuchi.collection.entry.figures import describe, is_filled, percent
from tieuchi.collection.entry.history import entered_by, labelled_events
from tieuchi.collection.entry.measures import input_mode, measures_for, unit_title
from tieuchi.collection.entry.periods import parse_period, period_title, previous_period
from tieuchi.collection.entry.permissions import Access, access
from tieuchi.collection.entry.rollup import RollupRow, ward_rollup
from tieuchi.collection.entry.thresholds import measure_thresholds, plan_targets
from tieuchi.collection.models import (
    Observation,
    Reminder,
    ReportingWindow,
    Submission,
    SubmissionEvent,
)
from tieuchi.core.formatting import vn_number
from tieuchi.orgs.models import AdminUnit, UnitLevel


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
    targets = plan_targets(ward, catalog, start, end, ids)
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
            thresholds=measure_thresholds(measure, ward_type) + targets.get(measure.pk, []),
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
            sheet.rollup, sheet.children_count = ward_rollup(unit, catalog, period, start, end)
    return sheet


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
