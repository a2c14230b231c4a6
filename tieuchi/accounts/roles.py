"""Role names and what each may do. Roles are bound to a unit in orgs.Membership."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    WARD_LEADER = "ward_leader", _("Lãnh đạo phường")
    CRITERION_LEAD = "criterion_lead", _("Phụ trách tiêu chí")
    IMPLEMENTER = "implementer", _("Cán bộ thực hiện")
    TDP_HEAD = "tdp_head", _("Tổ trưởng tổ dân phố")
    DISTRICT_INSPECTOR = "district_inspector", _("Cán bộ kiểm tra cấp trên")
    VIEWER = "viewer", _("Người xem")


# Which roles may change data of their unit (and the units below it).
EDITOR_ROLES = frozenset(
    {
        Role.SYSTEM_ADMIN,
        Role.WARD_LEADER,
        Role.CRITERION_LEAD,
        Role.IMPLEMENTER,
        Role.TDP_HEAD,
    }
)
# Which roles may approve or inspect (never their own entries; enforced by the services).
APPROVER_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.WARD_LEADER, Role.DISTRICT_INSPECTOR})
# Who may amend a plan's rows (solution, owners, deadline): the ward's leaders.
PLAN_EDITOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.WARD_LEADER, Role.CRITERION_LEAD})
