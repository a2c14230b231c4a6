"""Link a ward plan to the district plan it implements (the plan cascade), row by row.

A ward plan names the plan it implements in `parent_document` ("Thực hiện kế hoạch số 72/KH-UBND
… của UBND quận Long Biên"). The plan issued by that document, for a unit above the ward, becomes
the ward plan's `parent_plan`, and each ward row points at the district row of the same
sub-criterion (`PlanRow.parent_row`). Linking works in both directions, so the district plan and
the ward plans can be loaded in any order. Running it again changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from tieuchi.accounts import audit
from tieuchi.plans.models import Plan, PlanRow


@dataclass
class CascadeResult:
    plans_linked: int = 0
    rows_linked: int = 0
    rows_unlinked: int = 0

    @property
    def changed(self) -> bool:
        return any(self.__dict__.values())

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _is_above(parent: Plan, child: Plan) -> bool:
    return parent.unit_id != child.unit_id and child.unit.path.startswith(parent.unit.path)


def _parent_of(plan: Plan) -> Plan | None:
    if plan.parent_document_id is None:
        return None
    candidates = (
        Plan.objects.filter(legal_document_id=plan.parent_document_id)
        .exclude(pk=plan.pk)
        .select_related("unit")
        .order_by("-period_start", "pk")
    )
    return next((candidate for candidate in candidates if _is_above(candidate, plan)), None)


def _link_rows(child: Plan, parent: Plan | None, result: CascadeResult) -> None:
    """Point each row of `child` at the parent row of the same sub-criterion (or at nothing)."""
    by_code = {}
    if parent is not None:
        by_code = {
            code: pk
            for pk, code in PlanRow.objects.filter(plan=parent).values_list("pk", "node__code")
        }
    changed = []
    for row in (
        PlanRow.objects.filter(plan=child)
        .select_related("node")
        .only("pk", "parent_row_id", "criterion_code", "node__code")
    ):
        wanted = by_code.get(row.node.code if row.node_id else row.criterion_code)
        if row.parent_row_id != wanted:
            if wanted is None:
                result.rows_unlinked += 1
            else:
                result.rows_linked += 1
            row.parent_row_id = wanted
            changed.append(row)
    PlanRow.objects.bulk_update(changed, ["parent_row"])


def _link(child: Plan, parent: Plan | None, result: CascadeResult) -> None:
    if child.parent_plan_id != (parent.pk if parent else None):
        child.parent_plan = parent
        child.save(update_fields=["parent_plan"])
        result.plans_linked += 1
    _link_rows(child, parent, result)


def link_plan_cascade(
    plan: Plan, *, actor=None, channel: str = "system", record: bool = True
) -> CascadeResult:
    """Link `plan` to the plan it implements and link the plans that implement it (idempotent).

    Records one audit event when something changed; a caller that audits the whole action itself
    (load_plan, the Word import) passes `record=False` and puts the result in its own record.
    """
    result = CascadeResult()
    with transaction.atomic():
        _link(plan, _parent_of(plan), result)
        children = (
            Plan.objects.filter(parent_document_id=plan.legal_document_id)
            .exclude(pk=plan.pk)
            .select_related("unit")
        )
        for child in children:
            if _is_above(plan, child) and _parent_of(child) == plan:
                _link(child, plan, result)
        if record and result.changed:
            audit.record(actor, "link_cascade", plan, after=result.as_dict(), channel=channel)
    return result
