"""Scoped reads for the plan cascade: each target (row) of a district plan with the rows of the
ward plans that implement it, and the status of their tasks.

Scope: a user sees the ward plans of the units they may see. The district plan itself opens for
a user who sees its unit or any ward plan linked to it, so a ward leader sees their own ward's
rows under the district's targets, and nothing of the other wards.

A fixed number of queries whatever the number of wards, rows or tasks.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import Plan, PlanRow, Task, TaskStatus
from tieuchi.plans.tasks_service import current_status, with_progress


@dataclass
class StatusCounts:
    """Open tasks by how they stand: done, on time (not started or under way), at risk, overdue."""

    done: int = 0
    on_time: int = 0
    at_risk: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.done + self.on_time + self.at_risk + self.overdue

    def add(self, status: str) -> None:
        if status == TaskStatus.DONE:
            self.done += 1
        elif status == TaskStatus.OVERDUE:
            self.overdue += 1
        elif status == TaskStatus.AT_RISK:
            self.at_risk += 1
        else:
            self.on_time += 1

    def merge(self, other: "StatusCounts") -> None:
        self.done += other.done
        self.on_time += other.on_time
        self.at_risk += other.at_risk
        self.overdue += other.overdue


@dataclass
class WardRow:
    row: PlanRow  # with plan, plan.unit, plan.legal_document and lead_person loaded
    counts: StatusCounts = field(default_factory=StatusCounts)
    verdict: object = None  # filled by a caller that may read evaluation results
    verdict_as_of: dt.date | None = None


@dataclass
class CascadeTarget:
    row: PlanRow  # the district plan's row
    ward_rows: list[WardRow] = field(default_factory=list)

    @property
    def counts(self) -> StatusCounts:
        total = StatusCounts()
        for ward_row in self.ward_rows:
            total.merge(ward_row.counts)
        return total


@dataclass
class Cascade:
    plan: Plan
    today: dt.date
    targets: list[CascadeTarget]
    ward_plans: list[Plan]
    wards_without_plan: list[AdminUnit]

    @property
    def ward_rows(self) -> list[WardRow]:
        return [ward_row for target in self.targets for ward_row in target.ward_rows]


def _visible(user):
    """visible_unit_ids as a subquery, worked out once per request's user object."""
    ids = getattr(user, "_cascade_visible_ids", None)
    if ids is None:
        ids = user._cascade_visible_ids = visible_unit_ids(user)
    return ids


def cascade_plan(user, key: str) -> Plan | None:
    """The plan `key` if the user sees its unit or the unit of a plan that implements it."""
    visible = _visible(user)
    return (
        Plan.objects.filter(key=key)
        .filter(Q(unit__in=visible) | Q(child_plans__unit__in=visible))
        .select_related("unit", "legal_document", "catalog")
        .distinct()
        .first()
    )


def cascade(user, plan: Plan, today: dt.date) -> Cascade:
    """The district plan's rows, each with the visible ward rows linked to it and task counts."""
    visible = _visible(user)
    ward_plans = list(
        Plan.objects.filter(parent_plan=plan, unit__in=visible)
        .select_related("unit", "legal_document")
        .order_by("unit__official_code", "key")
    )
    targets = [
        CascadeTarget(row=row)
        for row in PlanRow.objects.filter(plan=plan).select_related("node").order_by("position")
    ]
    by_parent = {target.row.pk: target for target in targets}
    plans_by_id = {ward_plan.pk: ward_plan for ward_plan in ward_plans}
    ward_rows = {}
    rows = (
        PlanRow.objects.filter(plan__in=list(plans_by_id), parent_row__plan=plan)
        .select_related("lead_person")
        .order_by("plan__unit__official_code", "plan_id", "position")
    )
    for row in rows:
        row.plan = plans_by_id[row.plan_id]
        ward_row = WardRow(row=row)
        ward_rows[row.pk] = ward_row
        by_parent[row.parent_row_id].ward_rows.append(ward_row)
    tasks = with_progress(
        Task.objects.filter(row__in=list(ward_rows), closed_on__isnull=True), today
    ).only("pk", "row_id", "status", "due_on")
    for task in tasks:
        ward_rows[task.row_id].counts.add(current_status(task, today))
    with_plan = [ward_plan.unit_id for ward_plan in ward_plans]
    wards_without_plan = list(
        AdminUnit.objects.filter(parent=plan.unit, pk__in=visible)
        .valid_on(plan.period_end)
        .exclude(pk__in=with_plan)
        .order_by("official_code")
    )
    return Cascade(
        plan=plan,
        today=today,
        targets=targets,
        ward_plans=ward_plans,
        wards_without_plan=wards_without_plan,
    )
