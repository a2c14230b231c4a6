"""What a user may see and change. Every read of unit-bound data starts here."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from tieuchi.accounts.roles import EDITOR_ROLES, Role


def active_memberships(user):
    from tieuchi.orgs.models import Membership

    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("unit")
    )


def is_system_admin(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return active_memberships(user).filter(role=Role.SYSTEM_ADMIN).exists()


def _units_under(paths: list[str]) -> QuerySet:
    from tieuchi.orgs.models import AdminUnit

    if not paths:
        return AdminUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return AdminUnit.objects.filter(condition)


def visible_unit_ids(user) -> QuerySet:
    """Ids of the units the user may read: their membership units and everything below."""
    from tieuchi.orgs.models import AdminUnit

    if is_system_admin(user):
        return AdminUnit.objects.values("pk")
    paths = [membership.unit.path for membership in active_memberships(user)]
    return _units_under(paths).values("pk")


def editable_unit_ids(user) -> QuerySet:
    """Ids of the units whose data the user may change."""
    from tieuchi.orgs.models import AdminUnit

    if is_system_admin(user):
        return AdminUnit.objects.values("pk")
    paths = [m.unit.path for m in active_memberships(user) if m.role in EDITOR_ROLES]
    return _units_under(paths).values("pk")


def can_act_on_unit(user, unit, roles) -> bool:
    """True when one of the user's memberships with one of `roles` covers `unit`."""
    if unit is None:
        return False
    if is_system_admin(user):
        return True
    return any(
        unit.path.startswith(m.unit.path) for m in active_memberships(user) if m.role in roles
    )


def can_view_unit(user, unit) -> bool:
    return unit is not None and type(unit).objects.visible_to(user).filter(pk=unit.pk).exists()


def can_edit_unit(user, unit) -> bool:
    from tieuchi.orgs.models import AdminUnit

    return (
        unit is not None
        and AdminUnit.objects.filter(pk__in=editable_unit_ids(user), pk=unit.pk).exists()
    )


def home_unit(user):
    """The highest unit the user belongs to, used as the default page context."""
    memberships = list(active_memberships(user))
    if not memberships:
        if is_system_admin(user):
            from tieuchi.orgs.models import AdminUnit

            return AdminUnit.objects.filter(parent__isnull=True).order_by("path").first()
        return None
    return min((m.unit for m in memberships), key=lambda unit: (unit.path.count("/"), unit.path))
