"""Web data entry for one unit and one period, and the submission workflow around it.

The package's public names, re-exported for callers that use `entry.build_sheet` and the like:
- `sheet.build_sheet` reads everything the entry page shows in a fixed number of queries (rows
  generated from the catalog, current and previous figures, thresholds, plan targets, roll-up).
- `saving.save_row` stores one typed row; `figures.unusual` holds back a figure far from the
  unit's own history until the user confirms it.
- `transitions.apply_transition` moves the unit's figures through `workflow.TRANSITIONS`.
- `completeness_report.completeness` tells which units below a parent have submitted.
"""

from tieuchi.collection.entry.closed_reasons import state_problem, window_problem
from tieuchi.collection.entry.completeness_report import ChildStatus, Completeness, completeness
from tieuchi.collection.entry.figures import (
    describe,
    figure_problem,
    is_filled,
    observation_values,
    percent,
    unusual,
)
from tieuchi.collection.entry.history import entered_by, labelled_events
from tieuchi.collection.entry.measures import (
    COLLECTED_AT,
    DEFAULT_CATALOG,
    children_in,
    input_mode,
    measures_for,
    resolve_catalog,
    unit_catalog_applies,
    unit_title,
)
from tieuchi.collection.entry.periods import (
    parse_period,
    period_label,
    period_title,
    previous_period,
)
from tieuchi.collection.entry.permissions import REVIEWER_ROLES, ROLES_FOR, Access, access
from tieuchi.collection.entry.rollup import RollupRow
from tieuchi.collection.entry.saving import EntryClosed, RowOutcome, save_row
from tieuchi.collection.entry.sheet import Group, Row, Sheet, build_sheet
from tieuchi.collection.entry.thresholds import threshold_text
from tieuchi.collection.entry.transitions import (
    MissingItems,
    NotAllowed,
    SelfApproval,
    WorkflowError,
    apply_transition,
)

__all__ = [
    "COLLECTED_AT",
    "DEFAULT_CATALOG",
    "REVIEWER_ROLES",
    "ROLES_FOR",
    "Access",
    "ChildStatus",
    "Completeness",
    "EntryClosed",
    "Group",
    "MissingItems",
    "NotAllowed",
    "RollupRow",
    "Row",
    "RowOutcome",
    "SelfApproval",
    "Sheet",
    "WorkflowError",
    "access",
    "apply_transition",
    "build_sheet",
    "children_in",
    "completeness",
    "describe",
    "entered_by",
    "figure_problem",
    "input_mode",
    "is_filled",
    "labelled_events",
    "measures_for",
    "observation_values",
    "parse_period",
    "percent",
    "period_label",
    "period_title",
    "previous_period",
    "resolve_catalog",
    "save_row",
    "state_problem",
    "threshold_text",
    "unit_catalog_applies",
    "unit_title",
    "unusual",
    "window_problem",
]
