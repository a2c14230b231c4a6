"""The roles a user holds over a unit (`Access`) and which roles each workflow step needs."""

from dataclasses import dataclass, field

from tieuchi.accounts.roles import APPROVER_ROLES, EDITOR_ROLES, Role
from tieuchi.collection import workflow
from tieuchi.orgs.models import AdminUnit
from tieuchi.orgs.scope import active_memberships

# Who may check figures of the units below them and send them back: the approvers and the
# ward's officers who collect the TDPs' figures.
REVIEWER_ROLES = APPROVER_ROLES | {Role.IMPLEMENTER, Role.CRITERION_LEAD}
ROLES_FOR = {
    workflow.EDITOR: EDITOR_ROLES,
    workflow.REVIEWER: REVIEWER_ROLES,
    workflow.APPROVER: APPROVER_ROLES,
}


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
