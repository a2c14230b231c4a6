"""`seed_demo` may be run on a database that already has the demo: it must add nothing twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from tieuchi.accounts.models import AuditEvent, User
from tieuchi.catalog.models import Catalog, CatalogNode, Measure, Threshold
from tieuchi.collection.models import Observation
from tieuchi.orgs.models import AdminUnit, LegalDocument, Membership, Organisation, Person
from tieuchi.plans.models import EvaluationRound, Plan, PlanRow, PlanRowParty, Target
from tieuchi.plans.services import row_version, update_plan_row

MODELS = [
    AdminUnit,
    Organisation,
    Person,
    LegalDocument,
    Catalog,
    CatalogNode,
    Measure,
    Threshold,
    Plan,
    PlanRow,
    PlanRowParty,
    Target,
    EvaluationRound,
    Observation,
    User,
    Membership,
    AuditEvent,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_adds_nothing_when_the_demo_is_seeded_twice():
    already = counts()  # the test database was built by the same code
    assert already["PlanRow"] >= 52 and already["User"] >= 9
    first = seed()
    after_first = counts()
    seed()
    assert counts() == after_first
    assert after_first == already
    assert "Dữ liệu minh họa sẵn sàng: 36 đơn vị, 2 bộ tiêu chí, 2 kế hoạch." in first


@pytest.mark.django_db
def test_it_keeps_the_same_rows_nodes_and_units_when_seeded_again():
    def ids():
        return (
            set(AdminUnit.objects.values_list("pk", flat=True)),
            set(CatalogNode.objects.values_list("pk", flat=True)),
            set(PlanRow.objects.values_list("pk", flat=True)),
            set(Membership.objects.values_list("pk", flat=True)),
        )

    before = ids()
    seed()
    assert ids() == before


@pytest.mark.django_db
def test_it_keeps_a_changed_password_and_a_corrected_plan_row_when_seeded_again():
    user = User.objects.get(username="dong.giangbien")
    user.set_password("Mat-khau-rieng-cua-Dong-2024")
    user.save()
    row = PlanRow.objects.get(plan__key="giang-bien-2023", criterion_code="1.4")
    update_plan_row(
        user,
        row,
        {
            "solution": "Giải pháp đã sửa",
            "lead_person": row.lead_person,
            "implementing": "Bộ phận DC-XD",
            "coordinating": "Tổ TTXD",
            "deadline_text": "Tháng 12/2023",
            "note": "",
        },
        expected_version=row_version(row),
    )
    seed()
    user.refresh_from_db()
    assert user.check_password("Mat-khau-rieng-cua-Dong-2024")
    row.refresh_from_db()
    assert (row.solution, row.deadline_text) == ("Giải pháp đã sửa", "Tháng 12/2023")
