"""One demo account per role, bound to the unit that role works in."""

from dataclasses import dataclass

from django.db import transaction

from tieuchi.accounts.models import User
from tieuchi.accounts.roles import Role
from tieuchi.orgs.models import AdminUnit, Membership, Person

DEMO_PASSWORD = "tieuchi-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    unit_code: str
    person: str = ""  # short name of the official this account belongs to


ACCOUNTS = [
    DemoAccount("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, "01"),
    DemoAccount(
        "kiemtra.longbien", "Cán bộ kiểm tra quận Long Biên", Role.DISTRICT_INSPECTOR, "004"
    ),
    DemoAccount("dong.giangbien", "Vũ Phương Đông", Role.WARD_LEADER, "00121", "Đ/c Đông"),
    DemoAccount("hoai.giangbien", "Đ/c Hoài (PCT UBND)", Role.CRITERION_LEAD, "00121", "Đ/c Hoài"),
    DemoAccount("tinh.giangbien", "Đ/c Tỉnh (PCT UBND)", Role.CRITERION_LEAD, "00121", "Đ/c Tỉnh"),
    DemoAccount("canbo.giangbien", "Cán bộ Văn hóa - Thông tin", Role.IMPLEMENTER, "00121"),
    DemoAccount("tdp01.giangbien", "Tổ trưởng TDP số 1", Role.TDP_HEAD, "00121-TDP01"),
    DemoAccount("xem.giangbien", "Đảng ủy phường (xem)", Role.VIEWER, "00121"),
    DemoAccount("lanhdao.phucloi", "Lãnh đạo phường Phúc Lợi", Role.WARD_LEADER, "00136"),
]


@transaction.atomic
def build_users(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """Create the demo accounts; existing ones keep their password (so a re-run is harmless)."""
    users = {}
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(username=account.username)
        user.full_name = account.full_name
        user.is_superuser = user.is_staff = account.role == Role.SYSTEM_ADMIN
        if created:
            user.set_password(password)
        user.save()
        unit = (
            AdminUnit.objects.filter(official_code=account.unit_code)
            .order_by("-valid_from")
            .first()
        )
        Membership.objects.get_or_create(user=user, unit=unit, role=account.role)
        if account.person:
            Person.objects.filter(short_name=account.person, organisation__admin_unit=unit).update(
                user=user
            )
        users[account.username] = user
    return users
