"""Shared set-up of the register tests: the demo ward, its report request, a register line."""

import datetime as dt

from django.contrib.auth import get_user_model

from tieuchi.orgs.models import AdminUnit
from tieuchi.plans.models import EvaluationRound
from tieuchi.reports.kinds import all_kinds
from tieuchi.reports.request import resolve_request
from tieuchi.reports.services import register_document

DAY = dt.date(2023, 12, 1)


def ward() -> AdminUnit:
    return AdminUnit.objects.get(official_code="00121")


def user(username: str = "dong.giangbien"):
    return get_user_model().objects.get(username=username)


def round_two() -> EvaluationRound:
    return EvaluationRound.objects.select_related("plan").get(plan__unit=ward(), number=2)


def report(number: str = "", day: dt.date | None = DAY, slug: str = "bao-cao-ket-qua", **more):
    overrides = {"number": number, "date": day, **more}
    kind = all_kinds()[slug]
    return resolve_request(kind, ward(), user(), round=round_two(), overrides=overrides)


def line(number: int, *, day: dt.date = DAY, kind: str = "tu-danh-gia", issuer=None, actor=None):
    """A register line written directly (no document): numbers taken earlier in the year."""
    unit = issuer or ward()
    return register_document(
        actor,
        issuer=unit,
        unit=unit,
        kind=kind,
        number=number,
        symbol="BC-UBND",
        date=day,
        summary=f"Văn bản thử số {number}",
        signer_name="Vũ Phương Đông",
        round=None,
        as_of=day,
        sha256="0" * 64,
    )
