"""Scoped reads for units: the tree a user may see on a date."""

import datetime as dt

from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import active_memberships, is_system_admin
from tieuchi.orgs.tree import TreeNode, UnitRecord, tree_at


def unit_records(queryset) -> list[UnitRecord]:
    return [
        UnitRecord(
            id=unit.pk,
            parent_id=unit.parent_id,
            code=unit.official_code,
            name=unit.name,
            unit_type=unit.unit_type,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            extra={"level": unit.level, "type_label": str(unit.get_unit_type_display())},
        )
        for unit in queryset.only(
            "pk",
            "parent_id",
            "official_code",
            "name",
            "unit_type",
            "valid_from",
            "valid_to",
            "level",
        )
    ]


def visible_tree(user, day: dt.date) -> list[TreeNode]:
    """The units valid on `day` that the user may see, as a forest rooted at their own units."""
    records = unit_records(AdminUnit.objects.visible_to(user))
    roots = None
    if not is_system_admin(user):
        member_ids = {membership.unit_id for membership in active_memberships(user)}
        visible = {record.id for record in records}
        # A membership unit below another membership unit is not a separate root.
        roots = {rid for rid in member_ids if rid in visible}
        by_id = {record.id: record for record in records}
        for rid in list(roots):
            parent = by_id.get(rid)
            while parent and parent.parent_id is not None:
                if parent.parent_id in member_ids:
                    roots.discard(rid)
                    break
                parent = by_id.get(parent.parent_id)
    return tree_at(records, day, roots)


def default_day(user) -> dt.date:
    """Today, unless the user's own units had ended by then (e.g. the 2025 reform): their last day."""
    today = dt.date.today()
    ends = [m.unit.valid_to for m in active_memberships(user) if m.unit.valid_to]
    if ends and all(end < today for end in ends):
        return max(ends)
    if (
        is_system_admin(user)
        and not AdminUnit.objects.filter(parent__isnull=False).valid_on(today).exists()
    ):
        last = AdminUnit.objects.filter(valid_to__isnull=False).order_by("-valid_to").first()
        return last.valid_to if last else today
    return today
