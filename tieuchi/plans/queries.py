"""Scoped reads for plans: every plan page and export starts here."""

from django.db.models import Prefetch

from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import visible_unit_ids
from tieuchi.plans.models import Plan, PlanRow, PlanRowParty


def plans_visible_to(user):
    """Plans of the units the user may see."""
    return Plan.objects.filter(unit__in=visible_unit_ids(user)).order_by("-period_start", "key")


def plan_rows(plan: Plan):
    """The plan's rows with everything the table shows, in a fixed number of queries."""
    parties = PlanRowParty.objects.select_related("organisation", "person").order_by(
        "role", "position"
    )
    return (
        PlanRow.objects.filter(plan=plan)
        .select_related("node__parent", "lead_person")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("position")
    )


def units_in_scope(user):
    return AdminUnit.objects.visible_to(user)
